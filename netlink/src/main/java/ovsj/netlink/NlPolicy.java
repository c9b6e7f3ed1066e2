package ovsj.netlink;

/**
 * What an attribute's policy allows, in the shape the kernel reports it inside an extended ack's
 * {@code NLMSGERR_ATTR_POLICY} nest ({@code netlink_policy_dump_write_attr}): the type as an
 * {@code NL_ATTR_TYPE_*} and, where the policy has them, value or length bounds.
 *
 * @param attrType   one of the {@code NL_ATTR_TYPE_*} constants
 * @param minValueU  lower bound for integer types (for the signed types, the signed bound)
 * @param maxValueU  upper bound for integer types (for the signed types, the signed bound)
 * @param minLength  lower length bound for strings/binaries (0: none)
 * @param maxLength  upper length bound for strings/binaries (0: none)
 */
public record NlPolicy(int attrType, long minValueU, long maxValueU, int minLength, int maxLength) {
    // enum netlink_attribute_type
    public static final int NL_ATTR_TYPE_INVALID = 0;
    public static final int NL_ATTR_TYPE_FLAG = 1;
    public static final int NL_ATTR_TYPE_U8 = 2;
    public static final int NL_ATTR_TYPE_U16 = 3;
    public static final int NL_ATTR_TYPE_U32 = 4;
    public static final int NL_ATTR_TYPE_U64 = 5;
    public static final int NL_ATTR_TYPE_S8 = 6;
    public static final int NL_ATTR_TYPE_S16 = 7;
    public static final int NL_ATTR_TYPE_S32 = 8;
    public static final int NL_ATTR_TYPE_S64 = 9;
    public static final int NL_ATTR_TYPE_BINARY = 10;
    public static final int NL_ATTR_TYPE_STRING = 11;
    public static final int NL_ATTR_TYPE_NUL_STRING = 12;
    public static final int NL_ATTR_TYPE_NESTED = 13;
    public static final int NL_ATTR_TYPE_NESTED_ARRAY = 14;
    public static final int NL_ATTR_TYPE_BITFIELD32 = 15;

    // enum netlink_policy_type_attr
    public static final int TYPE_ATTR_TYPE = 1;
    public static final int TYPE_ATTR_MIN_VALUE_S = 2;
    public static final int TYPE_ATTR_MAX_VALUE_S = 3;
    public static final int TYPE_ATTR_MIN_VALUE_U = 4;
    public static final int TYPE_ATTR_MAX_VALUE_U = 5;
    public static final int TYPE_ATTR_MIN_LENGTH = 6;
    public static final int TYPE_ATTR_MAX_LENGTH = 7;
    public static final int TYPE_ATTR_POLICY_IDX = 8;
    public static final int TYPE_ATTR_POLICY_MAXTYPE = 9;
    public static final int TYPE_ATTR_BITFIELD32_MASK = 10;
    public static final int TYPE_ATTR_PAD = 11;
    public static final int TYPE_ATTR_MASK = 12;

    public static final NlPolicy FLAG = new NlPolicy(NL_ATTR_TYPE_FLAG, 0, 0, 0, 0);
    public static final NlPolicy U8 = new NlPolicy(NL_ATTR_TYPE_U8, 0, 0xffL, 0, 0);
    public static final NlPolicy U16 = new NlPolicy(NL_ATTR_TYPE_U16, 0, 0xffffL, 0, 0);
    public static final NlPolicy U32 = new NlPolicy(NL_ATTR_TYPE_U32, 0, 0xffffffffL, 0, 0);
    public static final NlPolicy U64 = new NlPolicy(NL_ATTR_TYPE_U64, 0, -1L, 0, 0);
    public static final NlPolicy NESTED = new NlPolicy(NL_ATTR_TYPE_NESTED, 0, 0, 0, 0);

    /** {@code NLA_NUL_STRING} with {@code .len = maxLength}. */
    public static NlPolicy nulString(int maxLength) {
        return new NlPolicy(NL_ATTR_TYPE_NUL_STRING, 0, 0, 0, maxLength);
    }

    /** {@code NLA_STRING} with {@code .len = maxLength}. */
    public static NlPolicy string(int maxLength) {
        return new NlPolicy(NL_ATTR_TYPE_STRING, 0, 0, 0, maxLength);
    }

    /** {@code NLA_BINARY} with a length range ({@code NLA_POLICY_RANGE(NLA_BINARY, min, max)}). */
    public static NlPolicy binary(int minLength, int maxLength) {
        return new NlPolicy(NL_ATTR_TYPE_BINARY, 0, 0, minLength, maxLength);
    }

    /** Writes the policy's attributes in the kernel's order (bounds first, TYPE last). */
    public void writeTo(NlWriter w) {
        switch (attrType) {
            case NL_ATTR_TYPE_U8, NL_ATTR_TYPE_U16, NL_ATTR_TYPE_U32, NL_ATTR_TYPE_U64 -> {
                w.putU64Aligned(TYPE_ATTR_MIN_VALUE_U, minValueU, TYPE_ATTR_PAD);
                w.putU64Aligned(TYPE_ATTR_MAX_VALUE_U, maxValueU, TYPE_ATTR_PAD);
            }
            case NL_ATTR_TYPE_S8, NL_ATTR_TYPE_S16, NL_ATTR_TYPE_S32, NL_ATTR_TYPE_S64 -> {
                w.putU64Aligned(TYPE_ATTR_MIN_VALUE_S, minValueU, TYPE_ATTR_PAD);
                w.putU64Aligned(TYPE_ATTR_MAX_VALUE_S, maxValueU, TYPE_ATTR_PAD);
            }
            case NL_ATTR_TYPE_STRING, NL_ATTR_TYPE_NUL_STRING, NL_ATTR_TYPE_BINARY -> {
                if (minLength != 0) {
                    w.putU32(TYPE_ATTR_MIN_LENGTH, minLength);
                }
                if (maxLength != 0) {
                    w.putU32(TYPE_ATTR_MAX_LENGTH, maxLength);
                }
            }
            default -> {
            }
        }
        w.putU32(TYPE_ATTR_TYPE, attrType);
    }
}
