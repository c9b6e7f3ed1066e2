package ovsj.datapath.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A netlink transport without a socket: the caller hands a request datagram in and gets back the reply
 * datagrams the kernel would have queued, exactly as the UNIX-socket transport frames them. Upcalls
 * and other unsolicited datagrams wait in a queue until {@link Connection#pollUnsolicited()}.
 *
 * <p>Used by the daemon (in-process datapath) and by tests that replay the kernel vectors.
 */
public final class InProcessTransport {
    /**
     * How many bytes of upcalls may wait unread on one connection before more are dropped: the
     * kernel socket's receive buffer ({@code SO_RCVBUF}) as OVS sets it for upcall sockets.
     */
    public static final long UNSOLICITED_LIMIT_BYTES = 4L << 20;

    private final NetlinkHandler handler;
    private final PortIds portIds;

    public InProcessTransport(NetlinkHandler handler, PortIds portIds) {
        this.handler = handler;
        this.portIds = portIds;
    }

    /** Opens a new netlink socket with a fresh port id. */
    public Connection open(String comm) {
        return new Connection(comm);
    }

    /** One in-process netlink socket. Not thread-safe: one caller at a time. */
    public final class Connection implements AutoCloseable {
        private final NlSocket sock;
        private final ArrayDeque<byte[]> unsolicited = new ArrayDeque<>();
        private volatile List<byte[]> replies;

        Connection(String comm) {
            this.sock = new NlSocket(portIds.next(), this::deliver, comm);
            handler.opened(sock);
        }

        private boolean deliver(byte[] buf, int off, int len) {
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            // While a request runs, everything sent to the socket (its replies, and an upcall its
            // EXECUTE caused on a forwarding thread) queues behind what came before, as on a kernel
            // socket: the request's caller gets it in that order.
            List<byte[]> r = replies;
            if (r != null) {
                synchronized (r) {
                    if (replies == r) {
                        r.add(copy);
                        return true;
                    }
                }
            }
            synchronized (unsolicited) {
                if (unsolicitedBytes + len > UNSOLICITED_LIMIT_BYTES) {
                    return false; // as a full socket receive buffer: the upcall is lost
                }
                unsolicitedBytes += len;
                unsolicited.add(copy);
            }
            Thread w = waiter; // volatile read after the queue's unlock: a waiter that parked sees it
            if (w != null) {
                LockSupport.unpark(w);
            }
            return true;
        }

        /** The thread parked in {@link #awaitUnsolicited}, if any (the socket's wait queue). */
        private volatile Thread waiter;

        /**
         * Parks the calling thread (the socket's one reader) until an unsolicited datagram is queued, the
         * timeout passes, or it is interrupted; returns at once if one is queued already. Spurious
         * returns are possible: callers re-check.
         */
        public void awaitUnsolicited(long timeoutNanos) {
            waiter = Thread.currentThread();
            try {
                boolean empty;
                synchronized (unsolicited) {
                    empty = unsolicited.isEmpty();
                }
                if (empty) {
                    LockSupport.parkNanos(this, timeoutNanos);
                }
            } finally {
                waiter = null;
            }
        }

        private long unsolicitedBytes;


        public int portId() {
            return sock.portId();
        }

        public NlSocket socket() {
            return sock;
        }

        /** Sends one datagram; returns every datagram sent back while it was processed, in order. */
        public List<byte[]> request(byte[] datagram) {
            return request(datagram, 0, datagram.length);
        }

        public List<byte[]> request(byte[] buf, int off, int len) {
            return collect(() -> handler.receive(sock, buf, off, len));
        }

        /**
         * Paced dumps ({@link NlSocket#pacedDumps(boolean)}): a dump request returns its first batch,
         * {@link #continueDump} each next one.
         */
        public Connection pacedDumps(boolean on) {
            sock.pacedDumps(on);
            return this;
        }

        /** Whether a paced dump has batches left for {@link #continueDump}. */
        public boolean dumpPending() {
            return sock.dumpPending();
        }

        /** The pending dump's next batch (with DONE at the end), or nothing if none is pending. */
        public List<byte[]> continueDump() {
            return collect(sock::continueDump);
        }

        /** Runs {@code r} and returns every datagram sent to this socket meanwhile, in order. */
        private List<byte[]> collect(Runnable r) {
            List<byte[]> out = new ArrayList<>();
            replies = out;
            try {
                r.run();
            } finally {
                synchronized (out) {
                    replies = null;
                }
            }
            return out;
        }

        /** The next datagram that arrived outside a request (an upcall), or null. */
        public byte[] pollUnsolicited() {
            synchronized (unsolicited) {
                byte[] d = unsolicited.poll();
                if (d != null) {
                    unsolicitedBytes -= d.length;
                }
                return d;
            }
        }

        @Override
        public void close() {
            sock.close();
            handler.closed(sock);
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w); // a parked reader sees the socket closed
            }
        }
    }
}
