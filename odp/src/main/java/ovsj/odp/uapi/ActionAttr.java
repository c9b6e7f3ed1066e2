package ovsj.odp.uapi;

/**
 * Action types nested in {@link FlowAttr#ACTIONS} and {@link PacketAttr#ACTIONS}
 * ({@code enum ovs_action_attr}). Values up to {@link #MAX} are accepted from userspace;
 * {@link #SET_TO_MASKED} exists only inside the kernel.
 */
public final class ActionAttr {

    private ActionAttr() {
    }

    /** {@code OVS_ACTION_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** u32 port number to send the packet to. */
    public static final int OUTPUT = 1;
    /** Nested {@link UserspaceAttr}: send the packet up as a {@link PacketCmd#ACTION} upcall. */
    public static final int USERSPACE = 2;
    /** One nested {@link KeyAttr} attribute whose value overwrites that header. */
    public static final int SET = 3;
    /** {@link ActionPushVlan}: push an 802.1Q/802.1ad tag. */
    public static final int PUSH_VLAN = 4;
    /** No argument: pop the outermost VLAN tag. */
    public static final int POP_VLAN = 5;
    /** Nested {@link SampleAttr}: run actions with some probability. */
    public static final int SAMPLE = 6;
    /** u32 recirculation id: run the packet through the flow table again. */
    public static final int RECIRC = 7;
    /** {@link ActionHash}: compute the datapath hash. */
    public static final int HASH = 8;
    /** {@link ActionPushMpls}: push an MPLS label stack entry after the L2 header. */
    public static final int PUSH_MPLS = 9;
    /** be16 ethertype to restore: pop the top MPLS label stack entry. */
    public static final int POP_MPLS = 10;
    /**
     * One nested {@link KeyAttr} attribute holding the value immediately followed by an
     * equal-length mask; value bits outside the mask must be zero.
     */
    public static final int SET_MASKED = 11;
    /** Nested {@link CtAttr}: send the packet through conntrack. */
    public static final int CT = 12;
    /** {@link ActionTrunc}: truncate the packet on the next output. */
    public static final int TRUNC = 13;
    /** {@link ActionPushEth}: push an Ethernet header. */
    public static final int PUSH_ETH = 14;
    /** No argument: pop the Ethernet header. */
    public static final int POP_ETH = 15;
    /** No argument: drop the conntrack state attached to the packet. */
    public static final int CT_CLEAR = 16;
    /** Nested {@link NshKeyAttr}: push an NSH header. */
    public static final int PUSH_NSH = 17;
    /** No argument: pop the outer NSH header. */
    public static final int POP_NSH = 18;
    /** u32 meter id to run the packet through. */
    public static final int METER = 19;
    /** Nested actions run on a copy of the packet, leaving the original untouched. */
    public static final int CLONE = 20;
    /** Nested {@link CheckPktLenAttr}: branch on the packet length. */
    public static final int CHECK_PKT_LEN = 21;
    /** {@link ActionAddMpls}: push an MPLS entry at the packet start or at the L3 header. */
    public static final int ADD_MPLS = 22;
    /** Nested {@link DecTtlAttr}: decrement the IP TTL/hop limit. */
    public static final int DEC_TTL = 23;

    /** {@code OVS_ACTION_ATTR_MAX}: the last type accepted from userspace. */
    public static final int MAX = DEC_TTL;

    /**
     * Kernel-internal form of {@link #SET} rewritten as a masked set; it sits one past the
     * enum's {@code __OVS_ACTION_ATTR_MAX} (24) and never appears on the wire.
     */
    public static final int SET_TO_MASKED = 25;

    private static final String[] NAMES = UapiNames.table("OVS_ACTION_ATTR_",
            "UNSPEC", "OUTPUT", "USERSPACE", "SET", "PUSH_VLAN", "POP_VLAN", "SAMPLE", "RECIRC",
            "HASH", "PUSH_MPLS", "POP_MPLS", "SET_MASKED", "CT", "TRUNC", "PUSH_ETH", "POP_ETH",
            "CT_CLEAR", "PUSH_NSH", "POP_NSH", "METER", "CLONE", "CHECK_PKT_LEN", "ADD_MPLS",
            "DEC_TTL", null, "SET_TO_MASKED");

    /** Kernel name of {@code type}, e.g. {@code "OVS_ACTION_ATTR_OUTPUT"}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
