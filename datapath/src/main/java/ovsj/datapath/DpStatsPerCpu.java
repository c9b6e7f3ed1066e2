package ovsj.datapath;

/**
 * A datapath's packet counters with one slot per forwarding thread ({@code struct dp_stats_percpu}):
 * each thread bumps only its own slot with plain stores, a read sums the slots. On a 64-bit JVM a long
 * store is never torn; a reader may miss the latest increments, as a kernel reader may.
 */
public final class DpStatsPerCpu {
    public static final int HIT = 0;
    public static final int MISSED = 1;
    public static final int LOST = 2;
    public static final int MASK_HIT = 3;
    public static final int CACHE_HIT = 4;
    /** Longs per slot: the five counters, padded to a cache line apart. */
    private static final int STRIDE = 8;

    private final long[] slots;

    public DpStatsPerCpu(int cpus) {
        this.slots = new long[Math.max(1, cpus) * STRIDE];
    }

    /** Forwarding thread {@code cpu} adds {@code delta} to counter {@code which}. */
    public void add(int cpu, int which, long delta) {
        slots[cpu * STRIDE + which] += delta;
    }

    public long sum(int which) {
        long s = 0;
        for (int b = which; b < slots.length; b += STRIDE) {
            s += slots[b];
        }
        return s;
    }
}
