package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_nd}: payload of {@link KeyAttr#ND} (IPv6 neighbour discovery).
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |                                   |
 *       +   nd_target (be32[4], 16 bytes)   +
 *   ... |                                   |
 *       +--------+--------+--------+--------+
 *    16 |          nd_sll (6 bytes) ...     |
 *       +                 +--------+--------+
 *    20 |     ... nd_sll  |  nd_tll ...     |
 *       +--------+--------+                 +
 *    24 |        ... nd_tll (6 bytes)       |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 28, alignment 4, no padding.
 */
public final class KeyNd {

    private KeyNd() {
    }

    /** 16 bytes, network order: target address. */
    public static final int ND_TARGET_OFFSET = 0;
    /** Source link-layer address option, 6 bytes. */
    public static final int ND_SLL_OFFSET = 16;
    /** Target link-layer address option, 6 bytes. */
    public static final int ND_TLL_OFFSET = 22;
    /** Length of each link-layer address field. */
    public static final int ND_LL_LENGTH = 6;

    /** {@code sizeof(struct ovs_key_nd)}. */
    public static final int LENGTH = 28;
}
