package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_ipv4}: payload of {@link KeyAttr#IPV4}.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |          ipv4_src (be32)          |
 *       +--------+--------+--------+--------+
 *     4 |          ipv4_dst (be32)          |
 *       +--------+--------+--------+--------+
 *     8 | proto  |  tos   |  ttl   |  frag  |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 12, alignment 4, no padding.
 */
public final class KeyIpv4 {

    private KeyIpv4() {
    }

    /** be32, network order: source address. */
    public static final int IPV4_SRC_OFFSET = 0;
    /** be32, network order: destination address. */
    public static final int IPV4_DST_OFFSET = 4;
    /** u8: IP protocol number. */
    public static final int IPV4_PROTO_OFFSET = 8;
    /** u8: TOS byte (DSCP and ECN). */
    public static final int IPV4_TOS_OFFSET = 9;
    /** u8: time to live. */
    public static final int IPV4_TTL_OFFSET = 10;
    /** u8: {@link FragType} value. */
    public static final int IPV4_FRAG_OFFSET = 11;

    /** {@code sizeof(struct ovs_key_ipv4)}. */
    public static final int LENGTH = 12;
}
