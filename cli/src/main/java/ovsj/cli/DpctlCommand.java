package ovsj.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ovsj dpctl …}: the twin of {@code ovs-dpctl}. */
@Command(
    name = "dpctl",
    mixinStandardHelpOptions = true,
    description = "Show and change a datapath's ports and flows, like ovs-dpctl.")
final class DpctlCommand extends NotBuiltCommand {
  @Parameters(paramLabel = "COMMAND", description = "dpctl command and its arguments, e.g. dump-flows.")
  List<String> command = List.of();

  @Override
  String notBuilt() {
    return "dpctl is not built yet";
  }
}
