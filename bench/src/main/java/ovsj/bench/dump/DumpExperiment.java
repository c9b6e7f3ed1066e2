package ovsj.bench.dump;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import ovsj.datapath.DumpMode;

/**
 * The seed's experiment, plainly timed (no JMH): for each flow count, install that many megaflows
 * through {@code OVS_FLOW_CMD_NEW} on a fresh datapath, then time full flow dumps in each mode as a
 * revalidator issues them, and weigh the heap with and without the match caches.
 *
 * <ul>
 *   <li><b>reader</b>: {@code transport} (default) takes the replies from the in-process transport, which
 *       returns them all, copied, at the end of the dump; {@code stream} walks each batch in place as the
 *       datapath sends it (see {@link DumpRig.Reader}).
 *   <li><b>dump ms</b>: median over {@code rounds} dumps, after untimed ones (at least {@code warmup},
 *       and at least {@code warmupFlows} flows' worth), of one
 *       {@code OVS_FLOW_CMD_GET|NLM_F_DUMP} request answered in full (all batches and NLMSG_DONE) on
 *       the in-process transport; flows/s = flows / median; bytes/flow = reply bytes / flows. The
 *       modes' rounds alternate (serialize, match-cache, terse, serialize, …) on two datapaths that hold
 *       the same flows, one serialising, one in match-cache mode, so that JIT, GC and background noise
 *       fall on all modes alike.
 *   <li><b>match-cache (cold)</b>: the first match-cache dump, which builds every cache: measured after
 *       the others, each round dropping the caches first (untimed) so that every timed dump is cold.
 *   <li><b>heap</b>: {@link MemoryMXBean} used heap after {@code System.gc()} (the least of three
 *       reads, 50 ms apart), as deltas: before → after the first datapath's install (the flows, their
 *       table and their stats), and before → after the match-cache datapath's dumps (its caches). The
 *       datapath's own count of cached netlink bytes is shown next to it.
 * </ul>
 *
 * <p>Every flow is given the stats of one packet before the dumps, so full and terse replies carry
 * USED and STATS as a live flow's do. Each timed dump is checked: NLMSG_DONE with 0 and one flow
 * message per installed flow.
 */
public final class DumpExperiment {
    /** Flows each mode dumps untimed before its timed rounds, by default. */
    public static final long DEFAULT_WARMUP_FLOWS = 1_000_000;

    /** What to run. */
    /**
     * @param warmup      untimed rounds per mode before the timed ones, at least
     * @param warmupFlows and at least enough untimed rounds to dump this many flows per mode (small
     *                    tables need many dumps before the JIT has compiled the dump path)
     */
    public record Config(List<Integer> flows, List<DumpKind> kinds, int rounds, int warmup, long warmupFlows,
                         boolean memory, int cpus, DumpRig.Reader reader) {
        public Config {
            if (reader == null) {
                reader = DumpRig.Reader.TRANSPORT;
            }
            flows = List.copyOf(flows);
            kinds = List.copyOf(kinds);
            if (flows.isEmpty() || kinds.isEmpty()) {
                throw new IllegalArgumentException("at least one flow count and one mode are needed");
            }
            for (int n : flows) {
                if (n < 1 || n > Megaflows.MAX_FLOWS) {
                    throw new IllegalArgumentException("flow count " + n + " is not in 1.." + Megaflows.MAX_FLOWS);
                }
            }
            if (rounds < 1 || warmup < 0 || warmupFlows < 0 || cpus < 1) {
                throw new IllegalArgumentException("rounds >= 1, warmup >= 0, warmup flows >= 0 and cpus >= 1 are needed");
            }
        }

        /**
         * 100k and 1M flows, the three modes, 5 rounds after at least 2 warmups and 1M warmup flows, heap
         * measured, 1 cpu, transport.
         */
        public static Config defaults() {
            return new Config(List.of(100_000, 1_000_000), List.of(DumpKind.values()), 5, 2, DEFAULT_WARMUP_FLOWS,
                    true, 1, DumpRig.Reader.TRANSPORT);
        }

        /** Untimed rounds at {@code n} flows. */
        public int warmupRounds(int n) {
            return (int) Math.max(warmup, Math.min(100_000, (warmupFlows + n - 1) / n));
        }
    }

    /** One line of the table. */
    public record Row(String mode, int flows, double medianMs, double minMs, int flowMessages, long bytes,
                      int datagrams) {
        public double flowsPerSecond() {
            return flows / (medianMs / 1e3);
        }

        public double bytesPerFlow() {
            return bytes / (double) flows;
        }
    }

    /**
     * Everything measured at one flow count. Heap figures are NaN when not measured.
     *
     * @param installMs          wall time of the NEW requests
     * @param heapPerFlow        heap bytes per flow after install (flows, table, stats)
     * @param cacheHeapPerFlow   more heap bytes per flow once every match cache is built
     * @param cacheBytesPerFlow  the datapath's cached netlink bytes per flow (array payloads only)
     */
    public record SizeReport(int flows, double installMs, double heapPerFlow, double cacheHeapPerFlow,
                             double cacheBytesPerFlow, List<Row> rows) {
        public double installRate() {
            return flows / (installMs / 1e3);
        }

        public Row row(String mode) {
            return rows.stream().filter(r -> r.mode().equals(mode)).findFirst().orElse(null);
        }
    }

    public record Report(Config config, List<SizeReport> sizes, double totalSeconds) {
    }

    private final Config config;
    private final PrintWriter progress;
    private final MemoryMXBean mem = ManagementFactory.getMemoryMXBean();

    /** @param progress where to say what is running (null: silent) */
    public DumpExperiment(Config config, PrintWriter progress) {
        this.config = config;
        this.progress = progress;
    }

    public Report run() {
        long t0 = System.nanoTime();
        List<SizeReport> sizes = new ArrayList<>();
        for (int n : config.flows()) {
            sizes.add(runSize(n));
        }
        return new Report(config, sizes, (System.nanoTime() - t0) / 1e9);
    }

    private void say(String fmt, Object... args) {
        if (progress != null) {
            progress.printf(Locale.ROOT, fmt + "%n", args);
            progress.flush();
        }
    }

    private SizeReport runSize(int n) {
        double heapPerFlow = Double.NaN;
        double cacheHeapPerFlow = Double.NaN;
        double cacheBytesPerFlow = Double.NaN;
        List<DumpKind> kinds = config.kinds();
        boolean wantPlain = kinds.contains(DumpKind.SERIALIZE) || kinds.contains(DumpKind.TERSE);
        boolean wantCached = kinds.contains(DumpKind.MATCH_CACHE);
        long used0 = config.memory() ? usedAfterGc() : 0;
        double installMs = 0;
        // Two datapaths with the same flows: one serialising (serialize and terse dumps), one in
        // match-cache mode, so that the modes' rounds can alternate (same JIT and GC state, same
        // background noise) without switching modes, which would drop the caches.
        try (DumpRig plain = wantPlain ? new DumpRig("bench" + n, config.cpus()) : null;
             DumpRig cached = wantCached ? new DumpRig("bench-mc" + n, config.cpus()) : null) {
            long usedInstalled = used0;
            long usedBeforeCaches = used0;
            for (DumpRig rig : new DumpRig[] {plain, cached}) {
                if (rig == null) {
                    continue;
                }
                say("%,d flows: installing…", n);
                double ms = rig.install(n) / 1e6;
                rig.touchAll();
                say("%,d flows: installed in %.0f ms (%,.0f flows/s)", n, ms, n / (ms / 1e3));
                if (installMs == 0) {
                    installMs = ms;
                    if (config.memory()) {
                        usedInstalled = usedAfterGc();
                        heapPerFlow = (usedInstalled - used0) / (double) n;
                    }
                }
            }
            if (config.memory() && cached != null) {
                usedBeforeCaches = plain == null ? usedInstalled : usedAfterGc();
            }
            if (cached != null) {
                cached.dumpMode(DumpMode.MATCH_CACHE);
                cached.dump(0, config.reader()).check(n); // builds the caches (the cold row is measured apart)
            }

            say("%,d flows: %s, alternating…", n, kinds.stream().map(DumpKind::cliName).toList());
            double[][] ms = new double[kinds.size()][config.rounds()];
            DumpRig.DumpResult[] last = new DumpRig.DumpResult[kinds.size()];
            for (int r = -config.warmupRounds(n); r < config.rounds(); r++) {
                for (int k = 0; k < kinds.size(); k++) {
                    DumpKind kind = kinds.get(k);
                    DumpRig rig = kind == DumpKind.MATCH_CACHE ? cached : plain;
                    long t0 = System.nanoTime();
                    DumpRig.DumpResult res = rig.dump(kind.ufidFlags(), config.reader());
                    long t1 = System.nanoTime();
                    last[k] = res.check(n);
                    if (r >= 0) {
                        ms[k][r] = (t1 - t0) / 1e6;
                    }
                }
            }
            if (cached != null && config.memory()) {
                cacheHeapPerFlow = (usedAfterGc() - usedBeforeCaches) / (double) n;
                cacheBytesPerFlow = cached.matchCacheBytes() / (double) n;
            }
            List<Row> rows = new ArrayList<>();
            for (int k = 0; k < kinds.size(); k++) {
                if (kinds.get(k) == DumpKind.MATCH_CACHE) {
                    rows.add(measureCold(cached, n));
                }
                rows.add(row(kinds.get(k).cliName(), n, ms[k], last[k]));
            }
            return new SizeReport(n, installMs, heapPerFlow, cacheHeapPerFlow, cacheBytesPerFlow, rows);
        }
    }

    /**
     * Cold match-cache dumps: one untimed (if {@code warmup} > 0) and {@code rounds} timed, each after dropping every
     * cache (untimed), so that each timed dump builds them all, as the first dump of new flows does.
     */
    private Row measureCold(DumpRig rig, int n) {
        say("%,d flows: match-cache (cold)…", n);
        double[] ms = new double[config.rounds()];
        DumpRig.DumpResult last = null;
        for (int r = -Math.min(1, config.warmup()); r < config.rounds(); r++) { // the JIT is warm by now
            rig.clearMatchCaches();
            long t0 = System.nanoTime();
            DumpRig.DumpResult res = rig.dump(0, config.reader());
            long t1 = System.nanoTime();
            last = res.check(n);
            if (r >= 0) {
                ms[r] = (t1 - t0) / 1e6;
            }
        }
        return row("match-cache (cold)", n, ms, last);
    }

    private static Row row(String label, int n, double[] ms, DumpRig.DumpResult last) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new Row(label, n, median, sorted[0], last.flows(), last.bytes(), last.datagrams());
    }

    private long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The report as a table, with the ratios to serialize at each flow count. */
    public static void print(Report report, PrintWriter out) {
        Config c = report.config();
        out.printf(Locale.ROOT, "ovsj bench dump: %d timed rounds per mode (median) after >= %d untimed and >= %d "
                        + "flows, reader %s, %d cpu stats slot(s), Java %s, %d processors, max heap %d MiB%n",
                c.rounds(), c.warmup(), c.warmupFlows(), c.reader().cliName(), c.cpus(), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        out.printf(Locale.ROOT, "%-20s %10s %10s %10s %14s %11s %9s %12s%n",
                "mode", "flows", "dump ms", "min ms", "flows/s", "bytes/flow", "datagrams", "vs serialize");
        for (SizeReport s : report.sizes()) {
            Row base = s.row(DumpKind.SERIALIZE.cliName());
            for (Row r : s.rows()) {
                String ratio = base == null ? "" : String.format(Locale.ROOT, "%.2fx",
                        r.flowsPerSecond() / base.flowsPerSecond());
                out.printf(Locale.ROOT, "%-20s %10d %10.1f %10.1f %14.0f %11.1f %9d %12s%n",
                        r.mode(), r.flows(), r.medianMs(), r.minMs(), r.flowsPerSecond(), r.bytesPerFlow(),
                        r.datagrams(), ratio);
            }
        }
        out.println();
        for (SizeReport s : report.sizes()) {
            out.printf(Locale.ROOT, "%,d flows: install %.0f ms (%,.0f flows/s, NEW without ACK, %d per datagram)",
                    s.flows(), s.installMs(), s.installRate(), DumpRig.INSTALL_BATCH);
            if (!Double.isNaN(s.heapPerFlow())) {
                out.printf(Locale.ROOT, "; heap %.0f bytes/flow", s.heapPerFlow());
            }
            if (!Double.isNaN(s.cacheHeapPerFlow())) {
                out.printf(Locale.ROOT, ", +%.0f bytes/flow with match caches (%.0f cached netlink bytes/flow)",
                        s.cacheHeapPerFlow(), s.cacheBytesPerFlow());
            }
            out.println();
        }
        if (c.memory()) {
            out.println("heap: MemoryMXBean used heap after System.gc() (least of 3 reads), deltas over the flow count");
        }
        out.printf(Locale.ROOT, "total %.1f s%n", report.totalSeconds());
        out.flush();
    }

    /** {@code java ... ovsj.bench.dump.DumpExperiment [flows[,flows…]] [rounds] [transport|stream]}. */
    public static void main(String[] args) {
        Config d = Config.defaults();
        List<Integer> flows = args.length > 0
                ? Arrays.stream(args[0].split(",")).map(s -> Integer.parseInt(s.trim().replace("_", ""))).toList()
                : d.flows();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : d.rounds();
        DumpRig.Reader reader = args.length > 2 ? DumpRig.Reader.of(args[2]) : d.reader();
        Config c = new Config(flows, d.kinds(), rounds, d.warmup(), d.warmupFlows(), true, d.cpus(), reader);
        PrintWriter out = new PrintWriter(System.out, true);
        print(new DumpExperiment(c, new PrintWriter(System.err, true)).run(), out);
        out.flush();
    }
}
