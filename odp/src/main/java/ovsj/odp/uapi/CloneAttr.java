package ovsj.odp.uapi;

/**
 * The one kernel-internal attribute of {@link ActionAttr#CLONE}. It is not part of the uAPI header:
 * it comes from the kernel-private {@code include/linux/openvswitch.h}. In its own copy of a clone
 * action the kernel prepends a u32 attribute of this type (nonzero when the nested actions cannot
 * change the flow key); userspace sends the nested actions directly and never sees it in 6.1 dumps.
 */
public final class CloneAttr {

    private CloneAttr() {
    }

    /** {@code OVS_CLONE_ATTR_EXEC}: u32, kernel-internal. */
    public static final int EXEC = 0;

    /** Highest value (not a kernel constant). */
    public static final int MAX = EXEC;

    private static final String[] NAMES = UapiNames.table("OVS_CLONE_ATTR_", "EXEC");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
