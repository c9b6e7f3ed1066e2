package ovsj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  /** One run of the command line, with everything it printed. */
  private record Result(int exitCode, String out, String err) {}

  private static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.newCommandLine();
    cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exitCode = cmd.execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  @Test
  void helpListsTheFiveSubcommandsAndExitsZero() {
    Result r = execute("--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: ovsj");
    for (String sub : new String[] {"run", "datapath", "dpctl", "appctl", "bench"}) {
      assertThat(r.out()).containsPattern("(?m)^\\s+" + sub + "\\s+\\S");
    }
    assertThat(r.err()).isEmpty();
  }

  @Test
  void versionExitsZero() {
    Result r = execute("--version");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("ovsj ");
  }

  @Test
  void unknownOptionIsAUsageErrorNamingTheOption() {
    Result r = execute("--bogus");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--bogus").contains("Usage: ovsj");
    assertThat(r.err()).doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    Result r = execute("frobnicate");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("frobnicate");
  }

  @Test
  void noSubcommandIsAUsageError() {
    Result r = execute();

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required subcommand").contains("Usage: ovsj");
  }

  @Test
  void runWithABadOptionIsAUsageErrorAndExitsTwo() {
    Result r = execute("run", "--handlers", "0");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--handlers").doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void appctlWithoutACommandSaysSoAndExitsOne() {
    Result r = execute("appctl");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("ovsj appctl: at least one non-option argument is required (use --help for help)\n");
  }

  @Test
  void dpctlWithoutADatapathSaysSoAndExitsOne() {
    Result r = execute("dpctl", "--socket", "/nonexistent/nl.sock", "dump-flows", "system@ovs-system");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("ovsj dpctl: cannot reach the datapath").doesNotContain("Exception");
  }

  @Test
  void subcommandHelpExitsZero() {
    Result r = execute("run", "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: ovsj run");
  }
}
