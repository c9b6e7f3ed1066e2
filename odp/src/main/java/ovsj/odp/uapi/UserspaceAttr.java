package ovsj.odp.uapi;

/** Arguments of {@link ActionAttr#USERSPACE} ({@code enum ovs_userspace_attr}). */
public final class UserspaceAttr {

    private UserspaceAttr() {
    }

    /** {@code OVS_USERSPACE_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** u32 Netlink port id that receives the upcall (required). */
    public static final int PID = 1;
    /** Opaque cookie echoed back as {@link PacketAttr#USERDATA}. */
    public static final int USERDATA = 2;
    /** u32 output port whose tunnel metadata is reported as {@link PacketAttr#EGRESS_TUN_KEY}. */
    public static final int EGRESS_TUN_PORT = 3;
    /** Flag: include the flow's actions in the upcall. */
    public static final int ACTIONS = 4;

    /** {@code OVS_USERSPACE_ATTR_MAX}. */
    public static final int MAX = ACTIONS;

    private static final String[] NAMES = UapiNames.table("OVS_USERSPACE_ATTR_",
            "UNSPEC", "PID", "USERDATA", "EGRESS_TUN_PORT", "ACTIONS");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
