package ovsj.odp.uapi;

/** Attributes of one meter band inside {@link MeterAttr#BANDS} ({@code enum ovs_band_attr}). */
public final class BandAttr {

    private BandAttr() {
    }

    /** {@code OVS_BAND_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** u32 {@link MeterBandType} value. */
    public static final int TYPE = 1;
    /** u32 rate, in the meter's unit. */
    public static final int RATE = 2;
    /** u32 burst size, in the meter's unit. */
    public static final int BURST = 3;
    /** {@link FlowStats} of the band. */
    public static final int STATS = 4;

    /** {@code OVS_BAND_ATTR_MAX}. */
    public static final int MAX = STATS;

    private static final String[] NAMES = UapiNames.table("OVS_BAND_ATTR_",
            "UNSPEC", "TYPE", "RATE", "BURST", "STATS");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
