package ovsj.datapath.transport;

/**
 * Where a netlink socket's outgoing datagrams go: one call per datagram the kernel would have queued
 * on the socket (a reply, a dump batch, an NLMSG_DONE, an upcall). The bytes are only valid during the
 * call: a sink copies what it keeps. Returns false when the datagram was dropped (the receiver's
 * buffer is full), which the datapath counts for upcalls as the kernel does ({@code n_lost}).
 */
@FunctionalInterface
public interface DatagramSink {
    boolean deliver(byte[] buf, int off, int len);
}
