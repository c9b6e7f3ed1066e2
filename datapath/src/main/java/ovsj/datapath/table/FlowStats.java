package ovsj.datapath.table;

/**
 * A flow's counters with one slot per forwarding thread ({@code struct flow_stats} per CPU): a thread
 * writes only its own slot with plain stores, so the hit path never contends; a read sums the slots
 * (packets, bytes, tcp_flags OR-ed, the latest {@code used}). Readers may see a slot mid-update; like
 * the kernel's, totals are eventually exact, never torn per field.
 *
 * <p>Slot 0 lives in fields of this object, and {@link Flow} extends it, so the counters of the first
 * forwarding thread sit in the flow itself: a dump that reads a million flows' stats follows no
 * extra pointer per flow (at that scale a dump is bound by dependent memory loads). Further slots
 * are in one array.
 */
public class FlowStats {
    /** Longs per extra slot: packets, bytes, used, tcpFlags, padded apart. */
    private static final int STRIDE = 8;

    private long packets0;
    private long bytes0;
    private long used0;
    private long tcpFlags0;
    /** Slots 1..cpus-1, or null with one forwarding thread. */
    private final long[] more;

    protected FlowStats(int cpus) {
        this.more = cpus > 1 ? new long[(cpus - 1) * STRIDE] : null;
    }

    /** Loads of the counters' lines, slot 0 and the others' array (a dump's look-ahead; see
     * {@code FlowTable.prefetch}). */
    final long touchStats() {
        long[] m = more;
        return m == null ? used0 : used0 + m[m.length - 1];
    }

    /** The forwarding thread {@code cpu} counted one packet. */
    public final void update(int cpu, int bytes, int tcpFlags, long nowMs) {
        if (cpu == 0) {
            packets0++;
            bytes0 += bytes;
            used0 = nowMs;
            tcpFlags0 |= tcpFlags;
            return;
        }
        int b = (cpu - 1) * STRIDE;
        more[b]++;
        more[b + 1] += bytes;
        more[b + 2] = nowMs;
        more[b + 3] |= tcpFlags;
    }

    /** Sums the slots into {@code out}: [packets, bytes, used (ms, 0 = never), tcp_flags]. */
    public final void read(long[] out) {
        long packets = packets0;
        long bytes = bytes0;
        long used = used0;
        long flags = tcpFlags0;
        if (more != null) {
            for (int b = 0; b < more.length; b += STRIDE) {
                packets += more[b];
                bytes += more[b + 1];
                used = Math.max(used, more[b + 2]);
                flags |= more[b + 3];
            }
        }
        out[0] = packets;
        out[1] = bytes;
        out[2] = used;
        out[3] = flags;
    }

    /** {@code ovs_flow_stats_clear}. */
    public final void clear() {
        packets0 = 0;
        bytes0 = 0;
        used0 = 0;
        tcpFlags0 = 0;
        if (more != null) {
            java.util.Arrays.fill(more, 0L);
        }
    }
}
