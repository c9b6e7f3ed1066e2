package ovsj.datapath;

import ovsj.datapath.genl.CtLimitFamily;
import ovsj.datapath.genl.DatapathFamily;
import ovsj.datapath.genl.FlowFamily;
import ovsj.datapath.genl.GenlServer;
import ovsj.datapath.genl.MeterFamily;
import ovsj.datapath.genl.PacketFamily;
import ovsj.datapath.genl.VportFamily;
import ovsj.datapath.transport.NetlinkHandler;
import ovsj.datapath.transport.NlSocket;
import ovsj.odp.KernelLog;

/**
 * The datapath as a whole (the kernel module's {@code ovs_net}): every datapath, its ports and flow
 * tables, and the generic-netlink families that serve them. Transports hand it datagrams; it answers
 * on the same socket.
 */
public final class OvsDatapath implements NetlinkHandler {
    private final int cpus;
    private final OvsNet net = new OvsNet();
    private final GenlServer genl;
    private final KernelLog klog;
    private volatile DumpMode dumpMode;

    /** A datapath that writes the kernel's log lines, rate-limited, to the {@code ovsj.kernel} logger. */
    public OvsDatapath(int cpus, DumpMode dumpMode) {
        this(cpus, dumpMode, new RateLimitedKernelLog());
    }

    public OvsDatapath(int cpus, DumpMode dumpMode, KernelLog klog) {
        if (cpus < 1) {
            throw new IllegalArgumentException("at least one forwarding thread is needed, not " + cpus);
        }
        this.cpus = cpus;
        this.dumpMode = dumpMode;
        this.klog = klog;
        this.genl = new GenlServer(klog);
        // Registration order gives the family ids (0x20...) the recording had:
        // ovs_datapath, ovs_vport, ovs_flow, ovs_packet, ovs_meter, ovs_ct_limit.
        genl.register(new DatapathFamily(this));
        genl.register(new VportFamily(this));
        genl.register(new FlowFamily(this));
        genl.register(new PacketFamily(this));
        genl.register(new MeterFamily());
        genl.register(new CtLimitFamily());
    }

    public int cpus() {
        return cpus;
    }

    public OvsNet net() {
        return net;
    }

    public GenlServer genl() {
        return genl;
    }

    public KernelLog klog() {
        return klog;
    }

    public DumpMode dumpMode() {
        return dumpMode;
    }

    /**
     * Switches the dump mode at run time. Leaving {@link DumpMode#MATCH_CACHE} frees every flow's cache
     * (a later switch back rebuilds them on the next dump), so the setting never leaves memory behind.
     */
    public void setDumpMode(DumpMode mode) {
        DumpMode old = this.dumpMode;
        this.dumpMode = mode;
        if (old == DumpMode.MATCH_CACHE && mode != DumpMode.MATCH_CACHE) {
            for (Datapath dp : net.datapaths()) {
                ovsj.datapath.table.DumpCursor c = new ovsj.datapath.table.DumpCursor();
                for (ovsj.datapath.table.Flow f = dp.table().dumpNext(c); f != null; f = dp.table().dumpNext(c)) {
                    f.clearMatchCache();
                }
                dp.matchCacheBytes.set(0);
            }
        }
    }

    /** One line for {@code dpif/show-dump-mode}: the mode and, for match-cache, what the caches hold. */
    public String dumpModeStatus() {
        DumpMode m = dumpMode;
        if (m != DumpMode.MATCH_CACHE) {
            return m.cliName();
        }
        long bytes = 0;
        for (Datapath dp : net.datapaths()) {
            bytes += dp.matchCacheBytes.get();
        }
        return m.cliName() + " (match caches: " + bytes + " bytes)";
    }

    @Override
    public void receive(NlSocket sock, byte[] buf, int off, int len) {
        genl.receive(sock, buf, off, len);
    }

    /**
     * {@code netdev-dummy/receive PORT HEXFRAME}: injects a frame on a port. Returns null on success or
     * an error text for the unixctl reply.
     */
    public String receiveFrame(String portName, byte[] frame) {
        return "the packet path is not built yet";
    }
}
