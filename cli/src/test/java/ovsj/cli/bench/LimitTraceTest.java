package ovsj.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The experiment's arithmetic and its TSV: no daemon, no timing. */
class LimitTraceTest {

    private static LimitTrace.Round r(double t, long limit, long dumpMs, long flows) {
        return new LimitTrace.Round("adaptive", t, limit, dumpMs, flows, flows);
    }

    @Test
    void tsvHasAHeaderAndOneLinePerRoundAndReadsBack() throws IOException {
        List<LimitTrace.Round> rounds = List.of(new LimitTrace.Round("ovs", 0.5, 10000, 3, 0, 12),
                new LimitTrace.Round("adaptive", 1.0004, 1234567, 1001, 999999, 1000001));
        StringBuilder b = new StringBuilder();
        LimitTrace.write(b, rounds);

        assertThat(b.toString()).isEqualTo("policy\tt_s\tlimit\tdump_ms\tflows\tinstalled\n"
                + "ovs\t0.500\t10000\t3\t0\t12\n"
                + "adaptive\t1.000\t1234567\t1001\t999999\t1000001\n");
        List<LimitTrace.Round> back = LimitTrace.read(List.of(b.toString().split("\n")));
        assertThat(back).hasSize(2);
        assertThat(back.get(0)).isEqualTo(rounds.get(0));
        assertThat(back.get(1).limit()).isEqualTo(1234567);
        assertThat(back.get(1).t()).isEqualTo(1.0);
    }

    @Test
    void readRefusesWhatIsNotATrace() {
        assertThatThrownBy(() -> LimitTrace.read(List.of("t\tlimit", "1\t2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a flow-limit trace");
        assertThatThrownBy(() -> LimitTrace.Round.parse("ovs\t1.0\t2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6 tab-separated fields");
    }

    @Test
    void medianIsTheLowerMiddleValue() {
        assertThat(LimitTrace.median(new long[] {})).isZero();
        assertThat(LimitTrace.median(new long[] {5})).isEqualTo(5);
        assertThat(LimitTrace.median(new long[] {9, 1, 5})).isEqualTo(5);
        assertThat(LimitTrace.median(new long[] {4, 1, 3, 2})).isEqualTo(2);
    }

    @Test
    void theLimitSettlesWhereItStaysWithinTenPercent() {
        List<LimitTrace.Round> rounds = List.of(r(0.5, 10000, 5, 0), r(1.0, 20000, 10, 10000), r(1.5, 95000, 900, 90000),
                r(2.0, 120000, 1200, 100000), r(2.5, 100000, 990, 100000), r(3.0, 105000, 995, 100000),
                r(3.5, 91000, 980, 100000));

        assertThat(LimitTrace.settleTime(rounds, 100000)).isEqualTo(2.5);
        // The last round outside: not settled.
        assertThat(LimitTrace.settleTime(rounds, 50000)).isNaN();
        // Every round inside: settled from the first.
        assertThat(LimitTrace.settleTime(rounds.subList(4, 7), 100000)).isEqualTo(2.5);
    }

    @Test
    void summaryTakesMediansOverTheWindowAndTheInstallRateFromTheSamples() {
        List<LimitTrace.Round> rounds = List.of(r(0.5, 10000, 5, 0), r(1.0, 20000, 10, 10000), r(1.5, 40000, 50, 20000),
                r(2.0, 80000, 1100, 40000), r(2.5, 60000, 700, 59000), r(3.0, 62000, 800, 60000),
                r(3.5, 61000, 1050, 61000));
        List<LimitTrace.Sample> samples = new ArrayList<>();
        for (int i = 1; i <= 35; i++) {
            long flows = Math.min(60000, i * 2000L);
            samples.add(new LimitTrace.Sample(i / 10.0, flows, flows));
        }

        LimitTrace.Summary s = LimitTrace.summarize("adaptive", rounds, samples, 1_000_000, 1.0, 1000);

        assertThat(s.rounds()).isEqualTo(7);
        assertThat(s.windowStart()).isEqualTo(2.5);
        // window: t >= 2.5, limits 60000, 62000, 61000
        assertThat(s.limit()).isEqualTo(61000);
        assertThat(s.settleS()).isEqualTo(2.5);
        assertThat(s.flows()).isEqualTo(60000);
        assertThat(s.flowsMin()).isEqualTo(59000);
        assertThat(s.flowsMax()).isEqualTo(61000);
        assertThat(s.dumpMs()).isEqualTo(800);
        assertThat(s.dumpMinMs()).isEqualTo(700);
        assertThat(s.dumpMaxMs()).isEqualTo(1050);
        assertThat(s.overBudget()).isEqualTo(1);
        // target 98% of min(1M offered, 61000 settled) = 59780: first sample with 60000 flows, at 3.0 s
        assertThat(s.reachS()).isEqualTo(3.0);
        assertThat(s.reachFlows()).isEqualTo(60000);
        assertThat(s.reachRate()).isEqualTo(20000.0);
        // 2000 flows per 0.1 s while filling
        assertThat(s.peakInstall()).isCloseTo(20000.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void summaryOfFewerOfferedFlowsThanTheLimitTargetsTheOfferedFlows() {
        List<LimitTrace.Round> rounds = List.of(r(1, 400000, 40, 100000), r(2, 400000, 41, 100000));
        List<LimitTrace.Sample> samples = List.of(new LimitTrace.Sample(0.5, 50000, 50000),
                new LimitTrace.Sample(1.5, 98000, 98000), new LimitTrace.Sample(2.5, 100000, 100000));

        LimitTrace.Summary s = LimitTrace.summarize("ovs", rounds, samples, 100000, 10, 1000);

        assertThat(s.reachS()).isEqualTo(1.5);
        assertThat(s.peakInstall()).isEqualTo(48000.0);
        assertThat(s.overBudget()).isZero();
    }

    @Test
    void anEmptyRunHasNoNumbers() {
        LimitTrace.Summary s = LimitTrace.summarize("ovs", List.of(), List.of(), 10, 1, 1000);

        assertThat(s.rounds()).isZero();
        assertThat(s.reachS()).isNaN();
        assertThat(s.reachRate()).isNaN();
        assertThat(LimitTrace.peakRate(List.of(new LimitTrace.Sample(0, 0, 0)))).isNaN();
    }
}
