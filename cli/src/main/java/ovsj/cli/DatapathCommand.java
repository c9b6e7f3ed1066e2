package ovsj.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.transport.PortIds;
import ovsj.datapath.transport.UnixSocketTransport;
import ovsj.odp.unixctl.UnixctlServer;
import ovsj.odp.unixctl.UnixctlServer.CommandException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ovsj datapath}: the datapath alone, in the foreground, serving its generic-netlink families
 * on a UNIX socket (the server protocol of {@code shared/tools/README.md}) and an OVS unixctl socket
 * for {@code ovs-appctl}. It stops on {@code exit} over unixctl, Ctrl-C or SIGTERM, removing both
 * sockets.
 */
@Command(
    name = "datapath",
    mixinStandardHelpOptions = true,
    description = {
      "Run the datapath alone, in the foreground, serving its netlink families on a socket.",
      "",
      "Netlink: each datagram is a frame of a 4-byte little-endian length and the bytes;"
          + " one connection is one netlink socket.",
      "Unixctl (ovs-appctl -t PATH COMMAND): exit, dpif/show-dump-mode,"
          + " dpif/set-dump-mode MODE, netdev-dummy/receive PORT HEXFRAME,"
          + " list-commands, version.",
      "",
    },
    footer = {"", RunDir.HELP, "Stop with Ctrl-C, SIGTERM or 'exit' over unixctl."})
final class DatapathCommand implements Callable<Integer> {

  /** The first netlink port id handed out (the kernel never uses 0, the "no socket" pid). */
  static final int FIRST_PORT_ID = 1;

  @Spec CommandSpec spec;

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description = "Netlink socket to serve (default: RUNDIR/" + RunDir.NETLINK_SOCKET + ").")
  Path socket;

  @Option(
      names = "--unixctl",
      paramLabel = "PATH",
      description = "Unixctl socket (default: RUNDIR/" + RunDir.UNIXCTL_SOCKET + ").")
  Path unixctl;

  @Option(
      names = "--cpus",
      paramLabel = "N",
      description = "Forwarding threads, i.e. per-CPU stats slots and upcall pids (default: the"
          + " number of processors, ${DEFAULT-VALUE}).")
  int cpus = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--dump-mode",
      paramLabel = "MODE",
      description = "How flow dumps encode keys and masks: serialize (every dump, the kernel before"
          + " the seed patch) or match-cache (encode once, copy afterwards; default).")
  String dumpMode = DumpMode.MATCH_CACHE.cliName();

  /** The datapath's side of netdev-dummy/receive (a seam for tests). */
  @FunctionalInterface
  interface FrameInjector {
    /** Null on success, else the error text. */
    String receiveFrame(String port, byte[] frame);
  }

  @Override
  public Integer call() throws Exception {
    if (cpus < 1) {
      throw new ParameterException(
          spec.commandLine(), "--cpus must be at least 1, not " + cpus);
    }
    DumpMode mode = DumpMode.fromCliName(dumpMode);
    if (mode == null) {
      throw new ParameterException(
          spec.commandLine(), "invalid --dump-mode '" + dumpMode + "': " + allowedModes());
    }
    Path nlPath = socket;
    Path ctlPath = unixctl;
    if (nlPath == null || ctlPath == null) {
      Path dir = RunDir.ensure(RunDir.resolve(System.getenv()));
      nlPath = nlPath != null ? nlPath : dir.resolve(RunDir.NETLINK_SOCKET);
      ctlPath = ctlPath != null ? ctlPath : dir.resolve(RunDir.UNIXCTL_SOCKET);
    }

    OvsDatapath dp = new OvsDatapath(cpus, mode);
    CountDownLatch exit = new CountDownLatch(1);
    Servers servers = new Servers();
    try {
      servers.nl = new UnixSocketTransport(nlPath, dp, new PortIds(FIRST_PORT_ID));
      servers.ctl = new UnixctlServer(ctlPath, version());
      registerCommands(servers.ctl, dp, dp::receiveFrame, exit::countDown);
      servers.ctl.start();
    } catch (IOException | RuntimeException e) {
      servers.close();
      throw e;
    }
    Thread hook = new Thread(servers::close, "ovsj-datapath-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "ovsj datapath: netlink socket %s, unixctl socket %s (pid %d, %d cpus, dump mode %s,"
            + " netlink port ids from %d)%n",
        servers.nl.path(), servers.ctl.path(), ProcessHandle.current().pid(), cpus,
        mode.cliName(), FIRST_PORT_ID);
    out.flush();

    try {
      exit.await();
    } finally {
      servers.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs (or ran) anyway
      }
    }
    return 0;
  }

  /** The unixctl commands of the datapath. {@code exit} runs {@code onExit} after replying. */
  static void registerCommands(
      UnixctlServer ctl, OvsDatapath dp, FrameInjector injector, Runnable onExit) {
    ctl.register(
        "exit",
        "",
        0,
        0,
        args -> {
          // The server lets this reply out before close() ends the connection.
          onExit.run();
          return "";
        });
    ovsj.datapath.vport.TxCommands.register(ctl, dp.net());
    ctl.register("dpif/show-dump-mode", "", 0, 0, args -> dp.dumpModeStatus());
    ctl.register(
        "dpif/set-dump-mode",
        "serialize|match-cache",
        1,
        1,
        args -> {
          DumpMode m = DumpMode.fromCliName(args[0]);
          if (m == null) {
            throw new CommandException("invalid dump mode '" + args[0] + "': " + allowedModes());
          }
          dp.setDumpMode(m);
          return "dump mode set to " + m.cliName();
        });
    ctl.register(
        "netdev-dummy/receive",
        "PORT HEXFRAME",
        2,
        2,
        args -> {
          byte[] frame = parseHex(args[1]);
          if (frame == null) {
            throw new CommandException("bad packet syntax"); // netdev-dummy's words
          }
          String error = injector.receiveFrame(args[0], frame);
          if (error != null) {
            throw new CommandException(error);
          }
          return "";
        });
  }

  /** Hex digits, two per byte, blanks between bytes allowed (as OVS's ofpbuf_put_hex); else null. */
  static byte[] parseHex(String s) {
    String digits = s.replaceAll("[ \\t\\n]", "");
    if (digits.isEmpty() || digits.length() % 2 != 0) {
      return null;
    }
    try {
      return HexFormat.of().parseHex(digits);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String allowedModes() {
    StringBuilder b = new StringBuilder("expected ");
    DumpMode[] all = DumpMode.values();
    for (int i = 0; i < all.length; i++) {
      if (i > 0) {
        b.append(i == all.length - 1 ? " or " : ", ");
      }
      b.append(all[i].cliName());
    }
    return b.toString();
  }

  private static String version() {
    String v = new VersionProvider().getVersion()[0]; // "ovsj VERSION"
    return v.startsWith("ovsj ") ? v.substring("ovsj ".length()) : v;
  }

  /** Both servers, closed once, whichever of exit / shutdown hook / failure gets there first. */
  private static final class Servers {
    UnixSocketTransport nl;
    UnixctlServer ctl;
    private boolean closed;

    synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (ctl != null) {
        ctl.close();
      }
      if (nl != null) {
        nl.close();
      }
    }
  }
}
