package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_ethernet}: payload of {@link KeyAttr#ETHERNET}. MAC addresses are plain
 * byte arrays in wire order.
 *
 * <pre>
 *         0      1      2      3      4      5
 *       +------+------+------+------+------+------+
 *     0 |             eth_src (6 bytes)           |
 *       +------+------+------+------+------+------+
 *     6 |             eth_dst (6 bytes)           |
 *       +------+------+------+------+------+------+
 * </pre>
 *
 * <p>sizeof 12, alignment 1.
 */
public final class KeyEthernet {

    private KeyEthernet() {
    }

    /** Source MAC, 6 bytes. */
    public static final int ETH_SRC_OFFSET = 0;
    /** Destination MAC, 6 bytes. */
    public static final int ETH_DST_OFFSET = 6;
    /** Length of each MAC address field ({@code ETH_ALEN}). */
    public static final int ETH_ADDR_LENGTH = 6;

    /** {@code sizeof(struct ovs_key_ethernet)}. */
    public static final int LENGTH = 12;
}
