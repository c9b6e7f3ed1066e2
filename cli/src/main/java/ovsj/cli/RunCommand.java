package ovsj.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import ovsj.cli.run.RunPorts;
import ovsj.cli.run.RunSession;
import ovsj.cli.run.TrafficMix;
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
      "By default: datapath ovsj0 in this process, the normal learning switch, and ports"
          + " p1:pcap:in=@sources,loop,p2:pcap:in=@destinations,loop,p3:internal: a generated traffic"
          + " mix where every host first announces itself (a gratuitous ARP; sources on p1, destinations"
          + " on p2), then --flows distinct UDP and TCP flows from the sources to the destinations, each"
          + " flow once a pass plus as many packets again drawn Zipf-distributed (exponent 1.0, seeded):"
          + " a few flows carry most packets. The switch learns where the hosts are and forwards unicast;"
          + " each flow is one megaflow.",
      "",
      "Status, a line per second (rewritten in place on a terminal): flows current/limit, revalidator"
          + " dump duration, upcalls/s, hit rate and pkt/s over the last second, and the totals; with"
          + " 50000 flows or more, a progress bar while their first pass loads. Ctrl-C prints a summary.",
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

  @Option(names = "--pipeline", arity = "1..2", paramLabel = "normal|rules FILE",
      description = "Translation: normal (L2 learning switch, default) or rules FILE (a rule table;"
          + " also --pipeline rules --rules FILE).")
  List<String> pipeline;

  @Option(names = "--rules", paramLabel = "FILE", description = "Rule table: the same as --pipeline rules FILE.")
  Path rules;

  @Option(names = "--ports", paramLabel = "SPEC",
      description = "The ports, a comma-separated list of NAME:internal or NAME:pcap:OPTION[,OPTION...]"
          + " with OPTION in=FILE (a pcap file replayed into the port; @sources and @destinations are"
          + " the generated traffic), out=FILE (the frames the port sends), rate=PPS (default --rate),"
          + " loop. Repeatable. Default: p1:pcap:in=@sources,loop,p2:pcap:in=@destinations,loop,"
          + "p3:internal (p1, p2, p3 internal with --flows 0).")
  List<String> ports;

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

  @Option(names = "--flows", paramLabel = "K",
      description = "Distinct flows of the generated traffic, 0 = none (default " + DEFAULT_FLOWS
          + ", at most " + TrafficMix.MAX_FLOWS + ").")
  Integer flows;

  @Option(names = "--traffic", paramLabel = "K", hidden = true, description = "The old name of --flows.")
  Integer traffic;

  @Option(names = "--rate", paramLabel = "PPS",
      description = "Replay rate of the pcap ports (the sources' traffic) in packets per second, 0 = as fast"
          + " as the datapath takes them (default ${DEFAULT-VALUE}).")
  int rate = 50_000;

  @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds (default: run until stopped).")
  long duration;

  @Option(names = "--rundir", paramLabel = "DIR", hidden = true,
      description = "Run directory instead of RUNDIR (tests).")
  Path runDir;

  @Option(names = "--netlink", paramLabel = "PATH", hidden = true,
      description = "Netlink socket the embedded datapath serves (default RUNDIR/nl.sock).")
  Path netlink;

  static final int DEFAULT_FLOWS = 10_000;

  @Override
  public Integer call() throws Exception {
    if (handlers < 1 || revalidators < 1 || cpus < 1) {
      throw usage("--handlers, --revalidators and --cpus must be at least 1");
    }
    if (flows != null && traffic != null && !flows.equals(traffic)) {
      throw usage("--traffic is the old name of --flows: give one of them");
    }
    int k = flows != null ? flows : traffic != null ? traffic : DEFAULT_FLOWS;
    if (k < 0 || k > TrafficMix.MAX_FLOWS) {
      throw usage("invalid --flows " + k + ": expected 0 to " + TrafficMix.MAX_FLOWS);
    }
    if (rate < 0 || duration < 0 || maxIdle < 1 || flowLimit < 0 || flowLimit > 0xffff_ffffL) {
      throw usage("--rate and --duration must not be negative, --max-idle at least 1, --flow-limit 0..4294967295");
    }
    if (DumpMode.fromCliName(dumpMode) == null) {
      throw usage("invalid --dump-mode '" + dumpMode + "': expected serialize or match-cache");
    }
    Path rulesFile = rulesFile();
    try {
      FlowLimit.Policy.parse(flowLimitPolicy);
    } catch (IllegalArgumentException e) {
      throw usage("invalid --flow-limit-policy '" + flowLimitPolicy + "': expected ovs or adaptive");
    }
    List<RunPorts.Port> portList;
    try {
      portList = ports == null ? RunPorts.defaults(k > 0, true) : RunPorts.parse(ports);
      RunPorts.check(portList, k, "ovsj0");
    } catch (IllegalArgumentException e) {
      throw usage("invalid --ports: " + e.getMessage());
    }

    Path dir = RunDir.ensure(runDir != null ? runDir : RunDir.resolve(System.getenv()));
    RunSession.Options o = new RunSession.Options();
    o.datapathSocket = datapathSocket;
    o.unixctl = unixctl != null ? unixctl : dir.resolve(RunDir.UNIXCTL_SOCKET);
    o.netlink = datapathSocket != null ? null : netlink != null ? netlink : dir.resolve(RunDir.NETLINK_SOCKET);
    o.runDir = dir;
    o.pipeline = rulesFile != null ? "rules" : "normal";
    o.rules = rulesFile;
    o.ports = portList;
    o.handlers = handlers;
    o.revalidators = revalidators;
    o.flowLimitPolicy = flowLimitPolicy;
    o.flowLimit = flowLimit;
    o.maxIdleMs = maxIdle;
    o.cpus = cpus;
    o.dumpMode = dumpMode;
    o.traffic = k;
    o.ratePps = rate;
    o.durationSec = duration;
    o.version = version();
    o.inPlace = System.console() != null && System.console().isTerminal();

    PrintWriter out = spec.commandLine().getOut();
    RunSession s;
    try {
      s = RunSession.start(o, out);
    } catch (RulesParseException e) {
      throw new IllegalStateException("rules " + rulesFile + ": " + e.getMessage(), e);
    }
    Thread hook = new Thread(s::close, "ovsj-run-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.printf(
        "ovsj run: datapath %s (%s), ports %s, pipeline %s, unixctl %s (pid %d); %s%n",
        s.vswitchd().datapathName(),
        datapathSocket != null ? "at " + datapathSocket : "embedded, " + cpus + " cpus, dump mode " + dumpMode,
        s.vswitchd().ports().keySet(), s.vswitchd().pipeline().name(), s.unixctl().path(),
        ProcessHandle.current().pid(), s.trafficText());
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

  /**
   * The rule table, or null for the normal pipeline: {@code --pipeline rules FILE}, {@code --pipeline
   * rules --rules FILE} or {@code --rules FILE} alone.
   */
  private Path rulesFile() {
    if (pipeline == null) {
      return rules;
    }
    String name = pipeline.get(0);
    if (pipeline.size() > 2 || (pipeline.size() == 2 && !name.equals("rules"))) {
      throw usage(pipeline.size() > 2 ? "--pipeline given more than once"
          : "invalid --pipeline '" + String.join(" ", pipeline) + "': only rules takes a FILE");
    }
    switch (name) {
      case "normal" -> {
        if (rules != null) {
          throw usage("--rules FILE is for --pipeline rules, not normal");
        }
        return null;
      }
      case "rules" -> {
        Path f = pipeline.size() == 2 ? Path.of(pipeline.get(1)) : rules;
        if (f == null) {
          throw usage("--pipeline rules needs a FILE: --pipeline rules FILE");
        }
        if (rules != null && !rules.equals(f)) {
          throw usage("two rule tables: --pipeline rules " + f + " and --rules " + rules);
        }
        return f;
      }
      default -> throw usage("invalid --pipeline '" + name + "': expected normal or rules FILE");
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static String version() {
    String v = new VersionProvider().getVersion()[0];
    return v.startsWith("ovsj ") ? v.substring("ovsj ".length()) : v;
  }
}
