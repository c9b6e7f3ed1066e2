package ovsj.odp.uapi;

/**
 * Attributes of vport family messages ({@code enum ovs_vport_attr}); they follow the
 * {@link OvsHeader}. A port is named either by {@link #NAME} or by the header's datapath
 * ifindex plus {@link #PORT_NO}.
 */
public final class VportAttr {

    private VportAttr() {
    }

    /** {@code OVS_VPORT_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** u32 port number inside the datapath; chosen by the kernel when absent from a NEW request. */
    public static final int PORT_NO = 1;
    /** u32 {@link VportType} value. */
    public static final int TYPE = 2;
    /** NUL-terminated port name, at most IFNAMSIZ bytes including the terminator. */
    public static final int NAME = 3;
    /** Nested, type-specific options (for tunnels: {@link TunnelAttr}). */
    public static final int OPTIONS = 4;
    /** Array of u32 Netlink port ids that receive this port's upcalls; a single 0 disables them. */
    public static final int UPCALL_PID = 5;
    /** {@link VportStats} counters. */
    public static final int STATS = 6;
    /** Padding attribute for 64-bit alignment. */
    public static final int PAD = 7;
    /** u32 ifindex of the port's device; may be requested for internal ports on NEW. */
    public static final int IFINDEX = 8;
    /** s32 network namespace id of the port's device, when it differs from the datapath's. */
    public static final int NETNSID = 9;

    /** {@code OVS_VPORT_ATTR_MAX}. */
    public static final int MAX = NETNSID;

    private static final String[] NAMES = UapiNames.table("OVS_VPORT_ATTR_",
            "UNSPEC", "PORT_NO", "TYPE", "NAME", "OPTIONS", "UPCALL_PID", "STATS", "PAD",
            "IFINDEX", "NETNSID");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
