package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_ct_tuple_ipv4}: payload of {@link KeyAttr#CT_ORIG_TUPLE_IPV4}, the
 * original-direction tuple of the tracked connection.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |          ipv4_src (be32)          |
 *       +--------+--------+--------+--------+
 *     4 |          ipv4_dst (be32)          |
 *       +--------+--------+--------+--------+
 *     8 | src_port (be16) | dst_port (be16) |
 *       +--------+--------+--------+--------+
 *    12 | proto  |     (tail padding)       |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>The fields end at byte 13, but the be32 members give the struct 4-byte alignment, so
 * sizeof is 16 and the kernel ({@code ovs_key_lens[]}) insists on a 16-byte attribute.
 */
public final class KeyCtTupleIpv4 {

    private KeyCtTupleIpv4() {
    }

    /** be32, network order. */
    public static final int IPV4_SRC_OFFSET = 0;
    /** be32, network order. */
    public static final int IPV4_DST_OFFSET = 4;
    /** be16, network order (for ICMP: type and code). */
    public static final int SRC_PORT_OFFSET = 8;
    /** be16, network order (for ICMP: the id). */
    public static final int DST_PORT_OFFSET = 10;
    /** u8: IP protocol number. */
    public static final int IPV4_PROTO_OFFSET = 12;

    /** {@code sizeof(struct ovs_key_ct_tuple_ipv4)}, three bytes of tail padding included. */
    public static final int LENGTH = 16;
}
