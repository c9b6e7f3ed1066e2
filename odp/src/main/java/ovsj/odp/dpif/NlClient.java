package ovsj.odp.dpif;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlMsgErr;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;

/**
 * Request/reply over one {@link NetlinkChannel}, the way {@code nl_sock_transact} and
 * {@code nl_dump} do it: sequence numbers, the {@code NLMSG_ERROR} that ends a transaction (an ACK
 * or an errno), dumps read batch by batch until {@code NLMSG_DONE}, and nlctrl family resolution.
 * Not thread-safe: one request at a time.
 */
public final class NlClient implements AutoCloseable {
    /** {@code CTRL_CMD_GETFAMILY}, {@code CTRL_ATTR_FAMILY_ID}, {@code CTRL_ATTR_FAMILY_NAME}. */
    static final int CTRL_CMD_GETFAMILY = 3;
    static final int CTRL_ATTR_FAMILY_ID = 1;
    static final int CTRL_ATTR_FAMILY_NAME = 2;

    private final NetlinkChannel ch;
    private final NlWriter w = new NlWriter(4096);
    private int seq = 1;

    public NlClient(NetlinkChannel ch) {
        this.ch = ch;
    }

    public NetlinkChannel channel() {
        return ch;
    }

    /** The next sequence number (never 0). */
    public int nextSeq() {
        int s = seq++;
        if (seq == 0) {
            seq = 1;
        }
        return s;
    }

    /**
     * Starts a generic-netlink request in the client's writer: nlmsghdr (pid 0, a fresh seq) and
     * genlmsghdr; the caller puts the family header and attributes, then calls {@link #transact} or
     * {@link #dump}.
     */
    public NlWriter begin(int family, int flags, int cmd, int version) {
        w.reset();
        w.beginMessage(family, NlMsgHdr.F_REQUEST | flags, nextSeq(), 0);
        w.putGenlHeader(cmd, version);
        return w;
    }

    /**
     * Sends the request in the writer with {@code NLM_F_ACK} added, and collects the messages that
     * answer it until its ACK. Returns copies of the reply messages (each one whole message); throws
     * {@link DpifException} if the answer is an error.
     */
    public List<byte[]> transact() throws IOException {
        Wire.putU16(w.buffer(), NlMsgHdr.FLAGS_OFFSET, NlMsgHdr.flags(w.buffer(), 0) | NlMsgHdr.F_ACK);
        w.endMessage(0);
        int mySeq = NlMsgHdr.seq(w.buffer(), 0);
        ch.send(w.buffer(), 0, w.position());
        List<byte[]> replies = new ArrayList<>(1);
        while (true) {
            NetlinkChannel.Datagram d = ch.receive();
            byte[] b = d.buf();
            int end = d.off() + d.len();
            for (int m = d.off(); end - m >= NlMsgHdr.LENGTH; ) {
                int len = NlMsgHdr.len(b, m);
                if (len < NlMsgHdr.LENGTH || len > end - m) {
                    throw new IOException("malformed netlink reply (message length " + len + ")");
                }
                if (NlMsgHdr.seq(b, m) == mySeq) {
                    if (NlMsgHdr.type(b, m) == NlMsgHdr.NLMSG_ERROR) {
                        int err = errorOf(b, m);
                        if (err != 0) {
                            throw new DpifException(-err, extAckMessage(b, m));
                        }
                        return replies;
                    }
                    replies.add(Arrays.copyOfRange(b, m, m + len));
                }
                m += NlMsgHdr.align(len);
            }
        }
    }

    /** Sends the request in the writer as a dump ({@code NLM_F_DUMP}) and returns its cursor. */
    public Dump dump() throws IOException {
        Wire.putU16(w.buffer(), NlMsgHdr.FLAGS_OFFSET, NlMsgHdr.flags(w.buffer(), 0) | NlMsgHdr.F_DUMP);
        w.endMessage(0);
        int mySeq = NlMsgHdr.seq(w.buffer(), 0);
        ch.send(w.buffer(), 0, w.position());
        return new Dump(mySeq);
    }

    /** {@code CTRL_CMD_GETFAMILY} by name: the family's id; ENOENT if the datapath lacks it. */
    public int resolveFamily(String name) throws IOException {
        NlWriter r = begin(GenlMsgHdr.GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 2);
        r.putString(CTRL_ATTR_FAMILY_NAME, name);
        for (byte[] m : transact()) {
            int attrs = NlMsgHdr.LENGTH + GenlMsgHdr.LENGTH;
            int id = NlAttrReader.find(m, attrs, m.length - attrs, CTRL_ATTR_FAMILY_ID);
            if (id >= 0) {
                return Wire.u16(m, id + NlAttr.HEADER_LENGTH);
            }
        }
        throw new IOException("nlctrl answered GETFAMILY " + name + " without a family id");
    }

    /** The (negative or zero) error of the {@code NLMSG_ERROR} at {@code m}. */
    static int errorOf(byte[] b, int m) {
        if (NlMsgHdr.len(b, m) < NlMsgHdr.LENGTH + 4) {
            return -ovsj.netlink.Errno.EPROTO;
        }
        return Wire.u32(b, m + NlMsgHdr.LENGTH + NlMsgErr.ERROR_OFFSET);
    }

    /** {@code NLMSGERR_ATTR_MSG} of the {@code NLMSG_ERROR} at {@code m}, or null. */
    static String extAckMessage(byte[] b, int m) {
        int len = NlMsgHdr.len(b, m);
        int flags = NlMsgHdr.flags(b, m);
        if ((flags & NlMsgHdr.F_ACK_TLVS) == 0 || len < NlMsgHdr.LENGTH + NlMsgErr.LENGTH) {
            return null;
        }
        int echoed = m + NlMsgHdr.LENGTH + NlMsgErr.MSG_OFFSET;
        int echoLen = (flags & NlMsgHdr.F_CAPPED) != 0 ? NlMsgHdr.LENGTH : NlMsgHdr.align(NlMsgHdr.len(b, echoed));
        int tlvs = echoed + echoLen;
        int end = m + len;
        if (tlvs >= end) {
            return null;
        }
        NlAttrReader r = new NlAttrReader().wrap(b, tlvs, end - tlvs);
        while (r.next()) {
            if (r.type() == NlMsgErr.ATTR_MSG) {
                return r.string();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    /**
     * A dump in progress: {@link #next()} walks its messages in place, datagram by datagram, until
     * {@code NLMSG_DONE}. A message is valid until the next call.
     */
    public final class Dump {
        private final int dumpSeq;
        private byte[] buf;
        private int pos;
        private int end;
        private boolean done;

        private Dump(int seq) {
            this.dumpSeq = seq;
        }

        /** The buffer that holds the current message. */
        public byte[] buffer() {
            return buf;
        }

        /**
         * The offset of the next message in {@link #buffer()}, or -1 once {@code NLMSG_DONE} came.
         * Throws {@link DpifException} when the dump ends with an error.
         */
        public int next() throws IOException {
            while (!done) {
                if (end - pos < NlMsgHdr.LENGTH) {
                    NetlinkChannel.Datagram d = ch.receive();
                    buf = d.buf();
                    pos = d.off();
                    end = d.off() + d.len();
                    continue;
                }
                int m = pos;
                int len = NlMsgHdr.len(buf, m);
                if (len < NlMsgHdr.LENGTH || len > end - m) {
                    done = true;
                    throw new IOException("malformed netlink dump reply (message length " + len + ")");
                }
                pos += Math.min(NlMsgHdr.align(len), end - m);
                if (NlMsgHdr.seq(buf, m) != dumpSeq) {
                    continue;
                }
                int type = NlMsgHdr.type(buf, m);
                if (type == NlMsgHdr.NLMSG_DONE) {
                    done = true;
                    int err = len >= NlMsgHdr.LENGTH + 4 ? Wire.u32(buf, m + NlMsgHdr.LENGTH) : 0;
                    if (err < 0) {
                        throw new DpifException(-err, null);
                    }
                    return -1;
                }
                if (type == NlMsgHdr.NLMSG_ERROR) {
                    done = true;
                    int err = errorOf(buf, m);
                    if (err != 0) {
                        throw new DpifException(-err, extAckMessage(buf, m));
                    }
                    return -1;
                }
                return m;
            }
            return -1;
        }

        /** Reads and drops the rest of the dump, so the socket is ready for the next request. */
        public void drain() throws IOException {
            while (next() >= 0) {
                // skip
            }
        }
    }
}
