package ovsj.odp.uapi;

/**
 * Attributes of flow family messages ({@code enum ovs_flow_attr}); they follow the
 * {@link OvsHeader}.
 */
public final class FlowAttr {

    private FlowAttr() {
    }

    /** {@code OVS_FLOW_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Nested {@link KeyAttr} attributes: the flow's match key. */
    public static final int KEY = 1;
    /** Nested {@link ActionAttr} attributes; an empty nest means "drop". */
    public static final int ACTIONS = 2;
    /** {@link FlowStats} of the flow; only in replies, only when nonzero. */
    public static final int STATS = 3;
    /** u8 OR of every TCP flags byte seen by the flow; only in replies. */
    public static final int TCP_FLAGS = 4;
    /** u64 time of last use, in milliseconds of the monotonic clock; only in replies. */
    public static final int USED = 5;
    /** Flag: on SET, reset statistics, TCP flags and last-used time. */
    public static final int CLEAR = 6;
    /** Nested {@link KeyAttr} attributes giving the wildcard mask (1 bits must match). */
    public static final int MASK = 7;
    /** Flag: the request is a feature probe, so the kernel should not log failures. */
    public static final int PROBE = 8;
    /** 1 to 16 bytes of unique flow identifier; once used, the flow is indexed by it. */
    public static final int UFID = 9;
    /** u32 bit set of {@link UfidFlags}. */
    public static final int UFID_FLAGS = 10;
    /** Padding attribute for 64-bit alignment. */
    public static final int PAD = 11;

    /** {@code OVS_FLOW_ATTR_MAX}. */
    public static final int MAX = PAD;

    private static final String[] NAMES = UapiNames.table("OVS_FLOW_ATTR_",
            "UNSPEC", "KEY", "ACTIONS", "STATS", "TCP_FLAGS", "USED", "CLEAR", "MASK", "PROBE",
            "UFID", "UFID_FLAGS", "PAD");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
