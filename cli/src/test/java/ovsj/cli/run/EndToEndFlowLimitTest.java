package ovsj.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.cli.run.EndToEndRig.udp;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ovsj.vswitchd.FlowLimit;
import ovsj.vswitchd.Udpif;
import ovsj.vswitchd.Vswitchd;

/**
 * OVS's dynamic flow limit end to end: when the datapath's dumps get slow (the revalidators' dump
 * requests are held back by the rig), the limit falls as {@code udpif_revalidator} makes it fall, and
 * once they are quick again it climbs back by 1000 a round to the configured {@code flow-limit}.
 *
 * <p>The durations are whatever the rounds measured; the test checks that the limit after every round
 * is OVS's function of that round ({@link FlowLimit#ovsNext}), that slow rounds happened and made it
 * fall, and that it came back, never how long anything took.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndToEndFlowLimitTest {
    /** {@code other_config:flow-limit}: small, so that the limit starts there (not at 10000) and climbs back in two rounds. */
    static final long CEILING = 3000;
    static final int FLOWS = 200;

    record Round(long nFlows, long durationMs, long limit) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "(%d flows, %d ms -> %d)", nFlows, durationMs, limit);
        }
    }

    @Test
    void theFlowLimitShrinksWhileDumpsAreSlowAndGrowsBackAfter() throws Exception {
        FlowLimit fl = new FlowLimit(FlowLimit.Policy.OVS, CEILING, FlowLimit.DEFAULT_BUDGET_MS);
        // max-idle long enough that no flow expires during the test (rounds still start every 500 ms).
        Vswitchd.Config cfg = new Vswitchd.Config().flowLimit(fl).maxIdleMs(120_000);
        try (EndToEndRig r = EndToEndRig.start(cfg)) {
            Udpif u = r.vswitchd.udpif();
            List<Round> rounds = new CopyOnWriteArrayList<>();
            u.onRound((n, d, limit) -> rounds.add(new Round(n, d, limit)));
            assertThat(u.flowLimit()).isEqualTo(CEILING);

            // FLOWS flows: FLOWS sources on p1 to one destination learned on p2.
            r.inject("p2", udp("02:00:00:00:00:01", "02:00:00:00:ff:ff", "10.0.0.2", "10.0.0.1"));
            for (int i = 0; i < FLOWS; i++) {
                r.inject("p1", udp("02:00:00:00:ff:ff", String.format("02:00:00:01:%02x:%02x", i >> 8, i & 0xff),
                        "10.0.1." + i, "10.0.0.2"));
            }
            r.awaitInstalled(FLOWS + 1);
            EndToEndRig.await("a round that counted the flows", 10, () -> last(rounds).nFlows() == FLOWS + 1);

            // Slow dumps: first ~1.5 s (OVS: over 1300 ms, limit * 3/4), then ~2.1 s (over 2000 ms: limit / 2).
            r.dumpDelayMs = 1500;
            EndToEndRig.await("a round over 1300 ms", 20, () -> last(rounds).durationMs() > 1300);
            r.dumpDelayMs = 2100;
            EndToEndRig.await("a round over 2000 ms", 20, () -> last(rounds).durationMs() > 2000);
            long low = u.flowLimit();
            assertThat(low).isLessThan(CEILING);
            assertThat(u.show()).contains("(limit " + low + ")");

            // Quick dumps again: back to the ceiling, 1000 a round.
            r.dumpDelayMs = 0;
            EndToEndRig.await("the limit back at " + CEILING, 20, () -> u.flowLimit() == CEILING);
            assertThat(u.show()).contains("(limit " + CEILING + ")");

            List<Round> seen = List.copyOf(rounds);
            for (int i = 1; i < seen.size(); i++) {
                Round prev = seen.get(i - 1);
                Round now = seen.get(i);
                assertThat(now.limit()).as("round %d of %s", i, seen)
                        .isEqualTo(FlowLimit.ovsNext(prev.limit(), now.nFlows(), now.durationMs(), CEILING));
            }
            assertThat(seen).as("a slow round cut the limit").anySatisfy(x -> {
                assertThat(x.durationMs()).isGreaterThan(1300);
                assertThat(x.limit()).isLessThan(CEILING);
            });
            int lowest = lowestIndex(seen);
            assertThat(seen.subList(lowest + 1, seen.size())).as("climbing back from %s", seen.get(lowest))
                    .allSatisfy(x -> assertThat(x.durationMs()).isLessThan(1000)).isNotEmpty();
            assertThat(r.vswitchd.limitHits()).isZero();
            assertThat(r.dumpRequests.get()).isGreaterThanOrEqualTo(seen.size());
        }
    }

    static Round last(List<Round> rounds) {
        return rounds.isEmpty() ? new Round(-1, 0, -1) : rounds.get(rounds.size() - 1);
    }

    /** The last round that left the limit at its lowest. */
    static int lowestIndex(List<Round> rounds) {
        int at = 0;
        for (int i = 1; i < rounds.size(); i++) {
            if (rounds.get(i).limit() <= rounds.get(at).limit()) {
                at = i;
            }
        }
        return at;
    }
}
