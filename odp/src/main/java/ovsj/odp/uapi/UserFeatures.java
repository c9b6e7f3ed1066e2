package ovsj.odp.uapi;

/** Bits of the {@link DpAttr#USER_FEATURES} word ({@code OVS_DP_F_*}). */
public final class UserFeatures {

    private UserFeatures() {
    }

    /** The last Netlink attribute of a message may be unaligned. */
    public static final int UNALIGNED = 1 << 0;
    /** A vport may carry several upcall port ids ({@link VportAttr#UPCALL_PID} is an array). */
    public static final int VPORT_PIDS = 1 << 1;
    /** Recirculation ids are shared with tc offload. */
    public static final int TC_RECIRC_SHARING = 1 << 2;
    /** Upcalls are dispatched per CPU using {@link DpAttr#PER_CPU_PIDS}. */
    public static final int DISPATCH_UPCALL_PER_CPU = 1 << 3;

    /** Highest flag defined in 6.1 (not a kernel constant). */
    public static final int MAX = DISPATCH_UPCALL_PER_CPU;

    private static final String[] BITS = UapiNames.table("OVS_DP_F_",
            "UNALIGNED", "VPORT_PIDS", "TC_RECIRC_SHARING", "DISPATCH_UPCALL_PER_CPU");

    /** Kernel name of a single flag, e.g. {@code "OVS_DP_F_UNALIGNED"}, or {@code "unknown(N)"}. */
    public static String name(int flag) {
        return UapiNames.flag(BITS, flag);
    }

    /** Renders a whole feature word, e.g. {@code "OVS_DP_F_UNALIGNED|OVS_DP_F_VPORT_PIDS"}. */
    public static String describe(int flags) {
        return UapiNames.describeFlags(BITS, flags);
    }
}
