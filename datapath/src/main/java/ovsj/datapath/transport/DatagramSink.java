package ovsj.datapath.transport;

/**
 * Where a netlink socket's outgoing datagrams go: one call per datagram the kernel would have queued
 * on the socket (a reply, a dump batch, an NLMSG_DONE, an upcall). The bytes are only valid during the
 * call: a sink copies what it keeps.
 */
@FunctionalInterface
public interface DatagramSink {
    void deliver(byte[] buf, int off, int len);
}
