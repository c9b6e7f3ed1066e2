package ovsj.odp.uapi;

/** Arguments of {@link ActionAttr#CHECK_PKT_LEN} ({@code enum ovs_check_pkt_len_attr}). */
public final class CheckPktLenAttr {

    private CheckPktLenAttr() {
    }

    /** {@code OVS_CHECK_PKT_LEN_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** u16 length to compare the packet with. */
    public static final int PKT_LEN = 1;
    /** Nested {@link ActionAttr} list run when the packet is longer than {@link #PKT_LEN}. */
    public static final int ACTIONS_IF_GREATER = 2;
    /** Nested {@link ActionAttr} list run otherwise. */
    public static final int ACTIONS_IF_LESS_EQUAL = 3;

    /** {@code OVS_CHECK_PKT_LEN_ATTR_MAX}. */
    public static final int MAX = ACTIONS_IF_LESS_EQUAL;

    /**
     * Kernel-internal argument ({@code struct check_pkt_len_arg}); one past
     * {@code __OVS_CHECK_PKT_LEN_ATTR_MAX} (4), never on the wire.
     */
    public static final int ARG = 5;

    private static final String[] NAMES = UapiNames.table("OVS_CHECK_PKT_LEN_ATTR_",
            "UNSPEC", "PKT_LEN", "ACTIONS_IF_GREATER", "ACTIONS_IF_LESS_EQUAL", null, "ARG");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
