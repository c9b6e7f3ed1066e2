package ovsj.odp.uapi;

/**
 * VXLAN extensions (anonymous enum {@code OVS_VXLAN_EXT_*}), used both as vport options under
 * {@link TunnelAttr#EXTENSION} and as flow-key tunnel options under
 * {@link TunnelKeyAttr#VXLAN_OPTS}. Also carries the kernel's {@code ovs_vxlan_ext_key_lens}
 * table for the flow-key use.
 */
public final class VxlanExtAttr {

    private VxlanExtAttr() {
    }

    /** {@code OVS_VXLAN_EXT_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Group Based Policy: a flag on a vport, a u32 policy value in a flow key. */
    public static final int GBP = 1;

    /** {@code OVS_VXLAN_EXT_MAX}. */
    public static final int MAX = GBP;

    /** Length marker for a nested attribute. */
    public static final int NESTED = LengthTable.NESTED;
    /** Length marker for a variable-length attribute. */
    public static final int VARIABLE = LengthTable.VARIABLE;

    private static final String[] NAMES = UapiNames.table("OVS_VXLAN_EXT_", "UNSPEC", "GBP");

    private static final LengthTable LENGTHS = LengthTable.builder(MAX)
            .put(GBP, 4)
            .build();

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }

    /**
     * Expected payload length of {@code type} inside a flow key (0 where the kernel table has no
     * entry).
     *
     * @throws IllegalArgumentException if {@code type} is outside {@code 0..MAX}
     */
    public static int expectedLength(int type) {
        return LENGTHS.length(type);
    }

    /** Whether the kernel table has an explicit entry for {@code type}. */
    public static boolean hasLengthEntry(int type) {
        return LENGTHS.has(type);
    }

    /** The kernel's {@code check_attr_len()} applied to this table. */
    public static boolean lengthAccepted(int type, int payloadLength) {
        return LENGTHS.accepts(type, payloadLength);
    }
}
