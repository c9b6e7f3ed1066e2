package ovsj.odp.dpif;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.FlowCmd;

/**
 * Pipelined flow requests, for loading or deleting many flows at once: requests are packed many to a
 * datagram, sent without {@code NLM_F_ACK} (the datapath answers only errors, and flows when asked
 * with {@code NLM_F_ECHO}), and each datagram ends with a barrier (an {@code NLMSG_NOOP} with
 * {@code NLM_F_ACK}) whose ACK says that every request before it has been handled. At most
 * {@link #WINDOW_BYTES} of requests are in flight, so the replies never outgrow the socket's queue.
 *
 * <p>Every submitted item completes exactly once, in submission order, on the submitting thread
 * (inside a later {@code submit}, {@link #local}, {@link #flush} or {@link #close}): a request's
 * {@link Listener} hears its errno (0 = done) and the echoed flow if one came; a {@link #local} action
 * runs once everything submitted before it has completed. So a caller can print per-line outcomes in
 * line order while the datapath is still busy with later lines.
 */
public final class FlowBatch implements AutoCloseable {
    /** Request bytes packed into one datagram before it is sent (system property {@code ovsj.dpif.batchDatagram}). */
    public static final int DATAGRAM_BYTES = Integer.getInteger("ovsj.dpif.batchDatagram", 128 * 1024);
    /** Request bytes sent but not yet covered by a barrier's ACK ({@code ovsj.dpif.batchWindow}). */
    public static final int WINDOW_BYTES = Integer.getInteger("ovsj.dpif.batchWindow", 1024 * 1024);

    /** How one request ended. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param tag   what the caller submitted it with (say, a line number)
         * @param errno 0 on success, else the datapath's errno
         * @param reply the flow the datapath echoed (a private copy), or null
         */
        void completed(long tag, int errno, String extAck, FlowMessage reply) throws IOException;
    }

    /** A local action, run in order. */
    @FunctionalInterface
    public interface Action {
        void run() throws IOException;
    }

    private record Item(long serial, int seq, long tag, Action local) {
    }

    private record Outcome(int errno, String extAck, FlowMessage reply) {
    }

    private record Barrier(int seq, long serial, int bytes) {
    }

    private final NlClient nl;
    private final int flowFamily;
    private final int dpIfindex;
    private final NlWriter dgram = new NlWriter(DATAGRAM_BYTES + 64 * 1024);
    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    private final ArrayDeque<Barrier> barriers = new ArrayDeque<>();
    private final Map<Integer, Outcome> outcomes = new HashMap<>();
    private Listener listener = (tag, errno, ext, reply) -> { };
    private long lastSerial;
    private long doneSerial;
    private long inflight;
    private long requests;
    private long datagrams;
    private boolean closed;

    FlowBatch(NlClient nl, int flowFamily, int dpIfindex) {
        this.nl = nl;
        this.flowFamily = flowFamily;
        this.dpIfindex = dpIfindex;
    }

    /** Who hears of each request's outcome. */
    public FlowBatch listener(Listener l) {
        this.listener = l;
        return this;
    }

    /** Requests submitted so far. */
    public long requests() {
        return requests;
    }

    /** Datagrams sent so far. */
    public long datagrams() {
        return datagrams;
    }

    /** Queues a put ({@link Dpif#flowPut} semantics); {@code echo} asks for the flow back. */
    public void put(long tag, FlowRequest r, int putFlags, boolean echo) throws IOException {
        if ((putFlags & Dpif.PUT_ZERO_STATS) != 0) {
            r.clear(true);
        }
        if ((putFlags & Dpif.PUT_PROBE) != 0) {
            r.probe(true);
        }
        submit(tag, Dpif.putCmd(putFlags), Dpif.putNlFlags(putFlags) | (echo ? NlMsgHdr.F_ECHO : 0), r);
    }

    /** Queues a delete of one flow; {@code echo} asks for its final state. */
    public void del(long tag, FlowRequest r, boolean echo) throws IOException {
        submit(tag, FlowCmd.DEL, echo ? NlMsgHdr.F_ECHO : 0, r);
    }

    private void submit(long tag, int cmd, int nlFlags, FlowRequest r) throws IOException {
        if (closed) {
            throw new IllegalStateException("batch closed");
        }
        int seq = nl.nextSeq();
        int m = dgram.beginMessage(flowFamily, NlMsgHdr.F_REQUEST | nlFlags, seq, 0);
        dgram.putGenlHeader(cmd, Families.FLOW_VERSION);
        dgram.putRawU32(dpIfindex);
        r.put(dgram);
        dgram.endMessage(m);
        pending.add(new Item(++lastSerial, seq, tag, null));
        requests++;
        if (dgram.position() >= DATAGRAM_BYTES) {
            send();
        }
        deliver();
    }

    /** Runs {@code a} once everything submitted before it has completed (at once if nothing is pending). */
    public void local(Action a) throws IOException {
        if (pending.isEmpty()) {
            a.run();
        } else {
            pending.add(new Item(lastSerial, 0, 0, a));
        }
    }

    /** Sends what is packed and waits until every request so far has completed. */
    public void flush() throws IOException {
        if (dgram.position() > 0) {
            send();
        }
        while (!barriers.isEmpty()) {
            receive();
            deliver();
        }
        deliver();
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            flush();
            closed = true;
        }
    }

    /** Ends the datagram with a barrier, sends it, and reads replies while too much is in flight. */
    private void send() throws IOException {
        int seq = nl.nextSeq();
        int m = dgram.beginMessage(NlMsgHdr.NLMSG_NOOP, NlMsgHdr.F_REQUEST | NlMsgHdr.F_ACK, seq, 0);
        dgram.endMessage(m);
        int bytes = dgram.position();
        nl.channel().send(dgram.buffer(), 0, bytes);
        datagrams++;
        barriers.add(new Barrier(seq, lastSerial, bytes));
        inflight += bytes;
        dgram.reset();
        while (inflight > WINDOW_BYTES) {
            receive();
        }
    }

    /** Reads one datagram of replies: outcomes by seq, barrier ACKs advance the done mark. */
    private void receive() throws IOException {
        NetlinkChannel.Datagram d = nl.channel().receive();
        byte[] b = d.buf();
        int end = d.off() + d.len();
        for (int m = d.off(); end - m >= NlMsgHdr.LENGTH; ) {
            int len = NlMsgHdr.len(b, m);
            if (len < NlMsgHdr.LENGTH || len > end - m) {
                throw new IOException("malformed netlink reply (message length " + len + ")");
            }
            int seq = NlMsgHdr.seq(b, m);
            int type = NlMsgHdr.type(b, m);
            Barrier first = barriers.peekFirst();
            if (first != null && seq == first.seq) {
                if (type == NlMsgHdr.NLMSG_ERROR) {
                    barriers.removeFirst();
                    doneSerial = first.serial;
                    inflight -= first.bytes;
                }
            } else if (type == NlMsgHdr.NLMSG_ERROR) {
                int err = NlClient.errorOf(b, m);
                if (err != 0) {
                    outcomes.put(seq, new Outcome(-err, NlClient.extAckMessage(b, m), null));
                }
            } else if (type >= NlMsgHdr.NLMSG_MIN_TYPE) {
                outcomes.put(seq, new Outcome(0, null, new FlowMessage().wrap(b, m).copy()));
            }
            m += NlMsgHdr.align(len);
        }
    }

    /** Completes, in order, the items that the acknowledged barriers cover. */
    private void deliver() throws IOException {
        while (!pending.isEmpty() && pending.peekFirst().serial <= doneSerial) {
            Item it = pending.removeFirst();
            if (it.local != null) {
                it.local.run();
                continue;
            }
            Outcome o = outcomes.remove(it.seq);
            if (o == null) {
                listener.completed(it.tag, 0, null, null);
            } else {
                listener.completed(it.tag, o.errno, o.extAck, o.reply);
            }
        }
    }
}
