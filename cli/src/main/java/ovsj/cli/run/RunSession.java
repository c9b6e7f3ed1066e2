package ovsj.cli.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.transport.InProcessTransport;
import ovsj.datapath.transport.PortIds;
import ovsj.datapath.transport.UnixSocketTransport;
import ovsj.datapath.vport.PcapDevice;
import ovsj.datapath.vport.PcapOptions;
import ovsj.datapath.vport.TxCommands;
import ovsj.netlink.NlWriter;
import ovsj.odp.dpif.DpInfo;
import ovsj.odp.dpif.UnixSocketChannel;
import ovsj.odp.dpif.VportInfo;
import ovsj.odp.uapi.VportType;
import ovsj.odp.unixctl.UnixctlServer;
import ovsj.odp.unixctl.UnixctlServer.CommandException;
import ovsj.vswitchd.FlowLimit;
import ovsj.vswitchd.Pipeline;
import ovsj.vswitchd.PipelineNormal;
import ovsj.vswitchd.PipelineRules;
import ovsj.vswitchd.RulesParseException;
import ovsj.vswitchd.Vswitchd;

/**
 * One {@code ovsj run}: the datapath (embedded, or a separate {@code ovsj datapath} over its socket),
 * the daemon ({@link Vswitchd}), the built-in traffic source, the unixctl server and the status line.
 * {@link #start} brings everything up, {@link #awaitExit} waits for {@code exit}, the duration or
 * {@link #requestExit}, {@link #close} takes everything down (idempotent, safe from a shutdown hook)
 * and removes the sockets and the traffic file.
 */
public final class RunSession implements AutoCloseable {
    /** The settings of a run (the command line's options). */
    public static final class Options {
        public Path datapathSocket;
        public Path unixctl;
        /** Netlink socket the embedded datapath also serves (for {@code ovsj dpctl}); null = none. */
        public Path netlink;
        public Path runDir;
        public String pipeline = "normal";
        public Path rules;
        public int handlers = 1;
        public int revalidators = 1;
        public String flowLimitPolicy = "ovs";
        public long flowLimit = FlowLimit.DEFAULT_MAX;
        public long maxIdleMs = 10_000;
        public int cpus = Math.min(4, Runtime.getRuntime().availableProcessors());
        public String dumpMode = DumpMode.MATCH_CACHE.cliName();
        /** Flows of the generated traffic ({@link TrafficMix}); 0 = none. */
        public int traffic = 10_000;
        /** Frames per flow and pass of the generated traffic, on average. */
        public int rounds = 2;
        /** Whether the default ports replay the generated traffic in a loop. */
        public boolean loop = true;
        /** Default rate of the pcap ports, packets per second (0 = as fast as the datapath takes them). */
        public int ratePps = 50_000;
        /** The ports ({@code --ports}); null = {@link RunPorts#defaults}. */
        public List<RunPorts.Port> ports;
        /** A progress bar while the first pass offers the flows, from this many flows on. */
        public int loadingMinFlows = LOADING_MIN_FLOWS;
        public long durationSec;
        public String datapathName = "ovsj0";
        public String version = "0";
        /** Whether the status line is rewritten in place (a terminal) or printed as lines. */
        public boolean inPlace;
    }

    /** From this many generated flows on, a progress bar shows their loading. */
    public static final int LOADING_MIN_FLOWS = 50_000;

    /** What a run did, at its end (or now). */
    public record Summary(long seconds, long flowsNow, long flowsMax, long flowsInstalled, long upcalls,
            long hit, long missed, long lost, long limit, long dumpDurationMs, long rounds) {
        public String text() {
            long total = hit + missed;
            return String.format(Locale.ROOT,
                    "summary: %ds, %d datapath flows at the end (max %d), %d installed by the handlers,"
                            + " %d upcalls, %d revalidator rounds (last %dms), flow limit %d;"
                            + " datapath: %d hit, %d missed, %d lost (hit rate %.1f%%)",
                    seconds, flowsNow, flowsMax, flowsInstalled, upcalls, rounds, dumpDurationMs, limit,
                    hit, missed, lost, total == 0 ? 0.0 : 100.0 * hit / total);
        }
    }

    private final Options o;
    private final PrintWriter out;
    private final CountDownLatch exit = new CountDownLatch(1);
    private OvsDatapath dp;
    private UnixSocketTransport nlServer;
    private Vswitchd vswitchd;
    private UnixctlServer ctl;
    private Path trafficFile;
    private Path destinationsFile;
    private TrafficMix mix;
    private List<RunPorts.Port> ports;
    private String sourcesPort;
    private long trafficWriteNs;
    private long trafficStartNs;
    private Thread status;
    private long startNs;
    private volatile Summary last;
    private boolean closed;

    private RunSession(Options o, PrintWriter out) {
        this.o = o;
        this.out = out;
    }

    public Vswitchd vswitchd() {
        return vswitchd;
    }

    /** The embedded datapath, or null with {@code --datapath-socket}. */
    public OvsDatapath datapath() {
        return dp;
    }

    public UnixctlServer unixctl() {
        return ctl;
    }

    /** The generated sources' traffic file, or null. */
    public Path trafficFile() {
        return trafficFile;
    }

    /** The generated traffic, or null. */
    public TrafficMix traffic() {
        return mix;
    }

    /** The ports of the run, as created. */
    public List<RunPorts.Port> ports() {
        return ports;
    }

    /** Starts a run; on failure everything started is taken down again. */
    public static RunSession start(Options o, PrintWriter out) throws IOException, RulesParseException {
        RunSession s = new RunSession(o, out);
        try {
            s.start0();
        } catch (IOException | RulesParseException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void start0() throws IOException, RulesParseException {
        startNs = System.nanoTime();
        DumpMode mode = DumpMode.fromCliName(o.dumpMode);
        if (mode == null) {
            throw new IllegalArgumentException("invalid dump mode '" + o.dumpMode + "'");
        }
        Pipeline pipeline = switch (o.pipeline) {
            case "normal" -> new PipelineNormal();
            case "rules" -> {
                if (o.rules == null) {
                    throw new IllegalArgumentException("--pipeline rules needs --rules FILE");
                }
                yield PipelineRules.load(o.rules);
            }
            default -> throw new IllegalArgumentException("unknown pipeline '" + o.pipeline + "'");
        };
        FlowLimit fl = new FlowLimit(FlowLimit.Policy.parse(o.flowLimitPolicy), o.flowLimit,
                FlowLimit.DEFAULT_BUDGET_MS);

        // The unixctl socket first: a second instance on the same path fails before doing anything.
        ctl = new UnixctlServer(o.unixctl, o.version);

        Vswitchd.ChannelOpener opener;
        if (o.datapathSocket == null) {
            dp = new OvsDatapath(o.cpus, mode);
            PortIds ids = new PortIds(1);
            InProcessTransport t = new InProcessTransport(dp, ids);
            opener = comm -> InProcessChannel.open(t, comm);
            if (o.netlink != null) {
                try {
                    nlServer = new UnixSocketTransport(o.netlink, dp, ids);
                } catch (IOException e) {
                    out.println("ovsj run: not serving netlink on " + o.netlink + " (" + e.getMessage()
                            + "); ovsj dpctl will not reach this datapath");
                    out.flush();
                }
            }
        } else {
            Path p = o.datapathSocket;
            opener = comm -> UnixSocketChannel.connect(p);
        }

        Vswitchd.Config cfg = new Vswitchd.Config().datapath(o.datapathName).pipeline(pipeline)
                .handlers(o.handlers).revalidators(o.revalidators).flowLimit(fl).maxIdleMs(o.maxIdleMs);
        ports = o.ports != null ? o.ports : RunPorts.defaults(o.traffic > 0, o.loop);
        RunPorts.check(ports, o.traffic, o.datapathName);
        if (ports.stream().anyMatch(RunPorts.Port::generated)) {
            Files.createDirectories(o.runDir);
            String stem = "traffic-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
            trafficFile = o.runDir.resolve(stem + "-sources.pcap");
            destinationsFile = o.runDir.resolve(stem + "-destinations.pcap");
            long t0 = System.nanoTime();
            mix = TrafficMix.write(trafficFile, destinationsFile, o.traffic, o.rounds);
            trafficWriteNs = System.nanoTime() - t0;
            sourcesPort = ports.stream().filter(p -> RunPorts.SOURCES.equals(p.input())).map(RunPorts.Port::name)
                    .findFirst().orElse(null);
        }
        for (RunPorts.Port p : ports) {
            if (p.type() == RunPorts.Type.INTERNAL) {
                cfg.port(p.name(), VportType.INTERNAL, null);
            } else {
                cfg.port(p.name(), PcapDevice.OVS_VPORT_TYPE_PCAP, pcapOptions(p));
            }
        }
        vswitchd = Vswitchd.start(opener, cfg);
        trafficStartNs = System.nanoTime();

        registerCommands();
        ctl.start();
        status = Thread.ofPlatform().daemon().name("ovsj-run-status").start(this::statusLoop);
    }

    /** A pcap port's options: generated inputs by their file, paths absolute, the rate defaulted. */
    private byte[] pcapOptions(RunPorts.Port p) {
        String in = null;
        long rate = p.ratePps();
        if (RunPorts.SOURCES.equals(p.input())) {
            in = trafficFile.toAbsolutePath().toString();
        } else if (RunPorts.DESTINATIONS.equals(p.input())) {
            in = destinationsFile.toAbsolutePath().toString();
            if (rate < 0) {
                rate = mix.destinationRate(o.ratePps);
            }
        } else if (p.input() != null) {
            in = Path.of(p.input()).toAbsolutePath().toString();
        }
        String out = p.output() == null ? null : Path.of(p.output()).toAbsolutePath().toString();
        NlWriter w = new NlWriter(4096);
        new PcapOptions(in, out, (int) (rate < 0 ? o.ratePps : rate), p.loop()).put(w);
        return Arrays.copyOf(w.buffer(), w.position());
    }

    private void registerCommands() {
        Vswitchd v = vswitchd;
        ctl.register("exit", "", 0, 0, args -> {
            requestExit();
            return "";
        });
        ctl.register("upcall/show", "", 0, 0, args -> v.upcallShow());
        ctl.register("upcall/set-flow-limit", "flow-limit-number", 1, 1, args -> {
            String r = v.setFlowLimit(args[0]);
            if (r == null) {
                throw new CommandException("invalid flow limit '" + args[0] + "'");
            }
            return r;
        });
        ctl.register("upcall/disable-ufid", "", 0, 0, args -> v.disableUfid());
        ctl.register("upcall/enable-ufid", "", 0, 0, args -> v.enableUfid());
        ctl.register("revalidator/wait", "", 0, 0, args -> {
            try {
                if (!v.revalidatorWait(30_000)) {
                    throw new CommandException("timed out waiting for a revalidator round");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandException("interrupted");
            }
            return "";
        });
        ctl.register("revalidator/purge", "", 0, 0, args -> {
            try {
                v.purge();
            } catch (IOException e) {
                throw new CommandException("purge failed: " + e.getMessage());
            }
            return "";
        });
        ctl.register("fdb/show", "bridge", 0, 1, args -> {
            if (args.length == 1 && !args[0].equals(v.datapathName())) {
                throw new CommandException("no such bridge");
            }
            String r = v.fdbShow();
            if (r == null) {
                throw new CommandException("the pipeline has no MAC learning table");
            }
            return r;
        });
        ctl.register("coverage/show", "", 0, 0, args -> v.coverageShow());
        if (dp != null) {
            OvsDatapath d = dp;
            ctl.register("dpif/show-dump-mode", "", 0, 0, args -> d.dumpModeStatus());
            ctl.register("dpif/set-dump-mode", "serialize|match-cache", 1, 1, args -> {
                DumpMode m = DumpMode.fromCliName(args[0]);
                if (m == null) {
                    throw new CommandException("invalid dump mode '" + args[0] + "'");
                }
                d.setDumpMode(m);
                return "dump mode set to " + m.cliName();
            });
            TxCommands.register(ctl, d.net());
        } else {
            UnixctlServer.Handler elsewhere = args -> {
                throw new CommandException("the dump mode is the datapath's: ask its unixctl socket");
            };
            ctl.register("dpif/show-dump-mode", "", 0, 0, elsewhere);
            ctl.register("dpif/set-dump-mode", "serialize|match-cache", 1, 1, elsewhere);
        }
    }

    /** Ends {@link #awaitExit}. */
    public void requestExit() {
        exit.countDown();
    }

    /** Waits for {@code exit}, {@link #requestExit} or the duration (0: none). */
    public void awaitExit() throws InterruptedException {
        if (o.durationSec > 0) {
            exit.await(o.durationSec, TimeUnit.SECONDS);
        } else {
            exit.await();
        }
    }

    // ---- status -----------------------------------------------------------------------------------

    /**
     * A status line a second; before it, while the first pass of a large generated traffic offers its
     * flows, a progress bar (four times a second in place, a line a second otherwise), then one line
     * saying how long the loading took.
     */
    private void statusLoop() {
        boolean loading = loadingShown();
        Summary prev = null;
        long prevNs = trafficStartNs;
        long next = System.nanoTime();
        while (exit.getCount() > 0) {
            next += loading && o.inPlace ? 250_000_000L : 1_000_000_000L;
            try {
                long wait = next - System.nanoTime();
                if (wait > 0 && exit.await(wait, TimeUnit.NANOSECONDS)) {
                    break;
                }
                Summary s = summary();
                long now = System.nanoTime();
                if (loading) {
                    long replayed = replayed();
                    if (replayed < mix.sourceFrames()) {
                        print(StatusLine.loading(mix.offered(replayed), mix.flows(), s.flowsNow(), s.limit()), false);
                        continue;
                    }
                    loading = false;
                    print(String.format(Locale.ROOT, "loaded %d flows in %.1fs: %d in the datapath, limit %d",
                            mix.flows(), (now - trafficStartNs) / 1e9, s.flowsNow(), s.limit()), true);
                    next = now;
                } else {
                    print(StatusLine.status(s, prev, now - prevNs), false);
                }
                prev = s;
                prevNs = now;
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                synchronized (out) {
                    out.println("ovsj run: status: " + e.getMessage());
                    out.flush();
                }
            }
        }
    }

    /** A status text: rewritten in place on a terminal (unless {@code keep}), a line otherwise. */
    private void print(String line, boolean keep) {
        synchronized (out) {
            if (o.inPlace) {
                out.print("\r\033[K" + line + (keep ? System.lineSeparator() : ""));
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    /** Whether the status starts with the loading progress bar. */
    private boolean loadingShown() {
        return mix != null && sourcesPort != null && mix.flows() >= o.loadingMinFlows;
    }

    /** Frames the port replaying the generated sources has replayed (taken and refused). */
    private long replayed() throws IOException {
        long[] st = vswitchd.port(sourcesPort).stats();
        return st[VportInfo.RX_PACKETS] + st[VportInfo.RX_DROPPED];
    }

    /**
     * What the run's traffic is, for its first line: the generated mix and where it goes, or the pcap
     * ports' inputs, or none.
     */
    public String trafficText() {
        StringBuilder b = new StringBuilder();
        if (mix != null) {
            b.append(String.format(Locale.ROOT,
                    "%d flows (UDP and TCP, Zipf %.1f) from %d sources on %s to %d destinations on %s at %s,"
                            + " %d frames a pass, written in %d ms",
                    mix.flows(), TrafficMix.ZIPF_EXPONENT, mix.sources(), portsWith(RunPorts.SOURCES),
                    mix.destinations(), portsWith(RunPorts.DESTINATIONS),
                    o.ratePps == 0 ? "full speed" : o.ratePps + " pkt/s", mix.sourceFrames(),
                    trafficWriteNs / 1_000_000));
        }
        for (RunPorts.Port p : ports) {
            if (p.input() != null && !p.generated()) {
                b.append(b.isEmpty() ? "" : "; ").append(p.input()).append(" into ").append(p.name());
            }
        }
        return b.isEmpty() ? "no traffic" : b.toString();
    }

    private String portsWith(String input) {
        String names = String.join(",", ports.stream().filter(p -> input.equals(p.input()))
                .map(RunPorts.Port::name).toList());
        return names.isEmpty() ? "no port" : names;
    }

    /** The numbers now (asks the datapath for its statistics). */
    public Summary summary() throws IOException {
        Vswitchd v = vswitchd;
        DpInfo st = v.stats();
        var u = v.udpif();
        Summary s = new Summary((System.nanoTime() - startNs) / 1_000_000_000L, st.flows(),
                Math.max(u.maxNFlows(), st.flows()), v.flowsInstalled(), v.upcalls(), st.hit(), st.missed(),
                st.lost(), u.flowLimit(), u.dumpDuration(), u.rounds());
        last = s;
        return s;
    }

    /** The last {@link #summary()} taken (the one {@link #close} took before tearing down), or null. */
    public Summary lastSummary() {
        return last;
    }

    /** Takes everything down, prints the summary, removes the sockets and the traffic file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        exit.countDown();
        if (status != null) {
            status.interrupt();
            try {
                status.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (vswitchd != null) {
            try {
                Summary s = summary();
                synchronized (out) {
                    if (o.inPlace) {
                        out.println();
                    }
                    out.println(s.text());
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                // no summary then
            }
        }
        if (ctl != null) {
            ctl.close();
        }
        if (vswitchd != null) {
            try {
                vswitchd.close();
            } catch (IOException | RuntimeException e) {
                synchronized (out) {
                    out.println("ovsj run: shutdown: " + e.getMessage());
                    out.flush();
                }
            }
        }
        if (nlServer != null) {
            nlServer.close();
        }
        if (dp != null) {
            dp.close();
        }
        for (Path f : new Path[] {trafficFile, destinationsFile}) {
            try {
                if (f != null) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                // left behind in the run directory
            }
        }
    }
}
