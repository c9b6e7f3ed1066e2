package ovsj.odp.uapi;

/** Attributes of conntrack-limit family messages ({@code enum ovs_ct_limit_attr}). */
public final class CtLimitAttr {

    private CtLimitAttr() {
    }

    /** {@code OVS_CT_LIMIT_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** A packed sequence of {@link ZoneLimit} structs. */
    public static final int ZONE_LIMIT = 1;

    /** {@code OVS_CT_LIMIT_ATTR_MAX}. */
    public static final int MAX = ZONE_LIMIT;

    private static final String[] NAMES = UapiNames.table("OVS_CT_LIMIT_ATTR_", "UNSPEC", "ZONE_LIMIT");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
