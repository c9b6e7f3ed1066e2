package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.vswitchd.XlateTestFlows.canonical;
import static ovsj.vswitchd.XlateTestFlows.describe;
import static ovsj.vswitchd.XlateTestFlows.eth;
import static ovsj.vswitchd.XlateTestFlows.ip;
import static ovsj.vswitchd.XlateTestFlows.ipv4;
import static ovsj.vswitchd.XlateTestFlows.keyBytes;
import static ovsj.vswitchd.XlateTestFlows.mac;
import static ovsj.vswitchd.XlateTestFlows.vlan;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ovsj.odp.FlowKey;

class PipelineNormalTest {
    static final long A = mac("02:00:00:00:00:0a");
    static final long B = mac("02:00:00:00:00:0b");
    static final long C = mac("02:00:00:00:00:0c");
    static final long BCAST = mac("ff:ff:ff:ff:ff:ff");

    PipelineNormal normal;
    MacLearning ml;
    final Xlate x = new Xlate();
    final AtomicInteger changes = new AtomicInteger();

    @BeforeEach
    void setUp() {
        ml = new MacLearning();
        normal = new PipelineNormal(ml);
        normal.setPorts(1, 2, 3);
        normal.onChange(changes::incrementAndGet);
    }

    String xlate(FlowKey k, long now) {
        x.start(canonical(k), now, true);
        normal.translate(x);
        return describe(x.actions());
    }

    @Test
    void floodsUnknownThenForwardsLearned() {
        assertThat(xlate(eth(1, A, B, 0x0800), 0)).isEqualTo("2,3");
        assertThat(ml.lookup(A, 0, 0)).isEqualTo(1);
        assertThat(xlate(eth(2, B, A, 0x0800), 10)).isEqualTo("1");
        assertThat(xlate(eth(1, A, B, 0x0800), 20)).isEqualTo("2");
        assertThat(normal.floodedCount()).isEqualTo(1);
        assertThat(normal.forwardedCount()).isEqualTo(2);
    }

    @Test
    void broadcastFloodsAndMulticastSourceIsNotLearned() {
        assertThat(xlate(eth(2, A, BCAST, 0x0806), 0)).isEqualTo("1,3");
        assertThat(xlate(eth(3, mac("01:00:5e:00:00:01"), A, 0x0800), 0)).isEqualTo("2");
        assertThat(ml.size()).isEqualTo(1);
    }

    @Test
    void dropsToInputPortReservedAndForeignPorts() {
        xlate(eth(1, A, B, 0x0800), 0);
        xlate(eth(1, C, B, 0x0800), 0);
        assertThat(xlate(eth(1, C, A, 0x0800), 1)).as("learned on the input port").isEqualTo("drop");
        assertThat(xlate(eth(2, B, mac("01:80:c2:00:00:0e"), 0x88cc), 1)).as("LLDP").isEqualTo("drop");
        assertThat(xlate(eth(9, B, A, 0x0800), 1)).as("not a bridge port").isEqualTo("drop");
        assertThat(ml.lookup(B, 0, 1)).as("nothing learned from dropped frames").isEqualTo(-1);
    }

    @Test
    void vlansAreSeparateAndKeepTheirTag() {
        xlate(vlan(eth(1, A, B, 0x0800), 10, 0), 0);
        assertThat(ml.lookup(A, 10, 0)).isEqualTo(1);
        assertThat(ml.lookup(A, 20, 0)).isEqualTo(-1);
        assertThat(xlate(vlan(eth(2, B, A, 0x0800), 20, 0), 0)).isEqualTo("1,3");
        assertThat(xlate(vlan(eth(2, B, A, 0x0800), 10, 5), 0)).isEqualTo("1");
        FlowKey partial = eth(2, B, A, 0x8100);
        x.start(partial, 0, true);
        normal.translate(x);
        assertThat(describe(x.actions())).as("partial VLAN header").isEqualTo("drop");
    }

    @Test
    void agingForgetsAndBumpsTheRevision() {
        ml.setAging(300);
        xlate(eth(1, A, B, 0x0800), 0);
        assertThat(xlate(eth(2, B, A, 0x0800), 299_999)).isEqualTo("1");
        long rev = normal.revision();
        assertThat(ml.lookup(A, 0, 300_000)).isEqualTo(-1);
        assertThat(ml.run(300_000)).as("A aged out, B still fresh").isEqualTo(1);
        assertThat(normal.revision()).isGreaterThan(rev);
        assertThat(ml.run(300_500)).as("at most one scan a second").isZero();
        assertThat(ml.expiredCount()).isEqualTo(1);
        assertThat(xlate(eth(2, B, A, 0x0800), 300_001)).isEqualTo("1,3");
    }

    @Test
    void revisionMovesOnLearnMoveAndPortsNotOnRefresh() {
        long r0 = normal.revision(); // the listener came after setPorts

        xlate(eth(1, A, B, 0x0800), 0);
        long r1 = normal.revision();
        assertThat(r1).isGreaterThan(r0);
        xlate(eth(1, A, B, 0x0800), 1000);
        assertThat(normal.revision()).as("refresh").isEqualTo(r1);
        xlate(eth(2, A, B, 0x0800), 2000);
        long r2 = normal.revision();
        assertThat(r2).as("moved").isGreaterThan(r1);
        assertThat(ml.movedCount()).isEqualTo(1);
        normal.setPorts(1, 2, 3);
        assertThat(normal.revision()).as("same ports").isEqualTo(r2);
        normal.setPorts(1, 3);
        assertThat(normal.revision()).isGreaterThan(r2);
        assertThat(ml.lookup(A, 0, 2000)).as("entries of a removed port go").isEqualTo(-1);
        assertThat(changes.get()).as("one call per revision").isEqualTo((int) (normal.revision() - r0));
    }

    @Test
    void revalidationDoesNotLearn() {
        x.start(canonical(eth(1, A, B, 0x0800)), 0, false);
        normal.translate(x);
        assertThat(describe(x.actions())).isEqualTo("2,3");
        assertThat(ml.size()).isZero();
    }

    @Test
    void pushedStatsRefreshTheSource() {
        ml.setAging(300);
        xlate(eth(1, A, B, 0x0800), 0);
        Megaflow k = new Megaflow(0, canonical(eth(1, A, B, 0x0800)), true);
        normal.pushStats(k, 5, 200_000);
        assertThat(ml.lookup(A, 0, 400_000)).isEqualTo(1);
        normal.pushStats(k, 0, 600_000);
        assertThat(ml.lookup(A, 0, 600_000)).isEqualTo(-1);
    }

    @Test
    void megaflowIsExactOnL2AndWildcardsTheRest() {
        FlowKey k = canonical(ipv4(1, A, B, ip("10.0.0.1"), ip("10.0.0.2"), 6, 1234, 80));
        x.start(k, 0, true);
        normal.translate(x);
        FlowKey wc = x.wildcards();
        assertThat(XlateField.IN_PORT.get(wc)).isEqualTo(0xffff);
        assertThat(XlateField.DL_SRC.get(wc)).isEqualTo(0xffffffffffffL);
        assertThat(XlateField.DL_DST.get(wc)).isEqualTo(0xffffffffffffL);
        assertThat(XlateField.DL_TYPE.get(wc)).isEqualTo(0xffff);
        assertThat(XlateField.VLAN_TCI.get(wc)).isEqualTo(0x1fff);
        assertThat(XlateField.NW_SRC.get(wc)).isZero();
        assertThat(XlateField.NW_PROTO.get(wc)).isZero();
        assertThat(XlateField.TP_DST.get(wc)).isZero();
        assertThat(x.normalUsed()).isTrue();

        // As the datapath will hold it: untagged frames get the whole TCI, IP frag exact, no L3/L4.
        byte[] key = keyBytes(k);
        FlowKey dpMask = new FlowKey();
        MegaflowBuilder mb = new MegaflowBuilder(7);
        assertThat(mb.buildMask(key, 0, key.length, k, wc, dpMask)).as(mb.error()).isNotNull();
        assertThat(XlateField.VLAN_TCI.get(dpMask)).isEqualTo(0xffff);
        assertThat(dpMask.ipFrag()).isEqualTo(0xff);
        assertThat(XlateField.NW_DST.get(dpMask)).isZero();
        assertThat(XlateField.TP_SRC.get(dpMask)).isZero();
        assertThat(dpMask.u32(FlowKey.RECIRC_ID_OFFSET)).isEqualTo(0xffffffff);

        // A tagged frame: PCP stays wildcarded.
        FlowKey t = canonical(vlan(eth(1, A, B, 0x0800), 10, 3));
        x.start(t, 0, true);
        normal.translate(x);
        byte[] tkey = keyBytes(t);
        assertThat(mb.buildMask(tkey, 0, tkey.length, t, x.wildcards(), dpMask)).as(mb.error()).isNotNull();
        assertThat(XlateField.VLAN_TCI.get(dpMask)).isEqualTo(0x1fff);
    }

    @Test
    void fullTableEvictsTheOldest() {
        MacLearning small = new MacLearning(300, 10);
        for (int i = 0; i < 10; i++) {
            assertThat(small.learn(0x020000000000L + i, 0, 1, i)).isTrue();
        }
        small.learn(0x0200000000ffL, 0, 2, 100);
        assertThat(small.size()).isEqualTo(10);
        assertThat(small.lookup(0x020000000000L, 0, 100)).isEqualTo(-1);
        assertThat(small.lookup(0x0200000000ffL, 0, 100)).isEqualTo(2);
        assertThat(small.evictedCount()).isEqualTo(1);
    }

    @Test
    void fdbShowFormat() {
        ml.learn(A, 10, 2, 1000);
        ml.learn(B, 0, 1, 0);
        assertThat(ml.show(5000, Integer::toString)).isEqualTo(
                " port  VLAN  MAC                Age\n"
                        + "    1     0  02:00:00:00:00:0b    5\n"
                        + "    2    10  02:00:00:00:00:0a    4\n");
    }
}
