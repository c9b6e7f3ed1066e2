package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_icmpv6}: payload of {@link KeyAttr#ICMPV6}.
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
public final class KeyIcmpv6 {

    private KeyIcmpv6() {
    }

    /** u8: message type. */
    public static final int ICMPV6_TYPE_OFFSET = 0;
    /** u8: message code. */
    public static final int ICMPV6_CODE_OFFSET = 1;

    /** {@code sizeof(struct ovs_key_icmpv6)}. */
    public static final int LENGTH = 2;
}
