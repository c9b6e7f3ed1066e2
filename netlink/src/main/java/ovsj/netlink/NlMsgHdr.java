package ovsj.netlink;

/**
 * {@code struct nlmsghdr}: the 16-byte header of every netlink message.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                      nlmsg_len (u32, host)                    |  0
 * +-------------------------------+-------------------------------+
 * |      nlmsg_type (u16)         |      nlmsg_flags (u16)        |  4
 * +-------------------------------+-------------------------------+
 * |                      nlmsg_seq (u32)                          |  8
 * +---------------------------------------------------------------+
 * |                      nlmsg_pid (u32)                          | 12
 * +---------------------------------------------------------------+
 * </pre>
 *
 * {@code nlmsg_len} counts the header; messages in a datagram start at 4-byte boundaries.
 */
public final class NlMsgHdr {
    public static final int LEN_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int SEQ_OFFSET = 8;
    public static final int PID_OFFSET = 12;
    public static final int LENGTH = 16;

    public static final int ALIGNTO = 4;

    // nlmsg_type values below NLMSG_MIN_TYPE are control messages.
    public static final int NLMSG_NOOP = 0x1;
    public static final int NLMSG_ERROR = 0x2;
    public static final int NLMSG_DONE = 0x3;
    public static final int NLMSG_OVERRUN = 0x4;
    public static final int NLMSG_MIN_TYPE = 0x10;

    // nlmsg_flags, all messages
    public static final int F_REQUEST = 0x01;
    public static final int F_MULTI = 0x02;
    public static final int F_ACK = 0x04;
    public static final int F_ECHO = 0x08;
    public static final int F_DUMP_INTR = 0x10;
    public static final int F_DUMP_FILTERED = 0x20;
    // GET requests
    public static final int F_ROOT = 0x100;
    public static final int F_MATCH = 0x200;
    public static final int F_ATOMIC = 0x400;
    public static final int F_DUMP = F_ROOT | F_MATCH;
    // NEW requests
    public static final int F_REPLACE = 0x100;
    public static final int F_EXCL = 0x200;
    public static final int F_CREATE = 0x400;
    public static final int F_APPEND = 0x800;
    // NLMSG_ERROR replies
    public static final int F_CAPPED = 0x100;
    public static final int F_ACK_TLVS = 0x200;

    private NlMsgHdr() {
    }

    public static int align(int len) {
        return (len + ALIGNTO - 1) & ~(ALIGNTO - 1);
    }

    public static int len(byte[] b, int msg) {
        return Wire.u32(b, msg + LEN_OFFSET);
    }

    public static int type(byte[] b, int msg) {
        return Wire.u16(b, msg + TYPE_OFFSET);
    }

    public static int flags(byte[] b, int msg) {
        return Wire.u16(b, msg + FLAGS_OFFSET);
    }

    public static int seq(byte[] b, int msg) {
        return Wire.u32(b, msg + SEQ_OFFSET);
    }

    public static int pid(byte[] b, int msg) {
        return Wire.u32(b, msg + PID_OFFSET);
    }

    public static void put(byte[] b, int msg, int len, int type, int flags, int seq, int pid) {
        Wire.putU32(b, msg + LEN_OFFSET, len);
        Wire.putU16(b, msg + TYPE_OFFSET, type);
        Wire.putU16(b, msg + FLAGS_OFFSET, flags);
        Wire.putU32(b, msg + SEQ_OFFSET, seq);
        Wire.putU32(b, msg + PID_OFFSET, pid);
    }
}
