package ovsj.odp.uapi;

/**
 * NSH fields nested in {@link KeyAttr#NSH} and {@link ActionAttr#PUSH_NSH}
 * ({@code enum ovs_nsh_key_attr}), with the kernel's {@code ovs_nsh_key_attr_lens[]} table.
 */
public final class NshKeyAttr {

    private NshKeyAttr() {
    }

    /** {@code OVS_NSH_KEY_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** {@link NshKeyBase}. */
    public static final int BASE = 1;
    /** {@link NshKeyMd1}, the four fixed context words of MD type 1. */
    public static final int MD1 = 2;
    /** Variable-length metadata of MD type 2. */
    public static final int MD2 = 3;

    /** {@code OVS_NSH_KEY_ATTR_MAX}. */
    public static final int MAX = MD2;

    /** Length-table marker of a nested attribute. */
    public static final int NESTED = LengthTable.NESTED;
    /** Length-table marker of a variable-length attribute. */
    public static final int VARIABLE = LengthTable.VARIABLE;

    private static final String[] NAMES = UapiNames.table("OVS_NSH_KEY_ATTR_",
            "UNSPEC", "BASE", "MD1", "MD2");

    /** Twin of {@code ovs_nsh_key_attr_lens[]} (Linux 6.1). */
    private static final LengthTable LENGTHS = LengthTable.builder(MAX)
            .put(BASE, NshKeyBase.LENGTH)
            .put(MD1, NshKeyMd1.LENGTH)
            .put(MD2, VARIABLE)
            .build();

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }

    /**
     * The kernel's {@code ovs_nsh_key_attr_lens[type].len} (0 where there is no entry).
     *
     * @throws IllegalArgumentException if {@code type} is outside {@code 0..MAX}
     */
    public static int expectedLength(int type) {
        return LENGTHS.length(type);
    }

    /** Whether {@code ovs_nsh_key_attr_lens[]} has an explicit entry for {@code type}. */
    public static boolean hasLengthEntry(int type) {
        return LENGTHS.has(type);
    }

    /** The kernel's {@code check_attr_len()} applied to this table. */
    public static boolean lengthAccepted(int type, int payloadLength) {
        return LENGTHS.accepts(type, payloadLength);
    }
}
