package ovsj.netlink;

/**
 * {@code struct nlattr}: a type-length-value attribute, 4-byte aligned.
 *
 * <pre>
 *  0                   1                   2                   3
 * +-------------------------------+-+-+---------------------------+
 * |        nla_len (u16)          |N|O|     nla_type (14 bits)    |  0
 * +-------------------------------+-+-+---------------------------+
 * |                payload (nla_len - 4 bytes) ... padding to 4    |  4
 * +---------------------------------------------------------------+
 * N = NLA_F_NESTED, O = NLA_F_NET_BYTEORDER
 * </pre>
 *
 * {@code nla_len} counts the header but not the trailing padding.
 */
public final class NlAttr {
    public static final int LEN_OFFSET = 0;
    public static final int TYPE_OFFSET = 2;
    public static final int HEADER_LENGTH = 4;
    public static final int ALIGNTO = 4;

    public static final int F_NESTED = 0x8000;
    public static final int F_NET_BYTEORDER = 0x4000;
    public static final int TYPE_MASK = ~(F_NESTED | F_NET_BYTEORDER) & 0xffff;

    private NlAttr() {
    }

    public static int align(int len) {
        return (len + ALIGNTO - 1) & ~(ALIGNTO - 1);
    }

    /** {@code nla_total_size}: header plus payload, aligned. */
    public static int totalSize(int payload) {
        return align(HEADER_LENGTH + payload);
    }

    public static int len(byte[] b, int attr) {
        return Wire.u16(b, attr + LEN_OFFSET);
    }

    public static int rawType(byte[] b, int attr) {
        return Wire.u16(b, attr + TYPE_OFFSET);
    }

    public static int type(byte[] b, int attr) {
        return rawType(b, attr) & TYPE_MASK;
    }
}
