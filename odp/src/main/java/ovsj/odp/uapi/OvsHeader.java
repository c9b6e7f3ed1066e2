package ovsj.odp.uapi;

/**
 * {@code struct ovs_header}: the fixed family header that follows the genl header in every OVS
 * Generic Netlink message, before the attributes.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |         dp_ifindex (int)          |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 4, alignment 4.
 */
public final class OvsHeader {

    private OvsHeader() {
    }

    /**
     * Signed 32-bit ifindex of the datapath's local port, host byte order; 0 for requests that
     * name no datapath (or name it with {@link DpAttr#NAME}).
     */
    public static final int DP_IFINDEX_OFFSET = 0;

    /** {@code sizeof(struct ovs_header)}. */
    public static final int LENGTH = 4;
}
