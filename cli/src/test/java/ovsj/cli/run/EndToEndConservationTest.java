package ovsj.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.cli.run.EndToEndRig.frame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ovsj.vswitchd.PipelineRules;
import ovsj.vswitchd.Udpif;
import ovsj.vswitchd.Vswitchd;

/**
 * Nothing is lost in the packet counts: every packet that hit a datapath flow is pushed by the
 * revalidators exactly once — as a delta of a live flow, or in the final statistics of a deleted one —
 * while traffic runs through idle expiry, rule reloads (modifies and deletes), a purge, and the close.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndToEndConservationTest {
    static final String RULES_A = """
            priority=300,udp,tp_dst=53,actions=output:3
            priority=200,ip,nw_dst=10.1.0.0/16,actions=output:2
            priority=100,ip,actions=normal
            """;
    /** Changes the actions of the DNS and 10.1/16 rules, and narrows the latter (masks change). */
    static final String RULES_B = """
            priority=300,udp,tp_dst=53,actions=output:2
            priority=200,ip,nw_dst=10.1.128.0/17,actions=output:3
            priority=100,ip,actions=normal
            """;

    @TempDir
    Path tmp;

    /** The {@code i}-th frame of the traffic: 16 hosts on p1 and p2, to 10.1/16, elsewhere, and DNS. */
    static byte[] traffic(int i) {
        int host = i % 16;
        String src = String.format("02:00:00:00:01:%02x", host);
        String dst = String.format("02:00:00:00:02:%02x", (i / 16) % 4);
        String ipDst = switch ((i / 64) % 3) {
            case 0 -> "10.1." + (i % 256) + ".1";
            case 1 -> "10.2.0." + (i % 256);
            default -> "192.168.1.1";
        };
        int dport = (i / 7) % 5 == 0 ? 53 : 1000 + (i % 50);
        return frame(dst, src, "10.0.0." + host, ipDst, (i / 3) % 2 == 0 ? 17 : 6, 4000 + host, dport);
    }

    static String portOf(int i) {
        return (i % 16) < 8 ? "p1" : "p2";
    }

    static void assertNothingLost(EndToEndRig r, String when) {
        Udpif u = r.vswitchd.udpif();
        assertThat(u.pushedPackets()).as("packets pushed %s", when).isEqualTo(r.hits());
        assertThat(u.pushedBytes()).as("bytes pushed %s", when).isEqualTo(r.hitBytes);
    }

    @Test
    void everyPacketThatHitIsPushedOnceThroughExpiryReloadsPurgeAndClose() throws Exception {
        Path file = tmp.resolve("rules");
        Files.writeString(file, RULES_A);
        PipelineRules rules = PipelineRules.load(file);
        Vswitchd.Config cfg = new Vswitchd.Config().pipeline(rules).maxIdleMs(300);
        try (EndToEndRig r = EndToEndRig.start(cfg)) {
            Udpif u = r.vswitchd.udpif();

            // Traffic on one thread while this one reloads the rules (both ways) and purges.
            AtomicBoolean stop = new AtomicBoolean();
            long t0 = System.nanoTime();
            Thread sender = Thread.ofPlatform().name("e2e-traffic").start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    // Every other 500 ms the first half of the hosts is silent: their flows go idle
                    // (max-idle is 300 ms) and expire.
                    if ((System.nanoTime() - t0) / 500_000_000L % 2 == 1 && i % 16 < 8) {
                        continue;
                    }
                    r.inject(portOf(i), traffic(i));
                    if (i % 50 == 0) {
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
            try {
                EndToEndRig.await("traffic and flows", 10, () -> r.hits() > 500 && u.flowsDeleted() > 0);
                for (int k = 0; k < 4; k++) {
                    Files.writeString(file, k % 2 == 0 ? RULES_B : RULES_A);
                    rules.reload();
                    r.revalidatorWait();
                }
                r.vswitchd.purge();
                long deleted = u.flowsDeleted();
                EndToEndRig.await("flows again after the purge", 10,
                        () -> r.vswitchd.flowsInstalled() > 0 && u.flowsDeleted() > deleted && r.hits() > 2000);
            } finally {
                stop.set(true);
                sender.join();
            }
            r.awaitHandlersIdle();
            long hitsWithTraffic = r.hits();
            assertThat(hitsWithTraffic).isPositive();
            assertThat(r.misses()).isPositive();
            assertThat(r.lost()).isZero();

            // Quiet: one whole round later every live flow's delta is pushed.
            r.revalidatorWait();
            assertNothingLost(r, "after a round");

            // A purge deletes them all: their final counts are pushed.
            for (int i = 0; i < 64; i++) {
                r.inject(portOf(i), traffic(i));
            }
            r.awaitHandlersIdle();
            r.vswitchd.purge();
            assertThat(r.flows()).isEmpty();
            assertNothingLost(r, "after the purge");

            // Flows the close deletes are accounted too.
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < 64; i++) {
                    r.inject(portOf(i), traffic(i));
                }
                r.awaitHandlersIdle();
            }
            assertThat(r.flows()).isNotEmpty();
            long hits = r.hits();
            long bytes = r.hitBytes;
            assertThat(hits).isGreaterThan(hitsWithTraffic);
            r.vswitchd.close();
            assertThat(u.pushedPackets()).as("packets pushed after the close").isEqualTo(hits);
            assertThat(u.pushedBytes()).as("bytes pushed after the close").isEqualTo(bytes);
        }
    }
}
