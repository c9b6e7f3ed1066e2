package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_ct_tuple_ipv6}: payload of {@link KeyAttr#CT_ORIG_TUPLE_IPV6}, the
 * original-direction tuple of the tracked connection.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |                                   |
 *       +    ipv6_src (be32[4], 16 bytes)   +
 *   ... |                                   |
 *       +--------+--------+--------+--------+
 *    16 |                                   |
 *       +    ipv6_dst (be32[4], 16 bytes)   +
 *   ... |                                   |
 *       +--------+--------+--------+--------+
 *    32 | src_port (be16) | dst_port (be16) |
 *       +--------+--------+--------+--------+
 *    36 | proto  |     (tail padding)       |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>The fields end at byte 37; 4-byte alignment makes sizeof 40, the length the kernel expects.
 */
public final class KeyCtTupleIpv6 {

    private KeyCtTupleIpv6() {
    }

    /** 16 bytes, network order. */
    public static final int IPV6_SRC_OFFSET = 0;
    /** 16 bytes, network order. */
    public static final int IPV6_DST_OFFSET = 16;
    /** be16, network order. */
    public static final int SRC_PORT_OFFSET = 32;
    /** be16, network order. */
    public static final int DST_PORT_OFFSET = 34;
    /** u8: upper-layer protocol number. */
    public static final int IPV6_PROTO_OFFSET = 36;

    /** {@code sizeof(struct ovs_key_ct_tuple_ipv6)}, three bytes of tail padding included. */
    public static final int LENGTH = 40;
}
