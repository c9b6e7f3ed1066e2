package ovsj.datapath;

import ovsj.datapath.transport.NetlinkHandler;
import ovsj.datapath.transport.NlSocket;

/**
 * The datapath as a whole (the kernel module's {@code ovs_net}): every datapath, its ports and flow
 * tables, and the generic-netlink families that serve them. Transports hand it datagrams; it answers
 * on the same socket.
 */
public final class OvsDatapath implements NetlinkHandler {
    private final int cpus;
    private volatile DumpMode dumpMode;

    public OvsDatapath(int cpus, DumpMode dumpMode) {
        this.cpus = cpus;
        this.dumpMode = dumpMode;
    }

    public int cpus() {
        return cpus;
    }

    public DumpMode dumpMode() {
        return dumpMode;
    }

    public void setDumpMode(DumpMode mode) {
        this.dumpMode = mode;
    }

    @Override
    public void receive(NlSocket sock, byte[] buf, int off, int len) {
        // Filled in by the genl families.
    }

    /**
     * {@code netdev-dummy/receive PORT HEXFRAME}: injects a frame on a port. Returns null on success or
     * an error text for the unixctl reply.
     */
    public String receiveFrame(String portName, byte[] frame) {
        return "the packet path is not built yet";
    }
}
