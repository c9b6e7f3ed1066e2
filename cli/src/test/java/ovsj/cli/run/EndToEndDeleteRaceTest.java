package ovsj.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.cli.run.EndToEndRig.udp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ovsj.vswitchd.Udpif;
import ovsj.vswitchd.Vswitchd;

/**
 * A flow deleted while packets hit it: the delete's final statistics must include every packet the
 * datapath counted as a hit on it, even one that was being forwarded while the delete ran (the packet
 * found the flow just before it left the table). Hundreds of purges under a steady stream of hits.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndToEndDeleteRaceTest {
    static final String A = "02:00:00:00:00:0a";
    static final String B = "02:00:00:00:00:0b";

    @Test
    void aFlowDeletedWhilePacketsHitItLosesNoneOfThemInItsFinalStatistics() throws Exception {
        try (EndToEndRig r = EndToEndRig.start(new Vswitchd.Config())) {
            Udpif u = r.vswitchd.udpif();
            r.inject("p2", udp(A, B, "10.0.0.2", "10.0.0.1"));
            r.awaitInstalled(1);
            AtomicBoolean stop = new AtomicBoolean();
            Thread sender = Thread.ofPlatform().name("e2e-hits").start(() -> {
                byte[] f = udp(B, A, "10.0.0.1", "10.0.0.2");
                while (!stop.get()) {
                    r.inject("p1", f);
                }
            });
            try {
                for (int i = 0; i < 300; i++) {
                    long hits = r.hits();
                    EndToEndRig.await("hits on the flow", 10, () -> r.hits() > hits + 5);
                    r.vswitchd.purge();
                }
            } finally {
                stop.set(true);
                sender.join();
            }
            r.awaitHandlersIdle();
            r.vswitchd.purge();
            assertThat(r.hits()).isGreaterThan(1500);
            assertThat(u.flowsDeleted()).isGreaterThanOrEqualTo(300); // one per purge at least
            assertThat(u.pushedPackets()).as("packets pushed").isEqualTo(r.hits());
            assertThat(u.pushedBytes()).as("bytes pushed").isEqualTo(r.hitBytes);
        }
    }
}
