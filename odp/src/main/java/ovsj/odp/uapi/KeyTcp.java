package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_tcp}: payload of {@link KeyAttr#TCP}.
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
public final class KeyTcp {

    private KeyTcp() {
    }

    /** be16, network order: source port. */
    public static final int TCP_SRC_OFFSET = 0;
    /** be16, network order: destination port. */
    public static final int TCP_DST_OFFSET = 2;

    /** {@code sizeof(struct ovs_key_tcp)}. */
    public static final int LENGTH = 4;
}
