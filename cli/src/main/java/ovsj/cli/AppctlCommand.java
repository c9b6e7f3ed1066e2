package ovsj.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import ovsj.odp.unixctl.UnixctlClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ovsj appctl [-t TARGET] COMMAND [ARG...]}: the twin of {@code ovs-appctl}. It sends one
 * JSON-RPC request to a unixctl socket ({@code ovsj run}'s or {@code ovsj datapath}'s, or any OVS
 * daemon's) and prints the reply as {@code ovs-appctl} does:
 *
 * <ul>
 *   <li>a result: its text on stdout, as sent; exit 0;
 *   <li>an error: its text on stderr, then {@code ovsj appctl: TARGET: server returned an error};
 *       exit 2;
 *   <li>no connection: {@code ovsj appctl: cannot connect to "SOCKET" (REASON)}; exit 1;
 *   <li>no reply (the server hung up, the timeout passed, not a reply): {@code ovsj appctl: TARGET:
 *       transaction error (REASON)}; exit 1.
 * </ul>
 *
 * <p>TARGET is a socket path; a bare name (no {@code /}) is a socket in RUNDIR, the way
 * {@code ovs-appctl} looks bare names up in its run directory. Options end at COMMAND: everything after
 * it is passed on (so {@code ovsj appctl dpctl/dump-flows -m} works).
 */
@Command(
    name = "appctl",
    mixinStandardHelpOptions = true,
    description = {
      "Send a command to a running daemon over its unixctl socket, like ovs-appctl"
          + " (e.g. upcall/show, list-commands).",
      "",
      "Prints the result on stdout (exit 0), or the error on stderr (exit 2);"
          + " exit 1 when the socket cannot be reached or does not answer.",
      "",
    },
    footer = {"", RunDir.HELP})
final class AppctlCommand implements Callable<Integer> {

  private CommandSpec spec;

  @Option(
      names = {"-t", "--target"},
      paramLabel = "TARGET",
      description = "Unixctl socket to contact: a path, or a name in RUNDIR (default: RUNDIR/"
          + RunDir.UNIXCTL_SOCKET + ").")
  String target;

  @Option(
      names = {"-T", "--timeout"},
      paramLabel = "SECS",
      description = "Wait at most SECS seconds for the reply (default: no limit).")
  int timeoutSec;

  @Parameters(
      paramLabel = "COMMAND",
      description = "The command and its arguments, e.g. upcall/show, upcall/set-flow-limit 20000.")
  List<String> command = List.of();

  /** Where the environment comes from (a seam for tests). */
  Map<String, String> env = System.getenv();

  /** Options stop at COMMAND: what follows it, dashes included, is the command's. */
  @Spec
  void initSpec(CommandSpec s) {
    this.spec = s;
    s.parser().stopAtPositional(true);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String me = spec.qualifiedName();
    if (command.isEmpty()) {
      return fail(err, me + ": at least one non-option argument is required (use --help for help)");
    }
    if (timeoutSec < 0) {
      return fail(err, me + ": value " + timeoutSec + " on -T or --timeout is invalid");
    }
    String shown = target != null ? target : RunDir.resolve(env).resolve(RunDir.UNIXCTL_SOCKET).toString();
    Path socket = socketOf(target, env);
    UnixctlClient.Reply reply;
    try (UnixctlClient c = connect(socket, err, me)) {
      if (c == null) {
        return 1;
      }
      c.timeoutMs(timeoutSec * 1000L);
      reply = c.transact(command.get(0), command.subList(1, command.size()));
    } catch (IOException e) {
      return fail(err, me + ": " + shown + ": transaction error (" + e.getMessage() + ")");
    }
    if (reply.isError()) {
      err.print(reply.error());
      err.println(me + ": " + shown + ": server returned an error");
      err.flush();
      return 2;
    }
    out.print(reply.result());
    out.flush();
    return 0;
  }

  private static UnixctlClient connect(Path socket, PrintWriter err, String me) {
    try {
      return UnixctlClient.connect(socket);
    } catch (IOException e) {
      fail(err, me + ": cannot connect to \"" + socket + "\" (" + e.getMessage() + ")");
      return null;
    }
  }

  /** The socket TARGET names: a path, or a bare name in RUNDIR; no TARGET: RUNDIR/ctl.sock. */
  static Path socketOf(String target, Map<String, String> env) {
    if (target == null) {
      return RunDir.resolve(env).resolve(RunDir.UNIXCTL_SOCKET);
    }
    if (target.indexOf('/') < 0) {
      return RunDir.resolve(env).resolve(target);
    }
    return Path.of(target);
  }

  private static int fail(PrintWriter err, String line) {
    err.println(line);
    err.flush();
    return 1;
  }
}
