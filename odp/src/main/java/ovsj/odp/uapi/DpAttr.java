package ovsj.odp.uapi;

/**
 * Attributes of datapath family messages ({@code enum ovs_datapath_attr}); they follow the
 * {@link OvsHeader}.
 */
public final class DpAttr {

    private DpAttr() {
    }

    /** {@code OVS_DP_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** NUL-terminated name of the datapath, which is also the name of its local port device. */
    public static final int NAME = 1;
    /** u32 Netlink port id that receives upcalls of the local port (creation only; 0 = none). */
    public static final int UPCALL_PID = 2;
    /** {@link DpStats} counters of the datapath. */
    public static final int STATS = 3;
    /** {@link DpMegaflowStats} mask and cache counters. */
    public static final int MEGAFLOW_STATS = 4;
    /** u32 bit set of {@link UserFeatures}. */
    public static final int USER_FEATURES = 5;
    /** Padding attribute that aligns the 64-bit values that follow it. */
    public static final int PAD = 6;
    /** u32 number of entries in the per-CPU mask cache. */
    public static final int MASKS_CACHE_SIZE = 7;
    /**
     * Array of u32 Netlink port ids, one per CPU, used when
     * {@link UserFeatures#DISPATCH_UPCALL_PER_CPU} is on.
     */
    public static final int PER_CPU_PIDS = 8;
    /** u32 ifindex wanted for the local port device; only honoured by {@link DpCmd#NEW}. */
    public static final int IFINDEX = 9;

    /** {@code OVS_DP_ATTR_MAX}. */
    public static final int MAX = IFINDEX;

    private static final String[] NAMES = UapiNames.table("OVS_DP_ATTR_",
            "UNSPEC", "NAME", "UPCALL_PID", "STATS", "MEGAFLOW_STATS", "USER_FEATURES", "PAD",
            "MASKS_CACHE_SIZE", "PER_CPU_PIDS", "IFINDEX");

    /** Kernel name of {@code type}, e.g. {@code "OVS_DP_ATTR_NAME"}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
