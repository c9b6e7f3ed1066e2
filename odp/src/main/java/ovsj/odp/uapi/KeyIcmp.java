package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_icmp}: payload of {@link KeyAttr#ICMP}.
 *
 * <pre>
 *         0        1
 *       +--------+--------+
 *     0 |  type  |  code  |
 *       +--------+--------+
 * </pre>
 *
 * <p>sizeof 2, alignment 1.
 */
public final class KeyIcmp {

    private KeyIcmp() {
    }

    /** u8: message type. */
    public static final int ICMP_TYPE_OFFSET = 0;
    /** u8: message code. */
    public static final int ICMP_CODE_OFFSET = 1;

    /** {@code sizeof(struct ovs_key_icmp)}. */
    public static final int LENGTH = 2;
}
