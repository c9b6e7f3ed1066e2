package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_ct_labels}: payload of {@link KeyAttr#CT_LABELS}, 128 bits of
 * connection labels. The C type overlays a byte array with four u32 words; on the wire it is
 * simply 16 opaque bytes, copied as they are.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |                                   |
 *       +      ct_labels (16 bytes)         +
 *   ... |                                   |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 16, alignment 4.
 */
public final class KeyCtLabels {

    private KeyCtLabels() {
    }

    /** Start of the 16 label bytes. */
    public static final int CT_LABELS_OFFSET = 0;

    /** {@code OVS_CT_LABELS_LEN}: label size in bytes. */
    public static final int LABELS_LEN = 16;
    /** {@code OVS_CT_LABELS_LEN_32}: label size in 32-bit words. */
    public static final int LABELS_LEN_32 = 4;

    /** {@code sizeof(struct ovs_key_ct_labels)}. */
    public static final int LENGTH = LABELS_LEN;
}
