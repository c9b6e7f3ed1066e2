package ovsj.odp.uapi;

/** Commands of the {@link Families#DATAPATH_FAMILY} family ({@code enum ovs_datapath_cmd}). */
public final class DpCmd {

    private DpCmd() {
    }

    /** {@code OVS_DP_CMD_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Create a datapath; also the notification sent after one was created. */
    public static final int NEW = 1;
    /** Destroy a datapath. */
    public static final int DEL = 2;
    /** Query one datapath, or dump all of them. */
    public static final int GET = 3;
    /** Change the settings of an existing datapath. */
    public static final int SET = 4;

    /** Highest command value (the kernel defines no MAX for this enum). */
    public static final int MAX = SET;

    private static final String[] NAMES = UapiNames.table("OVS_DP_CMD_",
            "UNSPEC", "NEW", "DEL", "GET", "SET");

    /** Kernel name of {@code type}, e.g. {@code "OVS_DP_CMD_NEW"}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
