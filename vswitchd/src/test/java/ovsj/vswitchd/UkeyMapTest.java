package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import ovsj.odp.Ufid;

class UkeyMapTest {

    static Ufid ufid(int n) {
        byte[] b = new byte[16];
        b[0] = (byte) n;
        b[1] = (byte) (n >> 8);
        b[2] = (byte) (n >> 16);
        b[3] = (byte) (n >> 24);
        b[15] = 0x5a;
        return Ufid.of(b, 0, 16);
    }

    static Ukey ukey(int n) {
        return new Ukey(ufid(n), new byte[] {1, 2, 3, 4}, null, new byte[0], 0, 0, null);
    }

    @Test
    void installFindRemove() {
        UkeyMap m = new UkeyMap(UkeyMap.N_UMAPS, new Coverage());
        Ukey a = ukey(7);
        assertThat(a.state()).isEqualTo(Ukey.State.CREATED);
        assertThat(m.install(a)).isTrue();
        assertThat(a.state()).isEqualTo(Ukey.State.VISIBLE);
        assertThat(m.find(ufid(7))).isSameAs(a);
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.shardOf(ufid(7))).isEqualTo(7);
        assertThat(m.shardOf(ufid(512 + 7))).isEqualTo(7);

        Ukey dup = ukey(7);
        assertThat(m.install(dup)).isFalse();
        assertThat(dup.state()).isEqualTo(Ukey.State.CREATED);
        assertThat(m.duplicateInstalls()).isEqualTo(1);

        assertThat(m.remove(dup)).isFalse();
        assertThat(m.remove(a)).isTrue();
        assertThat(a.state()).isEqualTo(Ukey.State.DELETED);
        assertThat(m.find(ufid(7))).isNull();
        assertThat(m.size()).isZero();
    }

    @Test
    void evictedUkeyIsReplaced() {
        UkeyMap m = new UkeyMap(UkeyMap.N_UMAPS, new Coverage());
        Ukey a = ukey(9);
        m.install(a);
        Ukey operational = ukey(9);
        assertThat(m.install(operational)).isFalse();
        a.lock();
        assertThat(a.transition(Ukey.State.EVICTED)).isTrue(); // VISIBLE -> EVICTED: the install failed
        a.unlock();
        Ukey other = new Ukey(ufid(9), new byte[] {9}, null, null, 0, 0, null);
        assertThat(m.install(other)).isFalse(); // same UFID, another key: a conflict, not a replacement
        Ukey b = ukey(9);
        assertThat(m.install(b)).isTrue();
        assertThat(a.state()).isEqualTo(Ukey.State.DELETED);
        assertThat(m.find(ufid(9))).isSameAs(b);
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.replacedInstalls()).isEqualTo(1);
        assertThat(m.remove(a)).isFalse();
    }

    @Test
    void transitionsOnlyForward() {
        Ukey a = ukey(1);
        a.transition(Ukey.State.VISIBLE);
        assertThatThrownBy(() -> a.transition(Ukey.State.CREATED)).isInstanceOf(IllegalStateException.class);
        assertThat(a.transition(Ukey.State.VISIBLE)).isTrue();
        assertThat(a.transition(Ukey.State.OPERATIONAL)).isTrue();
        assertThat(a.transition(Ukey.State.OPERATIONAL)).isTrue();
        assertThat(a.transition(Ukey.State.EVICTED)).isFalse(); // must go through EVICTING
        assertThat(a.state()).isEqualTo(Ukey.State.OPERATIONAL);
        assertThat(a.transition(Ukey.State.EVICTING)).isTrue();
        assertThat(a.transition(Ukey.State.DELETED)).isFalse();
        assertThatThrownBy(() -> a.transition(Ukey.State.OPERATIONAL)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void slices() {
        UkeyMap m = new UkeyMap(8);
        for (int i = 0; i < 100; i++) {
            m.install(ukey(i));
        }
        assertThat(m.sliceSize(0, 2) + m.sliceSize(1, 2)).isEqualTo(100);
        assertThat(m.sliceSize(0, 2)).isEqualTo(50); // shards 0,2: 13 each, 4,6: 12 each
        AtomicInteger n = new AtomicInteger();
        m.forEachInSlice(1, 2, u -> n.incrementAndGet());
        assertThat(n.get()).isEqualTo(50);
        assertThat(m.snapshot()).hasSize(100);
    }

    @Test
    void growsShrinksAndFindsThroughTombstones() {
        UkeyMap m = new UkeyMap(4, new Coverage());
        List<Ukey> all = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Ukey u = ukey(i * 7919);
            all.add(u);
            assertThat(m.install(u)).isTrue();
        }
        assertThat(m.size()).isEqualTo(10_000);
        for (int i = 0; i < 10_000; i += 2) {
            assertThat(m.remove(all.get(i))).isTrue();
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(m.find(ufid(i * 7919))).isSameAs(i % 2 == 0 ? null : all.get(i));
        }
        for (int i = 1; i < 10_000; i += 2) {
            m.remove(all.get(i));
        }
        assertThat(m.size()).isZero();
        assertThat(m.sliceSize(0, 1)).isZero();
        Ukey again = ukey(7919);
        assertThat(m.install(again)).isTrue();
        assertThat(m.find(ufid(7919))).isSameAs(again);
    }

    @Test
    void shortUfidsAreTheirOwnKeys() {
        UkeyMap m = new UkeyMap(8, new Coverage());
        Ukey a = new Ukey(Ufid.of(new byte[] {1, 2, 3}, 0, 3), new byte[] {1}, null, null, 0, 0, null);
        Ukey b = new Ukey(Ufid.of(new byte[] {1, 2, 3, 0}, 0, 4), new byte[] {1}, null, null, 0, 0, null);
        assertThat(m.install(a)).isTrue();
        assertThat(m.install(b)).isTrue();
        assertThat(m.find(Ufid.of(new byte[] {1, 2, 3}, 0, 3))).isSameAs(a);
        assertThat(m.find(new byte[] {9, 1, 2, 3, 0}, 1, 4)).isSameAs(b);
        assertThat(m.find(new byte[] {1, 2}, 0, 2)).isNull();
        assertThat(m.find(new byte[17], 0, 17)).isNull();
    }

    @Test
    void findAllAnswersAsFind() {
        UkeyMap m = new UkeyMap(16, new Coverage());
        for (int i = 0; i < 3000; i += 3) {
            m.install(ukey(i));
        }
        for (int i = 0; i < 3000; i += 9) {
            m.remove(m.find(ufid(i)));
        }
        byte[] buf = new byte[50 * 20];
        int[] offs = new int[50];
        int[] lens = new int[50];
        Ukey[] out = new Ukey[50];
        UkeyMap.Lookup l = new UkeyMap.Lookup(50);
        for (int base = 0; base < 3000; base += 50) {
            for (int j = 0; j < 50; j++) {
                offs[j] = j * 20 + 2;
                lens[j] = 16;
                ufid(base + j).copyTo(buf, offs[j]);
            }
            offs[7] = -1;
            m.findAll(buf, offs, lens, 50, out, l);
            for (int j = 0; j < 50; j++) {
                assertThat(out[j]).isSameAs(j == 7 ? null : m.find(ufid(base + j)));
            }
        }
    }

    @Test
    void lookupsStayRightWhileWritersChurn() throws Exception {
        UkeyMap m = new UkeyMap(4, new Coverage());
        List<Ukey> stable = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Ukey u = ukey(i);
            m.install(u);
            stable.add(u);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int base = 1_000_000 * (w + 1);
            threads.add(Thread.ofPlatform().start(() -> {
                List<Ukey> mine = new ArrayList<>();
                ThreadLocalRandom r = ThreadLocalRandom.current();
                int next = base;
                while (!stop.get()) {
                    if (mine.size() < 3000 && r.nextBoolean()) {
                        Ukey u = ukey(next++);
                        if (m.install(u)) {
                            mine.add(u);
                        }
                    } else if (!mine.isEmpty()) {
                        m.remove(mine.remove(r.nextInt(mine.size())));
                    }
                }
            }));
        }
        for (int rd = 0; rd < 2; rd++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    byte[] buf = new byte[50 * 16];
                    int[] offs = new int[50];
                    int[] lens = new int[50];
                    Ukey[] out = new Ukey[50];
                    UkeyMap.Lookup l = new UkeyMap.Lookup(50);
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        int[] ids = new int[50];
                        for (int j = 0; j < 50; j++) {
                            ids[j] = r.nextBoolean() ? r.nextInt(2000) : 1_000_000 + r.nextInt(2_000_000);
                            offs[j] = j * 16;
                            lens[j] = 16;
                            ufid(ids[j]).copyTo(buf, offs[j]);
                        }
                        m.findAll(buf, offs, lens, 50, out, l);
                        for (int j = 0; j < 50; j++) {
                            if (ids[j] < 2000 && out[j] != stable.get(ids[j])) {
                                throw new AssertionError("stable ukey " + ids[j] + " not found");
                            }
                            if (out[j] != null && !out[j].ufid().equals(ufid(ids[j]))) {
                                throw new AssertionError("wrong ukey for " + ids[j]);
                            }
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        Thread.sleep(700);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        int[] n = new int[1];
        m.forEach(u -> n[0]++);
        assertThat(n[0]).isEqualTo(m.size());
    }
}
