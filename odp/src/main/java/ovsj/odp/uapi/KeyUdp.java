package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_udp}: payload of {@link KeyAttr#UDP}.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |   src (be16)    |   dst (be16)    |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 4, alignment 2.
 */
public final class KeyUdp {

    private KeyUdp() {
    }

    /** be16, network order: source port. */
    public static final int UDP_SRC_OFFSET = 0;
    /** be16, network order: destination port. */
    public static final int UDP_DST_OFFSET = 2;

    /** {@code sizeof(struct ovs_key_udp)}. */
    public static final int LENGTH = 4;
}
