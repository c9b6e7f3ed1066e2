package ovsj.odp.uapi;

/** Arguments of {@link CtAttr#NAT} ({@code enum ovs_nat_attr}). */
public final class NatAttr {

    private NatAttr() {
    }

    /** {@code OVS_NAT_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Flag: source NAT. */
    public static final int SRC = 1;
    /** Flag: destination NAT (exclusive with {@link #SRC}). */
    public static final int DST = 2;
    /** Lowest address of the range: 4 bytes (IPv4) or 16 bytes (IPv6). */
    public static final int IP_MIN = 3;
    /** Highest address of the range: 4 or 16 bytes. */
    public static final int IP_MAX = 4;
    /** u16 lowest L4 port of the range. */
    public static final int PROTO_MIN = 5;
    /** u16 highest L4 port of the range. */
    public static final int PROTO_MAX = 6;
    /** Flag: keep the same mapping across restarts. */
    public static final int PERSISTENT = 7;
    /** Flag: pseudo-random (hashed) port selection. */
    public static final int PROTO_HASH = 8;
    /** Flag: fully random port selection. */
    public static final int PROTO_RANDOM = 9;

    /** {@code OVS_NAT_ATTR_MAX}. */
    public static final int MAX = PROTO_RANDOM;

    private static final String[] NAMES = UapiNames.table("OVS_NAT_ATTR_",
            "UNSPEC", "SRC", "DST", "IP_MIN", "IP_MAX", "PROTO_MIN", "PROTO_MAX", "PERSISTENT",
            "PROTO_HASH", "PROTO_RANDOM");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
