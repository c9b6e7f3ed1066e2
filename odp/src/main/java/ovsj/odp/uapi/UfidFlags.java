package ovsj.odp.uapi;

/**
 * Bits of {@link FlowAttr#UFID_FLAGS} ({@code OVS_UFID_F_*}): each lets the kernel leave the
 * matching attribute out of its reply.
 */
public final class UfidFlags {

    private UfidFlags() {
    }

    /** Replies may omit {@link FlowAttr#KEY}. */
    public static final int OMIT_KEY = 1 << 0;
    /** Replies may omit {@link FlowAttr#MASK}. */
    public static final int OMIT_MASK = 1 << 1;
    /** Replies may omit {@link FlowAttr#ACTIONS}. */
    public static final int OMIT_ACTIONS = 1 << 2;

    /** Highest flag defined in 6.1 (not a kernel constant). */
    public static final int MAX = OMIT_ACTIONS;

    private static final String[] BITS = UapiNames.table("OVS_UFID_F_",
            "OMIT_KEY", "OMIT_MASK", "OMIT_ACTIONS");

    /** Kernel name of a single flag, or {@code "unknown(N)"}. */
    public static String name(int flag) {
        return UapiNames.flag(BITS, flag);
    }

    /** Renders a whole flag word, e.g. {@code "OVS_UFID_F_OMIT_KEY|OVS_UFID_F_OMIT_MASK"}. */
    public static String describe(int flags) {
        return UapiNames.describeFlags(BITS, flags);
    }
}
