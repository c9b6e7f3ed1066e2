package ovsj.cli.run;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ovsj.cli.Main;
import ovsj.odp.unixctl.Json;
import picocli.CommandLine;

/** {@code ovsj run} end to end, in process: traffic in, flows installed, hits, purge, clean exit. */
class RunTest {
  private static final Pattern CURRENT = Pattern.compile("\\(current (\\d+)\\)");

  @TempDir Path tmp;

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void runForThreeSecondsInstallsFlowsThatPacketsHitAndExitsClean() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("rundir"));
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Path ctl = dir.resolve("ctl.sock");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cmd.execute(
        "run", "--duration", "3", "--traffic", "2000", "--rundir", dir.toString(), "--unixctl", ctl.toString(),
        "--cpus", "2"));

    // While it runs: upcall/show over unixctl shows installed flows.
    long current = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (current == 0 && System.nanoTime() < deadline && !run.isDone()) {
      if (Files.exists(ctl)) {
        try {
          String show = result(unixctl(ctl, "upcall/show"));
          assertThat(show).startsWith("system@ovsj0:\n").contains("ufid enabled : true");
          Matcher m = CURRENT.matcher(show);
          assertThat(m.find()).isTrue();
          current = Long.parseLong(m.group(1));
        } catch (IOException e) {
          // not answering yet
        }
      }
      Thread.sleep(100);
    }
    assertThat(current).as("flows while running").isPositive();

    int code = run.get(20, TimeUnit.SECONDS);
    assertThat(code).as("exit code; stderr: %s", err).isZero();
    String text = out.toString();
    assertThat(text).contains("ovsj run: datapath ovsj0 (embedded").contains("   1s  flows ");
    Matcher s = Pattern.compile("summary: \\d+s, \\d+ datapath flows at the end \\(max (\\d+)\\), (\\d+) installed"
        + ".*datapath: (\\d+) hit, (\\d+) missed").matcher(text);
    assertThat(s.find()).as(text).isTrue();
    assertThat(Long.parseLong(s.group(1))).isPositive();
    assertThat(Long.parseLong(s.group(2))).isEqualTo(2000); // one megaflow per MAC pair
    assertThat(Long.parseLong(s.group(3))).as("hits").isPositive();
    // The sockets and the traffic file are gone.
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void purgeEmptiesTheDatapath() throws Exception {
    RunSession.Options o = new RunSession.Options();
    o.runDir = tmp;
    o.unixctl = tmp.resolve("ctl.sock");
    o.netlink = tmp.resolve("nl.sock");
    o.traffic = 500;
    o.rounds = 4;
    o.loop = false;
    o.ratePps = 20_000;
    o.cpus = 2;
    StringWriter out = new StringWriter();
    try (RunSession s = RunSession.start(o, new PrintWriter(out, true))) {
      // Wait until the replay is over: 2000 packets, the first of each flow missed, later ones hit.
      RunSession.Summary sum = s.summary();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (sum.hit() + sum.missed() + sum.lost() < 2000 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        sum = s.summary();
      }
      assertThat(sum.flowsNow()).isEqualTo(500);
      assertThat(sum.hit()).isPositive();
      assertThat(sum.flowsInstalled()).isEqualTo(500);
      assertThat(result(unixctl(o.unixctl, "revalidator/wait"))).isEmpty();
      assertThat(result(unixctl(o.unixctl, "fdb/show"))).startsWith(" port  VLAN  MAC                Age\n")
          .contains("   p1     0  02:00:00:00:00:00");
      assertThat(result(unixctl(o.unixctl, "upcall/set-flow-limit", "5000"))).isEqualTo("set flow_limit to 5000\n");

      assertThat(result(unixctl(o.unixctl, "revalidator/purge"))).isEmpty();
      assertThat(s.summary().flowsNow()).isZero();
      assertThat(s.vswitchd().udpif().ukeys().size()).isZero();
      assertThat(result(unixctl(o.unixctl, "upcall/show"))).contains("(current 0)");
      assertThat(result(unixctl(o.unixctl, "coverage/show"))).startsWith("Event coverage");
    }
    assertThat(Files.exists(o.unixctl)).isFalse();
    assertThat(Files.exists(o.netlink)).isFalse();
  }

  static String result(String reply) throws Json.ParseException {
    Object r = ((Map<?, ?>) Json.parse(reply)).get("result");
    if (r == null) {
      throw new AssertionError("error reply: " + reply);
    }
    return (String) r;
  }

  /** One ovs-appctl-style call; returns the reply's JSON text. */
  static String unixctl(Path sock, String method, String... args) throws IOException {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("id", 0L);
    req.put("method", method);
    req.put("params", List.of((Object[]) args));
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
      ByteBuffer w = ByteBuffer.wrap(Json.write(req).getBytes(UTF_8));
      while (w.hasRemaining()) {
        c.write(w);
      }
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
}
