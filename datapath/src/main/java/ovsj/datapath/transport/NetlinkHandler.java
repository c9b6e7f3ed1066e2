package ovsj.datapath.transport;

/**
 * The datapath's side of every transport: what the kernel does in {@code netlink_rcv_skb} for one
 * datagram a socket sent. Replies (and whole dumps) are sent on {@code sock} before this returns;
 * upcalls may arrive on it at any time later. Calls for one socket come one at a time, in order.
 */
public interface NetlinkHandler {
    void receive(NlSocket sock, byte[] buf, int off, int len);

    /** The socket is gone: forget anything kept for it (dumps in progress, upcall routes). */
    default void closed(NlSocket sock) {
    }

    /** Registers a socket so that upcalls addressed to its port id reach it. */
    default void opened(NlSocket sock) {
    }
}
