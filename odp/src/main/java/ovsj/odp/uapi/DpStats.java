package ovsj.odp.uapi;

/**
 * {@code struct ovs_dp_stats}: payload of {@link DpAttr#STATS}. All fields are u64 in host byte
 * order.
 *
 * <pre>
 *         0                                     7
 *       +----+----+----+----+----+----+----+----+
 *     0 |             n_hit (u64)               |
 *       +----+----+----+----+----+----+----+----+
 *     8 |            n_missed (u64)             |
 *       +----+----+----+----+----+----+----+----+
 *    16 |             n_lost (u64)              |
 *       +----+----+----+----+----+----+----+----+
 *    24 |             n_flows (u64)             |
 *       +----+----+----+----+----+----+----+----+
 * </pre>
 *
 * <p>sizeof 32, alignment 8.
 */
public final class DpStats {

    private DpStats() {
    }

    /** u64, host order: packets that matched a flow. */
    public static final int N_HIT_OFFSET = 0;
    /** u64, host order: packets that matched no flow (upcalls attempted). */
    public static final int N_MISSED_OFFSET = 8;
    /** u64, host order: missed packets that could not be queued to userspace. */
    public static final int N_LOST_OFFSET = 16;
    /** u64, host order: flows currently installed. */
    public static final int N_FLOWS_OFFSET = 24;

    /** {@code sizeof(struct ovs_dp_stats)}. */
    public static final int LENGTH = 32;
}
