package ovsj.cli.run;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.List;

import ovsj.datapath.transport.InProcessTransport;
import ovsj.odp.dpif.NetlinkChannel;
import ovsj.vswitchd.HandlerSocket;

/**
 * An {@link InProcessTransport.Connection} seen as a netlink socket: a {@link NetlinkChannel} for a
 * {@link ovsj.odp.dpif.Dpif}, and a {@link HandlerSocket} for a handler (so that no reader thread
 * copies its upcalls a second time).
 *
 * <p>{@link #send} runs the request at once ({@code Connection.request}) on the calling thread and
 * queues the datagrams it produced; {@link #receive} returns them in order, then the unsolicited
 * datagrams ({@code pollUnsolicited}: upcalls) in the order they arrived.
 *
 * <p><b>Waiting.</b> A receive with nothing queued parks until the transport queues an unsolicited
 * datagram for this connection ({@code Connection.awaitUnsolicited}, the socket's wait queue), the
 * timeout passes, or the channel is closed: an idle handler costs nothing, and an upcall wakes it at
 * once.
 *
 * <p>Threading, as {@link NetlinkChannel}: one sender and one receiver at a time.
 */
public final class InProcessChannel implements NetlinkChannel, HandlerSocket {
    /** The longest single wait: a closed channel is noticed within this. */
    static final long MAX_PARK_NS = 100_000_000L;

    private final InProcessTransport.Connection conn;
    private final ArrayDeque<byte[]> replies = new ArrayDeque<>();
    private volatile boolean closed;

    public InProcessChannel(InProcessTransport.Connection conn) {
        this.conn = conn;
    }

    /**
     * Opens a connection of {@code transport} named {@code comm} (the kernel log's process name), with
     * paced dumps: a revalidator's dump holds one batch at a time, as from a kernel socket.
     */
    public static InProcessChannel open(InProcessTransport transport, String comm) {
        return new InProcessChannel(transport.open(comm).pacedDumps(true));
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("netlink socket " + conn.portId() + " is closed");
        }
        List<byte[]> out = conn.request(buf, off, len);
        synchronized (replies) {
            replies.addAll(out);
        }
    }

    /**
     * The next queued datagram (replies first — a paced dump's next batch made on demand, as
     * {@code netlink_recvmsg} runs the dump — then upcalls), or null.
     */
    private byte[] next() {
        synchronized (replies) {
            byte[] r = replies.poll();
            if (r == null && conn.dumpPending()) {
                replies.addAll(conn.continueDump());
                r = replies.poll();
            }
            if (r != null) {
                return r;
            }
        }
        return conn.pollUnsolicited();
    }

    @Override
    public Datagram receive() throws IOException {
        Datagram d = receive(Long.MAX_VALUE);
        if (d == null) {
            throw new EOFException("netlink socket " + conn.portId() + " is closed");
        }
        return d;
    }

    @Override
    public Datagram receive(long timeoutMs) throws IOException {
        long deadline = timeoutMs >= Long.MAX_VALUE / 2_000_000L ? Long.MAX_VALUE
                : System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            byte[] b = next();
            if (b != null) {
                return new Datagram(b, 0, b.length);
            }
            if (closed) {
                throw new EOFException("netlink socket " + conn.portId() + " is closed");
            }
            long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            conn.awaitUnsolicited(Math.min(MAX_PARK_NS, left));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting on netlink socket " + conn.portId());
            }
        }
    }

    @Override
    public Datagram poll() throws IOException {
        byte[] b = next();
        if (b != null) {
            return new Datagram(b, 0, b.length);
        }
        if (closed) {
            throw new EOFException("netlink socket " + conn.portId() + " is closed");
        }
        return null;
    }

    @Override
    public int portId() {
        return conn.portId();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            conn.close();
        }
    }
}
