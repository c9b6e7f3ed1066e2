package ovsj.cli;

import picocli.CommandLine.Command;

/** {@code ovsj datapath}: the datapath alone, serving its generic-netlink families. */
@Command(
    name = "datapath",
    mixinStandardHelpOptions = true,
    description = "Run the datapath alone, serving its netlink families on a socket.")
final class DatapathCommand extends NotBuiltCommand {
  @Override
  String notBuilt() {
    return "the datapath is not built yet";
  }
}
