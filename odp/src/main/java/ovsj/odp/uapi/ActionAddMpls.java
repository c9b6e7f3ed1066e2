package ovsj.odp.uapi;

/**
 * {@code struct ovs_action_add_mpls}: argument of {@link ActionAttr#ADD_MPLS}.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |          mpls_lse (be32)          |
 *       +--------+--------+--------+--------+
 *     4 |mpls_ethertype   | tun_flags (u16) |
 *       |    (be16)       |                 |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 8, alignment 4, no padding.
 */
public final class ActionAddMpls {

    private ActionAddMpls() {
    }

    /** be32, network order: label stack entry to push. */
    public static final int MPLS_LSE_OFFSET = 0;
    /** be16, network order: MPLS unicast (0x8847) or multicast (0x8848) ethertype. */
    public static final int MPLS_ETHERTYPE_OFFSET = 4;
    /** u16, host order: bit set of tunnel flags, see {@link #L3_TUNNEL_FLAG_MASK}. */
    public static final int TUN_FLAGS_OFFSET = 6;

    /** {@code sizeof(struct ovs_action_add_mpls)}. */
    public static final int LENGTH = 8;

    /**
     * {@code OVS_MPLS_L3_TUNNEL_FLAG_MASK}: when set in tun_flags the entry is inserted in front
     * of the L3 header; when clear, at the very start of the packet.
     */
    public static final int L3_TUNNEL_FLAG_MASK = 1 << 0;
}
