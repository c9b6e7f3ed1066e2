package ovsj.datapath.table;

/**
 * A flow's counters with one slot per forwarding thread ({@code struct flow_stats} per CPU): a thread
 * writes only its own slot with plain stores, so the hit path never contends; a read sums the slots
 * (packets, bytes, tcp_flags OR-ed, the latest {@code used}). Readers may see a slot mid-update; like
 * the kernel's, totals are eventually exact, never torn per field.
 */
public final class FlowStats {
    /** Slot stride in longs: packets, bytes, used, tcpFlags, then padding to keep slots apart. */
    private static final int STRIDE = 8;
    private static final int PACKETS = 0;
    private static final int BYTES = 1;
    private static final int USED = 2;
    private static final int TCP_FLAGS = 3;

    private final long[] slots;

    public FlowStats(int cpus) {
        this.slots = new long[Math.max(1, cpus) * STRIDE];
    }

    /** The forwarding thread {@code cpu} counted one packet. */
    public void update(int cpu, int bytes, int tcpFlags, long nowMs) {
        int b = cpu * STRIDE;
        slots[b + PACKETS]++;
        slots[b + BYTES] += bytes;
        slots[b + USED] = nowMs;
        slots[b + TCP_FLAGS] |= tcpFlags;
    }

    /** Sums the slots into {@code out}: [packets, bytes, used (ms, 0 = never), tcp_flags]. */
    public void read(long[] out) {
        long packets = 0;
        long bytes = 0;
        long used = 0;
        long flags = 0;
        for (int b = 0; b < slots.length; b += STRIDE) {
            packets += slots[b + PACKETS];
            bytes += slots[b + BYTES];
            used = Math.max(used, slots[b + USED]);
            flags |= slots[b + TCP_FLAGS];
        }
        out[0] = packets;
        out[1] = bytes;
        out[2] = used;
        out[3] = flags;
    }

    /** {@code ovs_flow_stats_clear}. */
    public void clear() {
        java.util.Arrays.fill(slots, 0L);
    }
}
