package ovsj.odp.uapi;

/**
 * {@code struct ovs_nsh_key_md1}: payload of {@link NshKeyAttr#MD1}, the fixed context of NSH
 * metadata type 1.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |          context[0] (be32)        |
 *       +--------+--------+--------+--------+
 *     4 |          context[1] (be32)        |
 *       +--------+--------+--------+--------+
 *     8 |          context[2] (be32)        |
 *       +--------+--------+--------+--------+
 *    12 |          context[3] (be32)        |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 16, alignment 4.
 */
public final class NshKeyMd1 {

    private NshKeyMd1() {
    }

    /** Four be32 words, network order. */
    public static final int CONTEXT_OFFSET = 0;
    /** {@code NSH_MD1_CONTEXT_SIZE}: number of context words. */
    public static final int CONTEXT_SIZE = 4;

    /** {@code sizeof(struct ovs_nsh_key_md1)}. */
    public static final int LENGTH = 16;
}
