package ovsj.odp.uapi;

/**
 * {@code struct ovs_action_trunc}: argument of {@link ActionAttr#TRUNC}.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |           max_len (u32)           |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>sizeof 4, alignment 4.
 */
public final class ActionTrunc {

    private ActionTrunc() {
    }

    /** u32, host order: largest packet size, in bytes, to send on the following outputs. */
    public static final int MAX_LEN_OFFSET = 0;

    /** {@code sizeof(struct ovs_action_trunc)}. */
    public static final int LENGTH = 4;
}
