package ovsj.odp.uapi;

/** Arguments of {@link ActionAttr#CT} ({@code enum ovs_ct_attr}). */
public final class CtAttr {

    private CtAttr() {
    }

    /** {@code OVS_CT_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Flag: commit the connection to the conntrack table. */
    public static final int COMMIT = 1;
    /** u16 conntrack zone. */
    public static final int ZONE = 2;
    /** u32 value followed by u32 mask to apply to the connection mark. */
    public static final int MARK = 3;
    /** 16-byte value followed by 16-byte mask to apply to the connection labels. */
    public static final int LABELS = 4;
    /** NUL-terminated name of a conntrack helper (ALG). */
    public static final int HELPER = 5;
    /** Nested {@link NatAttr}. */
    public static final int NAT = 6;
    /** Flag: like COMMIT, but replace an entry committed in the other direction. */
    public static final int FORCE_COMMIT = 7;
    /** u32 mask of conntrack event types to report. */
    public static final int EVENTMASK = 8;
    /** NUL-terminated name of a conntrack timeout policy. */
    public static final int TIMEOUT = 9;

    /** {@code OVS_CT_ATTR_MAX}. */
    public static final int MAX = TIMEOUT;

    private static final String[] NAMES = UapiNames.table("OVS_CT_ATTR_",
            "UNSPEC", "COMMIT", "ZONE", "MARK", "LABELS", "HELPER", "NAT", "FORCE_COMMIT",
            "EVENTMASK", "TIMEOUT");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
