package ovsj.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ovsj.cli.Main;
import picocli.CommandLine;

/** {@code ovsj run}'s options through the command line: usage errors, --pipeline rules FILE, --flows. */
class RunOptionsTest {
  @TempDir Path tmp;

  private record Result(int exitCode, String out, String err) {}

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("run", "--rundir", tmp.resolve("rundir").toString(),
        "--unixctl", tmp.resolve("ctl.sock").toString(), "--netlink", tmp.resolve("nl.sock").toString(),
        "--cpus", "1"));
    all.addAll(List.of(args));
    int code = cmd.execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--ports=p1:bogus                  | invalid --ports: port 'p1': unknown type 'bogus' (internal or pcap)",
    "--ports=p1:pcap:in=/nonexistent/x | invalid --ports: port 'p1': input file /nonexistent/x does not exist",
    "--ports=p1:internal,rate=3        | invalid --ports: port 'p1' is internal: 'rate=3' is a pcap port's option",
    "--pipeline=bogus                  | invalid --pipeline 'bogus': expected normal or rules FILE",
    "--pipeline=rules                  | --pipeline rules needs a FILE: --pipeline rules FILE",
    "--flows=-1                        | invalid --flows -1: expected 0 to 10000000",
    "--flows=10000001                  | invalid --flows 10000001: expected 0 to 10000000",
    "--dump-mode=fast                  | invalid --dump-mode 'fast': expected serialize or match-cache",
    "--flow-limit-policy=magic         | invalid --flow-limit-policy 'magic': expected ovs or adaptive",
    "--revalidators=0                  | --handlers, --revalidators and --cpus must be at least 1",
  })
  void aBadValueIsAOneLineErrorNamingTheOptionAndExitsTwo(String arg, String message) {
    Result r = run(arg);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err().lines().findFirst()).hasValue(message);
    assertThat(r.err()).doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void moreBadCombinations() {
    Result r = run("--pipeline", "normal", "rules.txt");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("invalid --pipeline 'normal rules.txt': only rules takes a FILE");

    r = run("--pipeline", "normal", "--rules", "rules.txt");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("--rules FILE is for --pipeline rules, not normal");

    r = run("--traffic", "5", "--flows", "6");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("--traffic is the old name of --flows: give one of them");

    r = run("--flows", "0", "--ports", "p1:pcap:in=@sources");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("invalid --ports: port 'p1': in=@sources needs generated traffic");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void pipelineRulesFileRunsTheRuleTableAndTrafficStillNamesTheFlows() throws Exception {
    Path rules = Files.writeString(tmp.resolve("rules.txt"), "priority=100,actions=normal\n");
    Result r = run("--pipeline", "rules", rules.toString(), "--traffic", "200", "--duration", "1");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("pipeline rules").contains("200 flows (UDP and TCP, Zipf 1.0)")
        .contains("summary: ");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void customPortsWithoutGeneratedTraffic() throws Exception {
    Result r = run("--flows", "0", "--ports", "a:internal,b:internal", "--duration", "1");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("ports [ovsj0, a, b]").contains("pipeline normal").contains("; no traffic");
  }
}
