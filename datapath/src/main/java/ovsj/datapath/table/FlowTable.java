package ovsj.datapath.table;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import ovsj.netlink.Errno;
import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;
import ovsj.odp.Ufid;

/**
 * The masked flow table: the twin of Linux 6.1 {@code net/openvswitch/flow_table.c}. A tuple-space
 * search: flows hash into one bucket array by their masked key, and a lookup tries every mask of the
 * mask array (most used first after {@link #rebalanceMasks()}), masking the packet key, hashing it and
 * comparing it with the flows of its bucket that share that mask. A per-cpu mask cache remembers which
 * mask last matched a packet hash; a second bucket array indexes flows by UFID.
 *
 * <h2>Concurrency</h2>
 * Readers ({@link #lookup}, {@link #lookupStats}, {@link #lookupExact}, {@link #lookupUfid},
 * {@link #dumpNext}, the counts) never lock: they load the current table instances, mask array and mask
 * cache from volatile fields (acquire) and walk them; see {@link TableInstance} for the node protocol.
 * Writers ({@link #insert}, {@link #remove}, {@link #flush}, {@link #rebalanceMasks},
 * {@link #setMaskCacheSize}) serialise on one {@link ReentrantLock}, {@link #writerLock()} — not the
 * table's monitor — which the datapath may also hold around a check-then-insert, like {@code ovs_lock}.
 * The mask array and mask cache are copy-on-write; a bucket array is published whole when the table
 * expands or is flushed, and otherwise changed one release store at a time. A reader sees the old or
 * the new state of each structure; a removed flow may still be returned by a lookup that began before
 * the removal (as under RCU), and the GC frees what no reader holds any more.
 *
 * <h2>Hot path</h2>
 * {@link #lookupStats} allocates nothing and takes no lock: masking is fused into hashing and comparing
 * ({@code key[i] & mask[i]} word by word over the mask's range), so there is no scratch key at all.
 * {@code cpu} selects the caller's row of the per-cpu mask cache and mask usage counters: each cpu index
 * must be used by one thread at a time, and be below the {@code cpus} the table was built with.
 */
public final class FlowTable {
    /** {@code REHASH_INTERVAL}: the flow table re-seeds its buckets every 10 minutes of inserts. */
    static final long REHASH_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(10);

    /** Word of the key where {@code flow_key_start} begins when the key has no tunnel ({@code phy}). */
    static final int NO_TUNNEL_KEY_START = FlowKey.PRIORITY_OFFSET / 8;

    private final int cpus;
    /** Seed of flow hashes (the kernel's jhash2 initval is 0; a random seed resists collision floods). */
    private final long hashSeed = ThreadLocalRandom.current().nextLong();
    private final ReentrantLock lock = new ReentrantLock();

    // ---- published to readers (volatile: release on store, acquire on load) --------------------------
    private volatile TableInstance ti;
    private volatile TableInstance ufidTi;
    private volatile MaskArray maskArray;
    private volatile MaskCache maskCache;
    private volatile int count;

    // ---- writer-only (under lock) ---------------------------------------------------------------------
    private int ufidCount;
    private long lastRehash;

    /** A table whose mask cache and usage counters have one row per forwarding thread, {@code cpus}. */
    public FlowTable(int cpus) {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be at least 1: " + cpus);
        }
        this.cpus = cpus;
        this.ti = newInstance(TableInstance.MIN_BUCKETS);
        this.ufidTi = newInstance(TableInstance.MIN_BUCKETS);
        this.maskArray = MaskArray.empty(cpus);
        this.maskCache = new MaskCache(MaskCache.DEFAULT_ENTRIES, cpus);
        this.lastRehash = System.nanoTime();
    }

    /** A table with one row per available processor. */
    public FlowTable() {
        this(Runtime.getRuntime().availableProcessors());
    }

    private static TableInstance newInstance(int nBuckets) {
        return new TableInstance(nBuckets, ThreadLocalRandom.current().nextInt());
    }

    /** The lock writers hold; reentrant, so a caller may hold it around several table operations. */
    public ReentrantLock writerLock() {
        return lock;
    }

    /** How many forwarding-thread rows the per-cpu structures have. */
    public int cpus() {
        return cpus;
    }

    // ==== lookups (lock-free) ===========================================================================

    /**
     * {@code masked_flow_lookup}: the flow of {@code mask} whose masked key equals
     * {@code unmasked & mask}, or null. Masking is fused into hashing and comparing.
     */
    private Flow maskedLookup(TableInstance t, long[] k, FlowMask mask) {
        long[] m = mask.key().words();
        int s = mask.start();
        int e = mask.end();
        int hash = FlowHash.masked(k, m, s, e, hashSeed);
        for (TableInstance.Node n = t.head(t.bucketOf(hash)); n != null; n = n.nextAcquire()) {
            if (n.hash == hash) {
                Flow f = n.flow;
                if (f.mask == mask && maskedEquals(f.key().words(), k, m, s, e)) {
                    return f;
                }
            }
        }
        return null;
    }

    private static boolean maskedEquals(long[] flowKey, long[] k, long[] m, int s, int e) {
        for (int i = s; i < e; i++) {
            if (flowKey[i] != (k[i] & m[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code ovs_flow_tbl_lookup}: the control path's lookup of a packet key through every mask, in
     * mask-array order. (The kernel also bumps the mask usage counter of the calling cpu; this path has
     * no cpu and leaves the counters to the forwarding threads.)
     */
    public Flow lookup(FlowKey unmasked) {
        TableInstance t = ti;
        FlowMask[] masks = maskArray.masks;
        long[] k = unmasked.words();
        for (FlowMask m : masks) {
            Flow f = maskedLookup(t, k, m);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /**
     * {@code flow_lookup}: tries the mask at {@code index} first (a hit there counts in
     * {@code n_cache_hit}), then every other mask. Leaves the matching mask's index in
     * {@code out.index} ({@code index} if none matched) and counts the hit in the cpu's usage row.
     */
    private Flow flowLookup(TableInstance t, MaskArray ma, long[] usage, long[] k, int index,
            LookupStats out) {
        FlowMask[] masks = ma.masks;
        out.index = index;
        if (Integer.compareUnsigned(index, masks.length) < 0) { // the kernel's u32 *index < ma->max
            out.nMaskHit++;
            Flow f = maskedLookup(t, k, masks[index]);
            if (f != null) {
                MaskArray.countHit(usage, index);
                out.nCacheHit++;
                return f;
            }
        }
        for (int i = 0; i < masks.length; i++) {
            if (i == index) {
                continue;
            }
            out.nMaskHit++;
            Flow f = maskedLookup(t, k, masks[i]);
            if (f != null) {
                out.index = i;
                MaskArray.countHit(usage, i);
                return f;
            }
        }
        return null;
    }

    /**
     * {@code ovs_flow_tbl_lookup_stats}: the forwarding fast path. Consults forwarding thread
     * {@code cpu}'s mask cache with the packet hash {@code skbHash} (re-hashed with the key's recirc_id
     * when it is non-zero), probing up to {@code MC_HASH_SEGS} entries; on a hit, tries the remembered
     * mask first; on a miss, scans all masks and claims the probed entry with the smallest hash. A hash
     * of 0, or a cache of size 0, bypasses the cache. Writes {@code n_mask_hit} and {@code n_cache_hit}
     * into {@code out}. Allocates nothing, takes no lock.
     */
    public Flow lookupStats(FlowKey unmasked, int skbHash, int cpu, LookupStats out) {
        MaskCache mc = maskCache;
        MaskArray ma = maskArray;
        TableInstance t = ti;
        long[] k = unmasked.words();
        long[] usage = ma.usage[cpu];
        out.nMaskHit = 0;
        out.nCacheHit = 0;
        if (skbHash == 0 || mc.size == 0) {
            Flow f = flowLookup(t, ma, usage, k, 0, out);
            out.nCacheHit = 0; // the kernel counts this path's cache hits into a local it drops
            return f;
        }
        int recirc = unmasked.u32(FlowKey.RECIRC_ID_OFFSET);
        if (recirc != 0) {
            // pre- and post-recirculation packets usually share skb_hash: keep their entries apart
            skbHash = FlowHash.oneWord(skbHash, recirc);
        }
        long[] entries = mc.entries[cpu]; // this cpu's row: plain loads and stores
        int sizeMask = mc.size - 1;
        int hash = skbHash;
        int ce = -1;
        int ceHash = 0;
        for (int seg = 0; seg < MaskCache.HASH_SEGS; seg++) {
            int i = hash & sizeMask;
            long e = entries[i];
            int eHash = MaskCache.entryHash(e);
            if (eHash == skbHash) {
                Flow f = flowLookup(t, ma, usage, k, MaskCache.entryIndex(e), out);
                entries[i] = MaskCache.entry(f == null ? 0 : skbHash, out.index);
                return f;
            }
            if (ce < 0 || Integer.compareUnsigned(eHash, ceHash) < 0) {
                ce = i; // a better replacement candidate
                ceHash = eHash;
            }
            hash >>>= MaskCache.HASH_SHIFT;
        }
        // cache miss: full lookup, starting (as the kernel does) with the candidate's stale index
        Flow f = flowLookup(t, ma, usage, k, MaskCache.entryIndex(entries[ce]), out);
        if (f != null) {
            entries[ce] = MaskCache.entry(skbHash, out.index);
        }
        out.nCacheHit = 0;
        return f;
    }

    /**
     * {@code ovs_flow_tbl_lookup_exact}: the flow identified by the unmasked key {@code key} (GET/DEL by
     * key, and NEW's duplicate check): for each mask, the flow the masked key finds, if it is identified
     * by its key and that key equals {@code key} from {@code flow_key_start} to the end of the match's
     * range. {@code mask} stands for the match: its range end is the kernel's {@code match->range.end}
     * (for GET/DEL the parsed exact mask spans exactly the key's range). A null {@code mask} compares
     * the whole key from {@code flow_key_start} on, which is the same for keys that are zero outside
     * their range, as parsed keys are.
     */
    public Flow lookupExact(FlowKey key, FlowMask mask) {
        return lookupExact(key, mask == null ? FlowKey.WORDS : mask.end());
    }

    /** {@link #lookupExact(FlowKey, FlowMask)} with the match's range end in words. */
    public Flow lookupExact(FlowKey key, int rangeEnd) {
        TableInstance t = ti;
        long[] k = key.words();
        for (FlowMask m : maskArray.masks) {
            Flow f = maskedLookup(t, k, m);
            if (f != null && f.unmaskedKey() != null
                    && unmaskedEquals(f.unmaskedKey(), key, keyStart(key), rangeEnd)) {
                return f;
            }
        }
        return null;
    }

    /** {@code flow_key_start}: the tunnel is compared only if the key has one. */
    static int keyStart(FlowKey key) {
        return key.tunProto() != 0 ? 0 : NO_TUNNEL_KEY_START;
    }

    private static boolean unmaskedEquals(FlowKey a, FlowKey b, int start, int end) {
        return start >= end || a.equalsRange(b, start, end);
    }

    /**
     * {@code ovs_flow_cmp}: whether {@code flow} is the one a request's match names — by masked key over
     * the match's range for a flow with a UFID, else by unmasked key.
     */
    public static boolean flowCmp(Flow flow, FlowKey matchKey, int rangeStart, int rangeEnd) {
        if (flow.hasUfid()) {
            return rangeStart >= rangeEnd || flow.key().equalsRange(matchKey, rangeStart, rangeEnd);
        }
        return unmaskedEquals(flow.unmaskedKey(), matchKey, keyStart(matchKey), rangeEnd);
    }

    /** {@code ovs_flow_tbl_lookup_ufid}: the flow with this UFID, or null. */
    public Flow lookupUfid(Ufid ufid) {
        TableInstance t = ufidTi;
        int hash = ufid.hashCode();
        for (TableInstance.Node n = t.head(t.bucketOf(hash)); n != null; n = n.nextAcquire()) {
            if (n.hash == hash && n.flow.ufidEquals(ufid)) {
                return n.flow;
            }
        }
        return null;
    }

    // ==== counts ========================================================================================

    /** {@code ovs_flow_tbl_count}. */
    public int count() {
        return count;
    }

    /** {@code ovs_flow_tbl_num_masks}. */
    public int maskCount() {
        return maskArray.count();
    }

    /** {@code ovs_flow_tbl_masks_cache_size}. */
    public int maskCacheSize() {
        return maskCache.size;
    }

    /** Buckets of the current flow instance (tests, diagnostics). */
    int bucketCount() {
        return ti.nBuckets();
    }

    /** Buckets of the current UFID instance (tests, diagnostics). */
    int ufidBucketCount() {
        return ufidTi.nBuckets();
    }

    /** The masks in current search order (a snapshot; for diagnostics and tests). */
    public java.util.List<FlowMask> masks() {
        return java.util.List.of(maskArray.masks);
    }

    // ==== writers (under lock) ==========================================================================

    /**
     * {@code ovs_flow_tbl_insert}: shares an equal mask already in the table (counting a reference) or
     * adds a copy of {@code mask}; sets the flow's mask and hash; links the flow into the buckets (and
     * the UFID index if it has a UFID); expands either bucket array once it holds more flows than
     * buckets. {@code flow.key()} must already be masked by {@code mask}.
     *
     * @throws IllegalStateException if the flow was ever inserted before
     */
    public void insert(Flow flow, FlowMask mask) {
        lock.lock();
        try {
            if (flow.mask != null) {
                throw new IllegalStateException("flow already inserted");
            }
            flow.mask = flowMaskInsert(mask);
            assert isMasked(flow.key(), flow.mask) : "flow key has bits outside its mask";
            flowKeyInsert(flow);
            if (flow.hasUfid()) {
                flowUfidInsert(flow);
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean isMasked(FlowKey key, FlowMask mask) {
        long[] k = key.words();
        long[] m = mask.key().words();
        for (int i = 0; i < k.length; i++) {
            if ((k[i] & ~m[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code flow_mask_insert}: the table's shared mask equal to {@code mask}. */
    private FlowMask flowMaskInsert(FlowMask mask) {
        MaskArray ma = maskArray;
        int i = ma.find(mask);
        if (i >= 0) {
            ma.refCounts[i]++;
            return ma.masks[i];
        }
        FlowMask copy = new FlowMask(mask.key()).kernelRange(mask.kernelRange()); // the table owns its masks: callers reuse theirs
        maskArray = ma.withAdded(copy, cpus); // volatile store publishes the new array and the copy
        return copy;
    }

    /** {@code flow_key_insert}. */
    private void flowKeyInsert(Flow flow) {
        FlowMask m = flow.mask;
        flow.hash = FlowHash.masked(flow.key().words(), m.key().words(), m.start(), m.end(), hashSeed);
        TableInstance t = ti;
        t.insert(flow.hash, flow); // release store: readers see the flow's mask and hash set above
        count++;
        long now = System.nanoTime();
        TableInstance nt = null;
        if (count > t.nBuckets()) {
            nt = t.rehash(t.nBuckets() * 2, ThreadLocalRandom.current().nextInt());
        } else if (now - lastRehash > REHASH_INTERVAL_NANOS) {
            nt = t.rehash(t.nBuckets(), ThreadLocalRandom.current().nextInt());
        }
        if (nt != null) {
            ti = nt; // volatile store: publishes the fully built instance
            lastRehash = now;
        }
    }

    /** {@code flow_ufid_insert}. */
    private void flowUfidInsert(Flow flow) {
        TableInstance t = ufidTi;
        t.insert(flow.ufidHash(), flow);
        ufidCount++;
        if (ufidCount > t.nBuckets()) {
            ufidTi = t.rehash(t.nBuckets() * 2, ThreadLocalRandom.current().nextInt());
        }
    }

    /**
     * {@code ovs_flow_tbl_remove}: unlinks the flow from the buckets and the UFID index, marks it removed
     * (dumps skip it) and drops its mask reference, removing the mask when its last flow goes. The flow
     * keeps its mask, key and stats for the delete reply.
     *
     * @throws IllegalStateException if the flow is not in the table
     */
    public void remove(Flow flow) {
        lock.lock();
        try {
            if (flow.mask == null || flow.removed || !ti.unlink(flow, flow.hash)) {
                throw new IllegalStateException("flow not in the table");
            }
            count--;
            if (flow.hasUfid()) {
                ufidTi.unlink(flow, flow.ufidHash());
                ufidCount--;
            }
            flow.removed = true;
            flowMaskRemove(flow.mask);
        } finally {
            lock.unlock();
        }
    }

    /** {@code flow_mask_remove}. */
    private void flowMaskRemove(FlowMask mask) {
        MaskArray ma = maskArray;
        int i = ma.indexOf(mask);
        if (i < 0) {
            throw new IllegalStateException("mask not in the table");
        }
        if (--ma.refCounts[i] == 0) {
            maskArray = ma.withRemoved(i, cpus);
        }
    }

    /**
     * {@code ovs_flow_tbl_flush}: publishes empty instances of the minimum size, marks every flow of the
     * old ones removed, and drops every mask. Readers still on the old instances finish there.
     */
    public void flush() {
        lock.lock();
        try {
            TableInstance old = ti;
            ti = newInstance(TableInstance.MIN_BUCKETS);
            ufidTi = newInstance(TableInstance.MIN_BUCKETS);
            lastRehash = System.nanoTime();
            old.forEachFlow(f -> f.removed = true);
            maskArray = MaskArray.empty(cpus);
            count = 0;
            ufidCount = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code ovs_flow_tbl_masks_cache_resize}: 0 if the size is unchanged or was changed, -EINVAL unless
     * {@code size} (a u32) is 0 or a power of two whose entries fit a per-cpu unit (at most 4096).
     */
    public int setMaskCacheSize(int size) {
        lock.lock();
        try {
            if (size == maskCache.size) {
                return 0;
            }
            if (!MaskCache.validSize(size)) {
                return -Errno.EINVAL;
            }
            maskCache = new MaskCache(size, cpus); // volatile store; the old cache is the GC's
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code ovs_flow_masks_rebalance}: re-sorts the masks by the hits counted since the last rebalance
     * (or since the last mask add/delete), most used first, and starts counting afresh. The datapath
     * calls it periodically (the kernel: every {@code DP_MASKS_REBALANCE_INTERVAL}, 4 s).
     */
    public void rebalanceMasks() {
        lock.lock();
        try {
            MaskArray sorted = maskArray.rebalanced(cpus);
            if (sorted != null) {
                maskArray = sorted;
            }
        } finally {
            lock.unlock();
        }
    }

    // ==== dump (lock-free) ==============================================================================

    /**
     * {@code ovs_flow_tbl_dump_next}: the next flow of the dump {@code cursor} stands in, or null when
     * the dump is complete. The first call pins the current instance; see {@link DumpCursor} for what a
     * dump sees of concurrent changes. Never locks, never allocates.
     */
    public Flow dumpNext(DumpCursor cursor) {
        TableInstance t = cursor.instance;
        if (t == null) {
            t = ti;
            cursor.instance = t;
        }
        cursor.save();
        int nb = t.nBuckets();
        while (cursor.bucket < nb) {
            TableInstance.Node n = cursor.last == null ? t.head(cursor.bucket) : cursor.last.nextAcquire();
            for (; n != null; n = n.nextAcquire()) {
                cursor.last = n;
                cursor.position++;
                if (!n.flow.removed) {
                    return n.flow;
                }
            }
            cursor.bucket++;
            cursor.position = 0;
            cursor.last = null;
        }
        return null;
    }

    /**
     * Touches what a dump will read of the flows in the buckets from {@code next} up to
     * {@code cursor.bucket + ahead}: the nodes, their flows, and what the dump reads beyond each flow
     * ({@code what}: {@link Flow#TOUCH_FLOW} for terse dumps, {@link Flow#TOUCH_CACHE} for match
     * caches, {@link Flow#TOUCH_KEY} for serializing; loads the dump does not need would only compete
     * for the core's outstanding-miss slots). A dump spends most of its time waiting for these dependent cache
     * misses one flow at a time; issuing the loads for flows some buckets ahead lets the CPU overlap
     * them with the work on the current one (memory-level parallelism: Java has no prefetch
     * instruction, but an out-of-order core runs independent loads ahead).
     *
     * @param next the first bucket not touched yet (what the previous call returned, or 0)
     * @return the first bucket not touched now; its low bits carry a value derived from the loads,
     *         which the caller must keep and pass back (so that none is optimised away)
     */
    public static long prefetch(DumpCursor cursor, long next, int ahead, int what) {
        TableInstance t = cursor.instance;
        if (t == null) {
            return next;
        }
        int b = Math.max((int) (next >>> 32), cursor.bucket + 1);
        int end = Math.min(cursor.bucket + ahead, t.nBuckets());
        int h = (int) next;
        for (; b < end; b++) {
            for (TableInstance.Node n = t.head(b); n != null; n = n.nextAcquire()) {
                h += n.flow.touch(what);
            }
        }
        return (long) b << 32 | (h & 0xffffffffL);
    }
}
