package ovsj.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ovsj.cli.run.RunSession;
import ovsj.datapath.DumpMode;
import ovsj.vswitchd.FlowLimit;
import ovsj.vswitchd.RulesParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ovsj run}: the daemon with its embedded datapath (or a separate {@code ovsj datapath}), a
 * built-in traffic source, a status line per second and a unixctl socket for {@code ovs-appctl}. It
 * stops on {@code exit} over unixctl, Ctrl-C, SIGTERM or {@code --duration}, prints a summary, and
 * removes its sockets.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Start the daemon with its embedded datapath and default settings.",
      "",
      "By default: datapath ovsj0 in this process, ports p1 (a pcap port replaying generated UDP"
          + " traffic, --traffic flows) and p2, p3 (internal), the normal learning switch.",
      "Unixctl (ovs-appctl -t PATH COMMAND): upcall/show, upcall/set-flow-limit N,"
          + " upcall/disable-ufid, upcall/enable-ufid, revalidator/wait, revalidator/purge,"
          + " fdb/show, coverage/show, dpif/show-dump-mode, dpif/set-dump-mode MODE, exit,"
          + " list-commands, version.",
      "",
    },
    footer = {
      "",
      RunDir.HELP,
      "The embedded datapath also serves RUNDIR/" + RunDir.NETLINK_SOCKET
          + " for ovsj dpctl when that path is free.",
      "Stop with Ctrl-C, SIGTERM, --duration or 'exit' over unixctl."
    })
final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--datapath-socket", paramLabel = "PATH",
      description = "Use a separate 'ovsj datapath' serving netlink at PATH instead of the embedded one.")
  Path datapathSocket;

  @Option(names = "--unixctl", paramLabel = "PATH",
      description = "Unixctl socket (default: RUNDIR/" + RunDir.UNIXCTL_SOCKET + ").")
  Path unixctl;

  @Option(names = "--pipeline", paramLabel = "normal|rules",
      description = "Translation: normal (L2 learning switch, default) or rules (--rules FILE).")
  String pipeline = "normal";

  @Option(names = "--rules", paramLabel = "FILE", description = "Rule table for --pipeline rules.")
  Path rules;

  @Option(names = "--handlers", paramLabel = "N", description = "Upcall handler threads (default ${DEFAULT-VALUE}).")
  int handlers = 1;

  @Option(names = "--revalidators", paramLabel = "N", description = "Revalidator threads (default ${DEFAULT-VALUE}).")
  int revalidators = 1;

  @Option(names = "--flow-limit-policy", paramLabel = "ovs|adaptive",
      description = "Flow-limit controller (default ${DEFAULT-VALUE}).")
  String flowLimitPolicy = "ovs";

  @Option(names = "--flow-limit", paramLabel = "N",
      description = "other_config:flow-limit, the ceiling (default ${DEFAULT-VALUE}).")
  long flowLimit = FlowLimit.DEFAULT_MAX;

  @Option(names = "--max-idle", paramLabel = "MS", description = "Idle flows expire after MS (default ${DEFAULT-VALUE}).")
  long maxIdle = 10_000;

  @Option(names = "--cpus", paramLabel = "N",
      description = "Forwarding threads of the embedded datapath (default ${DEFAULT-VALUE}).")
  int cpus = Math.min(4, Runtime.getRuntime().availableProcessors());

  @Option(names = "--dump-mode", paramLabel = "MODE",
      description = "Embedded datapath's flow dumps: serialize or match-cache (default ${DEFAULT-VALUE}).")
  String dumpMode = DumpMode.MATCH_CACHE.cliName();

  @Option(names = "--traffic", paramLabel = "N",
      description = "Distinct UDP flows of the built-in traffic, replayed in a loop into p1; 0 = none"
          + " (default ${DEFAULT-VALUE}).")
  int traffic = 10_000;

  @Option(names = "--rate", paramLabel = "PPS",
      description = "Traffic rate in packets per second, 0 = as fast as the datapath takes them"
          + " (default ${DEFAULT-VALUE}).")
  int rate = 50_000;

  @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds (default: run until stopped).")
  long duration;

  @Option(names = "--rundir", paramLabel = "DIR", hidden = true,
      description = "Run directory instead of RUNDIR (tests).")
  Path runDir;

  @Option(names = "--netlink", paramLabel = "PATH", hidden = true,
      description = "Netlink socket the embedded datapath serves (default RUNDIR/nl.sock).")
  Path netlink;

  @Override
  public Integer call() throws Exception {
    if (handlers < 1 || revalidators < 1 || cpus < 1) {
      throw new ParameterException(spec.commandLine(), "--handlers, --revalidators and --cpus must be at least 1");
    }
    if (traffic < 0 || rate < 0 || duration < 0 || maxIdle < 1 || flowLimit < 0 || flowLimit > 0xffff_ffffL) {
      throw new ParameterException(spec.commandLine(),
          "--traffic, --rate and --duration must not be negative, --max-idle at least 1,"
              + " --flow-limit 0..4294967295");
    }
    if (DumpMode.fromCliName(dumpMode) == null) {
      throw new ParameterException(spec.commandLine(),
          "invalid --dump-mode '" + dumpMode + "': expected serialize or match-cache");
    }
    if (!pipeline.equals("normal") && !pipeline.equals("rules")) {
      throw new ParameterException(spec.commandLine(), "invalid --pipeline '" + pipeline + "': expected normal or rules");
    }
    if (pipeline.equals("rules") && rules == null) {
      throw new ParameterException(spec.commandLine(), "--pipeline rules needs --rules FILE");
    }
    try {
      FlowLimit.Policy.parse(flowLimitPolicy);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "invalid --flow-limit-policy '" + flowLimitPolicy + "': expected ovs or adaptive");
    }

    Path dir = RunDir.ensure(runDir != null ? runDir : RunDir.resolve(System.getenv()));
    RunSession.Options o = new RunSession.Options();
    o.datapathSocket = datapathSocket;
    o.unixctl = unixctl != null ? unixctl : dir.resolve(RunDir.UNIXCTL_SOCKET);
    o.netlink = datapathSocket != null ? null : netlink != null ? netlink : dir.resolve(RunDir.NETLINK_SOCKET);
    o.runDir = dir;
    o.pipeline = pipeline;
    o.rules = rules;
    o.handlers = handlers;
    o.revalidators = revalidators;
    o.flowLimitPolicy = flowLimitPolicy;
    o.flowLimit = flowLimit;
    o.maxIdleMs = maxIdle;
    o.cpus = cpus;
    o.dumpMode = dumpMode;
    o.traffic = traffic;
    o.ratePps = rate;
    o.durationSec = duration;
    o.version = version();
    o.inPlace = System.console() != null && System.console().isTerminal();

    PrintWriter out = spec.commandLine().getOut();
    RunSession s;
    try {
      s = RunSession.start(o, out);
    } catch (RulesParseException e) {
      throw new IllegalStateException("rules " + rules + ": " + e.getMessage(), e);
    }
    Thread hook = new Thread(s::close, "ovsj-run-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.printf(
        "ovsj run: datapath %s (%s), ports %s, pipeline %s, unixctl %s (pid %d); %s%n",
        s.vswitchd().datapathName(),
        datapathSocket != null ? "at " + datapathSocket : "embedded, " + cpus + " cpus, dump mode " + dumpMode,
        s.vswitchd().ports().keySet(), s.vswitchd().pipeline().name(), s.unixctl().path(),
        ProcessHandle.current().pid(),
        traffic > 0 ? traffic + " flows of traffic into p1 at " + (rate == 0 ? "full speed" : rate + " pkt/s")
            : "no traffic");
    out.flush();
    try {
      s.awaitExit();
    } finally {
      s.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs anyway
      }
    }
    return 0;
  }

  private static String version() {
    String v = new VersionProvider().getVersion()[0];
    return v.startsWith("ovsj ") ? v.substring("ovsj ".length()) : v;
  }
}
