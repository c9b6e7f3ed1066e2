package ovsj.cli.run;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ovsj.cli.Main;
import picocli.CommandLine;

/**
 * The unixctl commands of an {@code ovsj run} session, the way an operator reaches them: with the real
 * {@code ovs-appctl -t <ctl socket>} when it is installed (Debian's {@code openvswitch-common}), and
 * always with {@code ovsj appctl}. Every command is checked through each client, and where both ran,
 * their outputs must be the same (stdout byte for byte, stderr but for the program's name).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AppctlRunSessionTest {
    static final Path OVS_APPCTL = Path.of("/usr/bin/ovs-appctl");
    static final String A = "02:00:00:00:00:0a";
    static final String B = "02:00:00:00:00:0b";

    @TempDir
    Path tmp;

    /** What a client printed and how it exited. */
    record Result(int exitCode, String out, String err) {
    }

    /** An {@code ovs-appctl}-like program. */
    interface Client {
        String name();

        Result run(List<String> args) throws IOException, InterruptedException;
    }

    static final Client OVSJ = new Client() {
        @Override
        public String name() {
            return "ovsj appctl";
        }

        @Override
        public Result run(List<String> args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cmd = Main.newCommandLine();
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            List<String> all = new ArrayList<>(List.of("appctl"));
            all.addAll(args);
            int code = cmd.execute(all.toArray(String[]::new));
            return new Result(code, out.toString(), err.toString());
        }
    };

    static final Client OVS = new Client() {
        @Override
        public String name() {
            return "ovs-appctl";
        }

        @Override
        public Result run(List<String> args) throws IOException, InterruptedException {
            List<String> all = new ArrayList<>(List.of(OVS_APPCTL.toString()));
            all.addAll(args);
            Process p = new ProcessBuilder(all).start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ovs-appctl " + args + " did not end");
            }
            return new Result(p.exitValue(), out, new String(err.join(), UTF_8));
        }
    };

    /** ovsj appctl always; the real ovs-appctl too where it is installed. */
    static List<Client> clients() {
        return Files.isExecutable(OVS_APPCTL) ? List.of(OVSJ, OVS) : List.of(OVSJ);
    }

    @Test
    void everyUpcallRevalidatorFdbAndCoverageCommandAnswersThroughAppctl() throws Exception {
        RunSession.Options o = new RunSession.Options();
        o.runDir = tmp;
        o.unixctl = tmp.resolve("ctl.sock");
        o.traffic = 0;
        o.cpus = 1;
        String ctl = o.unixctl.toString();
        Map<String, Map<String, Result>> byClient = new LinkedHashMap<>();
        try (RunSession s = RunSession.start(o, new PrintWriter(new StringWriter(), true))) {
            for (Client c : clients()) {
                // A flow and a learned MAC to show: A on p1 says something to B.
                assertThat(s.datapath().receiveFrame("p1", EndToEndRig.udp(B, A, "10.0.0.1", "10.0.0.2"))).isNull();
                EndToEndRig.await("a flow installed", 10, () -> s.vswitchd().udpif().ukeys().size() == 1);

                Map<String, Result> seen = new LinkedHashMap<>();
                byClient.put(c.name(), seen);
                Session x = new Session(c, ctl, seen);

                String show = x.ok("upcall/show");
                assertThat(show).matches("system@ovsj0:\n"
                        + "  flows         : \\(current \\d+\\) \\(avg \\d+\\) \\(max \\d+\\) \\(limit \\d+\\)\n"
                        + "  dump duration : \\d+ms\n"
                        + "  ufid enabled : true\n"
                        + "\n"
                        + "  \\d+: \\(keys 1\\)\n");

                assertThat(x.ok("upcall/set-flow-limit", "20000")).isEqualTo("set flow_limit to 20000\n");
                assertThat(x.ok("upcall/show", "#limit")).contains("(limit 20000)");
                assertThat(x.ok("upcall/disable-ufid")).isEqualTo("Datapath dumping tersely using UFID disabled\n");
                assertThat(x.ok("upcall/show", "#no ufid")).contains("  ufid enabled : false\n");
                assertThat(x.ok("revalidator/wait", "#no ufid")).isEmpty();
                assertThat(x.ok("upcall/enable-ufid"))
                        .isEqualTo("Datapath dumping tersely using UFID enabled for supported datapaths\n");
                assertThat(x.ok("upcall/show", "#ufid")).contains("  ufid enabled : true\n");
                assertThat(x.ok("revalidator/wait")).isEmpty();

                assertThat(x.ok("fdb/show", "ovsj0")).startsWith(" port  VLAN  MAC                Age\n")
                        .contains("   p1     0  " + A + "  ");
                Result noBridge = x.run("fdb/show", "nosuch");
                assertThat(noBridge.exitCode()).isEqualTo(2);
                assertThat(noBridge.out()).isEmpty();
                assertThat(noBridge.err())
                        .isEqualTo("no such bridge\n" + c.name() + ": " + ctl + ": server returned an error\n");

                assertThat(x.ok("revalidator/purge")).isEmpty();
                assertThat(x.ok("upcall/show", "#purged")).contains("(current 0)").contains(": (keys 0)\n");

                assertThat(x.ok("coverage/show")).startsWith(
                        "Event coverage, avg rate over last: 5 seconds, last minute, last hour,  hash=");
                String list = x.ok("list-commands");
                assertThat(list).startsWith("The available commands are:\n");
                for (String cmd : List.of("upcall/show", "upcall/set-flow-limit", "upcall/disable-ufid",
                        "upcall/enable-ufid", "revalidator/wait", "revalidator/purge", "fdb/show", "coverage/show",
                        "list-commands", "version", "exit")) {
                    assertThat(list).containsPattern("(?m)^  " + cmd + " ");
                }
                assertThat(x.ok("version")).isEqualTo("ovsj (ovsj) 0\n");

                Result unknown = x.run("no/such-command");
                assertThat(unknown.exitCode()).isEqualTo(2);
                assertThat(unknown.err()).startsWith("\"no/such-command\" is not a valid command");
            }
        }

        // With both clients: the same answers (those that do not move with time).
        if (byClient.size() == 2) {
            Map<String, Result> ovsj = byClient.get(OVSJ.name());
            Map<String, Result> ovs = byClient.get(OVS.name());
            assertThat(ovs.keySet()).isEqualTo(ovsj.keySet());
            for (String k : ovsj.keySet()) {
                if (k.startsWith("upcall/show") || k.startsWith("coverage/show") || k.startsWith("fdb/show ovsj0")) {
                    continue; // counters, durations, ages
                }
                Result a = ovsj.get(k);
                Result b = ovs.get(k);
                assertThat(b.exitCode()).as(k).isEqualTo(a.exitCode());
                assertThat(b.out()).as(k).isEqualTo(a.out());
                assertThat(b.err().replace(OVS.name() + ": ", OVSJ.name() + ": ")).as(k).isEqualTo(a.err());
            }
        }
        assertThat(byClient).containsKey(OVSJ.name());
    }

    /** One client's commands against one socket, each result kept under its command line (+ a tag). */
    private record Session(Client c, String ctl, Map<String, Result> seen) {
        Result run(String... cmd) throws IOException, InterruptedException {
            List<String> args = new ArrayList<>(List.of("-t", ctl));
            String key = String.join(" ", cmd);
            for (String a : cmd) {
                if (!a.startsWith("#")) {
                    args.add(a);
                }
            }
            Result r = c.run(args);
            seen.put(key, r);
            return r;
        }

        /** A command that must succeed: its stdout. */
        String ok(String... cmd) throws IOException, InterruptedException {
            Result r = run(cmd);
            assertThat(r.exitCode()).as("%s %s: %s", c.name(), String.join(" ", cmd), r.err()).isZero();
            assertThat(r.err()).as("%s %s", c.name(), String.join(" ", cmd)).isEmpty();
            return r.out();
        }
    }
}
