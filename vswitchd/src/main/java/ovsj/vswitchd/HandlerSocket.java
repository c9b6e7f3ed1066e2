package ovsj.vswitchd;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import ovsj.odp.dpif.NetlinkChannel;

/**
 * An upcall socket as a {@link Handler} reads it: a blocking wait (with a timeout) for the first
 * datagram of a batch, and a non-blocking read for the rest ({@code recv_upcalls} reads with
 * {@code MSG_DONTWAIT} until {@code EAGAIN} or 64 upcalls). The datagram's bytes stay valid until the
 * next call on the socket.
 *
 * <p>A {@link NetlinkChannel} that implements this interface (an in-process transport can) is used as
 * it is by {@link #of}; any other channel gets a reader thread that copies its datagrams into a
 * bounded queue (when the queue is full the reader stops reading, and the datapath's socket buffer
 * fills and loses upcalls, as a kernel socket would).
 */
public interface HandlerSocket extends AutoCloseable {

    /**
     * The next datagram, waiting up to {@code timeoutMs}; null if none came. Throws
     * {@link EOFException} once the socket is closed and drained.
     */
    NetlinkChannel.Datagram receive(long timeoutMs) throws IOException;

    /** The next datagram if one is ready now, else null. */
    NetlinkChannel.Datagram poll() throws IOException;

    /** The socket's netlink port id (what vports name as their upcall PID). */
    int portId();

    @Override
    void close() throws IOException;

    /** {@code ch} itself if it is a {@code HandlerSocket}, else {@code ch} behind a reader thread. */
    static HandlerSocket of(NetlinkChannel ch) {
        if (ch instanceof HandlerSocket hs) {
            return hs;
        }
        return new Reader(ch, Reader.DEFAULT_QUEUE);
    }

    /** A reader thread over a blocking channel (see {@link HandlerSocket}). */
    final class Reader implements HandlerSocket {
        /** Datagrams the queue holds before the reader stops reading. */
        public static final int DEFAULT_QUEUE = 4096;
        private static final NetlinkChannel.Datagram EOF = new NetlinkChannel.Datagram(new byte[0], 0, 0);

        private final NetlinkChannel ch;
        private final BlockingQueue<NetlinkChannel.Datagram> queue;
        private final Thread thread;
        private volatile boolean closed;
        private volatile IOException failure;
        private boolean eof;

        Reader(NetlinkChannel ch, int capacity) {
            this.ch = ch;
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.thread = Thread.ofPlatform().daemon().name("upcall-reader-" + ch.portId()).start(this::run);
        }

        private void run() {
            try {
                while (!closed) {
                    NetlinkChannel.Datagram d = ch.receive();
                    byte[] copy = Arrays.copyOfRange(d.buf(), d.off(), d.off() + d.len());
                    queue.put(new NetlinkChannel.Datagram(copy, 0, copy.length));
                }
            } catch (EOFException e) {
                // the socket was closed: end of stream
            } catch (IOException e) {
                if (!closed) {
                    failure = e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                queue.offer(EOF);
            }
        }

        private NetlinkChannel.Datagram check(NetlinkChannel.Datagram d) throws IOException {
            if (d == EOF) {
                eof = true;
                queue.offer(EOF);
            }
            if (eof) {
                if (failure != null) {
                    throw failure;
                }
                throw new EOFException("upcall socket closed");
            }
            return d;
        }

        @Override
        public NetlinkChannel.Datagram receive(long timeoutMs) throws IOException {
            if (eof) {
                return check(EOF);
            }
            try {
                NetlinkChannel.Datagram d = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
                return d == null ? null : check(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for upcalls");
            }
        }

        @Override
        public NetlinkChannel.Datagram poll() throws IOException {
            if (eof) {
                return check(EOF);
            }
            NetlinkChannel.Datagram d = queue.poll();
            return d == null ? null : check(d);
        }

        @Override
        public int portId() {
            return ch.portId();
        }

        @Override
        public void close() throws IOException {
            closed = true;
            ch.close();
            thread.interrupt();
        }
    }
}
