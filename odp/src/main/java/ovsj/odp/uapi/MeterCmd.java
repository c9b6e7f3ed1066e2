package ovsj.odp.uapi;

/** Commands of the {@link Families#METER_FAMILY} family ({@code enum ovs_meter_cmd}). */
public final class MeterCmd {

    private MeterCmd() {
    }

    /** {@code OVS_METER_CMD_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Ask which meter features the datapath supports. */
    public static final int FEATURES = 1;
    /** Create or replace a meter. */
    public static final int SET = 2;
    /** Delete a meter. */
    public static final int DEL = 3;
    /** Read meter statistics. */
    public static final int GET = 4;

    /** Highest command value (the kernel defines no MAX for this enum). */
    public static final int MAX = GET;

    private static final String[] NAMES = UapiNames.table("OVS_METER_CMD_",
            "UNSPEC", "FEATURES", "SET", "DEL", "GET");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
