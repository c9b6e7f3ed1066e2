package ovsj.vswitchd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;

import ovsj.odp.Ufid;

/**
 * The ukeys of one datapath, by UFID: the twin of OVS's {@code udpif->ukeys}, an array of
 * {@link #N_UMAPS} maps ("umaps"), each with its own writer lock. A UFID's shard is
 * {@code hash % shards} where the hash is the UFID's first 32 bits (OVS's {@code get_ufid_hash}), so
 * that revalidator {@code i} of {@code n} sweeps the shards {@code i, i+n, i+2n, ...}
 * ({@link #forEachInSlice}).
 *
 * <p>Each shard is an open-addressing table (linear probing, tombstones, grown by rehashing into new
 * arrays) whose slots hold the ukeys themselves; a UFID is compared as two packed longs, so a lookup
 * touches the slot arrays and the ukey, and allocates nothing ({@link #find(byte[], int, int)} reads the
 * UFID straight from a dump message). Lookups do not lock: they read optimistically and re-read under
 * the shard's read lock only if a writer got in the way (a {@link StampedLock}); installs and removals
 * take the shard's write lock. Iteration reads the shard's current arrays without locking: a ukey
 * present throughout is visited once, one added or removed meanwhile may or may not be.
 *
 * <p>Thread-safe. Ukeys in the map are in state {@code VISIBLE} to {@code EVICTED}; removal moves them to
 * {@code DELETED}.
 */
public final class UkeyMap {
    /** {@code N_UMAPS}: shards per datapath. */
    public static final int N_UMAPS = 512;

    private static final int MIN_CAPACITY = 8;
    /** Marks a removed slot (a probe goes on past it). */
    private static final Ukey TOMBSTONE = new Ukey(Ufid.of(new byte[] {0}, 0, 1), null, null, null, 0, 0, null);

    /** One table generation: never modified once replaced. */
    private static final class Table {
        final int[] hashes;
        final Ukey[] slots;
        final int mask;

        Table(int capacity) {
            hashes = new int[capacity];
            slots = new Ukey[capacity];
            mask = capacity - 1;
        }
    }

    private static final class Umap {
        final StampedLock lock = new StampedLock();
        volatile Table table = new Table(MIN_CAPACITY);
        volatile int live;
        int used; // live + tombstones, under the write lock
    }

    private final Umap[] umaps;
    private final LongAdder size = new LongAdder();
    private final Coverage.Counter duplicates;
    private final Coverage.Counter replaced;

    /** A map of {@link #N_UMAPS} shards, counting in {@link Coverage#GLOBAL}. */
    public UkeyMap() {
        this(N_UMAPS, Coverage.GLOBAL);
    }

    /** A map of {@code shards} shards (at least 1), counting in {@link Coverage#GLOBAL}. */
    public UkeyMap(int shards) {
        this(shards, Coverage.GLOBAL);
    }

    /**
     * A map of {@code shards} shards (at least 1) whose install refusals and replacements count in
     * {@code coverage} ({@code handler_duplicate_upcall}, {@code upcall_ukey_replace}).
     */
    public UkeyMap(int shards, Coverage coverage) {
        duplicates = coverage.counter("handler_duplicate_upcall");
        replaced = coverage.counter("upcall_ukey_replace");
        if (shards < 1) {
            throw new IllegalArgumentException("shards " + shards);
        }
        umaps = new Umap[shards];
        for (int i = 0; i < shards; i++) {
            umaps[i] = new Umap();
        }
    }

    /** Number of shards. */
    public int shards() {
        return umaps.length;
    }

    /** {@code get_ufid_hash}: the UFID's first four bytes, little-endian (as OVS reads {@code u32[0]}). */
    public static int ufidHash(Ufid ufid) {
        int h = 0;
        int n = Math.min(4, ufid.length());
        for (int i = 0; i < n; i++) {
            h |= (ufid.byteAt(i) & 0xff) << (8 * i);
        }
        return h;
    }

    /** The shard of {@code ufid}. */
    public int shardOf(Ufid ufid) {
        return Integer.remainderUnsigned(ufidHash(ufid), umaps.length);
    }

    private int shardOf(long hi) {
        return Integer.remainderUnsigned((int) hi, umaps.length);
    }

    /** The in-shard hash: every bit of the UFID mixed (the shard fixed the low bits of the first word). */
    private static int mix(long hi, long lo, int len) {
        long x = hi * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(lo * 0xC2B2AE3D27D4EB4FL, 31) ^ len;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        return (int) (x ^ (x >>> 32));
    }

    /** {@code ukey_lookup}: the ukey of {@code ufid}, or null. Never blocks unless a writer interferes. */
    public Ukey find(Ufid ufid) {
        byte[] b = ufid.toByteArray();
        return find(b, 0, b.length);
    }

    /** The ukey whose UFID is {@code buf[off, off+len)}, or null; allocates nothing. */
    public Ukey find(byte[] buf, int off, int len) {
        if (!Ufid.isValidLength(len)) {
            return null;
        }
        long hi = Ukey.packHi(buf, off, len);
        long lo = Ukey.packLo(buf, off, len);
        Umap u = umaps[shardOf(hi)];
        int h = mix(hi, lo, len);
        long stamp = u.lock.tryOptimisticRead();
        Ukey r = probe(u.table, h, hi, lo, len);
        if (!u.lock.validate(stamp)) {
            stamp = u.lock.readLock();
            try {
                r = probe(u.table, h, hi, lo, len);
            } finally {
                u.lock.unlockRead(stamp);
            }
        }
        return r;
    }

    /** Scratch space of {@link #findAll}: one per thread, reused. */
    public static final class Lookup {
        final long[] hi;
        final long[] lo;
        final int[] hash;
        final long[] stamp;
        final Umap[] umap;
        final Table[] table;
        final Ukey[] cand;

        /** Room for batches of up to {@code max} UFIDs. */
        public Lookup(int max) {
            hi = new long[max];
            lo = new long[max];
            hash = new int[max];
            stamp = new long[max];
            umap = new Umap[max];
            table = new Table[max];
            cand = new Ukey[max];
        }
    }

    /**
     * Looks up {@code n} UFIDs at once, {@code buf[offs[i], offs[i] + lens[i])} (a negative offset: none),
     * into {@code out[i]}. Same answers as {@link #find(byte[], int, int)}, but in stages that each
     * touch every UFID's memory before the next stage needs it (first slots, then the ukeys in them), so
     * that the cache misses of a batch overlap rather than follow one another.
     */
    public void findAll(byte[] buf, int[] offs, int[] lens, int n, Ukey[] out, Lookup l) {
        for (int i = 0; i < n; i++) {
            int len = lens[i];
            if (offs[i] < 0 || !Ufid.isValidLength(len)) {
                l.umap[i] = null;
                continue;
            }
            long hi = Ukey.packHi(buf, offs[i], len);
            long lo = Ukey.packLo(buf, offs[i], len);
            Umap u = umaps[shardOf(hi)];
            l.hi[i] = hi;
            l.lo[i] = lo;
            l.hash[i] = mix(hi, lo, len);
            l.umap[i] = u;
            l.stamp[i] = u.lock.tryOptimisticRead();
            l.table[i] = u.table;
        }
        for (int i = 0; i < n; i++) {
            Table t = l.table[i];
            if (l.umap[i] != null) {
                int j = l.hash[i] & t.mask;
                l.cand[i] = t.slots[j]; // not hashes[j]: one miss fewer, the UFID compare decides
            }
        }
        for (int i = 0; i < n; i++) {
            Ukey c = l.cand[i];
            Ukey r = null;
            if (l.umap[i] != null && c != null) {
                if (c != TOMBSTONE && c.ufidEquals(l.hi[i], l.lo[i], lens[i])) {
                    r = c;
                } else {
                    r = probe(l.table[i], l.hash[i], l.hi[i], l.lo[i], lens[i]); // on past a collision
                }
            }
            out[i] = r;
            l.cand[i] = null;
            l.table[i] = null;
        }
        // Validation last: its fence waits for every load before it, so one wait covers the batch.
        for (int i = 0; i < n; i++) {
            Umap u = l.umap[i];
            if (u != null && !u.lock.validate(l.stamp[i])) {
                out[i] = find(buf, offs[i], lens[i]);
            }
            l.umap[i] = null;
        }
    }

    private static Ukey probe(Table t, int h, long hi, long lo, int len) {
        int i = h & t.mask;
        for (int n = 0; n <= t.mask; n++, i = (i + 1) & t.mask) {
            Ukey v = t.slots[i];
            if (v == null) {
                return null;
            }
            if (t.hashes[i] == h && v != TOMBSTONE && v.ufidEquals(hi, lo, len)) {
                return v;
            }
        }
        return null;
    }

    /** The slot of {@code k}'s UFID in {@code t}, or -1; under the write lock. */
    private static int slotOf(Table t, int h, Ukey k) {
        int i = h & t.mask;
        for (int n = 0; n <= t.mask; n++, i = (i + 1) & t.mask) {
            Ukey v = t.slots[i];
            if (v == null) {
                return -1;
            }
            if (t.hashes[i] == h && v != TOMBSTONE && v.ufidEquals(k.ufidHi, k.ufidLo, k.ufidLen)) {
                return i;
            }
        }
        return -1;
    }

    /** Puts {@code k} (not present) in a free slot; under the write lock. */
    private static void insert(Umap u, int h, Ukey k) {
        Table t = u.table;
        if ((u.used + 1) * 4L > t.slots.length * 3L) {
            t = rehash(u, t);
        }
        int i = h & t.mask;
        while (t.slots[i] != null && t.slots[i] != TOMBSTONE) {
            i = (i + 1) & t.mask;
        }
        if (t.slots[i] == null) {
            u.used++;
        }
        t.hashes[i] = h;
        t.slots[i] = k;
        u.live++;
    }

    /** Copies the live ukeys into a table where they fill at most a quarter; publishes it. */
    private static Table rehash(Umap u, Table old) {
        int cap = MIN_CAPACITY;
        while (cap < (u.live + 1) * 4L) {
            cap <<= 1;
        }
        Table t = new Table(cap);
        for (int j = 0; j < old.slots.length; j++) {
            Ukey v = old.slots[j];
            if (v != null && v != TOMBSTONE) {
                int i = old.hashes[j] & t.mask;
                while (t.slots[i] != null) {
                    i = (i + 1) & t.mask;
                }
                t.hashes[i] = old.hashes[j];
                t.slots[i] = v;
            }
        }
        u.used = u.live;
        u.table = t;
        return t;
    }

    /**
     * {@code ukey_install}: puts {@code ukey} (state {@code CREATED}) in its shard and makes it
     * {@code VISIBLE}. Returns false, leaving the map and {@code ukey} unchanged, if a ukey with the
     * same UFID is there already (a duplicate upcall: {@code handler_duplicate_upcall}), unless that one
     * is {@code EVICTED}, has the same key and can be locked at once: then it is replaced (removed,
     * {@code DELETED}) by {@code ukey}, as OVS's {@code try_ukey_replace} does.
     */
    public boolean install(Ukey ukey) {
        ukey.lock();
        try {
            if (ukey.state() != Ukey.State.CREATED) {
                throw new IllegalStateException("install of " + ukey);
            }
            // Not yet visible to other threads: no lock-order concern.
            ukey.transition(Ukey.State.VISIBLE);
        } finally {
            ukey.unlock();
        }
        Umap u = umaps[shardOf(ukey.ufidHi)];
        int h = mix(ukey.ufidHi, ukey.ufidLo, ukey.ufidLen);
        long stamp = u.lock.writeLock();
        try {
            Table t = u.table;
            int i = slotOf(t, h, ukey);
            if (i >= 0) {
                Ukey old = t.slots[i];
                if (old.tryLock()) {
                    try {
                        if (old.state() == Ukey.State.EVICTED && Arrays.equals(old.key(), ukey.key())) {
                            old.transition(Ukey.State.DELETED);
                            t.slots[i] = ukey;
                            replaced.inc();
                            return true;
                        }
                    } finally {
                        old.unlock();
                    }
                }
                duplicates.inc();
                ukey.markCreated();
                return false;
            }
            insert(u, h, ukey);
            size.increment();
            return true;
        } finally {
            u.lock.unlockWrite(stamp);
        }
    }

    /**
     * {@code ukey_delete}: removes {@code ukey} if it is the one mapped for its UFID, and moves it to
     * {@code DELETED}. Takes the shard's lock, then (after releasing it) the ukey's: the caller may hold
     * the ukey's lock. Returns whether it was removed.
     */
    public boolean remove(Ukey ukey) {
        Umap u = umaps[shardOf(ukey.ufidHi)];
        int h = mix(ukey.ufidHi, ukey.ufidLo, ukey.ufidLen);
        long stamp = u.lock.writeLock();
        try {
            Table t = u.table;
            int i = slotOf(t, h, ukey);
            if (i < 0 || t.slots[i] != ukey) {
                return false;
            }
            t.slots[i] = TOMBSTONE;
            u.live--;
            size.decrement();
            if (u.live * 8L < t.slots.length && t.slots.length > MIN_CAPACITY) {
                rehash(u, t);
            }
        } finally {
            u.lock.unlockWrite(stamp);
        }
        // Lock order is ukey before shard (a revalidator removes what it holds), so the state changes
        // after the shard lock is released.
        ukey.lock();
        try {
            ukey.markDeleted();
        } finally {
            ukey.unlock();
        }
        return true;
    }

    /** Number of ukeys in the map. */
    public int size() {
        return (int) size.sum();
    }

    /** Number of ukeys in shard {@code i}. */
    public int shardSize(int i) {
        return umaps[i].live;
    }

    /**
     * Number of ukeys in the shards {@code slice, slice+stride, ...}: what revalidator {@code slice} of
     * {@code stride} owns ({@code upcall/show}'s "keys").
     */
    public int sliceSize(int slice, int stride) {
        int n = 0;
        for (int i = slice; i < umaps.length; i += stride) {
            n += umaps[i].live;
        }
        return n;
    }

    /** Visits the ukeys of shard {@code i} (weakly consistent, see the class comment). */
    public void forEachInShard(int i, Consumer<Ukey> action) {
        Table t = umaps[i].table;
        for (Ukey v : t.slots) {
            if (v != null && v != TOMBSTONE) {
                action.accept(v);
            }
        }
    }

    /**
     * The slots of shard {@code i} as they are now (never modified once a rehash replaces them): live
     * ukeys, nulls and removed marks ({@link #isLive} tells). For sweeps without a copy.
     */
    Ukey[] slots(int i) {
        return umaps[i].table.slots;
    }

    /** Whether a slot of {@link #slots} holds a ukey. */
    static boolean isLive(Ukey v) {
        return v != null && v != TOMBSTONE;
    }

    /** A snapshot of the ukeys of shard {@code i}, into {@code out} (cleared first). */
    public void shardSnapshot(int i, List<Ukey> out) {
        out.clear();
        forEachInShard(i, out::add);
    }

    /** Visits every ukey of the shards {@code slice, slice+stride, ...} (weakly consistent). */
    public void forEachInSlice(int slice, int stride, Consumer<Ukey> action) {
        for (int i = slice; i < umaps.length; i += stride) {
            forEachInShard(i, action);
        }
    }

    /** Visits every ukey (weakly consistent). */
    public void forEach(Consumer<Ukey> action) {
        forEachInSlice(0, 1, action);
    }

    /** A snapshot list of every ukey. */
    public List<Ukey> snapshot() {
        List<Ukey> out = new ArrayList<>(size());
        forEach(out::add);
        return out;
    }

    /**
     * Installs refused because the UFID was present ({@code handler_duplicate_upcall}; the coverage
     * counter's total, shared by every map counting in the same {@link Coverage}).
     */
    public long duplicateInstalls() {
        return duplicates.total();
    }

    /** Evicted ukeys replaced by a new install ({@code upcall_ukey_replace}). */
    public long replacedInstalls() {
        return replaced.total();
    }
}
