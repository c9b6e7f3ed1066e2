package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_mpls}: one label stack entry; {@link KeyAttr#MPLS} carries an array of
 * them, outermost first.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |          mpls_lse (be32)          |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 4, alignment 4.
 */
public final class KeyMpls {

    private KeyMpls() {
    }

    /** be32, network order: label (20 bits), traffic class (3), bottom of stack (1), TTL (8). */
    public static final int MPLS_LSE_OFFSET = 0;

    /** {@code sizeof(struct ovs_key_mpls)}. */
    public static final int LENGTH = 4;
}
