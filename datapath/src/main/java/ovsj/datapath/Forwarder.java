package ovsj.datapath;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ovsj.datapath.actions.ActionContext;
import ovsj.datapath.actions.ActionExecutor;
import ovsj.datapath.actions.UpcallInfo;
import ovsj.datapath.flow.KeyExtractor;
import ovsj.datapath.table.Flow;
import ovsj.datapath.table.LookupStats;
import ovsj.datapath.vport.VportDevice;
import ovsj.netlink.NlWriter;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.PacketCmd;
import ovsj.odp.uapi.UserFeatures;
import ovsj.odp.uapi.VportType;

/**
 * One forwarding thread: the kernel's receive path on one CPU ({@code ovs_vport_receive} →
 * {@code ovs_dp_process_packet} → {@code ovs_execute_actions}, or {@code ovs_dp_upcall} on a miss).
 * It owns slot {@link #cpu} of every flow's and datapath's counters, its mask-cache row, an action
 * executor and the buffers it builds upcalls in, so the hit path neither locks nor allocates.
 *
 * <p>Work arrives on a bounded queue (a duty cycle of {@link #doWork()}): frames from ports, injected
 * frames and EXECUTE requests. Everything that touches packets runs on this thread.
 */
public final class Forwarder implements ActionContext, Runnable {
    /** The per-thread work queue's capacity: what a port may have in flight before it drops. */
    public static final int QUEUE_CAPACITY = 4096;
    private static final int ETH_HLEN = 14;
    /** The MTU of our devices (an internal netdev's default). */
    public static final int MTU = 1500;

    private final OvsDatapath ovs;
    private final int cpu;
    private final LookupStats lookup = new LookupStats();
    private final ActionExecutor exec = new ActionExecutor();
    private final NlWriter upcallBuf = new NlWriter(4096);
    private final Packet rx = new Packet();
    private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private volatile boolean running = true;
    /**
     * Odd from just before a lookup until the hit flow's statistics are counted (see {@link #quiesce()}):
     * entered with a full fence (the lookup must not read the table before the odd value is visible to
     * a remover), left with a release store (the counts before the even value). Only this thread writes.
     */
    private final java.util.concurrent.atomic.AtomicLong busy = new java.util.concurrent.atomic.AtomicLong();
    private Datapath dp;

    Forwarder(OvsDatapath ovs, int cpu) {
        this.ovs = ovs;
        this.cpu = cpu;
    }

    public int cpu() {
        return cpu;
    }

    // ---- the thread --------------------------------------------------------------------------------

    /** Queues work for this thread; false if the queue is full (the caller counts a drop). */
    boolean offer(Runnable work) {
        return queue.offer(work);
    }

    /** Runs {@code work} on this thread and waits for it (control-path callers: injection, EXECUTE). */
    int call(java.util.function.IntSupplier work) {
        if (Thread.currentThread() instanceof ForwarderThread t && t.forwarder == this) {
            return work.getAsInt();
        }
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Runnable r = () -> {
            try {
                done.complete(work.getAsInt());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        };
        try {
            if (!queue.offer(r, 5, TimeUnit.SECONDS)) {
                return -105; // ENOBUFS: the forwarding thread is swamped
            }
            return done.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -4;
        } catch (Exception e) {
            throw new IllegalStateException("forwarding thread " + cpu + " failed", e);
        }
    }

    /** One duty cycle: waits briefly for work, then runs what is queued. Returns the work done. */
    int doWork() throws InterruptedException {
        Runnable r = queue.poll(100, TimeUnit.MILLISECONDS);
        int n = 0;
        while (r != null) {
            r.run();
            n++;
            r = queue.poll();
        }
        return n;
    }

    @Override
    public void run() {
        while (running) {
            try {
                doWork();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void stop() {
        running = false;
    }

    /**
     * Waits until the lookup running now, if any, has counted its packet (the kernel's RCU grace period
     * for this CPU, narrowed to what it protects here): a packet that found a flow in the table before
     * the flow left it has counted itself in the flow's statistics by then, and those counts are
     * visible to the caller. Lookups that start later see the table as it is now. The window is a
     * lookup and a counter update, so the wait is a short spin. Returns at once on this forwarder's
     * own thread.
     */
    void quiesce() {
        if (Thread.currentThread() instanceof ForwarderThread t && t.forwarder == this) {
            return;
        }
        long s = busy.get();
        for (int spins = 0; (s & 1) != 0 && busy.get() == s && running; spins++) {
            if ((spins & 0xfff) == 0xfff) {
                Thread.yield(); // preempted inside the window: let it run
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** The thread a forwarder runs on, so that work already on it is not queued again. */
    static final class ForwarderThread extends Thread {
        final Forwarder forwarder;

        ForwarderThread(Forwarder f) {
            super(f, "ovsj-forwarder-" + f.cpu);
            this.forwarder = f;
            setDaemon(true);
        }
    }

    // ---- receive ---------------------------------------------------------------------------------------

    /**
     * {@code ovs_vport_receive} (called on this thread): a frame from port {@code in}. An internal
     * port's netdev counts what its host side transmits into the datapath as TX; other ports count RX.
     */
    public int receive(Vport in, byte[] frame, int off, int len) {
        Packet p = rx.wrap(frame, off, len, in.portNo());
        boolean internal = in.type() == VportType.INTERNAL;
        int err = KeyExtractor.extract(p);
        if (err != 0) {
            in.count(internal ? Vport.TX_ERRORS : Vport.RX_ERRORS, 1);
            return err;
        }
        in.count(internal ? Vport.TX_PACKETS : Vport.RX_PACKETS, 1);
        in.count(internal ? Vport.TX_BYTES : Vport.RX_BYTES, len);
        process(in.datapath(), p, p.key);
        return 0;
    }

    /** {@code ovs_dp_process_packet}: look up, count, execute; or miss and upcall. */
    void process(Datapath d, Packet p, FlowKey key) {
        Datapath prev = dp;
        dp = d;
        try {
            DpStatsPerCpu st = d.stats();
            long inLookup = busy.incrementAndGet();
            Flow flow;
            try {
                flow = d.table().lookupStats(key, KeyExtractor.hash(p), cpu, lookup);
                if (flow != null) {
                    flow.stats().update(cpu, p.len, key.u16(FlowKey.TCP_FLAGS_OFFSET), ovs.nowMs());
                }
            } finally {
                busy.lazySet(inLookup + 1);
            }
            if (flow == null) {
                Vport in = d.port(p.inPort);
                int pid;
                if ((d.userFeatures() & UserFeatures.DISPATCH_UPCALL_PER_CPU) != 0) {
                    pid = perCpuPid(d);
                } else {
                    pid = in == null ? 0 : in.upcallPid(KeyExtractor.hash(p));
                }
                upcall(d, p, key, PacketCmd.MISS, pid, null, p.mru, 0);
                st.add(cpu, DpStatsPerCpu.MISSED, 1);
            } else {
                byte[] acts = flow.actions();
                exec.execute(p, key, acts, 0, acts.length, this);
                st.add(cpu, DpStatsPerCpu.HIT, 1);
            }
            st.add(cpu, DpStatsPerCpu.MASK_HIT, lookup.nMaskHit());
            st.add(cpu, DpStatsPerCpu.CACHE_HIT, lookup.nCacheHit());
        } finally {
            dp = prev;
        }
    }

    /** {@code ovs_dp_get_upcall_portid}. */
    private int perCpuPid(Datapath d) {
        int[] pids = d.perCpuPids();
        if (pids.length == 0) {
            return 0;
        }
        return pids[cpu < pids.length ? cpu : cpu % pids.length];
    }

    /** {@code ovs_dp_upcall}: queue an upcall, or count it lost (pid 0, or no room at the receiver). */
    private int upcall(Datapath d, Packet p, FlowKey key, int cmd, int pid, UpcallInfo info, int mru, int cutlen) {
        if (pid == 0) {
            d.stats().add(cpu, DpStatsPerCpu.LOST, 1);
            return -107; // ENOTCONN
        }
        int n;
        if (info == null) {
            n = Upcall.build(upcallBuf, ovs.packetFamilyId(), cmd, d, p, key, null, 0, 0, null, 0, 0, mru, cutlen);
        } else {
            n = Upcall.build(upcallBuf, ovs.packetFamilyId(), cmd, d, p, key,
                    info.hasUserdata() ? info.stored() : null, info.userdataOff(), info.userdataLen(),
                    info.hasActions() ? info.stored() : null, info.actionsOff(), info.actionsLen(), mru, cutlen);
        }
        if (!ovs.deliverUpcall(pid, upcallBuf.buffer(), n)) {
            d.stats().add(cpu, DpStatsPerCpu.LOST, 1);
            return -111; // ECONNREFUSED / ENOBUFS: nobody took it
        }
        return 0;
    }

    // ---- ActionContext ------------------------------------------------------------------------------

    /** {@code do_output} + {@code ovs_vport_send}. */
    @Override
    public void output(Packet p, int portNo, FlowKey key) {
        Vport v = dp.port(portNo);
        if (v == null) {
            return;
        }
        VportDevice dev = v.device();
        boolean internal = v.type() == VportType.INTERNAL;
        if (dev == null || ActionExecutor.macProto(key) != FlowKey.MAC_PROTO_ETHERNET) {
            v.count(internal ? Vport.RX_DROPPED : Vport.TX_DROPPED, 1);
            return;
        }
        // packet_length(): the L3 length, an outer 802.1Q/802.1ad tag not counted (read from the frame:
        // the key may be stale after a push).
        int tpid = p.len >= ETH_HLEN ? ((p.buf[p.off + 12] & 0xff) << 8) | (p.buf[p.off + 13] & 0xff) : 0;
        int l3len = p.len - ETH_HLEN - (tpid == 0x8100 || tpid == 0x88a8 ? 4 : 0);
        if (l3len > MTU) {
            v.count(Vport.TX_ERRORS, 1);
            ovs.klog().log("openvswitch: " + v.name() + ": dropped over-mtu packet: " + l3len + " > " + MTU);
            return;
        }
        if (!dev.send(p)) {
            v.count(internal ? Vport.RX_DROPPED : Vport.TX_DROPPED, 1);
            return;
        }
        // The host side of an internal port receives it (internal_dev_recv counts after eth_type_trans).
        v.count(internal ? Vport.RX_PACKETS : Vport.TX_PACKETS, 1);
        v.count(internal ? Vport.RX_BYTES : Vport.TX_BYTES, internal ? p.len - ETH_HLEN : p.len);
    }

    /** {@code output_userspace}: an ACTION upcall; per-CPU dispatch picks the handler's socket. */
    @Override
    public int userspace(Packet p, FlowKey key, UpcallInfo info) {
        int pid = (dp.userFeatures() & UserFeatures.DISPATCH_UPCALL_PER_CPU) != 0 ? perCpuPid(dp) : info.portId();
        return upcall(dp, p, key, info.cmd(), pid, info, info.mru(), info.cutlen());
    }

    /** {@code ovs_dp_process_packet} for a recirculated packet. */
    @Override
    public void recirc(Packet p, FlowKey key, int recircId) {
        process(dp, p, key);
    }

    /** {@code ovs_flow_key_update}: the frame's L2-L4 fields again, the metadata kept. */
    @Override
    public int flowKeyUpdate(Packet p, FlowKey key) {
        key.u8(FlowKey.MAC_PROTO_OFFSET, key.macProto() & ~ActionExecutor.KEY_INVALID);
        if (key == p.key) {
            return KeyExtractor.keyExtract(p);
        }
        p.key.copyFrom(key);
        int err = KeyExtractor.keyExtract(p);
        key.copyFrom(p.key);
        return err;
    }

    @Override
    public String dpName() {
        return dp == null ? "ovs-system" : dp.name();
    }

    @Override
    public void logRateLimited(String line) {
        ovs.klog().log(line);
    }

    // ---- EXECUTE ------------------------------------------------------------------------------------

    /**
     * {@code ovs_packet_cmd_execute}'s tail, on this thread: the frame with the request's metadata,
     * its L2-L4 fields extracted from the frame, then the actions.
     */
    int execute(Datapath d, Vport input, byte[] frame, FlowKey metadata, byte[] acts, int mru, long hash,
                boolean hasHash) {
        Packet p = new Packet().wrap(frame, 0, frame.length, input.portNo());
        p.key.copyFrom(metadata);
        p.priority = metadata.u32(FlowKey.PRIORITY_OFFSET);
        p.mark = metadata.u32(FlowKey.SKB_MARK_OFFSET);
        p.mru = mru;
        if (hasHash) {
            p.hash = (int) hash;
            p.swHash = (hash & Upcall.HASH_SW_BIT) != 0;
            p.l4Hash = (hash & Upcall.HASH_L4_BIT) != 0;
        }
        int err = KeyExtractor.keyExtract(p);
        if (err != 0) {
            return err;
        }
        Datapath prev = dp;
        dp = d;
        try {
            return exec.execute(p, p.key, acts, 0, acts.length, this);
        } finally {
            dp = prev;
        }
    }
}
