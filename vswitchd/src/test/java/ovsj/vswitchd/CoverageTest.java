package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoverageTest {

    @Test
    void showListsHitCountersWithTheirRates() {
        Coverage c = new Coverage();
        Coverage.Counter a = c.counter("dumped_duplicate_flow");
        c.counter("upcall_ukey_contention");
        Coverage.Counter b = c.counter("revalidate_missed_dp_flow");
        assertThat(c.counter("dumped_duplicate_flow")).isSameAs(a);
        c.run(0); // arms the 5 s timer
        a.add(10);
        b.inc();
        c.run(5000);
        String[] lines = c.show().split("\n");
        assertThat(lines[0]).matches(
                "Event coverage, avg rate over last: 5 seconds, last minute, last hour,  hash=[0-9a-f]{8}:");
        assertThat(lines).hasSize(4);
        assertThat(lines[1]).isEqualTo(
                "dumped_duplicate_flow      2.0/sec     0.167/sec        0.0028/sec   total: 10");
        assertThat(lines[2]).isEqualTo(
                "revalidate_missed_dp_flow   0.2/sec     0.017/sec        0.0003/sec   total: 1");
        assertThat(lines[3]).isEqualTo("1 events never hit");
        // no new events for one interval: the 5 s rate drops to 0, the minute keeps them
        c.run(10_000);
        assertThat(c.show().split("\n")[1]).isEqualTo(
                "dumped_duplicate_flow      0.0/sec     0.167/sec        0.0028/sec   total: 10");
        // intervals missed are filled evenly
        a.add(30);
        c.run(25_000);
        assertThat(c.show().split("\n")[1]).isEqualTo(
                "dumped_duplicate_flow      2.0/sec     0.667/sec        0.0111/sec   total: 40");
    }

    @Test
    void hashFollowsTheRanking() {
        Coverage c1 = new Coverage();
        Coverage c2 = new Coverage();
        c1.counter("x").add(3);
        c1.counter("y").add(5);
        c2.counter("y").add(5);
        c2.counter("x").add(3);
        assertThat(c1.hash()).isEqualTo(c2.hash());
        c2.counter("x").add(1); // 4 vs 5: the same ranking, the same hash (counts themselves do not count)
        assertThat(c1.hash()).isEqualTo(c2.hash());
        c2.counter("x").add(1); // 5 and 5: one group of two
        assertThat(c1.hash()).isNotEqualTo(c2.hash());
        // OVS's portable hash functions
        assertThat(Coverage.OvsHash.hashInt(0, 0)).isEqualTo(Coverage.OvsHash.hash2Words(0, 0));
        assertThat(Coverage.OvsHash.hashString("", 0)).isEqualTo(Coverage.OvsHash.mhashFinish(0));
    }
}
