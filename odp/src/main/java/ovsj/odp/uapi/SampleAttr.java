package ovsj.odp.uapi;

/** Arguments of {@link ActionAttr#SAMPLE} ({@code enum ovs_sample_attr}). */
public final class SampleAttr {

    private SampleAttr() {
    }

    /** {@code OVS_SAMPLE_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** u32 probability: 0 samples nothing, 0xffffffff samples every packet. */
    public static final int PROBABILITY = 1;
    /** Nested {@link ActionAttr} list to run on sampled packets. */
    public static final int ACTIONS = 2;

    /** {@code OVS_SAMPLE_ATTR_MAX}. */
    public static final int MAX = ACTIONS;

    /**
     * Kernel-internal argument ({@code struct sample_arg}) that replaces PROBABILITY in the
     * kernel's copy of the action; one past {@code __OVS_SAMPLE_ATTR_MAX} (3), never on the wire.
     */
    public static final int ARG = 4;

    private static final String[] NAMES = UapiNames.table("OVS_SAMPLE_ATTR_",
            "UNSPEC", "PROBABILITY", "ACTIONS", null, "ARG");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
