package ovsj.datapath.genl;

import java.util.LinkedHashMap;
import java.util.Map;

import ovsj.datapath.transport.NlSocket;
import ovsj.netlink.ExtAck;
import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlMsgErr;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.odp.KernelLog;

/**
 * The generic-netlink layer: the kernel's {@code netlink_rcv_skb} loop over the messages of one
 * datagram and {@code genl_rcv_msg}'s dispatch to a family's {@code doit} or dump. Replies go back on
 * the sending socket, each datagram as the kernel would queue it: a doit's replies, then its ACK or
 * error; a dump's batches of at most {@link NlSocket#dumpBatchBytes()} bytes, then NLMSG_DONE alone.
 *
 * <p>Thread-safe: sockets may call in concurrently; families do their own locking.
 */
public final class GenlServer {
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;
    private static final int EOPNOTSUPP = 95;
    private static final int EINTR = 4;
    private static final int EBUSY = 16;
    /** Where dynamically assigned family ids start (nlctrl is 0x10; these mirror the recording). */
    public static final int FIRST_DYNAMIC_ID = 0x20;

    private final Map<Integer, GenlFamily> byId = new LinkedHashMap<>();
    private final Map<String, GenlFamily> byName = new LinkedHashMap<>();
    private final KernelLog klog;
    private int nextId = FIRST_DYNAMIC_ID;

    public GenlServer(KernelLog klog) {
        this.klog = klog;
        register(new CtrlFamily(this), GenlMsgHdr.GENL_ID_CTRL);
    }

    /** Registers a family under the next free id. */
    public synchronized void register(GenlFamily f) {
        register(f, nextId++);
    }

    private synchronized void register(GenlFamily f, int id) {
        f.id(id);
        byId.put(id, f);
        byName.put(f.name(), f);
    }

    public synchronized GenlFamily family(String name) {
        return byName.get(name);
    }

    synchronized Iterable<GenlFamily> families() {
        return java.util.List.copyOf(byId.values());
    }

    private synchronized GenlFamily family(int id) {
        return byId.get(id);
    }

    /** {@code netlink_rcv_skb}: handles every message in {@code buf[off, off+len)}. */
    public void receive(NlSocket sock, byte[] buf, int off, int len) {
        int pos = off;
        int end = off + len;
        ExtAck ack = new ExtAck();
        while (end - pos >= NlMsgHdr.LENGTH) {
            int msgLen = NlMsgHdr.len(buf, pos);
            if (msgLen < NlMsgHdr.LENGTH || end - pos < msgLen) {
                return; // the kernel drops the rest of a malformed datagram silently
            }
            ack.clear();
            int flags = NlMsgHdr.flags(buf, pos);
            int err = 0;
            boolean skipAck = false;
            if ((flags & NlMsgHdr.F_REQUEST) != 0 && NlMsgHdr.type(buf, pos) >= NlMsgHdr.NLMSG_MIN_TYPE) {
                err = genlRcvMsg(sock, buf, pos, ack);
                if (err == -EINTR) {
                    skipAck = true; // a dump: NLMSG_DONE ends it, no ACK
                    err = 0;
                }
            }
            if (!skipAck && ((flags & NlMsgHdr.F_ACK) != 0 || err != 0)) {
                NlWriter w = new NlWriter(NlMsgHdr.LENGTH + 4 + msgLen + 256);
                NlMsgErr.putError(w, buf, pos, err, sock.extAck() ? ack : null, sock.portId(), sock.capAck());
                sock.send(w.buffer(), 0, w.position());
            }
            int step = NlMsgHdr.align(msgLen);
            pos += Math.min(step, end - pos);
        }
    }

    /** {@code genl_rcv_msg} / {@code genl_family_rcv_msg}. */
    private int genlRcvMsg(NlSocket sock, byte[] buf, int msg, ExtAck ack) {
        GenlFamily family = family(NlMsgHdr.type(buf, msg));
        if (family == null) {
            return -ENOENT;
        }
        int hdrlen = GenlMsgHdr.LENGTH + family.hdrSize();
        int msgLen = NlMsgHdr.len(buf, msg);
        if (msgLen < NlMsgHdr.LENGTH + hdrlen) {
            return -EINVAL;
        }
        int cmd = GenlMsgHdr.cmd(buf, msg + NlMsgHdr.LENGTH);
        GenlOp op = family.op(cmd);
        if (op == null) {
            return -EOPNOTSUPP;
        }
        int[] attrs = new int[family.maxAttr() + 1];
        java.util.Arrays.fill(attrs, -1);
        int attrsOff = msg + NlMsgHdr.LENGTH + hdrlen;
        int attrsLen = msgLen - NlMsgHdr.LENGTH - hdrlen;
        boolean dump = (NlMsgHdr.flags(buf, msg) & NlMsgHdr.F_DUMP) == NlMsgHdr.F_DUMP;
        if (dump) {
            if (!op.dumpit()) {
                return -EOPNOTSUPP;
            }
            if (sock.dumpPending()) {
                return -EBUSY; // netlink_dump_start: one dump at a time per socket
            }
            if (sock.pacedDumps()) {
                // The dump outlives this call: it keeps its own copy of the request.
                buf = java.util.Arrays.copyOfRange(buf, msg, msg + msgLen);
                attrsOff -= msg;
                msg = 0;
                ack = new ExtAck();
            }
            // GENL_DONT_VALIDATE_DUMP: attributes are indexed without policy checks.
            GenlParser.parse(buf, attrsOff, attrsLen, new AttrPolicy[family.maxAttr() + 1], attrs, msg,
                    new ExtAck(), KernelLog.NONE, sock.comm());
            Dump d = new Dump(sock, family, new GenlRequest(sock, buf, msg, attrs, ack, klog));
            if (sock.pacedDumps()) {
                if (d.next()) {
                    sock.pendingDump(d);
                }
            } else {
                while (d.next()) {
                    // to the end, within this request
                }
            }
            return -EINTR;
        }
        if (!op.doit()) {
            return -EOPNOTSUPP;
        }
        int err = GenlParser.parse(buf, attrsOff, attrsLen, family.policy(), attrs, msg, ack, klog, sock.comm());
        if (err != 0) {
            return err;
        }
        return family.doit(new GenlRequest(sock, buf, msg, attrs, ack, klog));
    }

    /**
     * {@code netlink_dump}: one batch per {@link #next} until the family has nothing more, then
     * NLMSG_DONE. The ovs families end with an empty call, so DONE goes alone; a family whose last call
     * also wrote messages gets DONE appended to that batch when it fits, as the kernel does.
     */
    private static final class Dump implements NlSocket.DumpContinuation {
        private final NlSocket sock;
        private final GenlFamily family;
        private final GenlRequest req;
        private final DumpState state = new DumpState();
        private final byte[] batch;
        private final NlWriter w;

        Dump(NlSocket sock, GenlFamily family, GenlRequest req) {
            this.sock = sock;
            this.family = family;
            this.req = req;
            this.batch = new byte[sock.dumpBatchBytes()];
            this.w = new NlWriter(batch, batch.length);
        }

        @Override
        public boolean next() {
            w.reset();
            int r = family.dumpit(req, state, w);
            if (r > 0) {
                sock.send(batch, 0, w.position());
                return !sock.isClosed();
            }
            if (w.remaining() < NlMsgErr.DONE_LENGTH) {
                sock.send(batch, 0, w.position());
                w.reset();
            }
            NlMsgErr.putDone(w, req.seq(), sock.portId(), r);
            sock.send(batch, 0, w.position());
            return false;
        }
    }
}
