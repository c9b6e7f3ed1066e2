package ovsj.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ovsj appctl …}: the twin of {@code ovs-appctl}. */
@Command(
    name = "appctl",
    mixinStandardHelpOptions = true,
    description = "Query a running daemon, like ovs-appctl (e.g. upcall/show).")
final class AppctlCommand extends NotBuiltCommand {
  @Parameters(paramLabel = "COMMAND", description = "appctl command and its arguments, e.g. upcall/show.")
  List<String> command = List.of();

  @Override
  String notBuilt() {
    return "appctl is not built yet";
  }
}
