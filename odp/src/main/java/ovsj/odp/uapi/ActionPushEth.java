package ovsj.odp.uapi;

/**
 * {@code struct ovs_action_push_eth}: argument of {@link ActionAttr#PUSH_ETH}; it wraps a single
 * {@link KeyEthernet}.
 *
 * <pre>
 *         0      1      2      3      4      5
 *       +------+------+------+------+------+------+
 *     0 |      addresses.eth_src (6 bytes)        |
 *       +------+------+------+------+------+------+
 *     6 |      addresses.eth_dst (6 bytes)        |
 *       +------+------+------+------+------+------+
 * </pre>
 *
 * <p>sizeof 12, alignment 1.
 */
public final class ActionPushEth {

    private ActionPushEth() {
    }

    /** Embedded {@link KeyEthernet}. */
    public static final int ADDRESSES_OFFSET = 0;
    /** Source MAC, 6 bytes. */
    public static final int ETH_SRC_OFFSET = ADDRESSES_OFFSET + KeyEthernet.ETH_SRC_OFFSET;
    /** Destination MAC, 6 bytes. */
    public static final int ETH_DST_OFFSET = ADDRESSES_OFFSET + KeyEthernet.ETH_DST_OFFSET;

    /** {@code sizeof(struct ovs_action_push_eth)}. */
    public static final int LENGTH = KeyEthernet.LENGTH;
}
