package ovsj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ovsj.odp.unixctl.UnixctlServer;
import picocli.CommandLine;

/** {@code ovsj appctl}: what it prints and how it exits, as {@code ovs-appctl} does. */
@Timeout(60)
class AppctlCommandTest {
  @TempDir Path dir;

  Path sock;
  UnixctlServer server;

  /** One run of {@code ovsj appctl ARGS}, with everything it printed. */
  record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void start() throws IOException {
    sock = dir.resolve("ctl.sock");
    server = new UnixctlServer(sock, "9.9");
    server.register("echo", "[ARG...]", 0, Integer.MAX_VALUE, args -> String.join(" ", args));
    server.register("raw", "", 0, 0, args -> "no newline added by the client");
    server.register(
        "fail",
        "",
        0,
        0,
        args -> {
          throw new UnixctlServer.CommandException("it failed");
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Result appctl(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    ((AppctlCommand) cmd.getSubcommands().get("appctl").getCommand()).env = env;
    String[] all = new String[args.length + 1];
    all[0] = "appctl";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cmd.execute(all);
    return new Result(code, out.toString(), err.toString());
  }

  Result appctl(String... args) {
    return appctl(Map.of(), args);
  }

  @Test
  void aResultIsPrintedAsSentAndExitsZero() {
    assertThat(appctl("-t", sock.toString(), "version")).isEqualTo(new Result(0, "ovsj (ovsj) 9.9\n", ""));
    assertThat(appctl("--target=" + sock, "list-commands").out())
        .startsWith("The available commands are:\n")
        .contains("  echo                    [ARG...]\n");
  }

  @Test
  void argumentsAfterTheCommandArePassedOnDashesIncluded() {
    assertThat(appctl("-t", sock.toString(), "echo", "-m", "--names", "-t", "x y"))
        .isEqualTo(new Result(0, "-m --names -t x y\n", ""));
  }

  @Test
  void anErrorGoesToStderrAndExitsTwo() {
    assertThat(appctl("-t", sock.toString(), "fail"))
        .isEqualTo(new Result(2, "", "it failed\novsj appctl: " + sock + ": server returned an error\n"));
    Result r = appctl("-t", sock.toString(), "nosuch");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "\"nosuch\" is not a valid command (use \"list-commands\" to see a list of valid commands)\n"
                + "ovsj appctl: " + sock + ": server returned an error\n");
  }

  @Test
  void aMissingSocketCannotBeConnectedToAndExitsOne() {
    Path none = dir.resolve("none.sock");
    assertThat(appctl("-t", none.toString(), "version"))
        .isEqualTo(
            new Result(1, "", "ovsj appctl: cannot connect to \"" + none + "\" (No such file or directory)\n"));
  }

  @Test
  void theDefaultTargetIsRundirCtlSockAndBareNamesAreInRundir() {
    Map<String, String> env = Map.of("OVSJ_RUNDIR", dir.toString());
    assertThat(appctl(env, "version").out()).isEqualTo("ovsj (ovsj) 9.9\n");
    assertThat(appctl(env, "-t", "ctl.sock", "version").out()).isEqualTo("ovsj (ovsj) 9.9\n");
    assertThat(appctl(env, "-t", "other.sock", "version").err())
        .isEqualTo(
            "ovsj appctl: cannot connect to \"" + dir.resolve("other.sock")
                + "\" (No such file or directory)\n");
  }

  @Test
  void noCommandIsAnErrorAsInOvsAppctl() {
    assertThat(appctl("-t", sock.toString()))
        .isEqualTo(
            new Result(1, "", "ovsj appctl: at least one non-option argument is required (use --help for help)\n"));
  }

  @Test
  void aServerThatHangsUpIsATransactionError() throws Exception {
    Path raw = dir.resolve("raw.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(raw));
      CompletableFuture<Void> hangUp =
          CompletableFuture.runAsync(
              () -> {
                try (SocketChannel c = s.accept()) {
                  c.read(ByteBuffer.allocate(100));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      assertThat(appctl("-t", raw.toString(), "version"))
          .isEqualTo(new Result(1, "", "ovsj appctl: " + raw + ": transaction error (End of file)\n"));
      hangUp.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theTimeoutEndsAWaitForAReply() throws Exception {
    Path raw = dir.resolve("raw.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(raw));
      assertThat(appctl("-T", "1", "-t", raw.toString(), "version"))
          .isEqualTo(
              new Result(1, "", "ovsj appctl: " + raw + ": transaction error (Connection timed out)\n"));
    }
  }

  @Test
  void resultTextIsNotChanged() {
    // The server adds the newline a non-empty body lacks (unixctl_command_reply__); the client adds nothing.
    assertThat(appctl("-t", sock.toString(), "raw").out()).isEqualTo("no newline added by the client\n");
    assertThat(appctl("-t", sock.toString(), "echo").out()).isEmpty();
    assertThat(appctl("-t", sock.toString(), "echo", "é").out()).isEqualTo("é\n");
  }
}
