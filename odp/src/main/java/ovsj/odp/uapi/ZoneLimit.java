package ovsj.odp.uapi;

/**
 * {@code struct ovs_zone_limit}: one element of {@link CtLimitAttr#ZONE_LIMIT}. All fields are
 * host byte order.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |           zone_id (int)           |
 *       +--------+--------+--------+--------+
 *     4 |            limit (u32)            |
 *       +--------+--------+--------+--------+
 *     8 |            count (u32)            |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 12, alignment 4.
 */
public final class ZoneLimit {

    private ZoneLimit() {
    }

    /** Signed 32-bit zone id, host order; {@link #DEFAULT_ZONE} addresses the default limit. */
    public static final int ZONE_ID_OFFSET = 0;
    /** u32, host order: connection limit (0 = unlimited). */
    public static final int LIMIT_OFFSET = 4;
    /** u32, host order: connections currently counted (replies only). */
    public static final int COUNT_OFFSET = 8;

    /** {@code sizeof(struct ovs_zone_limit)}. */
    public static final int LENGTH = 12;

    /** {@code OVS_ZONE_LIMIT_DEFAULT_ZONE}: zone id that stands for "every zone without its own limit". */
    public static final int DEFAULT_ZONE = -1;
}
