package ovsj.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import ovsj.bench.dump.DumpKind;
import ovsj.cli.BenchCommand;
import ovsj.vswitchd.FlowLimit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ovsj bench limit}: the flow-limit experiment. For each dump mode and each policy, one
 * {@link LimitRun} (a fresh datapath and daemon, the same offered flows), one after the other in the same
 * JVM; then the summary table, the TSV of every round ({@code --out}) and the plot ({@code --plot}).
 */
@Command(
        name = "limit",
        mixinStandardHelpOptions = true,
        description = {
            "Run the daemon over an in-process datapath with N offered flows pressing on the dynamic flow"
                    + " limit, per flow-limit policy and dump mode, and record every revalidator round:"
                    + " time, flow limit, round duration, datapath flows.",
            "",
            "Policies: ovs (OVS's controller: +1000 per round under 1000 ms, x3/4 over 1300 ms) and"
                    + " adaptive (the largest limit whose dump fits the budget, in a few rounds). Dump modes:"
                    + " serialize and match-cache (full dumps, upcall/disable-ufid) and terse (UFIDs).",
            "",
            "The traffic: N distinct UDP flows (the normal pipeline makes one megaflow each) replayed in a"
                    + " loop into a pcap port at --rate packets/s, so each flow comes back every N/rate s.",
            "",
            "--dump-delay-us-per-flow emulates a slower machine: the revalidator waits that long per dumped"
                    + " flow (slept, not spun), so the limit binds at fewer flows. Off by default.",
            ""
        })
public final class LimitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--flows", paramLabel = "N", defaultValue = "1000000", converter = BenchCommand.FlowCount.class,
            description = "offered flows; 100k and 1M work too (default: ${DEFAULT-VALUE}).")
    int flows;

    @Option(names = "--policy", paramLabel = "P", defaultValue = "both",
            description = {"ovs, adaptive or both (one after the other; default: ${DEFAULT-VALUE});",
                "fixed: the limit pinned at --flow-limit (reset after every round), to time rounds at N flows."})
    String policy;

    @Option(names = "--dump-mode", split = ",", paramLabel = "MODE", defaultValue = "terse",
            description = "serialize, match-cache, terse, comma-separated, run in turn (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--flow-limit", paramLabel = "N", converter = BenchCommand.FlowCount.class,
            description = "other_config:flow-limit, the ceiling (default: twice the offered flows).")
    Integer ceiling;

    @Option(names = "--start-limit", paramLabel = "N", defaultValue = "0", converter = BenchCommand.FlowCount.class,
            description = "upcall/set-flow-limit N right after the start; 0: the policy's own start,"
                    + " min(flow-limit, 10000) (default: ${DEFAULT-VALUE}).")
    int startLimit;

    @Option(names = "--budget-ms", paramLabel = "MS", defaultValue = "1000",
            description = "the adaptive policy's dump budget (default: ${DEFAULT-VALUE}).")
    long budgetMs;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "120",
            description = "seconds per policy and mode (default: ${DEFAULT-VALUE}).")
    double durationS;

    @Option(names = "--settle", paramLabel = "S",
            description = "the settle window: the summary's medians are over the rounds of the last S"
                    + " seconds (default: a quarter of the duration).")
    Double settleS;

    @Option(names = "--rate", paramLabel = "PPS", defaultValue = "250000", converter = BenchCommand.FlowCount.class,
            description = "packets per second of the replay, 0 = as fast as it goes (default: ${DEFAULT-VALUE}).")
    int ratePps;

    @Option(names = "--max-idle", paramLabel = "MS", defaultValue = "10000",
            description = "other_config:max-idle (default: ${DEFAULT-VALUE}).")
    long maxIdleMs;

    @Option(names = "--handlers", paramLabel = "N", defaultValue = "1",
            description = "upcall handler threads (default: ${DEFAULT-VALUE}).")
    int handlers;

    @Option(names = "--cpus", paramLabel = "C",
            description = "the datapath's per-thread stats slots (default: min(4, cores)).")
    Integer cpus;

    @Option(names = "--dump-delay-us-per-flow", paramLabel = "US", defaultValue = "0",
            description = "emulate a slower machine: microseconds added to a round per dumped flow"
                    + " (default: ${DEFAULT-VALUE}, off).")
    double delayUs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "write limit-MODE-N.tsv (every round of every policy) and limit-MODE-N.txt"
                    + " (the summary) there.")
    Path out;

    @Option(names = "--plot", paramLabel = "PNG",
            description = "draw limit, flows and round duration against time into PNG (with several dump"
                    + " modes, one file each: NAME-MODE.png).")
    Path plot;

    @Option(names = "--replot", paramLabel = "TSV",
            description = "run nothing: draw --plot from a TSV that --out wrote (title from --flows and --dump-mode).")
    Path replot;

    @Option(names = {"-q", "--quiet"}, description = "no progress lines on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        List<FlowLimit.Policy> policies;
        boolean pinned = policy.equals(LimitRun.FIXED);
        List<DumpKind> kinds = new ArrayList<>();
        try {
            policies = policy.equals("both") ? List.of(FlowLimit.Policy.OVS, FlowLimit.Policy.ADAPTIVE)
                    : pinned ? List.of(FlowLimit.Policy.OVS) : List.of(FlowLimit.Policy.parse(policy));
            for (String m : modes) {
                DumpKind k = DumpKind.of(m.trim());
                if (!kinds.contains(k)) {
                    kinds.add(k);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
        long max = ceiling != null ? ceiling : 2L * flows;
        if (flows < 1 || durationS <= 0 || budgetMs < 1 || handlers < 1 || maxIdleMs < 1 || delayUs < 0
                || max < 0 || startLimit < 0 || (settleS != null && settleS <= 0) || (cpus != null && cpus < 1)) {
            throw new ParameterException(cl, "--flows, --duration, --budget-ms, --handlers, --max-idle, --cpus and"
                    + " --settle must be positive, --dump-delay-us-per-flow, --flow-limit and --start-limit not negative");
        }
        double window = settleS != null ? settleS : durationS / 4;
        int c = cpus != null ? cpus : Math.min(4, Runtime.getRuntime().availableProcessors());
        PrintWriter err = quiet ? null : cl.getErr();
        PrintWriter o = cl.getOut();
        // The parse result's original arguments are the whole command line's (from "bench" on).
        String command = "./ovsj " + String.join(" ", cl.getParseResult().originalArgs());

        if (replot != null) {
            if (plot == null || kinds.size() != 1) {
                throw new ParameterException(cl, "--replot needs --plot PNG and one --dump-mode");
            }
            Map<String, List<LimitTrace.Round>> byPolicy = new LinkedHashMap<>();
            for (LimitTrace.Round r : LimitTrace.read(Files.readAllLines(replot))) {
                byPolicy.computeIfAbsent(r.policy(), p -> new ArrayList<>()).add(r);
            }
            LimitPlot.write(plot, title(kinds.get(0), flows, max), byPolicy, budgetMs);
            o.println("plot: " + plot);
            return 0;
        }
        Path pcap = Files.createTempFile("ovsj-limit-", ".pcap");
        try {
            LimitTraffic.write(pcap, flows, 1);
            for (DumpKind k : kinds) {
                List<LimitRun.Result> results = new ArrayList<>();
                for (FlowLimit.Policy p : policies) {
                    if (err != null) {
                        err.printf(Locale.ROOT, "%s, %s dumps, %d offered flows, %.0f s%n",
                                pinned ? LimitRun.FIXED : p.label(), k, flows, durationS);
                        err.flush();
                    }
                    LimitRun.Setup s = new LimitRun.Setup(flows, k, p, pinned, max, startLimit, budgetMs, durationS, ratePps,
                            maxIdleMs, handlers, c, Math.round(delayUs * 1000), pcap);
                    results.add(LimitRun.run(s, err));
                    System.gc();
                }
                String report = report(command, results, window);
                o.print(report);
                o.flush();
                String base = "limit-" + k + "-" + flows;
                if (out != null) {
                    Files.createDirectories(out);
                    try (Writer w = Files.newBufferedWriter(out.resolve(base + ".tsv"))) {
                        List<LimitTrace.Round> all = new ArrayList<>();
                        results.forEach(r -> all.addAll(r.rounds()));
                        LimitTrace.write(w, all);
                    }
                    Files.writeString(out.resolve(base + ".txt"), report);
                }
                if (plot != null) {
                    Path png = kinds.size() == 1 ? plot : withSuffix(plot, "-" + k);
                    Map<String, List<LimitTrace.Round>> byPolicy = new LinkedHashMap<>();
                    results.forEach(r -> byPolicy.put(r.setup().label(), r.rounds()));
                    LimitPlot.write(png, title(k, flows, max), byPolicy, budgetMs);
                    o.println("plot: " + png);
                }
            }
        } finally {
            Files.deleteIfExists(pcap);
        }
        return 0;
    }

    private String title(DumpKind k, int offered, long ceiling) {
        String delay = delayUs > 0
                ? String.format(Locale.ROOT, ", +%s µs per dumped flow (a slower machine)", LimitPlot.trim(delayUs)) : "";
        return String.format(Locale.ROOT, "ovsj flow limit: %s offered flows, %s dumps%s, flow-limit %s",
                LimitPlot.tick(offered), k, delay, LimitPlot.tick(ceiling));
    }

    /** The summary of one dump mode's runs, as printed and as written to {@code limit-MODE-N.txt}. */
    static String report(String command, List<LimitRun.Result> results, double window) {
        StringBuilder b = new StringBuilder();
        LimitRun.Setup s0 = results.get(0).setup();
        b.append(String.format(Locale.ROOT,
                "%s%n%d offered flows, %s dumps, flow-limit %d, budget %d ms, %.0f s per policy, rate %d pps,"
                        + " max-idle %d ms, delay %.1f us/flow; medians over the last %.0f s%n",
                command, s0.flows(), s0.mode(), s0.ceiling(), s0.budgetMs(), s0.durationS(), s0.ratePps(),
                s0.maxIdleMs(), s0.delayNsPerFlow() / 1000.0, window));
        b.append(String.format(Locale.ROOT, "%-9s %6s %9s %8s %9s %19s %6s %11s %5s %8s %9s %9s%n", "policy", "rounds",
                "limit", "settled", "flows", "(min-max)", "round", "(min-max)", ">bdgt", "reached", "flows/s",
                "peak/s"));
        for (LimitRun.Result r : results) {
            LimitTrace.Summary m = LimitTrace.summarize(r.setup().label(), r.rounds(), r.samples(),
                    r.setup().flows(), window, r.setup().budgetMs());
            b.append(String.format(Locale.ROOT, "%-9s %6d %9d %8s %9d %19s %6d %11s %5d %8s %9s %9s%n", m.policy(),
                    m.rounds(), m.limit(), seconds(m.settleS()), m.flows(), "(" + m.flowsMin() + "-" + m.flowsMax() + ")",
                    m.dumpMs(), "(" + m.dumpMinMs() + "-" + m.dumpMaxMs() + ")", m.overBudget(), seconds(m.reachS()),
                    rate(m.reachRate()), rate(m.peakInstall())));
        }
        return b.toString();
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%.1fs", s);
    }

    private static String rate(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.0f", r);
    }

    private static Path withSuffix(Path p, String suffix) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String n = dot > 0 ? name.substring(0, dot) + suffix + name.substring(dot) : name + suffix;
        return p.resolveSibling(n);
    }
}
