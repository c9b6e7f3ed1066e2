package ovsj.odp.uapi;

/**
 * {@code struct ovs_nsh_key_base}: payload of {@link NshKeyAttr#BASE}.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 | flags  |  ttl   | mdtype |   np   |
 *       +--------+--------+--------+--------+
 *     4 |          path_hdr (be32)          |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 8, alignment 4.
 */
public final class NshKeyBase {

    private NshKeyBase() {
    }

    /** u8: NSH flags. */
    public static final int FLAGS_OFFSET = 0;
    /** u8: NSH TTL. */
    public static final int TTL_OFFSET = 1;
    /** u8: metadata type (1 or 2). */
    public static final int MDTYPE_OFFSET = 2;
    /** u8: next protocol. */
    public static final int NP_OFFSET = 3;
    /** be32, network order: service path id (24 bits) and service index (8 bits). */
    public static final int PATH_HDR_OFFSET = 4;

    /** {@code sizeof(struct ovs_nsh_key_base)}. */
    public static final int LENGTH = 8;
}
