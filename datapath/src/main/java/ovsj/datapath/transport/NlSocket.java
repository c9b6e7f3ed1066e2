package ovsj.datapath.transport;

/**
 * One netlink socket as the datapath sees it: a nonzero port id (the kernel's {@code portid}), the
 * socket options the vectors were recorded with ({@code NETLINK_EXT_ACK} on, {@code NETLINK_CAP_ACK}
 * off, a 64 KiB receive buffer), the process name the kernel would print in its log, and the sink its
 * datagrams go to. A transport creates one per connection.
 */
public final class NlSocket {
    /** {@code SKB_WITH_OVERHEAD(32768)}: a dump batch for a reader with a 64 KiB receive buffer. */
    public static final int DUMP_BATCH_BYTES = 32448;

    private final int portId;
    private final DatagramSink sink;
    private final String comm;
    private volatile boolean closed;
    private volatile boolean pacedDumps;
    /** The dump waiting for its reader (paced sockets only); touched by the socket's reader only. */
    private DumpContinuation pendingDump;

    /** The rest of a dump: {@link #next} sends its next batch (or NLMSG_DONE) to the socket. */
    public interface DumpContinuation {
        /** Sends the next batch; false once the dump has ended (NLMSG_DONE sent). */
        boolean next();
    }

    public NlSocket(int portId, DatagramSink sink, String comm) {
        if (portId == 0) {
            throw new IllegalArgumentException("port id 0 is the kernel's");
        }
        this.portId = portId;
        this.sink = sink;
        this.comm = comm;
    }

    public int portId() {
        return portId;
    }

    /** The peer's process name, as the kernel's {@code current->comm} in log lines. */
    public String comm() {
        return comm;
    }

    public boolean extAck() {
        return true;
    }

    public boolean capAck() {
        return false;
    }

    public int dumpBatchBytes() {
        return DUMP_BATCH_BYTES;
    }

    /** Sends one datagram to the socket's owner; false if it was dropped (closed, or no room). */
    public boolean send(byte[] buf, int off, int len) {
        return !closed && sink.deliver(buf, off, len);
    }

    /**
     * Paced dumps, as the kernel runs them: a dump request sends its first batch at once and each later
     * batch only when the reader asks ({@link #continueDump}, the kernel's {@code netlink_recvmsg}
     * calling {@code netlink_dump}), so a reader holds one batch at a time instead of the whole table.
     * Off by default: the dump then runs to its end within the request.
     */
    public NlSocket pacedDumps(boolean on) {
        this.pacedDumps = on;
        return this;
    }

    public boolean pacedDumps() {
        return pacedDumps;
    }

    /** Whether a paced dump is waiting for its reader (a new dump gets EBUSY meanwhile). */
    public boolean dumpPending() {
        return pendingDump != null;
    }

    /** Parks the rest of a dump until the reader asks for it. */
    public void pendingDump(DumpContinuation rest) {
        this.pendingDump = rest;
    }

    /** Sends the pending dump's next batch; false if no dump was pending. */
    public boolean continueDump() {
        DumpContinuation d = pendingDump;
        if (d == null) {
            return false;
        }
        if (!d.next()) {
            pendingDump = null;
        }
        return true;
    }

    public boolean isClosed() {
        return closed;
    }

    public void close() {
        closed = true;
    }
}
