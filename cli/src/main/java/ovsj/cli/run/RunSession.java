package ovsj.cli.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
        public int traffic = 10_000;
        public int rounds = 3;
        public boolean loop = true;
        public int ratePps = 50_000;
        public long durationSec;
        public String datapathName = "ovsj0";
        public String version = "0";
        /** Whether the status line is rewritten in place (a terminal) or printed as lines. */
        public boolean inPlace;
    }

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

    public Path trafficFile() {
        return trafficFile;
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
        if (o.traffic > 0) {
            Files.createDirectories(o.runDir);
            trafficFile = o.runDir.resolve("traffic-" + ProcessHandle.current().pid() + "-"
                    + Long.toHexString(System.nanoTime()) + ".pcap");
            TrafficPcap.write(trafficFile, o.traffic, o.rounds);
            cfg.port("p1", PcapDevice.OVS_VPORT_TYPE_PCAP, pcapOptions(trafficFile.toAbsolutePath(), o.ratePps, o.loop));
        } else {
            cfg.port("p1", VportType.INTERNAL, null);
        }
        cfg.port("p2", VportType.INTERNAL, null).port("p3", VportType.INTERNAL, null);
        vswitchd = Vswitchd.start(opener, cfg);

        registerCommands();
        ctl.start();
        status = Thread.ofPlatform().daemon().name("ovsj-run-status").start(this::statusLoop);
    }

    static byte[] pcapOptions(Path input, int ratePps, boolean loop) {
        NlWriter w = new NlWriter(256);
        new PcapOptions(input.toString(), null, ratePps, loop).put(w);
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

    private void statusLoop() {
        long prevPackets = -1;
        long prevUpcalls = 0;
        long next = System.nanoTime();
        while (exit.getCount() > 0) {
            next += 1_000_000_000L;
            try {
                long wait = next - System.nanoTime();
                if (wait > 0 && exit.await(wait, TimeUnit.NANOSECONDS)) {
                    break;
                }
                Summary s = summary();
                long packets = s.hit() + s.missed();
                long pps = prevPackets < 0 ? packets : packets - prevPackets;
                long ups = s.upcalls() - prevUpcalls;
                prevPackets = packets;
                prevUpcalls = s.upcalls();
                String line = String.format(Locale.ROOT,
                        "%4ds  flows %d/%d  dump %dms  upcalls %d (%d/s)  hit %d  missed %d  lost %d"
                                + "  hit rate %.1f%%  %d pkt/s",
                        s.seconds(), s.flowsNow(), s.limit(), s.dumpDurationMs(), s.upcalls(), ups, s.hit(),
                        s.missed(), s.lost(), packets == 0 ? 0.0 : 100.0 * s.hit() / packets, pps);
                synchronized (out) {
                    if (o.inPlace) {
                        out.print("\r\033[K" + line);
                    } else {
                        out.println(line);
                    }
                    out.flush();
                }
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
        if (trafficFile != null) {
            try {
                Files.deleteIfExists(trafficFile);
            } catch (IOException e) {
                // left behind in the run directory
            }
        }
    }
}
