package ovsj.netlink;

/**
 * {@code struct nlmsgerr}, the payload of {@code NLMSG_ERROR} (an error, or an ACK when 0), and the
 * builders of the kernel's {@code NLMSG_ERROR} and {@code NLMSG_DONE} replies.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                    error (s32, 0 or -errno)                   |  0
 * +---------------------------------------------------------------+
 * |      the request's nlmsghdr (16 bytes), then - unless capped -|  4
 * |      the rest of the request, padded to 4                     |
 * +---------------------------------------------------------------+
 * |      extended-ack TLVs (NLMSGERR_ATTR_*), if NLM_F_ACK_TLVS   |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * As {@code netlink_ack()} builds it for a socket with {@code NETLINK_EXT_ACK} on: an error echoes the
 * whole request unless the socket set {@code NETLINK_CAP_ACK}; an ACK echoes only the header and sets
 * {@code NLM_F_CAPPED}. TLVs: the message always; the offset and policy only with an error.
 */
public final class NlMsgErr {
    public static final int ERROR_OFFSET = 0;
    public static final int MSG_OFFSET = 4;
    public static final int LENGTH = 4 + NlMsgHdr.LENGTH;

    // enum nlmsgerr_attrs
    public static final int ATTR_MSG = 1;
    public static final int ATTR_OFFS = 2;
    public static final int ATTR_COOKIE = 3;
    public static final int ATTR_POLICY = 4;
    public static final int ATTR_MISS_TYPE = 5;
    public static final int ATTR_MISS_NEST = 6;

    /** Length of {@code NLMSG_DONE}: a header and the 4-byte {@code dump_done_errno}. */
    public static final int DONE_LENGTH = NlMsgHdr.LENGTH + 4;

    private NlMsgErr() {
    }

    /**
     * Appends {@code NLMSG_ERROR} answering the request at {@code buf[req]} (its own {@code nlmsg_len}
     * says how much of it is echoed).
     *
     * @param error  0 for an ACK, else a negative errno
     * @param ack    extended-ack state, or null
     * @param capAck whether the socket set {@code NETLINK_CAP_ACK}
     */
    public static void putError(NlWriter w, byte[] buf, int req, int error, ExtAck ack, int portId,
                                boolean capAck) {
        int reqLen = NlMsgHdr.len(buf, req);
        boolean echoAll = error != 0 && !capAck;
        int flags = echoAll ? 0 : NlMsgHdr.F_CAPPED;
        // NLA_UNSPEC / NLA_REJECT policies (NL_ATTR_TYPE_INVALID) are not reported: the kernel cancels the nest
        boolean policy = ack != null && ack.policy() != null
                && ack.policy().attrType() != NlPolicy.NL_ATTR_TYPE_INVALID;
        boolean tlvs = ack != null && (ack.msg() != null
                || (error != 0 && (ack.badAttrOffset() >= 0 || policy)));
        if (tlvs) {
            flags |= NlMsgHdr.F_ACK_TLVS;
        }
        int start = w.beginMessage(NlMsgHdr.NLMSG_ERROR, flags, NlMsgHdr.seq(buf, req), portId);
        w.putRawU32(error);
        w.putRaw(buf, req, echoAll ? reqLen : NlMsgHdr.LENGTH);
        if (tlvs) {
            if (ack.msg() != null) {
                w.putString(ATTR_MSG, ack.msg());
            }
            if (error != 0) {
                if (ack.badAttrOffset() >= 0) {
                    w.putU32(ATTR_OFFS, ack.badAttrOffset());
                }
                if (policy) {
                    int nest = w.beginNestFlagged(ATTR_POLICY);
                    ack.policy().writeTo(w);
                    w.endNest(nest);
                }
            }
        }
        w.endMessage(start);
    }

    /** Appends the {@code NLMSG_DONE} that ends a dump, carrying {@code error} (0 or -errno). */
    public static void putDone(NlWriter w, int seq, int portId, int error) {
        int start = w.beginMessage(NlMsgHdr.NLMSG_DONE, NlMsgHdr.F_MULTI, seq, portId);
        w.putRawU32(error);
        w.endMessage(start);
    }
}
