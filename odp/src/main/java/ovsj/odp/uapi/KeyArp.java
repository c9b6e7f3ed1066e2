package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_arp}: payload of {@link KeyAttr#ARP}.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |           arp_sip (be32)          |
 *       +--------+--------+--------+--------+
 *     4 |           arp_tip (be32)          |
 *       +--------+--------+--------+--------+
 *     8 |  arp_op (be16)  |  arp_sha ...    |
 *       +--------+--------+                 +
 *    12 |        ... arp_sha (6 bytes)      |
 *       +--------+--------+--------+--------+
 *    16 |         arp_tha (6 bytes) ...     |
 *       +                 +--------+--------+
 *    20 |      ... arp_tha|  (tail padding) |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>The fields end at byte 22; the struct's 4-byte alignment pads it to sizeof 24, which is the
 * length the kernel expects for the attribute.
 */
public final class KeyArp {

    private KeyArp() {
    }

    /** be32, network order: sender protocol (IPv4) address. */
    public static final int ARP_SIP_OFFSET = 0;
    /** be32, network order: target protocol (IPv4) address. */
    public static final int ARP_TIP_OFFSET = 4;
    /** be16, network order: ARP opcode. */
    public static final int ARP_OP_OFFSET = 8;
    /** Sender hardware address, 6 bytes. */
    public static final int ARP_SHA_OFFSET = 10;
    /** Target hardware address, 6 bytes. */
    public static final int ARP_THA_OFFSET = 16;
    /** Length of each hardware address field. */
    public static final int ARP_HA_LENGTH = 6;

    /** {@code sizeof(struct ovs_key_arp)}, two bytes of tail padding included. */
    public static final int LENGTH = 24;
}
