package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_sctp}: payload of {@link KeyAttr#SCTP}.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |   src (be16)    |   dst (be16)    |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 4, alignment 2.
 */
public final class KeySctp {

    private KeySctp() {
    }

    /** be16, network order: source port. */
    public static final int SCTP_SRC_OFFSET = 0;
    /** be16, network order: destination port. */
    public static final int SCTP_DST_OFFSET = 2;

    /** {@code sizeof(struct ovs_key_sctp)}. */
    public static final int LENGTH = 4;
}
