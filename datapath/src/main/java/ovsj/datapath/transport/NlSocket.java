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

    public boolean isClosed() {
        return closed;
    }

    public void close() {
        closed = true;
    }
}
