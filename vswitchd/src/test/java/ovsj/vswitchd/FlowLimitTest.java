package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FlowLimitTest {

    static FlowLimit ovs() {
        return new FlowLimit();
    }

    @Test
    void ovsStartsAtTheSmallerOfTenThousandAndTheCeiling() {
        assertThat(ovs().limit()).isEqualTo(10_000);
        assertThat(new FlowLimit(FlowLimit.Policy.OVS, 5000, 1000).limit()).isEqualTo(5000);
        assertThat(new FlowLimit(FlowLimit.Policy.ADAPTIVE, 200_000, 1000).limit()).isEqualTo(10_000);
    }

    @Test
    void ovsArithmeticStepByStep() {
        FlowLimit f = ovs();
        // grows by 1000 while d < 1000 and limit < n * 1000 / d
        assertThat(f.update(20_000, 100)).isEqualTo(11_000); // 11000 vs 200000
        assertThat(f.update(1_200, 100)).isEqualTo(12_000); // 11000 < 12000
        assertThat(f.update(1_200, 100)).isEqualTo(12_000); // 12000 < 12000 is false
        assertThat(f.update(5, 100)).isEqualTo(12_000);
        // 1000 <= d <= 1300: unchanged
        assertThat(f.update(1_000_000, 1000)).isEqualTo(12_000);
        assertThat(f.update(1_000_000, 1300)).isEqualTo(12_000);
        // d > 1300: x3/4 (integer)
        assertThat(f.update(1_000_000, 1301)).isEqualTo(9_000);
        assertThat(f.update(0, 2000)).isEqualTo(6_750);
        // d > 2000: divided by whole seconds
        assertThat(f.update(0, 2001)).isEqualTo(3_375); // / 2
        assertThat(f.update(0, 3999)).isEqualTo(1_125); // / 3
        assertThat(f.update(0, 7000)).isEqualTo(1_000); // 160 -> clamped to 1000
        // d = 0 counts as 1 ms
        assertThat(f.update(2, 0)).isEqualTo(2_000); // 1000 < 2 * 1000 / 1
        assertThat(f.update(2, 0)).isEqualTo(2_000);
    }

    @Test
    void ovsClampsToTheCeiling() {
        FlowLimit f = new FlowLimit(FlowLimit.Policy.OVS, 10_500, 1000);
        assertThat(f.limit()).isEqualTo(10_000);
        assertThat(f.update(1_000_000, 10)).isEqualTo(10_500);
        assertThat(f.update(1_000_000, 10)).isEqualTo(10_500);
        f.setMax(200_000);
        assertThat(f.update(1_000_000, 10)).isEqualTo(11_500);
        // upcall/set-flow-limit sets the limit itself; the next round clamps it
        f.set(500);
        assertThat(f.limit()).isEqualTo(500);
        assertThat(f.update(0, 1100)).isEqualTo(1000);
        f.set(900_000);
        assertThat(f.update(0, 1100)).isEqualTo(200_000);
    }

    @Test
    void ovsUsesUnsignedThirtyTwoBitLimits() {
        // set-flow-limit -1 (atoi, then unsigned int) and the x3/4 overflow of unsigned int arithmetic
        assertThat(FlowLimit.ovsNext(0xffff_ffffL, 0, 1301, 0xffff_ffffL)).isEqualTo(1_073_741_823L);
        assertThat(FlowLimit.ovsNext(0xffff_ffffL, 0, 1100, 0xffff_ffffL)).isEqualTo(0xffff_ffffL);
        // +1000 wraps in 32 bits, then the floor applies
        assertThat(FlowLimit.ovsNext(0xffff_fff0L, Long.MAX_VALUE / 1000, 1, 0xffff_ffffL)).isEqualTo(1000);
        FlowLimit f = ovs();
        f.set(-1);
        assertThat(f.limit()).isEqualTo(0xffff_ffffL);
    }

    @Test
    void ovsGrowsAThousandARound() {
        // The natural mode of the peer figures: 1 us per flow, flows always press on the limit.
        FlowLimit f = ovs();
        long limit = f.limit();
        for (int round = 0; round < 100; round++) {
            long n = limit;
            long d = Math.max(n / 1000, 1);
            limit = f.update(n, d);
        }
        assertThat(limit).isEqualTo(110_000);
    }

    @Test
    void unreasonableRoundsAreLogged() {
        assertThat(FlowLimit.isUnreasonable(2000)).isFalse();
        assertThat(FlowLimit.isUnreasonable(2001)).isTrue();
        assertThat(FlowLimit.unreasonableMessage(2345)).isEqualTo("Spent an unreasonably long 2345ms dumping flows");
    }

    @Test
    void policiesParse() {
        assertThat(FlowLimit.Policy.parse("ovs")).isEqualTo(FlowLimit.Policy.OVS);
        assertThat(FlowLimit.Policy.parse("Adaptive")).isEqualTo(FlowLimit.Policy.ADAPTIVE);
        assertThat(FlowLimit.Policy.ADAPTIVE.label()).isEqualTo("adaptive");
        assertThatThrownBy(() -> FlowLimit.Policy.parse("fast")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A datapath whose dump costs {@code usPerFlow} us a flow plus {@code fixedMs}, with {@code demand} flows offered. */
    record Sim(double usPerFlow, long fixedMs, long demand) {
        long flows(long limit) {
            return Math.min(limit, demand);
        }

        long duration(long n) {
            return Math.max(1, fixedMs + (long) Math.ceil(n * usPerFlow / 1000.0));
        }
    }

    /** Runs {@code rounds} rounds; returns [limit, n, d] per round. */
    static List<long[]> run(FlowLimit f, Sim sim, int rounds) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long n = sim.flows(f.limit());
            long d = sim.duration(n);
            long l = f.update(n, d);
            out.add(new long[] {l, n, d});
        }
        return out;
    }

    @Test
    void adaptiveReachesTheBudgetInAFewRounds() {
        FlowLimit f = new FlowLimit(FlowLimit.Policy.ADAPTIVE, 10_000_000, 1000);
        Sim sim = new Sim(1.0, 2, 5_000_000); // 1 us a flow: about 1M flows fit in a second
        List<long[]> trace = run(f, sim, 20);
        int reached = -1;
        for (int i = 0; i < trace.size(); i++) {
            if (trace.get(i)[0] >= 850_000 && reached < 0) {
                reached = i;
            }
        }
        assertThat(reached).as("rounds to 85%% of the budget").isBetween(0, 8);
        long last = trace.get(trace.size() - 1)[0];
        assertThat(last).isBetween(850_000L, 1_000_000L);
        for (long[] r : trace) {
            assertThat(r[2]).as("every dump within the budget").isLessThanOrEqualTo(1000);
        }
        // OVS's controller after the same 20 rounds
        assertThat(run(ovs(), sim, 20).get(19)[0]).isEqualTo(30_000);
    }

    @Test
    void adaptiveNeverHoldsALimitMeasuredOverBudget() {
        FlowLimit f = new FlowLimit(FlowLimit.Policy.ADAPTIVE, 10_000_000, 1000);
        run(f, new Sim(1.0, 0, 5_000_000), 20);
        long before = f.limit();
        assertThat(before).isGreaterThan(800_000);
        // dumps become 4x slower: the first round over budget cuts to what that round's rate allows
        Sim slow = new Sim(4.0, 0, 5_000_000);
        long n = slow.flows(f.limit());
        long d = slow.duration(n);
        assertThat(d).isGreaterThan(1000);
        long after = f.update(n, d);
        assertThat(after).isLessThanOrEqualTo(n * 1000 / d);
        assertThat(slow.duration(slow.flows(after))).isLessThanOrEqualTo(1000);
        // and it stays within the budget from then on
        for (long[] r : run(f, slow, 20)) {
            assertThat(r[2]).isLessThanOrEqualTo(1000);
        }
        assertThat(f.limit()).isBetween(200_000L, 250_000L);
        // faster again: grows back within a few rounds
        List<long[]> back = run(f, new Sim(1.0, 0, 5_000_000), 8);
        assertThat(back.get(7)[0]).isGreaterThan(850_000);
    }

    @Test
    void adaptiveWithoutACostEstimateGrowsLikeOvsButByTheFlowsSeen() {
        FlowLimit f = new FlowLimit(FlowLimit.Policy.ADAPTIVE, 200_000, 1000);
        // dumps under 10 ms give no cost sample
        assertThat(f.update(9_000, 5)).isEqualTo(19_000); // 10000 < 9000 * 1000 / 5
        assertThat(Double.isNaN(f.costMsPerFlow())).isTrue();
        assertThat(f.update(100, 5)).isEqualTo(20_000); // pressure test passes, grows by max(1000, n)
        assertThat(f.update(5, 5)).isEqualTo(20_000); // 20000 < 1000 is false
        // a sample: 20000 flows in 20 ms = 1 us a flow; target 900000, at most +n a round
        assertThat(f.update(20_000, 20)).isEqualTo(40_000);
        assertThat(f.costMsPerFlow()).isEqualTo(0.001);
        // the ceiling applies
        assertThat(f.update(40_000, 40)).isEqualTo(80_000);
        assertThat(f.update(80_000, 80)).isEqualTo(160_000);
        assertThat(f.update(160_000, 160)).isEqualTo(200_000);
    }

    @Test
    void adaptiveComesDownWhenTheCostRisesWithinBudget() {
        FlowLimit f = new FlowLimit(FlowLimit.Policy.ADAPTIVE, 10_000_000, 1000);
        run(f, new Sim(1.0, 0, 5_000_000), 20);
        assertThat(f.limit()).isGreaterThan(850_000);
        // flows now cost 1.5 us, measured on a population small enough to dump within the budget
        long l = f.update(100_000, 150);
        // EWMA cost 0.00125 ms a flow: a dump of more than 800000 flows would exceed the budget
        assertThat(l).isBetween(799_000L, 800_000L);
    }
}
