package ovsj.odp.uapi;

/** Commands of the {@link Families#VPORT_FAMILY} family ({@code enum ovs_vport_cmd}). */
public final class VportCmd {

    private VportCmd() {
    }

    /** {@code OVS_VPORT_CMD_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Add a port; also the notification after one was added. */
    public static final int NEW = 1;
    /** Remove a port. */
    public static final int DEL = 2;
    /** Query one port, or dump the ports of a datapath. */
    public static final int GET = 3;
    /** Change an existing port. */
    public static final int SET = 4;

    /** Highest command value (the kernel defines no MAX for this enum). */
    public static final int MAX = SET;

    private static final String[] NAMES = UapiNames.table("OVS_VPORT_CMD_",
            "UNSPEC", "NEW", "DEL", "GET", "SET");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
