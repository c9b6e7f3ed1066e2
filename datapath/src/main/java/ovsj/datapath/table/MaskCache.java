package ovsj.datapath.table;

/**
 * The per-cpu mask cache ({@code struct mask_cache}): for each forwarding thread, {@code size} entries
 * mapping a packet hash to the index of the mask that last matched it. An entry is a long,
 * {@code skb_hash << 32 | mask_index} ({@code struct mask_cache_entry}, 8 bytes). Each row is owned by
 * one forwarding thread, which reads and writes it with plain accesses (the kernel's per-cpu data with
 * bottom halves disabled); a resize publishes a whole new cache and never touches the old one.
 */
final class MaskCache {
    /** {@code MC_DEFAULT_HASH_ENTRIES}. */
    static final int DEFAULT_ENTRIES = 256;
    /** {@code PCPU_MIN_UNIT_SIZE / sizeof(struct mask_cache_entry)} = 32 KiB / 8. */
    static final int MAX_ENTRIES = (32 << 10) / 8;
    /** {@code MC_HASH_SHIFT}. */
    static final int HASH_SHIFT = 8;
    /** {@code MC_HASH_SEGS}: 32 / 8 probes per lookup. */
    static final int HASH_SEGS = 32 / HASH_SHIFT;

    final int size;
    /** {@code entries[cpu][i]}; empty when {@code size} is 0. */
    final long[][] entries;

    MaskCache(int size, int cpus) {
        this.size = size;
        this.entries = new long[size == 0 ? 0 : cpus][size];
    }

    /** The kernel's rule in {@code tbl_mask_cache_alloc}: 0, or a power of two within a per-cpu unit. */
    static boolean validSize(int size) {
        long u = Integer.toUnsignedLong(size);
        return (u == 0 || Long.bitCount(u) == 1) && u * 8 <= (32 << 10);
    }

    static long entry(int skbHash, int maskIndex) {
        return ((long) skbHash << 32) | (maskIndex & 0xffffffffL);
    }

    static int entryHash(long e) {
        return (int) (e >>> 32);
    }

    static int entryIndex(long e) {
        return (int) e;
    }
}
