package ovsj.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ovsj bench …}: the benchmarks and the experiments that reproduce the seed. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run the benchmarks and the experiments that reproduce the seed.")
final class BenchCommand extends NotBuiltCommand {
  @Parameters(paramLabel = "BENCHMARK", description = "benchmark or experiment to run, and its arguments.")
  List<String> command = List.of();

  @Override
  String notBuilt() {
    return "the benchmarks are not built yet";
  }
}
