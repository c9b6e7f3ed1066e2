package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.vswitchd.UdpifFakeDatapath.hex;
import static ovsj.vswitchd.UdpifFakeDatapath.key;
import static ovsj.vswitchd.UdpifFakeDatapath.mask;
import static ovsj.vswitchd.UdpifFakeDatapath.output;
import static ovsj.vswitchd.UdpifFakeDatapath.ufid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ovsj.odp.Ufid;

/** Revalidator rounds against a faked datapath, driven one round at a time with a test clock. */
class RevalidatorTest {
    static final long T0 = 1_000_000;

    final AtomicLong clock = new AtomicLong(T0);
    final UdpifFakeDatapath dp = new UdpifFakeDatapath(clock::get);
    final Coverage coverage = new Coverage();
    final Policy policy = new Policy();
    Udpif udpif;

    /** A Revalidation that answers as told and records what it hears. */
    static final class Policy implements Revalidator.Revalidation {
        final Map<String, Revalidator.Result> answers = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        final Map<String, Long> pushedPackets = new HashMap<>();
        final Map<String, Long> pushedBytes = new HashMap<>();

        @Override
        public synchronized Revalidator.Result revalidate(Ukey ukey) {
            String u = hex(ukey.ufidBytes());
            asked.add(u);
            return answers.getOrDefault(u, Revalidator.Result.KEEP);
        }

        @Override
        public synchronized void pushStats(Ukey ukey, long packets, long bytes, int tcpFlags, long usedMs) {
            assertThat(ukey.isLockedByCurrentThread()).isTrue();
            pushedPackets.merge(hex(ukey.ufidBytes()), packets, Long::sum);
            pushedBytes.merge(hex(ukey.ufidBytes()), bytes, Long::sum);
        }

        long packets(int i) {
            return pushedPackets.getOrDefault(hex(ufid(i)), 0L);
        }
    }

    @BeforeEach
    void setUp() {
        udpif = new Udpif("system@ovsj", UdpifFakeDatapath.DP_IFINDEX, dp::open, coverage)
                .clock(clock::get).revalidation(policy);
    }

    @AfterEach
    void tearDown() throws Exception {
        udpif.close();
    }

    /** What a handler does: a ukey, FLOW_NEW, OPERATIONAL. */
    Ukey install(int i) {
        Ukey u = new Ukey(Ufid.of(ufid(i), 0, 16), key(i), mask(), output(2), clock.get(), udpif.revalSeq(), null);
        assertThat(udpif.ukeys().install(u)).isTrue();
        dp.add(ufid(i), key(i), mask(), output(2));
        u.lock();
        try {
            u.transition(Ukey.State.OPERATIONAL);
        } finally {
            u.unlock();
        }
        return u;
    }

    void round() throws Exception {
        udpif.invalidateNFlows();
        udpif.runRound();
    }

    void advance(long ms) {
        clock.addAndGet(ms);
    }

    @Test
    void statsDeltasArePushed() throws Exception {
        Ukey u0 = install(0);
        install(1);
        dp.hit(ufid(0), 5, 100);
        round();
        assertThat(policy.packets(0)).isEqualTo(5);
        assertThat(policy.pushedBytes.get(hex(ufid(0)))).isEqualTo(500);
        assertThat(policy.packets(1)).isZero();
        assertThat(u0.packets()).isEqualTo(5);
        assertThat(u0.state()).isEqualTo(Ukey.State.OPERATIONAL);
        assertThat(u0.dumpSeq()).isEqualTo(1);
        assertThat(udpif.dumpSeq()).isEqualTo(2);

        advance(100);
        dp.hit(ufid(0), 2, 100);
        round();
        assertThat(policy.packets(0)).isEqualTo(7);
        assertThat(udpif.pushedPackets()).isEqualTo(7);
        assertThat(udpif.pushedBytes()).isEqualTo(700);
        assertThat(policy.asked).isEmpty();
        assertThat(dp.takeLog()).containsExactly("DUMP terse", "DUMP terse");
        assertThat(dp.size()).isEqualTo(2);
        assertThat(udpif.ukeys().size()).isEqualTo(2);
    }

    @Test
    void idleFlowsExpireWithTheirFinalStats() throws Exception {
        install(0);
        install(1);
        install(2);
        dp.hit(ufid(0), 1, 60);
        round();
        assertThat(udpif.pushedPackets()).isEqualTo(1);
        dp.hit(ufid(0), 3, 60);
        advance(10_000);
        dp.hit(ufid(1), 1, 60); // busy
        round();
        // flow 0 idle since its last hit (10 s ago, not more), flow 2 never used: idle since creation.
        assertThat(dp.flow(ufid(0))).isNotNull();
        advance(1);
        dp.hit(ufid(1), 1, 60);
        dp.takeLog();
        round();
        assertThat(dp.takeLog()).containsExactly("DUMP terse", "DEL " + hex(ufid(0)) + " terse",
                "DEL " + hex(ufid(2)) + " terse");
        assertThat(dp.size()).isEqualTo(1);
        assertThat(udpif.ukeys().size()).isEqualTo(1);
        assertThat(udpif.ukeys().find(Ufid.of(ufid(1), 0, 16))).isNotNull();
        assertThat(policy.packets(0)).isEqualTo(4);
        assertThat(udpif.pushedPackets()).isEqualTo(6);
        assertThat(udpif.flowsDeleted()).isEqualTo(2);
    }

    @Test
    void overTheLimitFlowsIdleFor100msGo() throws Exception {
        for (int i = 0; i < 30; i++) {
            install(i);
        }
        advance(50);
        for (int i = 0; i < 10; i++) {
            dp.hit(ufid(i), 1, 60);
        }
        advance(60); // flows 0..9 used 60 ms ago, the others created 110 ms ago
        udpif.setFlowLimit(20);
        round();
        assertThat(dp.size()).isEqualTo(10);
        assertThat(udpif.ukeys().size()).isEqualTo(10);
        assertThat(udpif.pushedPackets()).isEqualTo(10);
    }

    @Test
    void overTwiceTheLimitEveryDumpedFlowGoes() throws Exception {
        for (int i = 0; i < 120; i++) {
            install(i);
            dp.hit(ufid(i), 2, 60);
        }
        assertThat(udpif.setFlowLimit(50)).isEqualTo("set flow_limit to 50\n");
        round();
        assertThat(dp.size()).isZero();
        assertThat(udpif.ukeys().size()).isZero();
        assertThat(udpif.pushedPackets()).isEqualTo(240);
        assertThat(udpif.flowsDeleted()).isEqualTo(120);
    }

    @Test
    void twiceTheLimitIsReassessedPerBatch() throws Exception {
        // 120 flows, limit 50: the first batch sees 120 > 2 x 50 and deletes its 50 flows. Pushing their
        // final statistics takes 150 ms here, so the next batch asks the datapath again (the count is
        // cached for 100 ms only) and sees 70: over the limit but not twice, so only flows idle for
        // 100 ms would go, and flows 50..119, used 10 ms ago, stay.
        for (int i = 0; i < 120; i++) {
            install(i);
        }
        for (int i = 0; i < 50; i++) {
            dp.hit(ufid(i), 1, 60);
        }
        clock.set(T0 + 140);
        for (int i = 50; i < 120; i++) {
            dp.hit(ufid(i), 1, 60);
        }
        clock.set(T0);
        udpif.setFlowLimit(50);
        udpif.revalidation(new Revalidator.Revalidation() {
            @Override
            public Revalidator.Result revalidate(Ukey ukey) {
                return Revalidator.Result.KEEP;
            }

            @Override
            public void pushStats(Ukey ukey, long packets, long bytes, int tcpFlags, long usedMs) {
                if (clock.get() < T0 + 150) {
                    clock.addAndGet(3); // time passes while the revalidator works
                }
            }
        });
        round();
        assertThat(udpif.flowsDeleted()).isEqualTo(50);
        assertThat(dp.size()).isEqualTo(70);
        assertThat(dp.flow(ufid(49))).isNull();
        assertThat(dp.flow(ufid(50))).isNotNull();
        assertThat(udpif.pushedPackets()).isEqualTo(120);
    }

    @Test
    void duplicatesInADumpAreSkipped() throws Exception {
        install(0);
        install(1);
        dp.hit(ufid(0), 4, 100);
        dp.dumpTwice.add(hex(ufid(0)));
        round();
        assertThat(policy.packets(0)).isEqualTo(4);
        assertThat(coverage.total("dumped_duplicate_flow")).isEqualTo(1);
        dp.hit(ufid(0), 1, 100);
        advance(10);
        round();
        assertThat(policy.packets(0)).isEqualTo(5);
        assertThat(coverage.total("dumped_duplicate_flow")).isEqualTo(2);
    }

    @Test
    void unknownFlowsAreAdoptedOrDeletedAsOvsDoes() throws Exception {
        install(0);
        dp.add(ufid(10), key(10), mask(), output(3)); // someone else's: adopted, then revalidated
        dp.add(ufid(11), key(11), mask(), output(3)); // revalidation says delete
        dp.add(ufid(12), UdpifFakeDatapath.recircKey(12), mask(), output(3)); // recirculation: deleted
        dp.add(null, key(13), mask(), output(3)); // no UFID: deleted by key
        dp.hit(ufid(11), 7, 100);
        dp.hit(ufid(12), 3, 100);
        policy.answers.put(hex(ufid(11)), Revalidator.Result.DELETE);
        round();
        List<String> log = dp.takeLog();
        assertThat(log).contains("GET " + hex(ufid(10)), "GET " + hex(ufid(11)), "GET " + hex(ufid(12)),
                "DEL " + hex(ufid(11)) + " terse", "DEL " + hex(ufid(12)) + " terse", "DEL key");
        assertThat(policy.asked).containsExactlyInAnyOrder(hex(ufid(10)), hex(ufid(11)));
        assertThat(dp.size()).isEqualTo(2);
        assertThat(dp.flow(ufid(10))).isNotNull();
        Ukey adopted = udpif.ukeys().find(Ufid.of(ufid(10), 0, 16));
        assertThat(adopted).isNotNull();
        assertThat(adopted.state()).isEqualTo(Ukey.State.OPERATIONAL);
        assertThat(adopted.actions()).isEqualTo(output(3));
        assertThat(adopted.revalSeq()).isEqualTo(udpif.revalSeq());
        assertThat(udpif.ukeys().size()).isEqualTo(2);
        // the deleted flows' packets are accounted too
        assertThat(udpif.pushedPackets()).isEqualTo(10);
        assertThat(policy.packets(11)).isEqualTo(7);
    }

    @Test
    void revalidationModifiesKeepsOrDeletes() throws Exception {
        Ukey u0 = install(0);
        install(1);
        Ukey u2 = install(2);
        round();
        assertThat(policy.asked).isEmpty();
        long before = udpif.revalSeq();
        udpif.revalidate();
        assertThat(udpif.revalSeq()).isEqualTo(before + 1);
        policy.answers.put(hex(ufid(0)), Revalidator.Result.modify(output(5)));
        policy.answers.put(hex(ufid(1)), Revalidator.Result.DELETE);
        dp.hit(ufid(1), 2, 10);
        dp.takeLog();
        advance(10);
        round();
        assertThat(policy.asked).containsExactlyInAnyOrder(hex(ufid(0)), hex(ufid(1)), hex(ufid(2)));
        assertThat(dp.takeLog()).containsExactlyInAnyOrder("DUMP terse", "SET " + hex(ufid(0)),
                "DEL " + hex(ufid(1)) + " terse");
        assertThat(dp.flow(ufid(0)).actions).isEqualTo(output(5));
        assertThat(u0.actions()).isEqualTo(output(5));
        assertThat(dp.flow(ufid(1))).isNull();
        assertThat(dp.flow(ufid(2)).actions).isEqualTo(output(2));
        assertThat(u0.revalSeq()).isEqualTo(udpif.revalSeq());
        assertThat(u2.revalSeq()).isEqualTo(udpif.revalSeq());
        assertThat(udpif.pushedPackets()).isEqualTo(2);
        // a modify whose actions are the installed ones is a keep
        udpif.revalidate();
        advance(10);
        round();
        assertThat(dp.takeLog()).containsExactly("DUMP terse");
    }

    @Test
    void missedFlowsAreRevalidatedInTheSweep() throws Exception {
        Ukey u0 = install(0);
        install(1);
        dp.hit(ufid(0), 3, 10);
        round();
        dp.remove(ufid(0)); // gone behind the daemon's back
        round();
        assertThat(u0.state()).isEqualTo(Ukey.State.OPERATIONAL); // OVS keeps it while nothing changed
        udpif.revalidate();
        policy.answers.put(hex(ufid(0)), Revalidator.Result.DELETE);
        dp.takeLog();
        round();
        assertThat(coverage.total("revalidate_missed_dp_flow")).isEqualTo(1);
        assertThat(dp.takeLog()).containsExactly("DUMP terse", "DEL " + hex(ufid(0)) + " terse");
        assertThat(u0.state()).isEqualTo(Ukey.State.DELETED);
        assertThat(udpif.ukeys().size()).isEqualTo(1);
        assertThat(udpif.flowsDeleted()).isZero(); // ENOENT
        assertThat(udpif.pushedPackets()).isEqualTo(3);
    }

    @Test
    void purgeDeletesEverythingAndAccountsFinalStats() throws Exception {
        for (int i = 0; i < 75; i++) {
            install(i);
            dp.hit(ufid(i), i, 10);
        }
        round();
        for (int i = 0; i < 75; i++) {
            dp.hit(ufid(i), 1, 10);
        }
        // a ukey whose install is still queued (VISIBLE) goes too
        Ukey pending = new Ukey(Ufid.of(ufid(99), 0, 16), key(99), mask(), output(2), clock.get(), 1, null);
        udpif.ukeys().install(pending);
        udpif.purge();
        assertThat(dp.size()).isZero();
        assertThat(udpif.ukeys().size()).isZero();
        assertThat(pending.state()).isEqualTo(Ukey.State.DELETED);
        assertThat(udpif.pushedPackets()).isEqualTo(75 * 74 / 2 + 75);
    }

    @Test
    void disabledUfidMeansFullDumpsAndDeletesByKey() throws Exception {
        install(0);
        assertThat(udpif.disableUfid()).isEqualTo("Datapath dumping tersely using UFID disabled");
        assertThat(udpif.enableUfid()).isFalse();
        advance(20_000);
        round();
        assertThat(dp.takeLog()).containsExactly("DUMP", "DEL " + hex(ufid(0)) + " +key");
        assertThat(udpif.enableUfidCommand())
                .isEqualTo("Datapath dumping tersely using UFID enabled for supported datapaths");
        assertThat(udpif.enableUfid()).isTrue();
    }

    @Test
    void failedInstallIsSweptAway() throws Exception {
        Ukey u = new Ukey(Ufid.of(ufid(3), 0, 16), key(3), mask(), output(2), clock.get(), udpif.revalSeq(), null);
        udpif.ukeys().install(u);
        u.lock();
        u.transition(Ukey.State.EVICTED); // the datapath refused the FLOW_NEW
        u.unlock();
        round();
        assertThat(udpif.ukeys().size()).isZero();
        assertThat(u.state()).isEqualTo(Ukey.State.DELETED);
    }

    @Test
    void roundUpdatesTheFlowLimitAndShow() throws Exception {
        for (int i = 0; i < 3; i++) {
            install(i);
        }
        List<long[]> rounds = new ArrayList<>();
        udpif.onRound((n, d, l) -> rounds.add(new long[] {n, d, l}));
        dp.advance = ms -> clock.addAndGet(ms);
        dp.dumpCostMsPerFlow = 5;
        round();
        assertThat(rounds).hasSize(1);
        assertThat(rounds.get(0)).containsExactly(3, 15, 10_000);
        assertThat(udpif.dumpDuration()).isEqualTo(15);
        assertThat(udpif.show()).isEqualTo("""
                system@ovsj:
                  flows         : (current 3) (avg 1) (max 3) (limit 10000)
                  dump duration : 15ms
                  ufid enabled : true

                  0: (keys 3)
                """);
    }
}
