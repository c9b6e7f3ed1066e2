package ovsj.odp.uapi;

/** Commands of the {@link Families#CT_LIMIT_FAMILY} family ({@code enum ovs_ct_limit_cmd}). */
public final class CtLimitCmd {

    private CtLimitCmd() {
    }

    /** {@code OVS_CT_LIMIT_CMD_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Add or change zone limits. */
    public static final int SET = 1;
    /** Remove zone limits. */
    public static final int DEL = 2;
    /** Read zone limits and current counts. */
    public static final int GET = 3;

    /** Highest command value (the kernel defines no MAX for this enum). */
    public static final int MAX = GET;

    private static final String[] NAMES = UapiNames.table("OVS_CT_LIMIT_CMD_",
            "UNSPEC", "SET", "DEL", "GET");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
