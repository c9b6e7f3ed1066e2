package ovsj.vswitchd;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import ovsj.odp.Ufid;

/**
 * The ukeys of one datapath, by UFID: the twin of OVS's {@code udpif->ukeys}, an array of
 * {@link #N_UMAPS} maps ("umaps"), each with its own writer lock. Lookups never lock; installs and
 * removals take the shard's lock. A UFID's shard is {@code hash(ufid) % shards} where the hash is the
 * UFID's first 32 bits (OVS's {@code get_ufid_hash}), so that revalidator {@code i} of {@code n} can
 * sweep the shards {@code i, i+n, i+2n, ...} ({@link #forEachInSlice}).
 *
 * <p>Thread-safe. Ukeys in the map are in state {@code VISIBLE} to {@code EVICTED}; removal moves them to
 * {@code DELETED}.
 */
public final class UkeyMap {
    /** {@code N_UMAPS}: shards per datapath. */
    public static final int N_UMAPS = 512;

    private static final class Umap {
        final ReentrantLock mutex = new ReentrantLock();
        final ConcurrentHashMap<Ufid, Ukey> map = new ConcurrentHashMap<>();
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

    /** {@code ukey_lookup}: the ukey of {@code ufid}, or null. Never locks. */
    public Ukey find(Ufid ufid) {
        return umaps[shardOf(ufid)].map.get(ufid);
    }

    /**
     * {@code ukey_install}: puts {@code ukey} (state {@code CREATED}) in its shard and makes it
     * {@code VISIBLE}. Returns false, leaving the map and {@code ukey} unchanged, if a ukey with the
     * same UFID is there already (a duplicate upcall: {@code handler_duplicate_upcall}), unless that one
     * is {@code EVICTED}, has the same key and can be locked at once: then it is replaced (removed, {@code DELETED}) by
     * {@code ukey}, as OVS's {@code try_ukey_replace} does.
     */
    public boolean install(Ukey ukey) {
        ukey.lock();
        try {
            if (ukey.state() != Ukey.State.CREATED) {
                throw new IllegalStateException("install of " + ukey);
            }
        } finally {
            ukey.unlock();
        }
        Umap u = umaps[shardOf(ukey.ufid())];
        Ukey old;
        u.mutex.lock();
        try {
            old = u.map.get(ukey.ufid());
            if (old != null) {
                if (!old.tryLock()) {
                    duplicates.inc();
                    return false;
                }
                try {
                    if (old.state() != Ukey.State.EVICTED
                            || !java.util.Arrays.equals(old.key(), ukey.key())) {
                        duplicates.inc();
                        return false;
                    }
                    old.transition(Ukey.State.DELETED);
                } finally {
                    old.unlock();
                }
                replaced.inc();
            } else {
                size.increment();
            }
            // Not yet visible to other threads: no lock-order concern.
            ukey.lock();
            try {
                ukey.transition(Ukey.State.VISIBLE);
            } finally {
                ukey.unlock();
            }
            u.map.put(ukey.ufid(), ukey);
            return true;
        } finally {
            u.mutex.unlock();
        }
    }

    /**
     * {@code ukey_delete}: removes {@code ukey} if it is the one mapped for its UFID, and moves it to
     * {@code DELETED}. Takes the shard's lock, then (after releasing it) the ukey's: the caller may hold
     * the ukey's lock. Returns whether it was removed.
     */
    public boolean remove(Ukey ukey) {
        Umap u = umaps[shardOf(ukey.ufid())];
        u.mutex.lock();
        try {
            if (!u.map.remove(ukey.ufid(), ukey)) {
                return false;
            }
            size.decrement();
        } finally {
            u.mutex.unlock();
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
        return umaps[i].map.size();
    }

    /**
     * Number of ukeys in the shards {@code slice, slice+stride, ...}: what revalidator {@code slice} of
     * {@code stride} owns ({@code upcall/show}'s "keys").
     */
    public int sliceSize(int slice, int stride) {
        int n = 0;
        for (int i = slice; i < umaps.length; i += stride) {
            n += umaps[i].map.size();
        }
        return n;
    }

    /** A live, weakly consistent view of shard {@code i}. */
    public Collection<Ukey> shard(int i) {
        return umaps[i].map.values();
    }

    /** Visits every ukey of the shards {@code slice, slice+stride, ...} (weakly consistent). */
    public void forEachInSlice(int slice, int stride, Consumer<Ukey> action) {
        for (int i = slice; i < umaps.length; i += stride) {
            umaps[i].map.values().forEach(action);
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
