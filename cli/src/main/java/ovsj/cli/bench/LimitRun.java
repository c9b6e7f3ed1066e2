package ovsj.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import ovsj.bench.dump.DumpKind;
import ovsj.cli.run.InProcessChannel;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.transport.InProcessTransport;
import ovsj.datapath.transport.PortIds;
import ovsj.datapath.vport.PcapDevice;
import ovsj.datapath.vport.PcapOptions;
import ovsj.netlink.NlWriter;
import ovsj.odp.dpif.NetlinkChannel;
import ovsj.odp.uapi.VportType;
import ovsj.vswitchd.FlowLimit;
import ovsj.vswitchd.PipelineNormal;
import ovsj.vswitchd.Vswitchd;

/**
 * One policy's run of the flow-limit experiment: a fresh in-process datapath in the dump mode's
 * {@link ovsj.datapath.DumpMode}, the daemon over it as {@code ovsj run} wires it (one handler, one
 * revalidator, the {@code normal} pipeline, OVS's max-idle), the offered flows replayed in a loop into a
 * pcap port {@code p1} (flooded to the internal ports {@code p2}, {@code p3}), full dumps for
 * {@code serialize} and {@code match-cache} ({@code upcall/disable-ufid}) and terse ones for
 * {@code terse}. Every revalidator round is recorded, the flow count sampled every 100 ms, for
 * {@code duration} seconds; then everything is taken down.
 */
final class LimitRun {
    /** Sampling period of the flow count, ms. */
    static final long SAMPLE_MS = 100;

    /**
     * The settings of a run (the command line's). {@code pinned}: the {@code fixed} pseudo-policy, OVS's
     * controller overruled after every round ({@code upcall/set-flow-limit} to the ceiling), so that the
     * limit never binds below the ceiling and the rounds can be timed at N flows held (OVS's
     * {@code preset} runs in the peer's benchmark).
     */
    record Setup(int flows, DumpKind mode, FlowLimit.Policy policy, boolean pinned, long ceiling, long startLimit,
            long budgetMs, double durationS, int ratePps, long maxIdleMs, int handlers, int cpus, long delayNsPerFlow,
            Path pcap) {
        /** The policy's name: {@code ovs}, {@code adaptive} or {@code fixed}. */
        String label() {
            return pinned ? FIXED : policy.label();
        }
    }

    /** The name of the pinned pseudo-policy. */
    static final String FIXED = "fixed";

    /** What a run recorded. */
    record Result(Setup setup, List<LimitTrace.Round> rounds, List<LimitTrace.Sample> samples) {
    }

    private LimitRun() {
    }

    /** Runs one policy; progress lines (every 10 s) go to {@code progress} if not null. */
    static Result run(Setup s, PrintWriter progress) throws IOException, InterruptedException {
        List<LimitTrace.Round> rounds = Collections.synchronizedList(new ArrayList<>());
        List<LimitTrace.Sample> samples = new ArrayList<>();
        String policy = s.label();
        FlowLimit fl = new FlowLimit(s.policy(), s.ceiling(), s.budgetMs());
        OvsDatapath dp = new OvsDatapath(s.cpus(), s.mode().mode());
        try {
            InProcessTransport t = new InProcessTransport(dp, new PortIds(1));
            Vswitchd.ChannelOpener opener = comm -> {
                NetlinkChannel ch = InProcessChannel.open(t, comm);
                // The revalidators' clients (dump, flow count, deletes) all open as "revalidator".
                return s.delayNsPerFlow() > 0 && comm.equals("revalidator")
                        ? new DumpDelayChannel(ch, s.delayNsPerFlow()) : ch;
            };
            Vswitchd.Config cfg = new Vswitchd.Config().datapath("ovsj-limit").pipeline(new PipelineNormal())
                    .handlers(s.handlers()).revalidators(1).flowLimit(fl).maxIdleMs(s.maxIdleMs())
                    .port("p1", PcapDevice.OVS_VPORT_TYPE_PCAP, pcapOptions(s.pcap(), s.ratePps()))
                    .port("p2", VportType.INTERNAL, null).port("p3", VportType.INTERNAL, null);
            long t0 = System.nanoTime();
            try (Vswitchd v = Vswitchd.start(opener, cfg)) {
                if (s.mode().ufidFlags() == 0) {
                    v.disableUfid();
                }
                if (s.pinned()) {
                    v.udpif().setFlowLimit(s.ceiling());
                } else if (s.startLimit() > 0) {
                    v.udpif().setFlowLimit(s.startLimit());
                }
                v.udpif().onRound((nFlows, durationMs, limit) -> {
                    long l = limit;
                    if (s.pinned()) {
                        // The controller has just updated the limit: overrule it, before handlers look.
                        v.udpif().setFlowLimit(s.ceiling());
                        l = s.ceiling();
                    }
                    rounds.add(new LimitTrace.Round(policy, (System.nanoTime() - t0) / 1e9, l, durationMs, nFlows,
                            v.flowsInstalled()));
                });
                long end = t0 + (long) (s.durationS() * 1e9);
                long next = t0;
                long nextProgress = t0 + 10_000_000_000L;
                while ((next += SAMPLE_MS * 1_000_000L) < end) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    }
                    long now = System.nanoTime();
                    long n = v.stats().flows();
                    samples.add(new LimitTrace.Sample((now - t0) / 1e9, n, v.flowsInstalled()));
                    if (progress != null && now >= nextProgress) {
                        nextProgress += 10_000_000_000L;
                        progress.printf(Locale.ROOT, "  %s %s %4.0fs: flows %d, limit %d, last round %d ms%n",
                                policy, s.mode(), (now - t0) / 1e9, n, v.udpif().flowLimit(),
                                v.udpif().dumpDuration());
                        progress.flush();
                    }
                }
            }
        } finally {
            dp.close();
        }
        // A round may end while the daemon shuts down: keep the run's own.
        List<LimitTrace.Round> kept = rounds.stream().filter(r -> r.t() <= s.durationS()).toList();
        return new Result(s, kept, samples);
    }

    /** The pcap port's options: replay {@code input} in a loop at {@code ratePps} (0: as fast as it goes). */
    static byte[] pcapOptions(Path input, int ratePps) {
        NlWriter w = new NlWriter(256);
        new PcapOptions(input.toAbsolutePath().toString(), null, ratePps, true).put(w);
        return Arrays.copyOf(w.buffer(), w.position());
    }
}
