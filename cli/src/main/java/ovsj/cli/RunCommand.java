package ovsj.cli;

import picocli.CommandLine.Command;

/** {@code ovsj run}: the daemon with its embedded datapath and a default configuration. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Start the daemon with its embedded datapath and default settings.")
final class RunCommand extends NotBuiltCommand {
  @Override
  String notBuilt() {
    return "the daemon is not built yet";
  }
}
