package ovsj.odp.uapi;

/**
 * {@code struct ovs_flow_stats}: payload of {@link FlowAttr#STATS}, {@link MeterAttr#STATS} and
 * {@link BandAttr#STATS}. Both fields are u64 in host byte order.
 *
 * <pre>
 *         0                                     7
 *       +----+----+----+----+----+----+----+----+
 *     0 |            n_packets (u64)            |
 *       +----+----+----+----+----+----+----+----+
 *     8 |             n_bytes (u64)             |
 *       +----+----+----+----+----+----+----+----+
 * </pre>
 *
 * <p>sizeof 16, alignment 8.
 */
public final class FlowStats {

    private FlowStats() {
    }

    /** u64, host order. */
    public static final int N_PACKETS_OFFSET = 0;
    /** u64, host order. */
    public static final int N_BYTES_OFFSET = 8;

    /** {@code sizeof(struct ovs_flow_stats)}. */
    public static final int LENGTH = 16;
}
