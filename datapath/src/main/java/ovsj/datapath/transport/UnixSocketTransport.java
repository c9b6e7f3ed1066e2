package ovsj.datapath.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovsj.odp.unixctl.UnixSockets;

/**
 * The datapath's netlink socket as a UNIX stream socket (the server protocol of
 * {@code shared/tools/README.md}): every datagram, in both directions, is one frame of a 4-byte
 * little-endian unsigned length N followed by the N bytes. Each accepted connection is one
 * {@link NlSocket} with its own port id.
 *
 * <p><b>Reading.</b> One virtual thread per connection reads frames and hands each to
 * {@link NetlinkHandler#receive} in order; it also calls {@link NetlinkHandler#opened} first and
 * {@link NetlinkHandler#closed} last, so the handler sees a connection's calls from one thread. A
 * zero-length frame, a frame over {@link #MAX_FRAME_BYTES}, an end of stream inside a frame or an I/O
 * error closes that connection only, with one log line naming its port id and the reason.
 *
 * <p><b>Writing and back-pressure.</b> A datagram is copied into a frame and queued on the
 * connection's {@link FrameQueue}; a writer thread per connection empties it with gathering writes,
 * so frames never interleave, whichever threads send them. The queue is bounded in bytes
 * ({@link Limits#queueBytes}). When it is full:
 * <ul>
 *   <li>a <em>reply</em> (sent from the connection's own reader thread, inside {@code receive}) waits
 *       for room, at most {@link Limits#stall}; then the peer is declared stuck and its connection is
 *       closed. Waiting is the natural back-pressure of a request/reply socket (the peer that does not
 *       read its replies stops being read), and the bound keeps a stuck peer from holding up the
 *       datapath, which may be sending while holding its own locks.</li>
 *   <li>an <em>upcall</em> (sent from any other thread, e.g. a forwarding thread) is dropped at once,
 *       as the kernel drops an upcall when the receiver's socket buffer is full; the count is in
 *       {@link #droppedDatagrams()}.</li>
 * </ul>
 * When a peer closes cleanly (end of stream at a frame boundary), replies already queued are still
 * written, so a client may shut down its sending side and read the rest.
 */
public final class UnixSocketTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UnixSocketTransport.class);

    /** The largest frame accepted from a peer. */
    public static final int MAX_FRAME_BYTES = 1 << 20;

    /** How much one gathering write takes from the queue at most. */
    private static final int WRITE_BATCH_BYTES = 256 * 1024;

    /**
     * Tunables. {@code queueBytes}: outgoing bytes per connection before back-pressure;
     * {@code stall}: how long a reply may wait for room before the connection is closed;
     * {@code comm}: the peer process name the datapath prints in kernel-style log lines (a UNIX socket
     * does not tell Java the peer's pid, so this is fixed per transport).
     */
    public record Limits(long queueBytes, Duration stall, String comm) {
        public static final Limits DEFAULT = new Limits(4L << 20, Duration.ofSeconds(5), "nlclient");
    }

    private final Path path;
    private final NetlinkHandler handler;
    private final PortIds portIds;
    private final Limits limits;
    private final ServerSocketChannel server;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final LongAdder dropped = new LongAdder();
    private final Thread acceptor;
    private volatile boolean closed;

    public UnixSocketTransport(Path path, NetlinkHandler handler, PortIds portIds) throws IOException {
        this(path, handler, portIds, Limits.DEFAULT);
    }

    /**
     * Binds {@code path} (mode 0600; refuses if another server answers there, replaces a stale socket
     * file, see {@link UnixSockets#bindExclusive}) and starts accepting.
     */
    public UnixSocketTransport(Path path, NetlinkHandler handler, PortIds portIds, Limits limits)
            throws IOException {
        this.path = path.toAbsolutePath();
        this.handler = handler;
        this.portIds = portIds;
        this.limits = limits;
        this.server = UnixSockets.bindExclusive(this.path, "ovsj datapath");
        this.acceptor = Thread.ofVirtual().name("nl-accept").start(this::acceptLoop);
    }

    public Path path() {
        return path;
    }

    /** Connections currently open. */
    public int connectionCount() {
        return connections.size();
    }

    /** Upcalls (datagrams from other threads) dropped because a peer's queue was full. */
    public long droppedDatagrams() {
        return dropped.sum();
    }

    /** Stops accepting, closes every connection (the handler hears of each), deletes the socket file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.warn("netlink socket {}: closing the listener: {}", path, e.toString());
        }
        for (Connection c : connections) {
            c.abort();
        }
        for (Connection c : connections) {
            c.join(limits.stall().toMillis() + 1000);
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("netlink socket {}: cannot remove the socket file: {}", path, e.toString());
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                log.warn("netlink socket {}: accept failed: {}", path, e.toString());
                try {
                    Thread.sleep(100); // e.g. out of file descriptors: do not spin
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            Connection c = new Connection(ch, portIds.next());
            connections.add(c);
            c.start();
            if (closed) { // raced with close(), which may not have seen it
                c.abort();
            }
        }
    }

    /** One accepted connection = one netlink socket. */
    private final class Connection {
        final SocketChannel ch;
        final int portId;
        final NlSocket sock;
        final FrameQueue out = new FrameQueue(limits.queueBytes());
        final AtomicBoolean failed = new AtomicBoolean();
        /** Why the connection is being closed, for the one log line; null for a clean end. */
        volatile String failure;
        /** What the datapath threw, if that is why (logged with the line). */
        volatile Throwable cause;
        /** The peer ended its side cleanly: a failing write after that is no news. */
        volatile boolean eof;
        Thread reader;
        Thread writer;

        Connection(SocketChannel ch, int portId) {
            this.ch = ch;
            this.portId = portId;
            this.sock = new NlSocket(portId, this::deliver, limits.comm());
        }

        void start() {
            writer = Thread.ofVirtual().name("nl-write-" + portId).unstarted(this::writeLoop);
            reader = Thread.ofVirtual().name("nl-read-" + portId).unstarted(this::readLoop);
            writer.start();
            reader.start();
        }

        /** The socket's sink: called by the datapath, from the reader (replies) or any thread (upcalls). */
        private boolean deliver(byte[] buf, int off, int len) {
            if (failed.get()) {
                return false;
            }
            byte[] frame = new byte[4 + len];
            ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(len);
            System.arraycopy(buf, off, frame, 4, len);
            if (Thread.currentThread() == reader) {
                if (out.offer(frame, limits.stall().toNanos()) == FrameQueue.Offer.FULL) {
                    // Do not close here: we are inside handler.receive. Fail the socket so that
                    // further sends are dropped; the reader closes it once receive returns.
                    fail("peer is not reading: " + out.pendingBytes() + " bytes of replies still unsent after "
                            + limits.stall().toMillis() + " ms");
                    return false;
                }
                return true;
            } else if (out.offer(frame, 0) == FrameQueue.Offer.FULL) {
                dropped.increment();
                return false;
            }
            return true;
        }

        private void readLoop() {
            ByteBuffer hdr = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            byte[] buf = new byte[8192];
            try {
                handler.opened(sock);
                while (!failed.get()) {
                    hdr.clear();
                    int got = readFully(hdr);
                    if (got == 0) {
                        eof = true; // clean end of stream between frames
                        break;
                    } else if (got < 4) {
                        fail("end of stream inside a frame header (" + got + " of 4 bytes)");
                        break;
                    }
                    long n = Integer.toUnsignedLong(hdr.getInt(0));
                    if (n == 0) {
                        fail("zero-length frame");
                        break;
                    } else if (n > MAX_FRAME_BYTES) {
                        fail("frame of " + n + " bytes is longer than the limit of " + MAX_FRAME_BYTES);
                        break;
                    }
                    if (buf.length < n) {
                        buf = new byte[(int) Math.min(MAX_FRAME_BYTES, Math.max(n, 2L * buf.length))];
                    }
                    ByteBuffer body = ByteBuffer.wrap(buf, 0, (int) n);
                    got = readFully(body);
                    if (got < n) {
                        fail("end of stream inside a frame (" + got + " of " + n + " bytes)");
                        break;
                    }
                    // The buffer is reused for the next frame: the handler answers before returning.
                    handler.receive(sock, buf, 0, (int) n);
                }
            } catch (ClosedChannelException e) {
                if (!closed) {
                    fail("connection closed");
                }
            } catch (IOException e) {
                fail("read error: " + e.getMessage());
            } catch (RuntimeException | StackOverflowError e) {
                cause = e;
                fail("the datapath failed on a request: " + e);
            } finally {
                finishReading();
            }
        }

        /** Reads until {@code b} is full or the stream ends; returns the bytes read. */
        private int readFully(ByteBuffer b) throws IOException {
            int start = b.position();
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    break;
                }
            }
            return b.position() - start;
        }

        /** After the last receive: the handler forgets the socket, queued replies go out, all closes. */
        private void finishReading() {
            sock.close(); // no more sends: upcalls routed here are dropped from now on
            try {
                handler.closed(sock);
            } catch (RuntimeException e) {
                log.error("netlink connection (port id {}): the datapath failed to forget it", portId, e);
            }
            if (!failed.get()) {
                out.finish();
                try {
                    if (!out.awaitDrained(limits.stall().toNanos())) {
                        fail("peer is not reading: replies unsent at close after " + limits.stall().toMillis() + " ms");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            out.abort();
            closeChannel();
            try {
                writer.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connections.remove(this);
            String why = failure;
            if (why != null && !closed) {
                if (cause != null) {
                    log.error("netlink connection (port id {}) closed: {}", portId, why, cause);
                } else {
                    log.warn("netlink connection (port id {}) closed: {}", portId, why);
                }
            } else {
                log.debug("netlink connection (port id {}) closed", portId);
            }
        }

        private void writeLoop() {
            try {
                while (true) {
                    List<byte[]> frames = out.take(WRITE_BATCH_BYTES);
                    if (frames == null) {
                        return;
                    }
                    ByteBuffer[] bufs = new ByteBuffer[frames.size()];
                    long total = 0;
                    for (int i = 0; i < bufs.length; i++) {
                        bufs[i] = ByteBuffer.wrap(frames.get(i));
                        total += bufs[i].remaining();
                    }
                    long left = total;
                    while (left > 0) {
                        left -= ch.write(bufs);
                    }
                    out.written(total);
                }
            } catch (ClosedChannelException e) {
                // closed by the reader or close(): it says why
            } catch (IOException e) {
                if (eof) {
                    out.abort(); // the peer hung up without reading the rest: its choice
                } else {
                    fail("write error: " + e.getMessage());
                }
                closeChannel(); // wakes the reader, which finishes the connection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Marks the connection dead with a reason (the first one wins) and drops pending output. */
        void fail(String why) {
            if (failed.compareAndSet(false, true)) {
                failure = why;
                sock.close();
                out.abort();
            }
        }

        /** Closes from outside (transport shutdown): the reader wakes up and finishes. */
        void abort() {
            fail("transport closed");
            closeChannel();
        }

        void join(long millis) {
            try {
                if (reader != null) {
                    reader.join(millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void closeChannel() {
            try {
                ch.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
