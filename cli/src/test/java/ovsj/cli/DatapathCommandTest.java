package ovsj.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import ovsj.odp.unixctl.Json;
import ovsj.odp.unixctl.UnixctlServer;
import picocli.CommandLine;

@Timeout(60)
class DatapathCommandTest {
  @TempDir Path dir;

  final List<Running> running = new ArrayList<>();

  /** An {@code ovsj datapath} running in this JVM, with what it printed. */
  record Running(CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {}

  /** Starts {@code ovsj datapath ARGS} on a thread; returns once it printed its start line (or ended). */
  Running start(String... args) throws InterruptedException {
    Running r = launch(args);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    // Wait for the whole start line: printf may reach the writer in pieces.
    while (!(r.out.toString().contains("ovsj datapath:") && r.out.toString().contains(")" + System.lineSeparator()))
        && !r.exit.isDone()) {
      assertThat(System.nanoTime()).as("start line").isLessThan(deadline);
      Thread.sleep(5);
    }
    return r;
  }

  Running launch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              CommandLine cmd = Main.newCommandLine();
              cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
              cmd.setOut(new PrintWriter(out, true));
              cmd.setErr(new PrintWriter(err, true));
              String[] full = new String[args.length + 1];
              full[0] = "datapath";
              System.arraycopy(args, 0, full, 1, args.length);
              exit.complete(cmd.execute(full));
            });
    Running r = new Running(exit, out, err);
    running.add(r);
    return r;
  }

  /** Runs to completion (for commands that must fail at once). */
  Running runToEnd(String... args) throws Exception {
    Running r = launch(args);
    r.exit.get(20, TimeUnit.SECONDS);
    return r;
  }

  @AfterEach
  void exitAll() {
    // Anything still running is told to exit, so no server outlives its test.
    for (Path p : List.of(ctl(), dir.resolve("ctl2.sock"))) {
      if (Files.exists(p)) {
        try {
          unixctl(p, "exit");
        } catch (IOException e) {
          // already gone
        }
      }
    }
  }

  Path nl() {
    return dir.resolve("nl.sock");
  }

  Path ctl() {
    return dir.resolve("ctl.sock");
  }

  String[] paths() {
    return new String[] {"--socket", nl().toString(), "--unixctl", ctl().toString()};
  }

  // -------------------------------------------------------------------------------- end to end

  @Test
  void servesBothSocketsAndExitRemovesThem() throws Exception {
    Running r = start(concat(paths(), "--cpus", "3", "--dump-mode", "serialize"));
    assertThat(r.exit).isNotDone();
    assertThat(r.out.toString())
        .startsWith("ovsj datapath: netlink socket " + nl() + ", unixctl socket " + ctl())
        .contains("pid " + ProcessHandle.current().pid())
        .contains("3 cpus")
        .contains("dump mode serialize")
        .contains("netlink port ids from 1");
    for (Path p : List.of(nl(), ctl())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
          .isEqualTo("rw-------");
    }

    // The netlink socket answers a frame on the socket's own port id.
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(nl()))) {
      sendFrame(c, getFamily("nlctrl", 0x1234));
      ByteBuffer reply = ByteBuffer.wrap(readFrame(c)).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(reply.getInt(8)).as("nlmsg_seq").isEqualTo(0x1234);
      assertThat(reply.getInt(12)).as("nlmsg_pid").isEqualTo(1);
    }

    assertThat(unixctl(ctl(), "version")).isEqualTo(ok("ovsj (ovsj) " + projectVersion() + "\n"));
    assertThat(result(unixctl(ctl(), "list-commands")))
        .startsWith("The available commands are:\n")
        .contains("  dpif/set-dump-mode      serialize|match-cache\n")
        .contains("  dpif/show-dump-mode     \n")
        .contains("  exit                    \n")
        .contains("  netdev-dummy/receive    PORT HEXFRAME\n");

    assertThat(unixctl(ctl(), "dpif/show-dump-mode")).isEqualTo(ok("serialize\n"));
    assertThat(unixctl(ctl(), "dpif/set-dump-mode", "match-cache"))
        .isEqualTo(ok("dump mode set to match-cache\n"));
    assertThat(unixctl(ctl(), "dpif/show-dump-mode")).isEqualTo(ok("match-cache (match caches: 0 bytes)\n"));
    assertThat(unixctl(ctl(), "dpif/set-dump-mode", "fast"))
        .isEqualTo(error("invalid dump mode 'fast': expected serialize or match-cache\n"));
    assertThat(unixctl(ctl(), "dpif/set-dump-mode"))
        .isEqualTo(error("\"dpif/set-dump-mode\" command requires at least 1 arguments\n"));
    assertThat(unixctl(ctl(), "netdev-dummy/receive", "p0", "0g"))
        .isEqualTo(error("bad packet syntax\n"));

    assertThat(unixctl(ctl(), "exit")).isEqualTo(ok(""));
    assertThat(r.exit.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(nl()).doesNotExist();
    assertThat(ctl()).doesNotExist();
  }

  @Test
  void aSecondInstanceIsRefusedAndTheFirstKeepsServing() throws Exception {
    Running first = start(paths());
    assertThat(first.exit).isNotDone();

    Running second = runToEnd(paths());
    assertThat(second.exit.get()).isEqualTo(1);
    assertThat(second.err.toString())
        .isEqualTo(
            "ovsj datapath: another ovsj datapath is already serving " + nl()
                + System.lineSeparator());

    // Same unixctl path, another netlink path: refused too, and its own netlink socket is removed.
    Path nl2 = dir.resolve("nl2.sock");
    Running third = runToEnd("--socket", nl2.toString(), "--unixctl", ctl().toString());
    assertThat(third.exit.get()).isEqualTo(1);
    assertThat(third.err.toString()).contains("another ovsj process is already serving " + ctl());
    assertThat(nl2).doesNotExist();

    assertThat(unixctl(ctl(), "dpif/show-dump-mode")).isEqualTo(ok("match-cache (match caches: 0 bytes)\n"));
    assertThat(unixctl(ctl(), "exit")).isEqualTo(ok(""));
    assertThat(first.exit.get(20, TimeUnit.SECONDS)).isZero();
  }

  // -------------------------------------------------------------------------------- usage

  @Test
  void badValuesAreUsageErrorsNamingTheProblem() throws Exception {
    Running cpus = runToEnd(concat(paths(), "--cpus", "0"));
    assertThat(cpus.exit.get()).isEqualTo(2);
    assertThat(cpus.err.toString()).contains("--cpus must be at least 1, not 0");

    Running mode = runToEnd(concat(paths(), "--dump-mode", "fast"));
    assertThat(mode.exit.get()).isEqualTo(2);
    assertThat(mode.err.toString())
        .contains("invalid --dump-mode 'fast': expected serialize or match-cache");

    Running flag = runToEnd(concat(paths(), "--bogus"));
    assertThat(flag.exit.get()).isEqualTo(2);
    assertThat(flag.err.toString()).contains("--bogus").contains("Usage: ovsj datapath");

    Running notInt = runToEnd(concat(paths(), "--cpus", "many"));
    assertThat(notInt.exit.get()).isEqualTo(2);

    assertThat(nl()).doesNotExist();
    assertThat(ctl()).doesNotExist();
  }

  @Test
  void helpDocumentsTheDefaults() throws Exception {
    Running help = runToEnd("--help");
    assertThat(help.exit.get()).isZero();
    assertThat(help.out.toString())
        .contains("Usage: ovsj datapath")
        .contains("RUNDIR/nl.sock")
        .contains("RUNDIR/ctl.sock")
        .contains("$OVSJ_RUNDIR")
        .contains("$XDG_RUNTIME_DIR/ovsj")
        .contains("/tmp/ovsj")
        .contains("--dump-mode");
  }

  // -------------------------------------------------------------------------------- the commands

  @Test
  void netdevDummyReceiveDecodesHexAndMapsTheDatapathsAnswer() throws Exception {
    List<String> seen = new ArrayList<>();
    Path p = dir.resolve("ctl2.sock");
    try (UnixctlServer ctl = new UnixctlServer(p, "t")) {
      DatapathCommand.registerCommands(
          ctl,
          new OvsDatapath(1, DumpMode.SERIALIZE),
          (port, frame) -> {
            seen.add(port + ":" + java.util.HexFormat.of().formatHex(frame));
            return port.equals("p9") ? "no such dummy netdev" : null;
          },
          () -> {});
      ctl.start();
      assertThat(unixctl(p, "netdev-dummy/receive", "p1", "00 11\t22ff")).isEqualTo(ok(""));
      assertThat(unixctl(p, "netdev-dummy/receive", "p9", "aa")).isEqualTo(error("no such dummy netdev\n"));
      assertThat(unixctl(p, "netdev-dummy/receive", "p1", "abc")).isEqualTo(error("bad packet syntax\n"));
      assertThat(unixctl(p, "netdev-dummy/receive", "p1"))
          .isEqualTo(error("\"netdev-dummy/receive\" command requires at least 2 arguments\n"));
    }
    assertThat(seen).containsExactly("p1:001122ff", "p9:aa");
  }

  @Test
  void parseHex() {
    assertThat(DatapathCommand.parseHex("0aFF")).containsExactly(0x0a, 0xff);
    assertThat(DatapathCommand.parseHex("0a ff")).containsExactly(0x0a, 0xff);
    assertThat(DatapathCommand.parseHex("")).isNull();
    assertThat(DatapathCommand.parseHex("0")).isNull();
    assertThat(DatapathCommand.parseHex("zz")).isNull();
  }

  // -------------------------------------------------------------------------------- RunDir

  @Test
  void runDirFollowsTheEnvironment() {
    assertThat(RunDir.resolve(Map.of("OVSJ_RUNDIR", "/r", "XDG_RUNTIME_DIR", "/x")))
        .isEqualTo(Path.of("/r"));
    assertThat(RunDir.resolve(Map.of("OVSJ_RUNDIR", "", "XDG_RUNTIME_DIR", "/x")))
        .isEqualTo(Path.of("/x/ovsj"));
    assertThat(RunDir.resolve(Map.of())).isEqualTo(Path.of("/tmp/ovsj"));
  }

  @Test
  void runDirIsCreatedPrivateAndAnOpenOneIsRefused() throws IOException {
    Path made = RunDir.ensure(dir.resolve("a/b"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a"))))
        .isEqualTo("rwx------");
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> RunDir.ensure(open)).hasMessageContaining("is writable by others");
  }

  // -------------------------------------------------------------------------------- helpers

  static String[] concat(String[] a, String... b) {
    String[] r = new String[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  static String projectVersion() {
    return new VersionProvider().getVersion()[0].substring("ovsj ".length());
  }

  static String ok(String result) {
    return "{\"id\":0,\"result\":" + Json.write(result) + ",\"error\":null}";
  }

  static String error(String text) {
    return "{\"id\":0,\"error\":" + Json.write(text) + "}";
  }

  static String result(String reply) throws Json.ParseException {
    return (String) ((Map<?, ?>) Json.parse(reply)).get("result");
  }

  /** One ovs-appctl-style call: the request ovs-appctl would send, the reply's exact text. */
  static String unixctl(Path sock, String method, String... args) throws IOException {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("id", 0L);
    req.put("method", method);
    req.put("params", List.of((Object[]) args));
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
      writeAll(c, Json.write(req).getBytes(UTF_8));
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      ByteBuffer b = ByteBuffer.allocate(65536);
      while (true) {
        b.clear();
        int n = c.read(b);
        if (n < 0) {
          throw new IOException("closed after " + got.toString(UTF_8));
        }
        got.write(b.array(), 0, n);
        try {
          Json.parse(got.toByteArray(), 0, got.size());
          return got.toString(UTF_8);
        } catch (Json.ParseException e) {
          // not whole yet
        }
      }
    }
  }

  /** An nlctrl CTRL_CMD_GETFAMILY request by name (what parity.py uses as its barrier). */
  static byte[] getFamily(String name, int seq) {
    byte[] nameBytes = (name + "\0").getBytes(UTF_8);
    int attrLen = 4 + nameBytes.length;
    int total = 16 + 4 + ((attrLen + 3) & ~3);
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(total).putShort((short) 0x10).putShort((short) 1).putInt(seq).putInt(0);
    b.put((byte) 3).put((byte) 1).putShort((short) 0); // CTRL_CMD_GETFAMILY, version 1
    b.putShort((short) attrLen).putShort((short) 2).put(nameBytes); // CTRL_ATTR_FAMILY_NAME
    return b.array();
  }

  static void sendFrame(SocketChannel c, byte[] payload) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(payload.length).put(payload);
    writeAll(c, b.array());
  }

  static void writeAll(SocketChannel c, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  static byte[] readFrame(SocketChannel c) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    readFully(c, h);
    byte[] body = new byte[h.getInt(0)];
    readFully(c, ByteBuffer.wrap(body));
    return body;
  }

  static void readFully(SocketChannel c, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (c.read(b) < 0) {
        throw new IOException("end of stream");
      }
    }
  }
}
