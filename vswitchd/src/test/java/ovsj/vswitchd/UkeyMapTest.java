package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

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
}
