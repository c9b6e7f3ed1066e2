package ovsj.odp.uapi;

/** Commands of the {@link Families#FLOW_FAMILY} family ({@code enum ovs_flow_cmd}). */
public final class FlowCmd {

    private FlowCmd() {
    }

    /** {@code OVS_FLOW_CMD_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Install a flow; also the notification of a newly installed flow. */
    public static final int NEW = 1;
    /** Delete one flow, or flush the table when no key is given. */
    public static final int DEL = 2;
    /** Fetch one flow, or dump the table. */
    public static final int GET = 3;
    /** Modify the actions of, or clear the statistics of, an existing flow. */
    public static final int SET = 4;

    /** Highest command value (the kernel defines no MAX for this enum). */
    public static final int MAX = SET;

    private static final String[] NAMES = UapiNames.table("OVS_FLOW_CMD_",
            "UNSPEC", "NEW", "DEL", "GET", "SET");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
