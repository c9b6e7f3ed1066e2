package ovsj.vswitchd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import ovsj.netlink.Errno;
import ovsj.odp.dpif.DpInfo;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.DpifException;
import ovsj.odp.dpif.NetlinkChannel;
import ovsj.odp.dpif.NlClient;
import ovsj.odp.dpif.VportInfo;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.UserFeatures;

/**
 * The daemon over one datapath (what {@code ovs-vswitchd} does for one bridge of the {@code system}
 * datapath type): it creates the datapath and its ports through netlink, opens an upcall socket per
 * {@link Handler}, runs the handlers and the {@link Udpif} (revalidators, flow limit), re-checks every
 * flow when the {@link Pipeline} changes, and answers the unixctl-facing operations
 * ({@code upcall/show}, {@code upcall/set-flow-limit}, {@code revalidator/purge}, {@code fdb/show}…).
 *
 * <p>It never sees the datapath itself: everything goes through {@link NetlinkChannel}s that a
 * {@link ChannelOpener} opens (an in-process transport, or UNIX sockets to a separate
 * {@code ovsj datapath}). A channel whose port id is not known when opened (a UNIX-socket channel)
 * learns it from the reply to an nlctrl {@code GETFAMILY} sent first.
 *
 * <p>Datapath: {@code OVS_DP_CMD_NEW} with the first handler's socket as the local port's upcall pid
 * and the user features {@code UNALIGNED | VPORT_PIDS}; if the datapath exists already it is taken
 * over (its flows flushed, as {@code dpif_flow_flush} on open). Every port gets all the handlers'
 * sockets as upcall pids (the datapath spreads upcalls over them by the packet's hash); a port that
 * exists with the same name is replaced. {@link #close()} stops the handlers and revalidators, deletes
 * the flows (their final statistics pushed), and deletes the datapath if {@link Config#deleteOnClose}.
 */
public final class Vswitchd implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("ovsj.vswitchd");

    /** Opens a new netlink socket to the datapath; {@code comm} names the user (log lines, thread). */
    @FunctionalInterface
    public interface ChannelOpener {
        NetlinkChannel open(String comm) throws IOException;
    }

    /** A port to create: {@code type} an {@link ovsj.odp.uapi.VportType} (or ovsj's pcap, 100). */
    public record PortSpec(String name, int type, byte[] options) {
        public PortSpec {
            Objects.requireNonNull(name);
        }
    }

    /** The settings (OVS's {@code other_config} of the daemon that matter here). */
    public static final class Config {
        String datapath = "ovsj0";
        Pipeline pipeline;
        int handlers = 1;
        int revalidators = 1;
        FlowLimit flowLimit;
        long maxIdleMs = Udpif.DEFAULT_MAX_IDLE_MS;
        final List<PortSpec> ports = new ArrayList<>();
        Coverage coverage;
        boolean deleteOnClose = true;

        /** The datapath's name (default {@code ovsj0}). */
        public Config datapath(String name) {
            this.datapath = Objects.requireNonNull(name);
            return this;
        }

        /** The translation (default a fresh {@link PipelineNormal}). */
        public Config pipeline(Pipeline p) {
            this.pipeline = p;
            return this;
        }

        /** Handler threads, each with its own upcall socket (default 1). */
        public Config handlers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("handlers must be at least 1, not " + n);
            }
            this.handlers = n;
            return this;
        }

        /** Revalidator threads (default 1). */
        public Config revalidators(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("revalidators must be at least 1, not " + n);
            }
            this.revalidators = n;
            return this;
        }

        /** The flow-limit controller (default OVS's, flow-limit 200000). */
        public Config flowLimit(FlowLimit fl) {
            this.flowLimit = fl;
            return this;
        }

        /** {@code other_config:max-idle}, ms (default 10000). */
        public Config maxIdleMs(long ms) {
            if (ms < 1) {
                throw new IllegalArgumentException("max-idle must be at least 1 ms, not " + ms);
            }
            this.maxIdleMs = ms;
            return this;
        }

        /** Adds a port to create. */
        public Config port(String name, int type, byte[] options) {
            ports.add(new PortSpec(name, type, options));
            return this;
        }

        /** Where the coverage counters go (default a fresh {@link Coverage}). */
        public Config coverage(Coverage c) {
            this.coverage = c;
            return this;
        }

        /** Whether {@link #close()} deletes the datapath (default true). */
        public Config deleteOnClose(boolean on) {
            this.deleteOnClose = on;
            return this;
        }
    }

    private final Config config;
    private final Pipeline pipeline;
    private final Coverage coverage;
    private final Dpif main;
    private final DpInfo dp;
    private final Udpif udpif;
    private final List<Handler> handlers = new ArrayList<>();
    private final List<Thread> handlerThreads = new ArrayList<>();
    private final List<Dpif> handlerDpifs = new ArrayList<>();
    private final List<HandlerSocket> sockets = new ArrayList<>();
    private final Map<Integer, String> portNames = new ConcurrentHashMap<>();
    private final Map<String, Integer> portNumbers = new LinkedHashMap<>();
    private boolean closed;

    private Vswitchd(Config config, Dpif main, Pipeline pipeline, Coverage coverage, DpInfo dp, Udpif udpif) {
        this.config = config;
        this.main = main;
        this.pipeline = pipeline;
        this.coverage = coverage;
        this.dp = dp;
        this.udpif = udpif;
    }

    /** Creates the datapath and its ports, starts the handlers and the revalidators. */
    public static Vswitchd start(ChannelOpener opener, Config config) throws IOException {
        Pipeline pipeline = config.pipeline != null ? config.pipeline : new PipelineNormal();
        Coverage coverage = config.coverage != null ? config.coverage : new Coverage();
        Dpif main = Dpif.open(opener.open("ovsj-vswitchd"));
        List<HandlerSocket> socks = new ArrayList<>();
        Vswitchd v = null;
        try {
            int[] pids = new int[config.handlers];
            for (int i = 0; i < config.handlers; i++) {
                HandlerSocket hs = HandlerSocket.of(withPortId(opener.open("handler" + i)));
                socks.add(hs);
                pids[i] = hs.portId();
            }
            DpInfo dp = createDatapath(main, config.datapath, pids[0]);
            Udpif udpif = new Udpif("system@" + config.datapath, dp.ifindex(),
                    () -> Dpif.open(opener.open("revalidator")), coverage);
            udpif.revalidators(config.revalidators).maxIdle(config.maxIdleMs)
                    .flowLimitPolicy(config.flowLimit != null ? config.flowLimit : new FlowLimit())
                    .revalidation(new PipelineRevalidation(pipeline, udpif::nowMs));
            v = new Vswitchd(config, main, pipeline, coverage, dp, udpif);
            v.sockets.addAll(socks);
            socks.clear();
            v.createPorts(pids);
            pipeline.onChange(udpif::revalidate);
            for (int i = 0; i < config.handlers; i++) {
                Dpif d = Dpif.open(opener.open("handler" + i + "-ops"));
                v.handlerDpifs.add(d);
                Handler h = new Handler(i, v.sockets.get(i), d, udpif, pipeline);
                v.handlers.add(h);
            }
            udpif.start();
            for (Handler h : v.handlers) {
                v.handlerThreads.add(h.start());
            }
            return v;
        } catch (IOException | RuntimeException e) {
            if (v != null) {
                try {
                    v.close();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            } else {
                for (HandlerSocket s : socks) {
                    closeQuietly(s);
                }
                closeQuietly(main);
            }
            throw e;
        }
    }

    /**
     * {@code ch} with its port id known: a channel that does not know it yet (UNIX socket) asks nlctrl
     * for a family and learns it from the reply's {@code nlmsg_pid}.
     */
    static NetlinkChannel withPortId(NetlinkChannel ch) throws IOException {
        if (ch.portId() == 0) {
            try {
                new NlClient(ch).resolveFamily(Families.DATAPATH_FAMILY);
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
                throw e;
            }
            if (ch.portId() == 0) {
                closeQuietly(ch);
                throw new IOException("the datapath's reply did not tell the socket's port id");
            }
        }
        return ch;
    }

    private static DpInfo createDatapath(Dpif main, String name, int pid) throws IOException {
        try {
            return main.dpNew(name, pid, UserFeatures.UNALIGNED | UserFeatures.VPORT_PIDS);
        } catch (DpifException e) {
            if (e.errno() != Errno.EEXIST) {
                throw new IOException("cannot create datapath " + name + ": " + e.getMessage(), e);
            }
        }
        DpInfo dp = main.dpGet(name);
        LOG.log(Level.INFO, "datapath {0} exists: taking it over (flows flushed)", name);
        main.flowFlush(dp.ifindex());
        main.vportSet(dp.ifindex(), 0, -1, new int[] {pid}, null);
        return dp;
    }

    private void createPorts(int[] pids) throws IOException {
        int ifindex = dp.ifindex();
        // The local port (number 0) is the bridge's own internal port.
        VportInfo local = main.vportSet(ifindex, 0, -1, pids, null);
        portNames.put(0, local.name());
        portNumbers.put(local.name(), 0);
        for (PortSpec p : config.ports) {
            try {
                VportInfo old = main.vportGet(ifindex, p.name());
                main.vportDel(ifindex, old.portNo());
            } catch (DpifException e) {
                if (e.errno() != Errno.ENODEV) {
                    throw e;
                }
            }
            VportInfo vi;
            try {
                vi = main.vportNew(ifindex, p.name(), p.type(), -1, pids, p.options());
            } catch (DpifException e) {
                throw new IOException("cannot add port " + p.name() + ": " + e.getMessage(), e);
            }
            portNames.put(vi.portNo(), vi.name());
            portNumbers.put(vi.name(), vi.portNo());
        }
        pipeline.setPorts(portNumbers.values().stream().mapToInt(Integer::intValue).toArray());
    }

    // ---- what the daemon's user sees ----------------------------------------------------------------

    public String datapathName() {
        return config.datapath;
    }

    public int dpIfindex() {
        return dp.ifindex();
    }

    public Udpif udpif() {
        return udpif;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public Coverage coverage() {
        return coverage;
    }

    public List<Handler> handlers() {
        return Collections.unmodifiableList(handlers);
    }

    /** Port names by number (the local port 0 included), in creation order. */
    public Map<String, Integer> ports() {
        return Collections.unmodifiableMap(portNumbers);
    }

    /** The name of port {@code portNo}, or its number as text. */
    public String portName(int portNo) {
        String n = portNames.get(portNo);
        return n != null ? n : Integer.toString(portNo);
    }

    /** {@code OVS_DP_CMD_GET}: the datapath's statistics (hit, missed, lost, flows, masks). */
    public DpInfo stats() throws IOException {
        synchronized (main) {
            return main.dpGet(dp.ifindex());
        }
    }

    /** {@code OVS_VPORT_CMD_GET} of a port by name. */
    public VportInfo port(String name) throws IOException {
        synchronized (main) {
            return main.vportGet(dp.ifindex(), name);
        }
    }

    /** Deletes a port (e.g. a traffic source that is done). */
    public void deletePort(String name) throws IOException {
        synchronized (main) {
            main.vportDel(dp.ifindex(), name);
        }
    }

    /** Upcalls the handlers read, summed. */
    public long upcalls() {
        long n = 0;
        for (Handler h : handlers) {
            n += h.upcalls();
        }
        return n;
    }

    /** Flows the handlers installed, summed. */
    public long flowsInstalled() {
        long n = 0;
        for (Handler h : handlers) {
            n += h.flowsInstalled();
        }
        return n;
    }

    /** Misses executed without installing because of the flow limit, summed. */
    public long limitHits() {
        long n = 0;
        for (Handler h : handlers) {
            n += h.limitHits();
        }
        return n;
    }

    // ---- unixctl operations (the reply texts) ----------------------------------------------------

    /** {@code upcall/show}. */
    public String upcallShow() {
        return UpcallShow.format(List.of(udpif));
    }

    /**
     * {@code upcall/set-flow-limit N}: OVS's reply, or null if {@code arg} is not a number (the caller
     * replies with an error).
     */
    public String setFlowLimit(String arg) {
        long n;
        try {
            n = Long.parseLong(arg.trim());
        } catch (NumberFormatException e) {
            return null;
        }
        if (n < 0 || n > 0xffff_ffffL) {
            return null;
        }
        return udpif.setFlowLimit(n);
    }

    /** {@code upcall/disable-ufid}. */
    public String disableUfid() {
        return udpif.disableUfid();
    }

    /** {@code upcall/enable-ufid}. */
    public String enableUfid() {
        return udpif.enableUfidCommand();
    }

    /** {@code revalidator/wait}: until a whole round has run after the call (false on timeout). */
    public boolean revalidatorWait(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        // The round in progress may have dumped before the call: wait for it, then for a whole one.
        if (!udpif.waitDump(timeoutMs)) {
            return false;
        }
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
        return udpif.waitDump(left);
    }

    /** {@code revalidator/purge}. */
    public void purge() throws IOException {
        udpif.purge();
        udpif.invalidateNFlows();
    }

    /** {@code fdb/show}: the MAC table, or null if the pipeline has none. */
    public String fdbShow() {
        MacLearning ml = pipeline.macLearning();
        return ml == null ? null : ml.show(udpif.nowMs(), this::portName);
    }

    /** {@code coverage/show}. */
    public String coverageShow() {
        coverage.run(udpif.nowMs());
        return coverage.show();
    }

    // ---- shutdown ---------------------------------------------------------------------------------

    /**
     * Stops handlers and revalidators, deletes the flows (final statistics pushed), closes every socket
     * and, with {@link Config#deleteOnClose}, deletes the datapath. Idempotent.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException first = null;
        for (Handler h : handlers) {
            h.stop();
        }
        for (Thread t : handlerThreads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            udpif.close();
        } catch (IOException e) {
            first = e;
        }
        for (Dpif d : handlerDpifs) {
            closeQuietly(d);
        }
        for (HandlerSocket s : sockets) {
            closeQuietly(s);
        }
        if (config.deleteOnClose) {
            try {
                synchronized (main) {
                    main.dpDel(dp.ifindex());
                }
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        closeQuietly(main);
        if (first != null) {
            throw first;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "close: {0}", e.getMessage());
        }
    }
}
