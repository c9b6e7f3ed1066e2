package ovsj.odp.uapi;

/**
 * {@code struct ovs_action_hash}: argument of {@link ActionAttr#HASH}.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |          hash_alg (u32)           |
 *       +--------+--------+--------+--------+
 *     4 |         hash_basis (u32)          |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 8, alignment 4.
 */
public final class ActionHash {

    private ActionHash() {
    }

    /** u32, host order: {@link HashAlg} value. */
    public static final int HASH_ALG_OFFSET = 0;
    /** u32, host order: basis mixed into the hash. */
    public static final int HASH_BASIS_OFFSET = 4;

    /** {@code sizeof(struct ovs_action_hash)}. */
    public static final int LENGTH = 8;
}
