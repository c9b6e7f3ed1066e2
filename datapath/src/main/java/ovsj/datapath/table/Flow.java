package ovsj.datapath.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;
import ovsj.odp.Ufid;

/**
 * A megaflow ({@code struct sw_flow}): the masked key it matches, its identifier (a UFID, or else the
 * unmasked key it was created with), the table's shared mask, its actions (replaced atomically by SET),
 * per-thread statistics, and the seed's match cache: the netlink bytes of its identifier, key and mask,
 * built on the first dump and copied on every later one.
 *
 * <p>Immutable but for the actions, the statistics and the match cache; a flow is published to readers
 * by {@link FlowTable#insert}, which also sets its mask and hash.
 */
public final class Flow extends FlowStats {
    private static final VarHandle ACTIONS;
    private static final VarHandle MATCH_CACHE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ACTIONS = l.findVarHandle(Flow.class, "actions", byte[].class);
            MATCH_CACHE = l.findVarHandle(Flow.class, "matchCache", byte[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FlowKey key;
    private final FlowKey unmaskedKey;
    // The UFID's words inline (no object to chase in a dump); ufidLen 0 = identified by unmaskedKey.
    private final long ufidHi;
    private final long ufidLo;
    private final int ufidLen;
    private final int ufidHash;
    FlowMask mask;
    int hash;
    /**
     * Set (volatile) by {@link FlowTable#remove} and {@link FlowTable#flush}; a dump still walking an
     * instance that holds the flow skips it.
     */
    volatile boolean removed;

    /** The stored actions (ActionCodec's stored form); read with acquire, replaced with release. */
    @SuppressWarnings("unused")
    private volatile byte[] actions;
    /** The seed's cache: null until the first dump builds it. */
    @SuppressWarnings("unused")
    private volatile byte[] matchCache;

    /**
     * @param key         the masked key
     * @param unmaskedKey the key as given (the identifier when {@code ufid} is null), or null
     * @param ufid        the UFID, or null for a flow identified by its unmasked key
     * @param actions     the stored actions
     * @param cpus        how many forwarding threads keep statistics slots
     */
    public Flow(FlowKey key, FlowKey unmaskedKey, Ufid ufid, byte[] actions, int cpus) {
        super(cpus);
        if (ufid == null && unmaskedKey == null) {
            throw new IllegalArgumentException("a flow without a UFID is identified by its unmasked key");
        }
        this.key = key;
        this.unmaskedKey = ufid == null ? unmaskedKey : null;
        this.ufidHi = ufid == null ? 0 : ufid.hi();
        this.ufidLo = ufid == null ? 0 : ufid.lo();
        this.ufidLen = ufid == null ? 0 : ufid.length();
        this.ufidHash = ufid == null ? 0 : ufid.hashCode();
        this.actions = actions;
    }

    /** The masked key. */
    public FlowKey key() {
        return key;
    }

    /** The identifier key of a flow without a UFID, else null. */
    public FlowKey unmaskedKey() {
        return unmaskedKey;
    }

    /** The UFID (a new object: hot paths use the methods below), or null. */
    public Ufid ufid() {
        return ufidLen == 0 ? null : Ufid.ofWords(ufidHi, ufidLo, ufidLen);
    }

    public boolean hasUfid() {
        return ufidLen != 0;
    }

    /** The UFID's length in bytes (0: none). */
    public int ufidLength() {
        return ufidLen;
    }

    /** {@code ufid().hashCode()} without the object. */
    public int ufidHash() {
        return ufidHash;
    }

    /** Whether this flow's UFID is {@code u}. */
    public boolean ufidEquals(Ufid u) {
        return ufidLen == u.length() && ufidHi == u.hi() && ufidLo == u.lo();
    }

    /** Writes the UFID's bytes at {@code dst[off]}. */
    public void copyUfidTo(byte[] dst, int off) {
        Ufid.copyTo(ufidHi, ufidLo, ufidLen, dst, off);
    }

    /** The table's shared mask (set when inserted). */
    public FlowMask mask() {
        return mask;
    }

    public int hash() {
        return hash;
    }

    /** The flow's counters (held in the flow itself: see {@link FlowStats}). */
    public FlowStats stats() {
        return this;
    }

    public byte[] actions() {
        return (byte[]) ACTIONS.getAcquire(this);
    }

    /** SET: readers see the old or the new list, never a mix. */
    public void replaceActions(byte[] newActions) {
        ACTIONS.setRelease(this, newActions);
    }

    public byte[] matchCache() {
        return (byte[]) MATCH_CACHE.getAcquire(this);
    }

    /**
     * Publishes a freshly built match cache unless another dump already did (both are the same bytes:
     * identifier, key and mask never change for the life of a flow, so a race is harmless).
     *
     * @return the cache now attached to the flow
     */
    public byte[] publishMatchCache(byte[] built) {
        byte[] prev = (byte[]) MATCH_CACHE.compareAndExchangeRelease(this, (byte[]) null, built);
        return prev == null ? built : prev;
    }

    /** Drops the cache (when the dump mode leaves match-cache). */
    public void clearMatchCache() {
        MATCH_CACHE.setRelease(this, (byte[]) null);
    }

    /** {@link #touch}: only the flow itself (a terse dump: UFID and stats are in it). */
    public static final int TOUCH_FLOW = 0;
    /** {@link #touch}: the flow, its match cache and actions. */
    public static final int TOUCH_CACHE = 1;
    /** {@link #touch}: the flow, the key words a serializing dump encodes, and the actions. */
    public static final int TOUCH_KEY = 2;

    /**
     * Loads the lines of this flow that a dump of kind {@code what} reads ({@code TOUCH_*}; see
     * {@link FlowTable#prefetch}) and returns a value made of them.
     */
    int touch(int what) {
        int h = hash + (int) touchStats();
        if (what == TOUCH_FLOW) {
            return h;
        }
        byte[] acts = (byte[]) ACTIONS.getOpaque(this);
        byte[] cache = (byte[]) MATCH_CACHE.getOpaque(this);
        if (what == TOUCH_CACHE && cache != null) {
            // The cache spans several lines: its last one too (the hardware streams the middle).
            return h + acts.length + cache[cache.length - 1];
        }
        // Serializing reads the key's words over the mask's range (or the unmasked key's).
        long[] w = ufidLen != 0 ? key.words() : unmaskedKey.words();
        FlowMask m = mask;
        long words = m.end() > m.start() ? w[m.start()] + w[m.end() - 1] : w.length;
        return h + acts.length + (int) words;
    }
}
