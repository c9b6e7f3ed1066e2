package ovsj.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import ovsj.bench.dump.DumpExperiment;
import ovsj.bench.dump.DumpKind;
import ovsj.bench.dump.DumpRig;
import ovsj.cli.bench.LimitCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ovsj bench …}: the experiments that reproduce the seed. The JMH micro-benchmarks run from
 * {@code bench/target/benchmarks.jar} (see docs/BENCHMARKS.md).
 *
 * <p>{@code ovsj bench} alone is a usage error (exit 2), like {@code ovsj} alone.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Run the experiments that reproduce the seed.",
      "The JMH benchmarks run from bench/target/benchmarks.jar (docs/BENCHMARKS.md)."
    },
    subcommands = {BenchCommand.Dump.class, LimitCommand.class})
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** {@code ovsj bench dump}: {@link DumpExperiment}, the table of dump throughput per mode. */
  @Command(
      name = "dump",
      mixinStandardHelpOptions = true,
      description = {
        "Time full ovs_flow dumps per dump mode, as a revalidator issues them.",
        "",
        "Modes: serialize (encode key and mask on every dump), match-cache (the seed: encode once,"
            + " copy later; its first, cold dump is shown too) and terse (UFID flags"
            + " OMIT_KEY|OMIT_MASK|OMIT_ACTIONS on a serializing datapath).",
        "",
        "For each flow count: install the flows with OVS_FLOW_CMD_NEW on a fresh in-process"
            + " datapath, then print the median dump time, flows/s, reply bytes per flow, and heap"
            + " bytes per flow with and without match caches.",
        ""
      })
  static final class Dump implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--flows",
        split = ",",
        paramLabel = "N",
        defaultValue = "100000,1000000",
        converter = FlowCount.class,
        description = "flow counts, comma-separated; 100k and 1M work too (default: ${DEFAULT-VALUE}).")
    List<Integer> flows;

    @Option(
        names = "--modes",
        split = ",",
        paramLabel = "MODE",
        defaultValue = "serialize,match-cache,terse",
        description = "dump modes: serialize, match-cache, terse (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(
        names = "--rounds",
        paramLabel = "R",
        defaultValue = "5",
        description = "timed dumps per mode; the median is shown (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--warmup",
        paramLabel = "W",
        defaultValue = "2",
        description = "untimed dumps before them, at least (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
        names = "--warmup-flows",
        paramLabel = "N",
        defaultValue = "1000000",
        converter = FlowCount.class,
        description =
            "and at least as many untimed dumps as it takes to dump N flows per mode, so that small"
                + " tables warm the JIT up too (default: ${DEFAULT-VALUE}).")
    int warmupFlows;

    @Option(
        names = "--cpus",
        paramLabel = "C",
        defaultValue = "1",
        description = "per-thread stats slots of each flow (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(
        names = "--reader",
        paramLabel = "HOW",
        defaultValue = "transport",
        description = {
          "transport: the in-process transport returns every reply datagram, copied, at the end of"
              + " the dump; stream: each batch is walked in place as it is sent, nothing kept"
              + " (default: ${DEFAULT-VALUE})."
        })
    String reader;

    @Option(names = "--no-heap", description = "skip the heap measurements (and their full GCs).")
    boolean noHeap;

    @Option(
        names = {"-q", "--quiet"},
        description = "no progress lines on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
      CommandLine cl = spec.commandLine();
      DumpExperiment.Config config;
      try {
        List<DumpKind> kinds = new ArrayList<>();
        for (String m : modes) {
          DumpKind k = DumpKind.of(m.trim());
          if (!kinds.contains(k)) {
            kinds.add(k);
          }
        }
        config =
            new DumpExperiment.Config(
                flows, kinds, rounds, warmup, warmupFlows, !noHeap, cpus, DumpRig.Reader.of(reader));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(cl, e.getMessage());
      }
      DumpExperiment.Report report =
          new DumpExperiment(config, quiet ? null : cl.getErr()).run();
      DumpExperiment.print(report, cl.getOut());
      return 0;
    }
  }

  /** A flow count: digits with optional underscores, or with a k / M suffix (100k, 1M). */
  public static final class FlowCount implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String s = value.trim().replace("_", "").toLowerCase(Locale.ROOT);
      int scale = 1;
      if (s.endsWith("k")) {
        scale = 1_000;
        s = s.substring(0, s.length() - 1);
      } else if (s.endsWith("m")) {
        scale = 1_000_000;
        s = s.substring(0, s.length() - 1);
      }
      try {
        return Math.multiplyExact(Integer.parseInt(s), scale);
      } catch (NumberFormatException | ArithmeticException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a flow count");
      }
    }
  }
}
