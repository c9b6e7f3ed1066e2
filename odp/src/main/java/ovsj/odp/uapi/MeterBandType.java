package ovsj.odp.uapi;

/** Meter band kinds, the value of {@link BandAttr#TYPE} ({@code enum ovs_meter_band_type}). */
public final class MeterBandType {

    private MeterBandType() {
    }

    /** {@code OVS_METER_BAND_TYPE_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Drop the packets that exceed the band's rate. */
    public static final int DROP = 1;

    /** {@code OVS_METER_BAND_TYPE_MAX}. */
    public static final int MAX = DROP;

    private static final String[] NAMES = UapiNames.table("OVS_METER_BAND_TYPE_", "UNSPEC", "DROP");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
