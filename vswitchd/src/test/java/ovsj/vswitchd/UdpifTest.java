package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.vswitchd.UdpifFakeDatapath.key;
import static ovsj.vswitchd.UdpifFakeDatapath.mask;
import static ovsj.vswitchd.UdpifFakeDatapath.output;
import static ovsj.vswitchd.UdpifFakeDatapath.ufid;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ovsj.odp.Ufid;

/** The revalidator threads, on the real clock, against the faked datapath. */
@Timeout(60)
class UdpifTest {
    static long now() {
        return System.nanoTime() / 1_000_000L;
    }

    final UdpifFakeDatapath dp = new UdpifFakeDatapath(UdpifTest::now);

    Ukey install(Udpif u, int i) {
        Ukey k = new Ukey(Ufid.of(ufid(i), 0, 16), key(i), mask(), output(2), u.nowMs(), u.revalSeq(), null);
        if (!u.ukeys().install(k)) {
            return null;
        }
        dp.add(ufid(i), key(i), mask(), output(2));
        k.lock();
        try {
            k.transition(Ukey.State.OPERATIONAL);
        } finally {
            k.unlock();
        }
        return k;
    }

    @Test
    void threadsRunRoundsAndShowTheirKeys() throws Exception {
        Coverage cov = new Coverage();
        List<Long> durations = new ArrayList<>();
        try (Udpif u = new Udpif("system@ovsj", UdpifFakeDatapath.DP_IFINDEX, dp::open, cov).revalidators(2)
                .onRound((n, d, l) -> {
                    synchronized (durations) {
                        durations.add(d);
                    }
                })) {
            for (int i = 0; i < 200; i++) {
                install(u, i);
            }
            u.start();
            assertThat(u.waitDump(10_000)).isTrue();
            for (int i = 0; i < 200; i++) {
                dp.hit(ufid(i), 1, 100);
            }
            // a round that starts after the hits has pushed them
            assertThat(u.waitDump(10_000)).isTrue();
            assertThat(u.waitDump(10_000)).isTrue();
            assertThat(u.pushedPackets()).isEqualTo(200);
            // a revalidation request starts a round without waiting out the 500 ms period
            long total = 0;
            for (int k = 0; k < 5; k++) {
                u.waitDump(10_000);
                Thread.sleep(20);
                long seq = u.dumpSeq();
                long t = now();
                u.revalidate();
                while (u.dumpSeq() < seq + 1) {
                    Thread.sleep(1);
                }
                total += now() - t;
            }
            assertThat(total / 5).as("ms from a revalidation request to the end of a round").isLessThan(150);
            String show = u.show();
            assertThat(show).startsWith("system@ovsj:\n  flows         : (current 200) (avg ");
            assertThat(show).containsPattern("\\(limit \\d+\\)\n  dump duration : \\d+ms\n  ufid enabled : true\n\n");
            String[] lines = show.split("\n");
            assertThat(lines).hasSize(7);
            int keys = 0;
            for (int i = 5; i < 7; i++) {
                assertThat(lines[i]).matches("  \\d+: \\(keys \\d+\\)");
                keys += Integer.parseInt(lines[i].replaceAll(".*keys (\\d+)\\)", "$1"));
            }
            assertThat(keys).isEqualTo(200);
            assertThat(u.rounds()).isGreaterThanOrEqualTo(3);
        }
        assertThat(dp.size()).isZero(); // stop purges
        synchronized (durations) {
            assertThat(durations).isNotEmpty().allMatch(d -> d >= 1);
        }
    }

    @Test
    void noPacketIsLostUnderChurn() throws Exception {
        Coverage cov = new Coverage();
        AtomicLong landed = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Udpif u = new Udpif("system@ovsj", UdpifFakeDatapath.DP_IFINDEX, dp::open, cov).revalidators(3)
                .maxIdle(20);
        u.start();
        Thread handler = Thread.ofPlatform().start(() -> {
            int next = 0;
            List<Integer> live = new ArrayList<>();
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (!stop.get()) {
                if (live.size() < 500 || rnd.nextInt(4) == 0) {
                    int i = next++;
                    if (install(u, i) != null) {
                        live.add(i);
                    }
                }
                for (int k = 0; k < 20 && !live.isEmpty(); k++) {
                    int idx = rnd.nextInt(live.size());
                    int i = live.get(idx);
                    int n = 1 + rnd.nextInt(3);
                    if (dp.hit(ufid(i), n, 64)) {
                        landed.addAndGet(n);
                    } else {
                        live.set(idx, live.get(live.size() - 1));
                        live.remove(live.size() - 1);
                    }
                }
                Thread.onSpinWait();
            }
        });
        Thread.sleep(1500);
        stop.set(true);
        handler.join();
        assertThat(u.flowsDeleted()).isPositive(); // idle flows went during the run
        u.close();
        assertThat(dp.size()).isZero();
        assertThat(u.ukeys().size()).isZero();
        assertThat(u.pushedPackets()).isEqualTo(landed.get());
        assertThat(u.pushedBytes()).isEqualTo(landed.get() * 64);
    }
}
