package ovsj.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.cli.run.EndToEndRig.frame;
import static ovsj.cli.run.EndToEndRig.udp;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ovsj.cli.run.EndToEndRig.DpFlow;
import ovsj.vswitchd.Ukey;
import ovsj.vswitchd.Vswitchd;

/**
 * The daemon end to end with the {@code normal} pipeline (the learning switch): real frames into a real
 * datapath, upcalls, megaflows, revalidator rounds, all over netlink.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndToEndNormalTest {
    static final String A = "02:00:00:00:00:0a";
    static final String B = "02:00:00:00:00:0b";
    static final String C = "02:00:00:00:00:0c";
    static final String D = "02:00:00:00:00:0d";

    /** The normal pipeline's megaflow of {@code src → dst} IPv4 frames in on {@code port}. */
    static String normalMatch(String port, String src, String dst) {
        return "recirc_id(0),in_port(" + port + "),eth(src=" + src + ",dst=" + dst
                + "),eth_type(0x0800),ipv4(frag=no)";
    }

    static DpFlow flowOf(List<DpFlow> flows, String match) {
        return flows.stream().filter(f -> f.match().equals(match)).findFirst()
                .orElseThrow(() -> new AssertionError("no flow " + match + " in " + flows));
    }

    @Test
    void oneMegaflowPerMacPairWithL3AndL4WildcardedAndItsStatisticsPushed() throws Exception {
        try (EndToEndRig r = EndToEndRig.start(new Vswitchd.Config())) {
            // B speaks first (A unknown: flooded), then A answers (B learned on p2: forwarded).
            assertThat(r.inject("p2", udp(A, B, "10.0.0.2", "10.0.0.1"))).isFalse();
            r.awaitInstalled(1);
            assertThat(r.inject("p1", udp(B, A, "10.0.0.1", "10.0.0.2"))).isFalse();
            r.awaitInstalled(2);

            // Any L3/L4 between A and B falls into the same megaflow: hits, no more upcalls.
            int n = 0;
            for (int i = 0; i < 10; i++) {
                assertThat(r.inject("p1", frame(B, A, "10.0.0." + (i + 1), "192.168." + i + ".7", 17, 1000 + i, 53)))
                        .isTrue();
                assertThat(r.inject("p1", frame(B, A, "172.16.0." + i, "10.9.9.9", 6, 40000 + i, 80 + i))).isTrue();
                n += 2;
            }
            assertThat(r.hits()).isEqualTo(n);
            assertThat(r.misses()).isEqualTo(2);
            assertThat(r.vswitchd.upcalls()).isEqualTo(2);

            List<DpFlow> flows = r.flows();
            assertThat(flows).hasSize(2);
            DpFlow ab = flowOf(flows, normalMatch("p1", A, B));
            assertThat(ab.actions()).isEqualTo("p2");
            assertThat(ab.packets()).isEqualTo(n);
            DpFlow ba = flowOf(flows, normalMatch("p2", B, A));
            assertThat(ba.packets()).isZero();

            // A revalidator round: the statistics are pushed, and B's flood flow is re-translated now
            // that A is learned (same flow, same UFID, new actions).
            r.revalidatorWait();
            var u = r.vswitchd.udpif();
            assertThat(u.pushedPackets()).isEqualTo(r.hits());
            assertThat(u.pushedBytes()).isEqualTo(r.hitBytes);
            Ukey abKey = ukey(r, ab.ufid());
            assertThat(abKey.packets()).isEqualTo(n);
            assertThat(abKey.bytes()).isEqualTo(r.hitBytes);
            DpFlow ba2 = flowOf(r.flows(), normalMatch("p2", B, A));
            assertThat(ba2.ufid()).isEqualTo(ba.ufid());
            assertThat(ba2.actions()).isEqualTo("p1");

            assertThat(r.vswitchd.fdbShow()).contains("   p1     0  " + A).contains("   p2     0  " + B);
            assertThat(r.vswitchd.upcallShow()).startsWith("system@ovsj0:\n")
                    .contains("flows         : (current 2)");
        }
    }

    @Test
    void idleFlowsExpireAfterMaxIdleWhileBusyOnesStayAndNoPacketIsLost() throws Exception {
        try (EndToEndRig r = EndToEndRig.start(new Vswitchd.Config().maxIdleMs(1000))) {
            r.inject("p2", udp(A, B, "10.0.0.2", "10.0.0.1"));
            r.awaitInstalled(1);
            r.inject("p1", udp(B, A, "10.0.0.1", "10.0.0.2"));
            r.awaitInstalled(2);
            r.inject("p3", udp(D, C, "10.0.0.3", "10.0.0.4"));
            r.awaitInstalled(3);
            r.inject("p3", udp(D, C, "10.0.0.3", "10.0.0.4"));
            String busy = normalMatch("p1", A, B);
            String idle = normalMatch("p3", C, D);
            assertThat(r.flows()).extracting(DpFlow::match).contains(busy, idle);

            // A→B keeps coming (every 20 ms, well within max-idle: 1 s); C→D and B→A stay quiet.
            long upcalls = r.vswitchd.upcalls();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            List<String> matches;
            do {
                assertThat(r.inject("p1", udp(B, A, "10.0.0.1", "10.0.0.2"))).as("the busy flow is never deleted")
                        .isTrue();
                Thread.sleep(20);
                matches = r.flows().stream().map(DpFlow::match).toList();
                assertThat(System.nanoTime()).as("idle flow expired").isLessThan(deadline);
            } while (matches.contains(idle) || matches.size() != 1);
            assertThat(matches).containsExactly(busy);
            assertThat(r.vswitchd.upcalls()).isEqualTo(upcalls);
            EndToEndRig.await("the expired flows' ukeys are gone", 10,
                    () -> r.vswitchd.udpif().ukeys().size() == 1);
            assertThat(r.vswitchd.udpif().flowsDeleted()).isEqualTo(2);

            // Quiet now: the busy flow expires too, and every packet that hit was pushed.
            EndToEndRig.await("the last flow expired", 15, () -> r.vswitchd.udpif().flowsDeleted() == 3);
            assertThat(r.flows()).isEmpty();
            assertThat(r.vswitchd.udpif().pushedPackets()).isEqualTo(r.hits());
            assertThat(r.vswitchd.udpif().pushedBytes()).isEqualTo(r.hitBytes);
        }
    }

    static Ukey ukey(EndToEndRig r, String ufid) {
        return r.vswitchd.udpif().ukeys().snapshot().stream()
                .filter(k -> EndToEndRig.ufidText(k.ufidBytes()).equals(ufid)).findFirst()
                .orElseThrow(() -> new AssertionError("no ukey " + ufid));
    }
}
