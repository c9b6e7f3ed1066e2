package ovsj.datapath;

import ovsj.datapath.genl.CtLimitFamily;
import ovsj.datapath.genl.DatapathFamily;
import ovsj.datapath.genl.FlowFamily;
import ovsj.datapath.genl.GenlServer;
import ovsj.datapath.genl.MeterFamily;
import ovsj.datapath.genl.PacketExecutor;
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
    private final java.util.concurrent.ConcurrentHashMap<Integer, NlSocket> sockets =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Forwarder[] forwarders;
    private final int packetFamilyId;

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
        PacketFamily packet = new PacketFamily(this);
        genl.register(packet);
        packet.executor(this::execute);
        genl.register(new MeterFamily());
        genl.register(new CtLimitFamily());
        this.packetFamilyId = packet.id();
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

    @Override
    public void opened(NlSocket sock) {
        sockets.put(sock.portId(), sock);
    }

    @Override
    public void closed(NlSocket sock) {
        sockets.remove(sock.portId(), sock);
    }

    // ---- the packet path --------------------------------------------------------------------------

    /** The forwarding threads, started on first use. */
    private Forwarder[] forwarders() {
        Forwarder[] f = forwarders;
        if (f == null) {
            synchronized (this) {
                f = forwarders;
                if (f == null) {
                    f = new Forwarder[cpus];
                    for (int i = 0; i < cpus; i++) {
                        f[i] = new Forwarder(this, i);
                        new Forwarder.ForwarderThread(f[i]).start();
                    }
                    forwarders = f;
                }
            }
        }
        return f;
    }

    /** The forwarding thread a port's frames go to (port-affine, as a NIC queue is to a CPU). */
    Forwarder forwarderFor(Vport v) {
        Forwarder[] f = forwarders();
        return f[Math.floorMod(v.portNo(), f.length)];
    }

    /**
     * A frame arrived on port {@code v} (a device's ingress: pcap replay): queued for the port's
     * forwarding thread. False when the thread's queue is full: the port counts a drop.
     */
    public boolean receive(Vport v, byte[] frame, int off, int len) {
        byte[] copy = java.util.Arrays.copyOfRange(frame, off, off + len);
        Forwarder f = forwarderFor(v);
        boolean queued = f.offer(() -> f.receive(v, copy, 0, copy.length));
        if (!queued) {
            v.count(v.type() == ovsj.odp.uapi.VportType.INTERNAL ? Vport.TX_DROPPED : Vport.RX_DROPPED, 1);
        }
        return queued;
    }

    /**
     * {@code netdev-dummy/receive PORT HEXFRAME}: injects a frame on a port and waits until the datapath
     * has handled it. Returns null on success or an error text for the unixctl reply.
     */
    public String receiveFrame(String portName, byte[] frame) {
        Vport v = net.vport(portName);
        if (v == null) {
            return "no such dummy netdev";
        }
        Forwarder f = forwarderFor(v);
        f.call(() -> f.receive(v, frame, 0, frame.length));
        return null;
    }

    /** {@code OVS_PACKET_CMD_EXECUTE}: the actions run on a forwarding thread, the caller waits. */
    private int execute(PacketExecutor.Execution x) {
        Forwarder f = forwarders()[0];
        return f.call(() -> f.execute(x.dp(), x.input(), x.packet(), x.key(), x.actions(), x.mru(), x.hash(),
                x.hasHash()));
    }

    /**
     * A forwarder for slot {@code cpu} that no thread runs: the caller drives it (benchmarks, tests).
     * Use it only while no frames reach slot {@code cpu} through the datapath's own threads.
     */
    public Forwarder detachedForwarder(int cpu) {
        if (cpu < 0 || cpu >= cpus) {
            throw new IllegalArgumentException("cpu " + cpu + " is not in 0.." + (cpus - 1));
        }
        return new Forwarder(this, cpu);
    }

    /**
     * Waits for every forwarding thread to finish the packet it is forwarding now (an RCU grace period),
     * so that a flow just removed from its table has its final statistics: see {@link Forwarder#quiesce}.
     * Detached forwarders are not waited for.
     */
    public void quiesce() {
        // The caller's unlink must be visible before it reads the forwarders' windows (Dekker's
        // StoreLoad; the forwarders enter theirs with a full fence too).
        java.lang.invoke.VarHandle.fullFence();
        Forwarder[] f = forwarders;
        if (f != null) {
            for (Forwarder x : f) {
                x.quiesce();
            }
        }
    }

    /** Sends an upcall to the socket with port id {@code pid}; false if none or it had no room. */
    boolean deliverUpcall(int pid, byte[] buf, int len) {
        NlSocket s = sockets.get(pid);
        return s != null && s.send(buf, 0, len);
    }

    int packetFamilyId() {
        return packetFamilyId;
    }

    /** Monotonic milliseconds, the clock of a flow's {@code used} time (the kernel's ktime). */
    long nowMs() {
        return System.nanoTime() / 1_000_000L;
    }

    /** Stops the forwarding threads. */
    public void close() {
        Forwarder[] f = forwarders;
        if (f != null) {
            for (Forwarder x : f) {
                x.stop();
            }
        }
    }
}
