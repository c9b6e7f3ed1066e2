package ovsj.datapath.replay;

import java.util.List;

/**
 * A netlink socket as the replay sees it: send one request datagram, get back every datagram that
 * belongs to it (replies, dump batches, DONE, and any upcall that arrived meanwhile), in order.
 */
interface ReplayConnection extends AutoCloseable {
    int portId();

    List<byte[]> request(byte[] datagram);

    /** Runs {@code inject} (a frame into a port) and returns the datagrams (upcalls) it caused. */
    List<byte[]> inject(Runnable inject);

    @Override
    void close();
}
