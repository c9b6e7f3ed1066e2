package ovsj.odp.uapi;

/** Arguments of {@link ActionAttr#DEC_TTL} ({@code enum ovs_dec_ttl_attr}). */
public final class DecTtlAttr {

    private DecTtlAttr() {
    }

    /** {@code OVS_DEC_TTL_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Nested {@link ActionAttr} list run when the TTL would reach zero. */
    public static final int ACTION = 1;

    /** {@code OVS_DEC_TTL_ATTR_MAX}. */
    public static final int MAX = ACTION;

    private static final String[] NAMES = UapiNames.table("OVS_DEC_TTL_ATTR_", "UNSPEC", "ACTION");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
