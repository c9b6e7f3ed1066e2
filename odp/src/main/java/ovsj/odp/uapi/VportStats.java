package ovsj.odp.uapi;

/**
 * {@code struct ovs_vport_stats}: payload of {@link VportAttr#STATS}. All fields are u64 in host
 * byte order.
 *
 * <pre>
 *         0                                     7
 *       +----+----+----+----+----+----+----+----+
 *     0 |           rx_packets (u64)            |
 *       +----+----+----+----+----+----+----+----+
 *     8 |           tx_packets (u64)            |
 *       +----+----+----+----+----+----+----+----+
 *    16 |            rx_bytes (u64)             |
 *       +----+----+----+----+----+----+----+----+
 *    24 |            tx_bytes (u64)             |
 *       +----+----+----+----+----+----+----+----+
 *    32 |            rx_errors (u64)            |
 *       +----+----+----+----+----+----+----+----+
 *    40 |            tx_errors (u64)            |
 *       +----+----+----+----+----+----+----+----+
 *    48 |           rx_dropped (u64)            |
 *       +----+----+----+----+----+----+----+----+
 *    56 |           tx_dropped (u64)            |
 *       +----+----+----+----+----+----+----+----+
 * </pre>
 *
 * <p>sizeof 64, alignment 8.
 */
public final class VportStats {

    private VportStats() {
    }

    /** u64, host order. */
    public static final int RX_PACKETS_OFFSET = 0;
    /** u64, host order. */
    public static final int TX_PACKETS_OFFSET = 8;
    /** u64, host order. */
    public static final int RX_BYTES_OFFSET = 16;
    /** u64, host order. */
    public static final int TX_BYTES_OFFSET = 24;
    /** u64, host order. */
    public static final int RX_ERRORS_OFFSET = 32;
    /** u64, host order. */
    public static final int TX_ERRORS_OFFSET = 40;
    /** u64, host order. */
    public static final int RX_DROPPED_OFFSET = 48;
    /** u64, host order. */
    public static final int TX_DROPPED_OFFSET = 56;

    /** {@code sizeof(struct ovs_vport_stats)}. */
    public static final int LENGTH = 64;
}
