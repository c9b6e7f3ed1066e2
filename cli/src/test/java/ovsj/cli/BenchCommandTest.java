package ovsj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ovsj bench}: usage, help, and a tiny {@code bench dump} (plumbing, not timings). */
class BenchCommandTest {

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
  void benchAloneIsAUsageErrorListingDump() {
    Result r = execute("bench");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required subcommand").contains("Usage: ovsj bench");
    assertThat(r.err()).containsPattern("(?m)^\\s+dump\\s+\\S");
  }

  @Test
  void benchHelpListsDump() {
    Result r = execute("bench", "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: ovsj bench").containsPattern("(?m)^\\s+dump\\s+\\S");
  }

  @Test
  void dumpHelpShowsItsOptions() {
    Result r = execute("bench", "dump", "--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("--flows").contains("--modes").contains("--rounds");
  }

  @Test
  void aSmallDumpExperimentPrintsItsTable() {
    Result r = execute("bench", "dump", "--flows", "1k", "--rounds", "1", "--warmup", "0", "--warmup-flows", "0",
            "--no-heap", "-q");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .containsPattern("(?m)^serialize\\s+1000\\s")
        .containsPattern("(?m)^match-cache \\(cold\\)\\s+1000\\s")
        .containsPattern("(?m)^match-cache\\s+1000\\s")
        .containsPattern("(?m)^terse\\s+1000\\s")
        .contains("install");
  }

  @Test
  void anUnknownModeIsAUsageError() {
    Result r = execute("bench", "dump", "--flows", "10", "--modes", "fast");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("unknown dump mode 'fast'").doesNotContain("Exception");
  }

  @Test
  void aBadFlowCountIsAUsageError() {
    Result r = execute("bench", "dump", "--flows", "lots");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'lots' is not a flow count");
  }
}
