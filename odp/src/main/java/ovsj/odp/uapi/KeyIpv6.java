package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_ipv6}: payload of {@link KeyAttr#IPV6}.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |                                   |
 *       +     ipv6_src (be32[4], 16 bytes)  +
 *   ... |                                   |
 *       +--------+--------+--------+--------+
 *    16 |                                   |
 *       +     ipv6_dst (be32[4], 16 bytes)  +
 *   ... |                                   |
 *       +--------+--------+--------+--------+
 *    32 |         ipv6_label (be32)         |
 *       +--------+--------+--------+--------+
 *    36 | proto  | tclass | hlimit |  frag  |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 40, alignment 4, no padding.
 */
public final class KeyIpv6 {

    private KeyIpv6() {
    }

    /** 16 bytes, network order: source address. */
    public static final int IPV6_SRC_OFFSET = 0;
    /** 16 bytes, network order: destination address. */
    public static final int IPV6_DST_OFFSET = 16;
    /** Length of each address field. */
    public static final int IPV6_ADDR_LENGTH = 16;
    /** be32, network order: flow label in the low 20 bits. */
    public static final int IPV6_LABEL_OFFSET = 32;
    /** u8: next header / upper-layer protocol. */
    public static final int IPV6_PROTO_OFFSET = 36;
    /** u8: traffic class. */
    public static final int IPV6_TCLASS_OFFSET = 37;
    /** u8: hop limit. */
    public static final int IPV6_HLIMIT_OFFSET = 38;
    /** u8: {@link FragType} value. */
    public static final int IPV6_FRAG_OFFSET = 39;

    /** {@code sizeof(struct ovs_key_ipv6)}. */
    public static final int LENGTH = 40;
}
