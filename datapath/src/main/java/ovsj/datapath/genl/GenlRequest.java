package ovsj.datapath.genl;

import ovsj.datapath.transport.NlSocket;
import ovsj.netlink.ExtAck;
import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.KernelLog;

/**
 * One request as a family handler sees it ({@code struct genl_info}): the socket, the message, its
 * parsed attributes ({@code attrs[type]} = header offset in {@link #buf()}, or -1), the extended ack
 * to fill, and how to send replies.
 */
public final class GenlRequest {
    private final NlSocket sock;
    private final byte[] buf;
    private final int msg;
    private final int[] attrs;
    private final ExtAck extAck;
    private final KernelLog klog;

    GenlRequest(NlSocket sock, byte[] buf, int msg, int[] attrs, ExtAck extAck, KernelLog klog) {
        this.sock = sock;
        this.buf = buf;
        this.msg = msg;
        this.attrs = attrs;
        this.extAck = extAck;
        this.klog = klog;
    }

    public NlSocket socket() {
        return sock;
    }

    public int portId() {
        return sock.portId();
    }

    public byte[] buf() {
        return buf;
    }

    /** Offset of the request's nlmsghdr in {@link #buf()}. */
    public int msgOffset() {
        return msg;
    }

    public int seq() {
        return NlMsgHdr.seq(buf, msg);
    }

    public int flags() {
        return NlMsgHdr.flags(buf, msg);
    }

    public int cmd() {
        return GenlMsgHdr.cmd(buf, msg + NlMsgHdr.LENGTH);
    }

    /** Offset of the family header (e.g. {@code struct ovs_header}). */
    public int familyHeader() {
        return msg + NlMsgHdr.LENGTH + GenlMsgHdr.LENGTH;
    }

    /** The first u32 of the family header: {@code ovs_header.dp_ifindex} for the ovs families. */
    public int dpIfindex() {
        return Wire.u32(buf, familyHeader());
    }

    public boolean has(int type) {
        return attrs[type] >= 0;
    }

    /** Header offset of attribute {@code type}, or -1. */
    public int attr(int type) {
        return attrs[type];
    }

    public int payload(int type) {
        return attrs[type] + NlAttr.HEADER_LENGTH;
    }

    public int payloadLength(int type) {
        return NlAttr.len(buf, attrs[type]) - NlAttr.HEADER_LENGTH;
    }

    public int u32(int type) {
        return Wire.u32(buf, payload(type));
    }

    public String string(int type) {
        int p = payload(type);
        int n = payloadLength(type);
        int e = 0;
        while (e < n && buf[p + e] != 0) {
            e++;
        }
        return new String(buf, p, e, java.nio.charset.StandardCharsets.UTF_8);
    }

    public ExtAck extAck() {
        return extAck;
    }

    public KernelLog klog() {
        return klog;
    }

    /** A message header for a reply to this request (type = the family id), genl and family headers. */
    public int beginReply(NlWriter w, int familyId, int flags, int cmd, int version) {
        int start = w.beginMessage(familyId, flags, seq(), sock.portId());
        w.putGenlHeader(cmd, version);
        return start;
    }

    /** Sends what {@code w} holds as one datagram. */
    public void send(NlWriter w) {
        sock.send(w.buffer(), 0, w.position());
    }
}
