package ovsj.odp.uapi;

/**
 * Fragment classification stored in {@link KeyIpv4#IPV4_FRAG_OFFSET} and
 * {@link KeyIpv6#IPV6_FRAG_OFFSET} ({@code enum ovs_frag_type}).
 */
public final class FragType {

    private FragType() {
    }

    /** Not a fragment. */
    public static final int NONE = 0;
    /** First fragment (offset 0). */
    public static final int FIRST = 1;
    /** A later fragment (nonzero offset). */
    public static final int LATER = 2;

    /** {@code OVS_FRAG_TYPE_MAX}. */
    public static final int MAX = LATER;

    private static final String[] NAMES = UapiNames.table("OVS_FRAG_TYPE_", "NONE", "FIRST", "LATER");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
