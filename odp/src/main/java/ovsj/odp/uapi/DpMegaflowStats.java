package ovsj.odp.uapi;

/**
 * {@code struct ovs_dp_megaflow_stats}: payload of {@link DpAttr#MEGAFLOW_STATS}. All fields are
 * host byte order.
 *
 * <pre>
 *         0                                     7
 *       +----+----+----+----+----+----+----+----+
 *     0 |           n_mask_hit (u64)            |
 *       +----+----+----+----+----+----+----+----+
 *     8 |   n_masks (u32)   |    pad0 (u32)     |
 *       +----+----+----+----+----+----+----+----+
 *    16 |           n_cache_hit (u64)           |
 *       +----+----+----+----+----+----+----+----+
 *    24 |              pad1 (u64)               |
 *       +----+----+----+----+----+----+----+----+
 * </pre>
 *
 * <p>sizeof 32, alignment 8.
 */
public final class DpMegaflowStats {

    private DpMegaflowStats() {
    }

    /** u64, host order: masks examined over all lookups. */
    public static final int N_MASK_HIT_OFFSET = 0;
    /** u32, host order: masks currently in the datapath. */
    public static final int N_MASKS_OFFSET = 8;
    /** u32 reserved padding. */
    public static final int PAD0_OFFSET = 12;
    /** u64, host order: lookups answered by the per-CPU mask cache. */
    public static final int N_CACHE_HIT_OFFSET = 16;
    /** u64 reserved padding. */
    public static final int PAD1_OFFSET = 24;

    /** {@code sizeof(struct ovs_dp_megaflow_stats)}. */
    public static final int LENGTH = 32;
}
