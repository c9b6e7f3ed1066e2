package ovsj.netlink;

/**
 * {@code struct genlmsghdr}: the generic-netlink header after {@link NlMsgHdr}.
 *
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+-------------------------------+
 * |   cmd (u8)    | version (u8)  |        reserved (u16)         |  0
 * +---------------+---------------+-------------------------------+
 * </pre>
 */
public final class GenlMsgHdr {
    public static final int CMD_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int RESERVED_OFFSET = 2;
    public static final int LENGTH = 4;

    /** The nlctrl family's fixed id ({@code GENL_ID_CTRL}). */
    public static final int GENL_ID_CTRL = 0x10;

    private GenlMsgHdr() {
    }

    public static int cmd(byte[] b, int off) {
        return Wire.u8(b, off + CMD_OFFSET);
    }

    public static int version(byte[] b, int off) {
        return Wire.u8(b, off + VERSION_OFFSET);
    }
}
