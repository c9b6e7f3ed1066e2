package ovsj.odp.dpif;

import java.io.IOException;

/**
 * One netlink socket, as a client sees it: datagrams out (requests, one or more netlink messages
 * each, as one {@code sendmsg()}), datagrams in (replies and unsolicited messages, as one
 * {@code recvmsg()}), and the socket's port id.
 *
 * <p>Threading: one thread may {@link #send} while another {@link #receive}s; two threads must not
 * send at once, nor receive at once.
 */
public interface NetlinkChannel extends AutoCloseable {

    /** Sends one datagram: {@code buf[off, off+len)}, whole netlink messages. */
    void send(byte[] buf, int off, int len) throws IOException;

    /**
     * Blocks for the next datagram. The bytes stay valid until the next {@code receive} on this
     * channel. Throws {@link java.io.EOFException} when the peer has closed the socket.
     */
    Datagram receive() throws IOException;

    /**
     * The socket's nonzero port id ({@code nlmsg_pid} of the replies it gets), or 0 while it is not
     * known yet (a UNIX-socket channel learns it from its first reply).
     */
    int portId();

    @Override
    void close() throws IOException;

    /** A received datagram: {@code buf[off, off+len)}. */
    record Datagram(byte[] buf, int off, int len) {
    }
}
