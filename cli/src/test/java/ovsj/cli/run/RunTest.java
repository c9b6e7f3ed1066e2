package ovsj.cli.run;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

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
import ovsj.odp.dpif.VportInfo;
import ovsj.vswitchd.Vswitchd;
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
        "run", "--duration", "3", "--flows", "2000", "--rundir", dir.toString(), "--unixctl", ctl.toString(),
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
    assertThat(text).contains("ovsj run: datapath ovsj0 (embedded")
        .contains("2000 flows (UDP and TCP, Zipf 1.0) from 45 sources on p1 to 45 destinations on p2")
        .contains("   1s  flows ").doesNotContain("loading flows");
    Matcher s = Pattern.compile("summary: \\d+s, (\\d+) datapath flows at the end \\(max (\\d+)\\), (\\d+) installed"
        + ".*datapath: (\\d+) hit, (\\d+) missed").matcher(text);
    assertThat(s.find()).as(text).isTrue();
    // One megaflow per flow (a MAC pair) and one per announcing host.
    assertThat(Long.parseLong(s.group(1))).as(text).isEqualTo(2000 + 45 + 45);
    assertThat(Long.parseLong(s.group(3))).isGreaterThanOrEqualTo(2090);
    assertThat(Long.parseLong(s.group(4))).as("hits").isPositive();
    // The sockets and the traffic file are gone.
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void purgeEmptiesTheDatapath() throws Exception {
    RunSession.Options o = options(500, 20_000);
    o.netlink = tmp.resolve("nl.sock");
    o.rounds = 4;
    o.loop = false;
    StringWriter out = new StringWriter();
    try (RunSession s = RunSession.start(o, new PrintWriter(out, true))) {
      // Wait until the replay is over (one pass of each file, no loop) and every megaflow is installed.
      TrafficMix mix = s.traffic();
      long frames = mix.sourceFrames() + mix.destinationFrames();
      RunSession.Summary sum = s.summary();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (sum.hit() + sum.missed() < frames && System.nanoTime() < deadline) {
        Thread.sleep(50);
        sum = s.summary();
      }
      assertThat(sum.hit() + sum.missed()).isEqualTo(frames);
      sum = awaitFlows(s, mix.megaflows()); // the handlers may still be installing the last ones
      assertThat(sum.flowsNow()).isEqualTo(mix.megaflows());
      assertThat(sum.flowsInstalled()).isEqualTo(mix.megaflows());
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

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theSwitchLearnsTheHostsThenForwardsTheFlowsUnicastAndTheHitRateRises() throws Exception {
    RunSession.Options o = options(2000, 20_000);
    Path p2out = tmp.resolve("p2-out.pcap");
    o.ports = RunPorts.parse(List.of("p1:pcap:in=@sources,loop", "p2:pcap:in=@destinations,loop,out=" + p2out,
        "p3:internal"));
    StringWriter out = new StringWriter();
    try (RunSession s = RunSession.start(o, new PrintWriter(out, true))) {
      TrafficMix mix = s.traffic();
      Vswitchd v = s.vswitchd();
      // The first pass: every flow's first frame misses.
      awaitReplayed(v, "p1", mix.sourceFrames());
      RunSession.Summary first = s.summary();
      // The hosts are learned, the handlers have installed every megaflow; flows installed while a
      // destination was unknown (flooding) are revalidated.
      awaitFlows(s, mix.megaflows());
      assertThat(result(unixctl(o.unixctl, "revalidator/wait"))).isEmpty();
      assertThat(result(unixctl(o.unixctl, "revalidator/wait"))).isEmpty();
      RunSession.Summary mid = s.summary();
      long[] p1a = v.port("p1").stats();
      long[] p2a = v.port("p2").stats();
      long[] p3a = v.port("p3").stats();
      // Two more passes.
      awaitReplayed(v, "p1", p1a[VportInfo.RX_PACKETS] + 2 * mix.sourceFrames());
      RunSession.Summary later = s.summary();
      long[] p1b = v.port("p1").stats();
      long[] p2b = v.port("p2").stats();
      long[] p3b = v.port("p3").stats();

      double firstRate = (double) first.hit() / (first.hit() + first.missed());
      long hit = later.hit() - mid.hit();
      long missed = later.missed() - mid.missed();
      double laterRate = (double) hit / (hit + missed);
      assertThat(firstRate).as("hit rate of the first pass").isLessThan(0.8);
      assertThat(laterRate).as("hit rate afterwards").isGreaterThan(0.99).isGreaterThan(firstRate);
      assertThat(later.flowsNow()).isEqualTo(mix.megaflows());

      // Every host was learned on its own port.
      String fdb = result(unixctl(o.unixctl, "fdb/show"));
      assertThat(fdb.lines().filter(l -> l.startsWith("   p1 ")).count()).isEqualTo(mix.sources());
      assertThat(fdb.lines().filter(l -> l.startsWith("   p2 ")).count()).isEqualTo(mix.destinations());

      // Unicast: everything p1 sent reached p2 (the frames of the flows and the sources'
      // announcements); p3, not a destination, got only the broadcasts (an internal port counts what
      // the datapath sends it as its receive).
      long fromP1 = p1b[VportInfo.RX_PACKETS] - p1a[VportInfo.RX_PACKETS];
      long toP2 = p2b[VportInfo.TX_PACKETS] - p2a[VportInfo.TX_PACKETS];
      long toP3 = p3b[VportInfo.RX_PACKETS] - p3a[VportInfo.RX_PACKETS];
      assertThat(fromP1).isGreaterThan(mix.sourceFrames());
      assertThat(toP2).isCloseTo(fromP1, withinPercentage(5));
      assertThat(toP3).as("floods to p3").isLessThan(fromP1 / 20);
    }
    assertThat(out.toString()).contains("summary: ");
    // What p2 transmitted is in its output file: unicast frames to its destinations.
    assertThat(TrafficMixTest.read(p2out)).anySatisfy(f -> assertThat(TrafficMixTest.mac(f, 0))
        .isEqualTo(Frames.destinationMac(0)));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aLargePopulationLoadsBehindAProgressBarRewrittenInPlace() throws Exception {
    RunSession.Options o = options(3000, 5000); // a pass of 6055 frames: more than a second
    o.loadingMinFlows = 1000;
    o.inPlace = true;
    StringWriter out = new StringWriter();
    try (RunSession s = RunSession.start(o, new PrintWriter(out, true))) {
      awaitReplayed(s.vswitchd(), "p1", s.traffic().sourceFrames());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!out.toString().contains("\n") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    String text = out.toString();
    assertThat(text).contains("\r\033[Kloading flows [")
        .containsPattern("\\r\\033\\[Kloaded 3000 flows in \\d+\\.\\ds: \\d+ in the datapath, limit \\d+\\n");
    assertThat(text.substring(0, text.indexOf("loaded"))).doesNotContain("\n").doesNotContain("  dump ");
  }

  @Test
  void theProgressBarAndTheStatusLine() {
    assertThat(StatusLine.loading(412_000, 1_000_000, 180_000, 200_000)).isEqualTo(
        "loading flows [############..................] 41% 412000/1000000  (180000 in the datapath, limit 200000)");
    assertThat(StatusLine.loading(0, 10, 0, 10_000)).startsWith("loading flows [" + ".".repeat(30) + "] 0% 0/10");
    RunSession.Summary a = new RunSession.Summary(4, 100, 100, 100, 50, 900, 100, 0, 10_000, 3, 4);
    RunSession.Summary b = new RunSession.Summary(5, 120, 120, 120, 60, 1890, 110, 2, 11_000, 7, 6);
    assertThat(StatusLine.status(b, a, 500_000_000L)).isEqualTo(
        "   5s  flows 120/11000  dump 7ms  upcalls 20/s  hit rate 99.0%  2000 pkt/s  (hit 1890 missed 110 lost 2)");
    assertThat(StatusLine.status(a, a, 1_000_000_000L)).contains("hit rate -  0 pkt/s");
  }

  /** An in-process run in the test's directory: {@code flows} flows at {@code rate}, two cpus. */
  private RunSession.Options options(int flows, int rate) {
    RunSession.Options o = new RunSession.Options();
    o.runDir = tmp;
    o.unixctl = tmp.resolve("ctl.sock");
    o.netlink = null;
    o.traffic = flows;
    o.ratePps = rate;
    o.cpus = 2;
    return o;
  }

  /** Waits (up to 20 s) until the datapath holds {@code n} flows; returns the summary then. */
  private static RunSession.Summary awaitFlows(RunSession s, long n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    RunSession.Summary sum = s.summary();
    while (sum.flowsNow() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
      sum = s.summary();
    }
    return sum;
  }

  /** Waits until port {@code name} has replayed {@code frames} frames. */
  private static void awaitReplayed(Vswitchd v, String name, long frames) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long[] st = v.port(name).stats();
    while (st[VportInfo.RX_PACKETS] + st[VportInfo.RX_DROPPED] < frames) {
      assertThat(System.nanoTime()).as("%s replayed %d of %d frames in time", name, st[VportInfo.RX_PACKETS],
          frames).isLessThan(deadline);
      Thread.sleep(20);
      st = v.port(name).stats();
    }
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
