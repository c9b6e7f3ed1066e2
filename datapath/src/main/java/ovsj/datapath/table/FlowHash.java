package ovsj.datapath.table;

/**
 * The table's hash functions. The kernel uses jhash2 over the masked key's range and jhash_1word to
 * pick a bucket with a per-instance seed; exact values never leave the table, so these are our own:
 * a multiply-rotate word mix (FxHash-like) finished by MurmurHash3's {@code fmix64}, and {@code fmix32}
 * for buckets. Everything is allocation-free and branch-free.
 */
final class FlowHash {
    private static final long K = 0x9E3779B97F4A7C15L;

    private FlowHash() {
    }

    /**
     * Hash of {@code key & mask} over the word range {@code [start, end)}, without materialising the
     * masked key (the kernel masks into a stack copy first; we fuse masking into hashing).
     */
    static int masked(long[] key, long[] mask, int start, int end, long seed) {
        long h = seed;
        for (int i = start; i < end; i++) {
            h = Long.rotateLeft((h ^ (key[i] & mask[i])) * K, 29);
        }
        return fold(fmix64(h ^ (end - start)));
    }

    /** {@code fmix64} from MurmurHash3: full avalanche of the accumulated words. */
    static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    static int fold(long h) {
        return (int) (h ^ (h >>> 32));
    }

    /** {@code fmix32}: spreads a flow hash xor an instance seed over the bucket bits. */
    static int fmix32(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** The kernel's {@code jhash_1word(a, b)} role: combine two 32-bit values into a hash. */
    static int oneWord(int a, int b) {
        return fold(fmix64(((long) a << 32) ^ (b & 0xffffffffL) ^ K));
    }
}
