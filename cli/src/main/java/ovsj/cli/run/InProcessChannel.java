package ovsj.cli.run;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

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
 * <p><b>Waiting.</b> The transport has no notification for an unsolicited datagram (its socket's sink
 * is private to the connection), so a receive with nothing queued polls with parking: it re-checks
 * after {@value #MIN_PARK_NS} ns, doubling the pause up to {@value #MAX_PARK_NS} ns (1 ms) while nothing
 * comes. An idle handler thus wakes about 1000 times a second (a few microseconds of CPU each), and an
 * upcall waits at most 1 ms more than it would with a real wake-up; under load the first poll finds
 * the next upcall and nothing parks at all. A notifying sink in the transport would remove the pause.
 *
 * <p>Threading, as {@link NetlinkChannel}: one sender and one receiver at a time.
 */
public final class InProcessChannel implements NetlinkChannel, HandlerSocket {
    static final long MIN_PARK_NS = 20_000L;
    static final long MAX_PARK_NS = 1_000_000L;

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
        long park = MIN_PARK_NS;
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
            LockSupport.parkNanos(Math.min(park, left));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting on netlink socket " + conn.portId());
            }
            park = Math.min(park * 2, MAX_PARK_NS);
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
