package ovsj.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ovsj.cli.Main;
import picocli.CommandLine;

/** {@code ovsj bench limit} end to end on a tiny run: the plumbing and the files, not the timings. */
class LimitCommandTest {

    @Test
    void bothPoliciesRunAndWriteTheTraceTheSummaryAndThePlot(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        Path png = dir.resolve("plot.png");

        int code = cmd.execute("bench", "limit", "--flows", "2k", "--duration", "2", "--rate", "20k",
                "--dump-mode", "serialize", "--dump-delay-us-per-flow", "1", "--out", dir.toString(), "--plot",
                png.toString(), "-q");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("./ovsj bench limit --flows 2k").contains("2000 offered flows, serialize dumps")
                .containsPattern("(?m)^ovs\\s+\\d+").containsPattern("(?m)^adaptive\\s+\\d+");
        List<String> tsv = Files.readAllLines(dir.resolve("limit-serialize-2000.tsv"));
        List<LimitTrace.Round> rounds = LimitTrace.read(tsv);
        assertThat(rounds).extracting(LimitTrace.Round::policy).contains("ovs", "adaptive");
        assertThat(rounds).allSatisfy(r -> assertThat(r.t()).isBetween(0.0, 2.0));
        assertThat(Files.readString(dir.resolve("limit-serialize-2000.txt"))).contains("offered flows");
        byte[] head = Files.readAllBytes(png);
        assertThat(head).startsWith(0x89, 'P', 'N', 'G');

        Path again = dir.resolve("again.png");
        CommandLine replot = Main.newCommandLine();
        replot.setOut(new PrintWriter(new StringWriter(), true));
        assertThat(replot.execute("bench", "limit", "--flows", "2k", "--dump-mode", "serialize", "--replot",
                dir.resolve("limit-serialize-2000.tsv").toString(), "--plot", again.toString())).isZero();
        assertThat(Files.readAllBytes(again)).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void theFixedPolicyKeepsTheLimitAtTheCeiling(@TempDir Path dir) throws Exception {
        CommandLine cmd = Main.newCommandLine();
        StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(new StringWriter(), true));

        int code = cmd.execute("bench", "limit", "--policy", "fixed", "--flows", "1000", "--flow-limit", "1500",
                "--duration", "2", "--rate", "10k", "--out", dir.toString(), "-q");

        assertThat(code).isZero();
        assertThat(out.toString()).containsPattern("(?m)^fixed\\s+\\d+\\s+1500\\s");
        List<LimitTrace.Round> rounds = LimitTrace.read(Files.readAllLines(dir.resolve("limit-terse-1000.tsv")));
        assertThat(rounds).isNotEmpty().allSatisfy(r -> {
            assertThat(r.policy()).isEqualTo("fixed");
            assertThat(r.limit()).isEqualTo(1500);
        });
    }

    @Test
    void anUnknownPolicyIsAUsageError() {
        CommandLine cmd = Main.newCommandLine();
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));

        assertThat(cmd.execute("bench", "limit", "--policy", "fast")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown flow limit policy 'fast'");
    }
}
