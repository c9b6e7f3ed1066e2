package ovsj.vswitchd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

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
    /** The UFID packed for hashing and comparison: bytes 0..7 and 8..15 little-endian, and the length. */
    final long ufidHi;
    final long ufidLo;
    final int ufidLen;

    // The mutex: a reentrant lock in two fields (no lock object per ukey).
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Ukey.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Thread owner;
    private int holds;

    private volatile byte[] actions;

    // Guarded by the mutex.
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
        this.ufidHi = packHi(ufidBytes, 0, ufidBytes.length);
        this.ufidLo = packLo(ufidBytes, 0, ufidBytes.length);
        this.ufidLen = ufidBytes.length;
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

    /** Takes the ukey's mutex (reentrant); spins briefly, then parks, while another thread holds it. */
    public void lock() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            holds++;
            return;
        }
        for (int spins = 0; !OWNER.compareAndSet(this, null, me); spins++) {
            if (spins < 64) {
                Thread.onSpinWait();
            } else if (spins < 96) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
        holds = 1;
    }

    /** Takes the mutex if free ({@code ovs_mutex_trylock}); false if another thread holds it. */
    public boolean tryLock() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            holds++;
            return true;
        }
        if (OWNER.compareAndSet(this, null, me)) {
            holds = 1;
            return true;
        }
        return false;
    }

    /** Releases the mutex (once per {@link #lock} or successful {@link #tryLock}). */
    public void unlock() {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException("ukey " + ufid + " is not locked by this thread");
        }
        if (--holds == 0) {
            owner = null;
        }
    }

    /** Whether the current thread holds the mutex. */
    public boolean isLockedByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /** Whether this ukey's UFID is {@code buf[off, off+len)} packed by {@link #packHi}/{@link #packLo}. */
    boolean ufidEquals(long hi, long lo, int len) {
        return ufidHi == hi && ufidLo == lo && ufidLen == len;
    }

    /** Bytes {@code [off, off + min(len, 8))} as a little-endian long (zero-padded). */
    static long packHi(byte[] b, int off, int len) {
        return pack(b, off, Math.min(len, 8));
    }

    /** Bytes {@code [off + 8, off + len)} as a little-endian long (zero-padded), 0 if {@code len <= 8}. */
    static long packLo(byte[] b, int off, int len) {
        return len <= 8 ? 0 : pack(b, off + 8, Math.min(len - 8, 8));
    }

    private static long pack(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (b[off + i] & 0xffL) << (8 * i);
        }
        return v;
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

    /** Back to {@code CREATED} after a refused install (the ukey was never visible): {@link UkeyMap} only. */
    void markCreated() {
        state = State.CREATED;
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
