package ovsj.vswitchd;

import java.util.concurrent.locks.ReentrantLock;

import ovsj.odp.Ufid;

/**
 * A datapath flow as the daemon remembers it: the twin of OVS's {@code struct udpif_key}
 * ({@code ofproto-dpif-upcall.c}). Handlers create one per megaflow they install, revalidators find it
 * by UFID when they dump the flow, push its statistics deltas, and delete it when it is idle or no
 * longer valid.
 *
 * <p><b>Immutable parts</b> (read freely from any thread): the {@link #ufid() UFID}, the {@link #key()
 * key} and {@link #mask() mask} as netlink attribute bytes (the payloads of {@code OVS_FLOW_ATTR_KEY}
 * and {@code OVS_FLOW_ATTR_MASK}), and the creation time.
 *
 * <p><b>Actions</b> are published through a volatile reference ({@code ukey_get_actions} /
 * {@code ukey_set_actions}): read them without the lock, replace them only while holding it.
 *
 * <p><b>Guarded parts</b> (hold {@link #lock()} / {@link #tryLock()}, as OVS holds
 * {@code ukey->mutex}): the last known datapath statistics, {@link #dumpSeq()}, {@link #revalSeq()},
 * the {@link #state()}, and the pipeline's opaque {@link #tag()}.
 *
 * <p>Life cycle ({@code enum ukey_state}), forward only, through {@link #transition}:
 * {@code CREATED} (built by a handler) → {@code VISIBLE} (in the {@link UkeyMap}, the flow install is
 * queued; {@link UkeyMap#install} does this) → {@code OPERATIONAL} (the datapath has the flow; the
 * handler sets this after a successful {@code FLOW_NEW}, or {@code EVICTED} if the install failed) →
 * {@code EVICTING} (a revalidator queued the delete) → {@code EVICTED} (the datapath flow is gone) →
 * {@code DELETED} (removed from the map by {@link UkeyMap#remove}).
 *
 * <p>Typical handler use:
 * <pre>{@code
 * Ukey u = new Ukey(ufid, key, mask, actions, nowMs, udpif.revalSeq(), pipelineTag);
 * if (udpif.ukeys().install(u)) {          // now VISIBLE
 *     ... FLOW_NEW with u.ufidBytes(), u.key(), u.mask(), u.actions() ...
 *     u.lock();
 *     try { u.transition(ok ? Ukey.State.OPERATIONAL : Ukey.State.EVICTED); } finally { u.unlock(); }
 * } // else: a duplicate upcall, some other thread installs (or has installed) this flow
 * }</pre>
 */
public final class Ukey {

    /** {@code enum ukey_state}: a ukey only moves forward through these. */
    public enum State {
        /** {@code UKEY_CREATED}: built, not yet in a map. */
        CREATED,
        /** {@code UKEY_VISIBLE}: in the map, the datapath flow install is queued. */
        VISIBLE,
        /** {@code UKEY_OPERATIONAL}: in the map, the datapath flow is installed. */
        OPERATIONAL,
        /** {@code UKEY_EVICTING}: in the map, the datapath flow delete is queued. */
        EVICTING,
        /** {@code UKEY_EVICTED}: in the map, the datapath flow is deleted (or was never installed). */
        EVICTED,
        /** {@code UKEY_DELETED}: removed from the map. */
        DELETED
    }

    private final Ufid ufid;
    private final byte[] ufidBytes;
    private final byte[] key;
    private final byte[] mask;
    private final long created;
    private final ReentrantLock mutex = new ReentrantLock();

    private volatile byte[] actions;

    // Guarded by mutex.
    private long packets;
    private long bytes;
    private long used;
    private int tcpFlags;
    private long dumpSeq;
    private long revalSeq;
    private Object tag;
    private State state = State.CREATED;

    /**
     * A new ukey in state {@link State#CREATED}.
     *
     * @param ufid      the flow's UFID (OVS uses 16 bytes)
     * @param key       the key attributes (payload of {@code OVS_FLOW_ATTR_KEY}); kept, not copied
     * @param mask      the mask attributes (payload of {@code OVS_FLOW_ATTR_MASK}), or null; kept
     * @param actions   the action attributes (payload of {@code OVS_FLOW_ATTR_ACTIONS}); kept
     * @param createdMs creation time, ms of the daemon's monotonic clock (the daemon clock)
     * @param revalSeq  the revalidation sequence (the Udpif's revalSeq) the actions were translated
     *                  under
     * @param tag       the pipeline's opaque data (a revision, an xlate cache...), or null
     */
    public Ukey(Ufid ufid, byte[] key, byte[] mask, byte[] actions, long createdMs, long revalSeq,
            Object tag) {
        this.ufid = java.util.Objects.requireNonNull(ufid, "ufid");
        this.ufidBytes = ufid.toByteArray();
        this.key = key == null ? new byte[0] : key;
        this.mask = mask;
        this.actions = actions == null ? new byte[0] : actions;
        this.created = createdMs;
        this.revalSeq = revalSeq;
        this.tag = tag;
    }

    // ---- immutable ------------------------------------------------------------------------------

    /** The flow's UFID (map key). */
    public Ufid ufid() {
        return ufid;
    }

    /** The UFID's bytes, for {@code FlowRequest.ufid}: shared, do not modify. */
    public byte[] ufidBytes() {
        return ufidBytes;
    }

    /** The key attributes: shared, do not modify. */
    public byte[] key() {
        return key;
    }

    /** The mask attributes, or null (exact match): shared, do not modify. */
    public byte[] mask() {
        return mask;
    }

    /** When the ukey was created, ms of the daemon's monotonic clock. */
    public long created() {
        return created;
    }

    // ---- actions (RCU-like) ---------------------------------------------------------------------

    /** The current action attributes ({@code ukey_get_actions}): shared, do not modify. */
    public byte[] actions() {
        return actions;
    }

    /** Replaces the actions ({@code ukey_set_actions}); the caller holds the lock. */
    public void setActions(byte[] newActions) {
        this.actions = newActions == null ? new byte[0] : newActions;
    }

    // ---- lock -----------------------------------------------------------------------------------

    /** Takes the ukey's mutex. */
    public void lock() {
        mutex.lock();
    }

    /** Takes the mutex if free ({@code ovs_mutex_trylock}); false if another thread holds it. */
    public boolean tryLock() {
        return mutex.tryLock();
    }

    public void unlock() {
        mutex.unlock();
    }

    /** Whether the current thread holds the mutex. */
    public boolean isLockedByCurrentThread() {
        return mutex.isHeldByCurrentThread();
    }

    // ---- guarded --------------------------------------------------------------------------------

    /** The life-cycle state. */
    public State state() {
        return state;
    }

    /**
     * {@code transition_ukey}: moves to {@code dst}, with OVS's rules. A move backwards throws
     * {@link IllegalStateException} (OVS aborts). The valid moves are to the next state, from
     * {@code VISIBLE} to any state but {@code DELETED}, and {@code OPERATIONAL} to itself (a no-op); any
     * other forward move leaves the state as it is and returns false (OVS logs "Invalid state
     * transition"). The caller holds the lock.
     *
     * @return whether the state is now {@code dst}
     */
    public boolean transition(State dst) {
        if (dst.ordinal() < state.ordinal()) {
            throw new IllegalStateException("ukey " + ufid + ": invalid transition " + state + " -> " + dst);
        }
        if (state == dst && dst == State.OPERATIONAL) {
            return true;
        }
        if (state.ordinal() == dst.ordinal() - 1 || (state == State.VISIBLE && dst != State.DELETED)) {
            state = dst;
            return true;
        }
        return false;
    }

    /** {@code ukey_delete}'s end state, whatever the state was: only {@link UkeyMap} calls this. */
    void markDeleted() {
        state = State.DELETED;
    }

    /** Last known datapath packet count. */
    public long packets() {
        return packets;
    }

    /** Last known datapath byte count. */
    public long bytes() {
        return bytes;
    }

    /** Last known datapath {@code used} time (datapath ms, 0 = never used). */
    public long used() {
        return used;
    }

    /** Last known datapath TCP flags (OR of every packet's). */
    public int tcpFlags() {
        return tcpFlags;
    }

    /**
     * Records the datapath's cumulative statistics as the new baseline (OVS: {@code ukey->stats =
     * *stats}); the revalidator does this after pushing the delta.
     */
    public void setStats(long packets, long bytes, long used, int tcpFlags) {
        this.packets = packets;
        this.bytes = bytes;
        this.used = used;
        this.tcpFlags = tcpFlags;
    }

    /** The dump round (the Udpif's dumpSeq) in which a revalidator last handled this ukey. */
    public long dumpSeq() {
        return dumpSeq;
    }

    public void setDumpSeq(long seq) {
        this.dumpSeq = seq;
    }

    /** The revalidation sequence (the Udpif's revalSeq) the actions were last translated under. */
    public long revalSeq() {
        return revalSeq;
    }

    public void setRevalSeq(long seq) {
        this.revalSeq = seq;
    }

    /** The pipeline's opaque data (set by the handler, updated on re-translation), or null. */
    public Object tag() {
        return tag;
    }

    public void setTag(Object tag) {
        this.tag = tag;
    }

    @Override
    public String toString() {
        return "ukey(" + ufid + ", " + state + ")";
    }
}
