package ovsj.datapath.genl;

import ovsj.netlink.NlPolicy;

/**
 * One attribute's {@code struct nla_policy}: the type the kernel validates it as, its length rule and,
 * for integers, a value range. {@link GenlParser} applies it with the kernel's liberal validation
 * ({@code GENL_DONT_VALIDATE_STRICT}), and {@link #reported()} is what an extended ack says of it.
 */
public record AttrPolicy(Type type, int len, long min, long max, boolean ranged) {
    /** The kernel's {@code NLA_*} policy types that the ovs families use. */
    public enum Type { UNSPEC, U8, U16, U32, U64, S32, FLAG, NUL_STRING, STRING, NESTED, BINARY }

    public static final AttrPolicy U8 = new AttrPolicy(Type.U8, 0, 0, 0, false);
    public static final AttrPolicy U16 = new AttrPolicy(Type.U16, 0, 0, 0, false);
    public static final AttrPolicy U32 = new AttrPolicy(Type.U32, 0, 0, 0, false);
    public static final AttrPolicy U64 = new AttrPolicy(Type.U64, 0, 0, 0, false);
    public static final AttrPolicy S32 = new AttrPolicy(Type.S32, 0, 0, 0, false);
    public static final AttrPolicy FLAG = new AttrPolicy(Type.FLAG, 0, 0, 0, false);
    public static final AttrPolicy NESTED = new AttrPolicy(Type.NESTED, 0, 0, 0, false);

    /** {@code { .type = NLA_UNSPEC, .len = minLen }}: any payload of at least {@code minLen} bytes. */
    public static AttrPolicy unspec(int minLen) {
        return new AttrPolicy(Type.UNSPEC, minLen, 0, 0, false);
    }

    /** {@code { .type = NLA_NUL_STRING, .len = maxLen }}. */
    public static AttrPolicy nulString(int maxLen) {
        return new AttrPolicy(Type.NUL_STRING, maxLen, 0, 0, false);
    }

    /** {@code NLA_POLICY_RANGE(NLA_U32, min, max)}. */
    public static AttrPolicy u32Range(long min, long max) {
        return new AttrPolicy(Type.U32, 0, min, max, true);
    }

    /** {@code NLA_POLICY_MIN(NLA_S32, min)}. */
    public static AttrPolicy s32Min(long min) {
        return new AttrPolicy(Type.S32, 0, min, Integer.MAX_VALUE, true);
    }

    /** {@code nla_attr_len[]}: the exact length an integer type should have (0: no exact length). */
    int exactLength() {
        return switch (type) {
            case U8 -> 1;
            case U16 -> 2;
            case U32, S32 -> 4;
            case U64 -> 8;
            default -> 0;
        };
    }

    /** What {@code netlink_policy_dump_write_attr} reports for this policy. */
    public NlPolicy reported() {
        return switch (type) {
            case UNSPEC -> new NlPolicy(NlPolicy.NL_ATTR_TYPE_INVALID, 0, 0, 0, 0);
            case U8 -> ranged ? new NlPolicy(NlPolicy.NL_ATTR_TYPE_U8, min, max, 0, 0) : NlPolicy.U8;
            case U16 -> ranged ? new NlPolicy(NlPolicy.NL_ATTR_TYPE_U16, min, max, 0, 0) : NlPolicy.U16;
            case U32 -> ranged ? new NlPolicy(NlPolicy.NL_ATTR_TYPE_U32, min, max, 0, 0) : NlPolicy.U32;
            case U64 -> NlPolicy.U64;
            case S32 -> new NlPolicy(NlPolicy.NL_ATTR_TYPE_S32, ranged ? min : Integer.MIN_VALUE,
                    ranged ? max : Integer.MAX_VALUE, 0, 0);
            case FLAG -> NlPolicy.FLAG;
            case NUL_STRING -> NlPolicy.nulString(len);
            case STRING -> NlPolicy.string(len);
            case NESTED -> NlPolicy.NESTED;
            case BINARY -> new NlPolicy(NlPolicy.NL_ATTR_TYPE_BINARY, 0, 0, 0, len);
        };
    }
}
