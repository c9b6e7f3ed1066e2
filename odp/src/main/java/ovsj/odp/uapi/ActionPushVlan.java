package ovsj.odp.uapi;

/**
 * {@code struct ovs_action_push_vlan}: argument of {@link ActionAttr#PUSH_VLAN}.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 | vlan_tpid (be16)| vlan_tci (be16) |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 4, alignment 2.
 */
public final class ActionPushVlan {

    private ActionPushVlan() {
    }

    /** be16, network order: TPID, 0x8100 (802.1Q) or 0x88a8 (802.1ad). */
    public static final int VLAN_TPID_OFFSET = 0;
    /**
     * be16, network order: TCI to push; the CFI/present bit (0x1000) must be set here although it
     * is not written into the pushed tag.
     */
    public static final int VLAN_TCI_OFFSET = 2;

    /** {@code sizeof(struct ovs_action_push_vlan)}. */
    public static final int LENGTH = 4;
}
