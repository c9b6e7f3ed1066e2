package ovsj.odp.dpif;

import java.io.EOFException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import ovsj.netlink.NlMsgErr;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;

/**
 * A netlink socket whose peer is a function: every message of a sent datagram goes to
 * {@code server}, which appends reply datagrams; unanswered requests with NLM_F_ACK are ACKed.
 */
final class FakeChannel implements NetlinkChannel {
    static final int PORT_ID = 77;

    /** What the server does with one request message: reply datagrams into {@code out}. */
    interface Server {
        /** Returns the errno to answer with (0 = success, ACKed if asked). */
        int handle(byte[] buf, int msg, List<byte[]> out);
    }

    final List<byte[]> sent = new ArrayList<>();
    final ArrayDeque<byte[]> replies = new ArrayDeque<>();
    private final Server server;

    FakeChannel(Server server) {
        this.server = server;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        byte[] d = java.util.Arrays.copyOfRange(buf, off, off + len);
        sent.add(d);
        for (int m = 0; d.length - m >= NlMsgHdr.LENGTH; m += NlMsgHdr.align(NlMsgHdr.len(d, m))) {
            List<byte[]> out = new ArrayList<>();
            int err = NlMsgHdr.type(d, m) < NlMsgHdr.NLMSG_MIN_TYPE ? 0 : server.handle(d, m, out);
            replies.addAll(out);
            if (err != 0 || (NlMsgHdr.flags(d, m) & NlMsgHdr.F_ACK) != 0) {
                NlWriter w = new NlWriter(256);
                NlMsgErr.putError(w, d, m, -err, null, PORT_ID, false);
                replies.add(w.toByteArray());
            }
        }
    }

    @Override
    public Datagram receive() throws EOFException {
        byte[] d = replies.poll();
        if (d == null) {
            throw new EOFException("no reply queued");
        }
        return new Datagram(d, 0, d.length);
    }

    @Override
    public int portId() {
        return PORT_ID;
    }

    @Override
    public void close() {
    }

    /** A reply message to the request at {@code req}: same seq, {@code fill} writes the payload. */
    static byte[] reply(byte[] req, int msg, int type, int flags, BiConsumer<NlWriter, Integer> fill) {
        NlWriter w = new NlWriter(256);
        int m = w.beginMessage(type, flags, NlMsgHdr.seq(req, msg), PORT_ID);
        fill.accept(w, m);
        w.endMessage(m);
        return w.toByteArray();
    }
}
