package ovsj.bench.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import ovsj.datapath.DumpMode;

/** The experiment's plumbing on a small table: correctness of what it counts, not its timings. */
class DumpExperimentTest {

    @Test
    void everyModeDumpsEveryFlowAndTheTableReportsSaneNumbers() {
        int n = 1000;
        var config = new DumpExperiment.Config(List.of(n), List.of(DumpKind.values()), 2, 1, 0, false, 1, null);
        DumpExperiment.Report report = new DumpExperiment(config, null).run();

        DumpExperiment.SizeReport size = report.sizes().get(0);
        assertThat(size.flows()).isEqualTo(n);
        assertThat(size.installRate()).isPositive();
        assertThat(size.rows()).extracting(DumpExperiment.Row::mode)
                .containsExactly("serialize", "match-cache (cold)", "match-cache", "terse");
        for (DumpExperiment.Row r : size.rows()) {
            assertThat(r.flowMessages()).as(r.mode()).isEqualTo(n);
            assertThat(r.bytesPerFlow()).as(r.mode()).isPositive();
            assertThat(r.medianMs()).as(r.mode()).isPositive();
            assertThat(r.flowsPerSecond()).as(r.mode()).isPositive();
        }
        // The cache changes how the bytes are made, not the bytes; terse replies are much smaller.
        assertThat(size.row("match-cache").bytes()).isEqualTo(size.row("serialize").bytes());
        assertThat(size.row("terse").bytesPerFlow()).isLessThan(size.row("serialize").bytesPerFlow() / 2);

        StringWriter out = new StringWriter();
        DumpExperiment.print(report, new PrintWriter(out));
        assertThat(out.toString()).contains("serialize").contains("match-cache (cold)").contains("terse")
                .contains("flows/s").contains("bytes/flow");
    }

    @Test
    void heapIsMeasuredWhenAsked() {
        var config = new DumpExperiment.Config(List.of(2000), List.of(DumpKind.MATCH_CACHE), 1, 0, 0, true, 1, DumpRig.Reader.STREAM);
        DumpExperiment.SizeReport size = new DumpExperiment(config, null).run().sizes().get(0);

        assertThat(size.heapPerFlow()).isPositive();
        assertThat(size.cacheBytesPerFlow()).isPositive(); // the datapath's own count, exact
    }

    @Test
    void fullAndTerseRepliesCarryTheExpectedParts() {
        try (DumpRig rig = new DumpRig("t", 1)) {
            rig.install(10);
            rig.touchAll();
            // a full message: headers 20 + ovs_header 4 + ufid 20 + key + mask + used 12 + stats 20 + actions 12
            long full = rig.dump(0).check(10).bytes();
            // a terse message: headers 20 + ovs_header 4 + ufid 20 + used 12 + stats 20
            long terse = rig.dump(Megaflows.TERSE).check(10).bytes();
            assertThat(terse).isEqualTo(10 * 76 + 20); // + NLMSG_DONE
            assertThat(full).isGreaterThan(terse + 10 * 200);

            rig.dumpMode(DumpMode.MATCH_CACHE);
            assertThat(rig.dump(0).check(10).bytes()).isEqualTo(full);
            assertThat(rig.matchCacheBytes()).isPositive();
            assertThat(rig.dump(0, DumpRig.Reader.STREAM).check(10).bytes()).isEqualTo(full);
            assertThat(rig.dump(Megaflows.TERSE, DumpRig.Reader.STREAM).check(10).bytes()).isEqualTo(terse);
            rig.clearMatchCaches();
            assertThat(rig.matchCacheBytes()).isZero();
        }
    }

    @Test
    void smallTablesGetMoreWarmupRounds() {
        var c = new DumpExperiment.Config(List.of(1000), List.of(DumpKind.TERSE), 1, 2, 1_000_000, false, 1, null);
        assertThat(c.warmupRounds(1000)).isEqualTo(1000);
        assertThat(c.warmupRounds(100_000)).isEqualTo(10);
        assertThat(c.warmupRounds(1_000_000)).isEqualTo(2);
    }

    @Test
    void badConfigurationsAreRefused() {
        assertThatThrownBy(() -> DumpKind.of("fast")).hasMessageContaining("serialize, match-cache, terse");
        assertThatThrownBy(() -> new DumpExperiment.Config(List.of(0), List.of(DumpKind.TERSE), 1, 0, 0, false, 1, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
