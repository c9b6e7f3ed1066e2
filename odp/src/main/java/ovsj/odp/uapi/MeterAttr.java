package ovsj.odp.uapi;

/** Attributes of meter family messages ({@code enum ovs_meter_attr}). */
public final class MeterAttr {

    private MeterAttr() {
    }

    /** {@code OVS_METER_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** u32 meter id inside the datapath. */
    public static final int ID = 1;
    /** Flag: rates are in kbit/s rather than packets/s. */
    public static final int KBPS = 2;
    /** {@link FlowStats} of the meter. */
    public static final int STATS = 3;
    /** Nested list of bands, each made of {@link BandAttr} attributes. */
    public static final int BANDS = 4;
    /** u64 time of last use, milliseconds of the monotonic clock. */
    public static final int USED = 5;
    /** Flag: reset statistics and last-used time. */
    public static final int CLEAR = 6;
    /** u32 number of meters the datapath supports (FEATURES reply). */
    public static final int MAX_METERS = 7;
    /** u32 number of bands per meter the datapath supports (FEATURES reply). */
    public static final int MAX_BANDS = 8;
    /** Padding attribute for 64-bit alignment. */
    public static final int PAD = 9;

    /** {@code OVS_METER_ATTR_MAX}. */
    public static final int MAX = PAD;

    private static final String[] NAMES = UapiNames.table("OVS_METER_ATTR_",
            "UNSPEC", "ID", "KBPS", "STATS", "BANDS", "USED", "CLEAR", "MAX_METERS", "MAX_BANDS",
            "PAD");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
