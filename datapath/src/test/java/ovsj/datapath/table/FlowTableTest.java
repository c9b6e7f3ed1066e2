package ovsj.datapath.table;

import static ovsj.datapath.table.Flows.insert;
import static ovsj.datapath.table.Flows.key;
import static ovsj.datapath.table.Flows.maskDst;
import static ovsj.datapath.table.Flows.maskFiveTuple;
import static ovsj.datapath.table.Flows.maskPort;
import static ovsj.datapath.table.Flows.ufid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;

class FlowTableTest {
    private final FlowTable table = new FlowTable(Flows.CPUS);

    @Test
    void packetWithExtraBitsMatchesTheMaskedFlow() {
        Flow f = insert(table, key(1, 0x0a000001, 0x0a000002, 1000, 80), maskDst(0xffffff00), ufid(1));

        FlowKey packet = key(1, 0x0b0b0b0b, 0x0a0000fe, 5555, 443);
        assertThat(table.lookup(packet)).isSameAs(f);
        assertThat(table.lookupStats(packet, 0x1234, 0, new LookupStats())).isSameAs(f);
        assertThat(table.lookup(key(2, 0x0b0b0b0b, 0x0a0000fe, 5555, 443))).as("other in_port").isNull();
        assertThat(table.lookup(key(1, 0x0b0b0b0b, 0x0a0001fe, 5555, 443))).as("other /24").isNull();
        assertThat(f.mask()).isEqualTo(maskDst(0xffffff00));
        assertThat(f.hash()).isEqualTo(table.lookup(packet).hash());
        assertThat(table.count()).isEqualTo(1);
    }

    @Test
    void equalMasksAreSharedAndRemovedWithTheirLastFlow() {
        Flow a = insert(table, key(1, 0, 0x0a000001, 0, 0), maskDst(-1), ufid(1));
        Flow b = insert(table, key(1, 0, 0x0a000002, 0, 0), maskDst(-1), ufid(2));
        Flow c = insert(table, key(1, 0, 0, 0, 0), maskPort(), ufid(3));

        assertThat(table.maskCount()).isEqualTo(2);
        assertThat(a.mask()).isSameAs(b.mask()).isNotSameAs(c.mask());

        table.remove(a);
        assertThat(table.maskCount()).as("b still holds the mask").isEqualTo(2);
        assertThat(table.lookup(key(1, 0, 0x0a000002, 0, 0))).isSameAs(b);
        table.remove(b);
        assertThat(table.maskCount()).isEqualTo(1);
        assertThat(table.masks()).containsExactly(c.mask());
        assertThat(table.lookup(key(1, 0, 0x0a000002, 0, 0))).as("falls to the in_port flow").isSameAs(c);
        table.remove(c);
        assertThat(table.maskCount()).isZero();
        assertThat(table.count()).isZero();
        assertThat(b.mask()).as("a removed flow keeps its mask for the reply").isEqualTo(maskDst(-1));
    }

    @Test
    void theTableKeepsItsOwnCopyOfAMask() {
        FlowMask m = maskPort();
        Flow f = insert(table, key(3, 0, 0, 0, 0), m, ufid(1));
        m.key().u16(FlowKey.IN_PORT_OFFSET, 0);
        m.updateRange();
        assertThat(f.mask()).isNotSameAs(m).isEqualTo(maskPort());
        assertThat(table.lookup(key(3, 9, 9, 9, 9))).isSameAs(f);
    }

    @Test
    void ufidIndexFindsAndForgetsFlows() {
        Flow a = insert(table, key(1, 1, 1, 1, 1), maskFiveTuple(), ufid(10));
        Flow b = insert(table, key(1, 1, 1, 1, 2), maskFiveTuple(), ufid(11));
        Flow byKey = insert(table, key(1, 1, 1, 1, 3), maskFiveTuple(), null);

        assertThat(table.lookupUfid(ufid(10))).isSameAs(a);
        assertThat(table.lookupUfid(ufid(11))).isSameAs(b);
        assertThat(table.lookupUfid(ufid(12))).isNull();
        assertThat(byKey.ufid()).isNull();

        table.remove(a);
        assertThat(table.lookupUfid(ufid(10))).isNull();
        assertThat(table.lookupUfid(ufid(11))).isSameAs(b);
        assertThat(table.lookup(key(1, 1, 1, 1, 1))).isNull();
    }

    @Test
    void lookupExactFindsOnlyFlowsIdentifiedByThatUnmaskedKey() {
        FlowKey k1 = key(1, 7, 0x0a000001, 10, 20);
        Flow byKey = insert(table, k1, maskDst(-1), null);
        Flow byUfid = insert(table, key(2, 7, 0x0a000001, 10, 20), maskDst(-1), ufid(5));
        FlowMask exact = new FlowMask().setAll();

        assertThat(table.lookupExact(k1, exact)).isSameAs(byKey);
        assertThat(table.lookupExact(k1, null)).isSameAs(byKey);
        assertThat(table.lookupExact(key(1, 8, 0x0a000001, 10, 20), exact))
                .as("same masked key, other unmasked key").isNull();
        assertThat(table.lookup(key(1, 8, 0x0a000001, 10, 20))).isSameAs(byKey);
        assertThat(table.lookupExact(key(2, 7, 0x0a000001, 10, 20), exact))
                .as("a UFID flow is not identified by its key").isNull();
        assertThat(table.lookup(key(2, 7, 0x0a000001, 10, 20))).isSameAs(byUfid);
        // the kernel compares only up to the match's range end
        FlowKey longer = new FlowKey(k1);
        longer.u16(FlowKey.TP_DST_OFFSET, 99); // word 50, outside a range that ends at word 50
        assertThat(table.lookupExact(longer, FlowKey.TP_DST_OFFSET / 8)).isSameAs(byKey);
        assertThat(table.lookupExact(longer, FlowKey.WORDS)).isNull();
    }

    @Test
    void flowCmpComparesMaskedKeyForUfidFlowsAndUnmaskedKeyOtherwise() {
        FlowKey k = key(1, 7, 0x0a000001, 10, 20);
        Flow byKey = insert(table, k, maskDst(-1), null);
        Flow byUfid = insert(table, key(2, 7, 0x0a000001, 10, 20), maskDst(-1), ufid(5));
        FlowMask m = byUfid.mask();

        assertThat(FlowTable.flowCmp(byKey, k, 0, FlowKey.WORDS)).isTrue();
        assertThat(FlowTable.flowCmp(byKey, key(1, 8, 0x0a000001, 10, 20), 0, FlowKey.WORDS)).isFalse();
        FlowKey masked = new FlowKey();
        masked.mask(key(2, 99, 0x0a000001, 1, 2), m);
        assertThat(FlowTable.flowCmp(byUfid, masked, m.start(), m.end())).isTrue();
    }

    @Test
    void growthPastLoadFactorOneKeepsEveryFlowFindable() {
        int n = 5000;
        Flow[] flows = new Flow[n];
        for (int i = 0; i < n; i++) {
            FlowMask mask = (i & 1) == 0 ? maskFiveTuple() : maskDst(-1);
            flows[i] = insert(table, key(1, i, 0x0a000000 + i, i, 80), mask, ufid(i));
        }
        assertThat(table.count()).isEqualTo(n);
        assertThat(table.bucketCount()).as("1024 doubled at 1025, 2049, 4097").isEqualTo(8192);
        assertThat(table.ufidBucketCount()).isEqualTo(8192);
        assertThat(table.maskCount()).isEqualTo(2);
        LookupStats st = new LookupStats();
        for (int i = 0; i < n; i++) {
            FlowKey k = key(1, i, 0x0a000000 + i, i, 80);
            assertThat(table.lookup(k)).isSameAs(flows[i]);
            assertThat(table.lookupStats(k, i + 1, i % Flows.CPUS, st)).isSameAs(flows[i]);
            assertThat(table.lookupUfid(ufid(i))).isSameAs(flows[i]);
        }
        Set<Flow> dumped = new HashSet<>();
        DumpCursor c = new DumpCursor();
        for (Flow f; (f = table.dumpNext(c)) != null;) {
            assertThat(dumped.add(f)).isTrue();
        }
        assertThat(dumped).hasSize(n);
    }

    @Test
    void maskCacheCountsMaskAndCacheHitsAsTheKernel() {
        insert(table, key(1, 0, 0, 0, 0), maskPort(), ufid(1));
        insert(table, key(2, 0, 0x0a000001, 0, 0), maskDst(-1), ufid(2));
        Flow third = insert(table, key(3, 1, 2, 3, 4), maskFiveTuple(), ufid(3));
        FlowKey pkt = key(3, 1, 2, 3, 4);
        LookupStats st = new LookupStats();

        assertThat(table.lookupStats(pkt, 0xabcd, 0, st)).isSameAs(third);
        assertThat(st.nMaskHit()).as("miss: all three masks").isEqualTo(3);
        assertThat(st.nCacheHit()).isZero();

        assertThat(table.lookupStats(pkt, 0xabcd, 0, st)).isSameAs(third);
        assertThat(st.nMaskHit()).as("hit: the cached mask only").isEqualTo(1);
        assertThat(st.nCacheHit()).isEqualTo(1);

        assertThat(table.lookupStats(pkt, 0xabcd, 1, st)).isSameAs(third);
        assertThat(st.nCacheHit()).as("the cache is per cpu").isZero();
        assertThat(st.nMaskHit()).isEqualTo(3);

        assertThat(table.lookupStats(pkt, 0, 0, st)).isSameAs(third);
        assertThat(st.nMaskHit()).as("hash 0 bypasses the cache").isEqualTo(3);
        assertThat(st.nCacheHit()).isZero();

        FlowKey recirc = new FlowKey(pkt);
        recirc.u32(FlowKey.RECIRC_ID_OFFSET, 7);
        assertThat(table.lookupStats(recirc, 0xabcd, 0, st)).as("recirc_id is a masked-out field")
                .isSameAs(third);
        assertThat(st.nCacheHit()).as("recirc_id re-hashes to another entry").isZero();

        table.remove(third);
        assertThat(table.lookupStats(pkt, 0xabcd, 0, st)).isNull();
        assertThat(st.nMaskHit()).as("cached index 2 is gone; masks 0 and 1 scanned").isEqualTo(2);
        assertThat(st.nCacheHit()).isZero();

        assertThat(table.setMaskCacheSize(0)).isZero();
        Flow first = table.lookup(key(1, 5, 5, 5, 5));
        assertThat(table.lookupStats(key(1, 5, 5, 5, 5), 0xabcd, 0, st)).isSameAs(first);
        assertThat(table.lookupStats(key(1, 5, 5, 5, 5), 0xabcd, 0, st)).isSameAs(first);
        assertThat(st.nCacheHit()).as("a size-0 cache never hits").isZero();
        assertThat(st.nMaskHit()).isEqualTo(1);
    }

    @Test
    void rebalancePutsTheMostUsedMaskFirst() {
        Flow a = insert(table, key(1, 0, 0, 0, 0), maskPort(), ufid(1));
        Flow b = insert(table, key(2, 0, 0x0a000001, 0, 0), maskDst(-1), ufid(2));
        Flow c = insert(table, key(3, 1, 2, 3, 4), maskFiveTuple(), ufid(3));
        LookupStats st = new LookupStats();
        for (int i = 0; i < 10; i++) {
            table.lookupStats(key(3, 1, 2, 3, 4), 0, i % Flows.CPUS, st);
        }
        for (int i = 0; i < 5; i++) {
            table.lookupStats(key(2, 0, 0x0a000001, 0, 0), 0, 0, st);
        }
        table.rebalanceMasks();
        assertThat(table.masks()).containsExactly(c.mask(), b.mask(), a.mask());
        assertThat(table.lookupStats(key(3, 1, 2, 3, 4), 0, 0, st)).isSameAs(c);
        assertThat(st.nMaskHit()).isEqualTo(1);

        table.rebalanceMasks();
        assertThat(table.masks()).as("one hit on the first mask only: order kept").containsExactly(c.mask(), b.mask(), a.mask());
        table.lookupStats(key(1, 0, 0, 0, 0), 0, 0, st);
        table.rebalanceMasks();
        assertThat(table.masks().get(0)).isSameAs(a.mask());
    }

    @Test
    void flushEmptiesTheTableAndShrinksIt() {
        Flow[] flows = new Flow[1500];
        for (int i = 0; i < flows.length; i++) {
            flows[i] = insert(table, key(1, i, i, i, i), maskFiveTuple(), ufid(i));
        }
        assertThat(table.bucketCount()).isEqualTo(2048);
        DumpCursor pinned = new DumpCursor();
        assertThat(table.dumpNext(pinned)).isNotNull();

        table.flush();
        assertThat(table.count()).isZero();
        assertThat(table.maskCount()).isZero();
        assertThat(table.bucketCount()).isEqualTo(1024);
        assertThat(table.lookup(key(1, 1, 1, 1, 1))).isNull();
        assertThat(table.lookupUfid(ufid(1))).isNull();
        assertThat(table.dumpNext(new DumpCursor())).isNull();
        assertThat(table.dumpNext(pinned)).as("a dump of the old instance skips flushed flows").isNull();
        assertThatThrownBy(() -> table.remove(flows[0])).isInstanceOf(IllegalStateException.class);

        Flow again = insert(table, key(1, 1, 1, 1, 1), maskFiveTuple(), ufid(1));
        assertThat(table.lookupUfid(ufid(1))).isSameAs(again);
        assertThat(table.count()).isEqualTo(1);
    }

    @Test
    void setMaskCacheSizeFollowsTheKernelRules() {
        assertThat(table.maskCacheSize()).isEqualTo(256);
        assertThat(table.setMaskCacheSize(256)).as("unchanged").isZero();
        assertThat(table.setMaskCacheSize(3)).isEqualTo(-22);
        assertThat(table.setMaskCacheSize(100)).isEqualTo(-22);
        assertThat(table.setMaskCacheSize(8192)).as("power of two beyond 32 KiB of entries").isEqualTo(-22);
        assertThat(table.setMaskCacheSize(-1)).as("u32 0xffffffff").isEqualTo(-22);
        assertThat(table.setMaskCacheSize(Integer.MIN_VALUE)).as("u32 2^31").isEqualTo(-22);
        assertThat(table.maskCacheSize()).isEqualTo(256);
        assertThat(table.setMaskCacheSize(4096)).isZero();
        assertThat(table.maskCacheSize()).isEqualTo(4096);
        assertThat(table.setMaskCacheSize(1)).isZero();
        assertThat(table.setMaskCacheSize(0)).isZero();
        assertThat(table.maskCacheSize()).isZero();

        Flow f = insert(table, key(1, 0, 0, 0, 0), maskPort(), ufid(1));
        assertThat(table.setMaskCacheSize(1)).isZero();
        LookupStats st = new LookupStats();
        table.lookupStats(key(1, 0, 0, 0, 0), 77, 0, st);
        assertThat(table.lookupStats(key(1, 0, 0, 0, 0), 77, 0, st)).isSameAs(f);
        assertThat(st.nCacheHit()).as("a one-entry cache works").isEqualTo(1);
    }

    @Test
    void removingOrReinsertingTheWrongFlowIsRefused() {
        Flow f = insert(table, key(1, 0, 0, 0, 0), maskPort(), ufid(1));
        assertThatThrownBy(() -> table.insert(f, maskPort())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> table.remove(Flows.flow(key(1, 0, 0, 0, 0), maskPort(), ufid(1))))
                .isInstanceOf(IllegalStateException.class);
        table.remove(f);
        assertThatThrownBy(() -> table.remove(f)).isInstanceOf(IllegalStateException.class);
        assertThat(table.count()).isZero();
    }

    @Test
    void anEmptyMaskMatchesEveryPacket() {
        Flow any = insert(table, key(0, 0, 0, 0, 0), new FlowMask(), ufid(1));
        FlowKey empty = new FlowKey();
        assertThat(table.lookup(key(9, 9, 9, 9, 9))).isSameAs(any);
        assertThat(table.lookup(empty)).isSameAs(any);
    }
}
