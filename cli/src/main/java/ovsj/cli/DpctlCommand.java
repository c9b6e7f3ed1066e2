package ovsj.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import ovsj.cli.dpctl.Dpctl;
import ovsj.cli.dpctl.DpctlOptions;
import ovsj.odp.dpif.UnixSocketChannel;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ovsj dpctl …}: the twin of {@code ovs-dpctl} 3.1, driving the ovsj datapath over its netlink
 * socket. Output, error texts and exit codes are {@code ovs-dpctl}'s (with {@code ovsj dpctl:} where it
 * says {@code ovs-dpctl:}); see {@link Dpctl}.
 */
@Command(
    name = "dpctl",
    mixinStandardHelpOptions = true,
    versionProvider = DpctlCommand.Version.class,
    description = {
      "Show and change a datapath's ports and flows, like ovs-dpctl.",
      "",
      "Commands: add-dp DP [IFACE...], del-dp DP, add-if DP IFACE[,type=T][,port_no=N]...,"
          + " set-if DP IFACE..., del-if DP IFACE..., dump-dps, show [DP...],"
          + " dump-flows [DP] [filter=MATCH], add-flow [DP] FLOW ACTIONS, mod-flow [DP] FLOW ACTIONS,"
          + " get-flow [DP] ufid:UFID, del-flow [DP] FLOW, del-flows [DP] [FILE],"
          + " add-flows [DP] FILE, mod-flows [DP] FILE (FILE '-' is stdin),"
          + " cache-get-size [DP], cache-set-size DP masks-cache SIZE, conntrack and ipf commands"
          + " (no connection tracker: empty), list-commands.",
      "DP is NAME or system@NAME and defaults to the only datapath.",
      "",
    },
    footer = {"", RunDir.HELP})
public final class DpctlCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description = "The datapath's netlink socket (default: RUNDIR/" + RunDir.NETLINK_SOCKET + ").")
  Path socket;

  @Option(names = {"-s", "--statistics"}, description = "Print statistics (show, flow commands).")
  boolean statistics;

  @Option(names = {"-m", "--more"}, description = "More detail (repeatable).")
  boolean[] more = new boolean[0];

  @Option(names = "--names", description = "Print port names.")
  boolean names;

  @Option(names = "--no-names", description = "Print port numbers (the default without -m).")
  boolean noNames;

  @Option(names = "--clear", description = "mod-flow: reset the flow's statistics.")
  boolean clear;

  @Option(names = "--may-create", description = "mod-flow: create the flow if it does not exist.")
  boolean mayCreate;

  @Option(
      names = "--rate",
      description = "After add-flows/mod-flows/del-flows FILE, print the lines per second on stderr"
          + " (ovsj only).")
  boolean rate;

  @Parameters(paramLabel = "COMMAND", description = "The command and its arguments.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() {
    DpctlOptions opt = new DpctlOptions();
    opt.verbosity = more.length;
    opt.statistics = statistics;
    opt.clear = clear;
    opt.mayCreate = mayCreate;
    if (names || noNames) {
      opt.names = names && !noNames;
    }
    Path path =
        socket != null
            ? socket
            : RunDir.resolve(System.getenv()).resolve(RunDir.NETLINK_SOCKET);
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Dpctl dpctl = new Dpctl(() -> UnixSocketChannel.connect(path), opt, out, err);
    int rc = dpctl.run(command);
    Dpctl.BulkStats s = dpctl.lastBulk();
    if (rate && s != null) {
      double secs = s.nanos() / 1e9;
      err.printf(
          "%s: %d lines, %d flow requests in %d datagrams, %.3f s (%.0f lines/s)%n",
          Dpctl.PROGRAM, s.lines(), s.requests(), s.datagrams(), secs, s.lines() / Math.max(secs, 1e-9));
      err.flush();
    }
    return rc;
  }

  /** {@code --version}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = new VersionProvider().getVersion()[0];
      return new String[] {"ovsj dpctl (" + v + "), after ovs-dpctl (Open vSwitch) 3.1"};
    }
  }
}
