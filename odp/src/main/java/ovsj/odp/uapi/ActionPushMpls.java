package ovsj.odp.uapi;

/**
 * {@code struct ovs_action_push_mpls}: argument of {@link ActionAttr#PUSH_MPLS}.
 *
 * <pre>
 *         0        1        2        3
 *       +--------+--------+--------+--------+
 *     0 |          mpls_lse (be32)          |
 *       +--------+--------+--------+--------+
 *     4 |mpls_ethertype   | (tail padding)  |
 *       |    (be16)       |                 |
 *       +--------+--------+--------+--------+
 * </pre>
 *
 * <p>The fields end at byte 6; 4-byte alignment makes sizeof 8, and the kernel expects an
 * 8-byte attribute. (There is no struct for {@link ActionAttr#POP_MPLS}: it carries a bare be16
 * ethertype.)
 */
public final class ActionPushMpls {

    private ActionPushMpls() {
    }

    /** be32, network order: label stack entry to push. */
    public static final int MPLS_LSE_OFFSET = 0;
    /** be16, network order: new ethertype, MPLS unicast (0x8847) or multicast (0x8848). */
    public static final int MPLS_ETHERTYPE_OFFSET = 4;

    /** {@code sizeof(struct ovs_action_push_mpls)}, two bytes of tail padding included. */
    public static final int LENGTH = 8;
}
