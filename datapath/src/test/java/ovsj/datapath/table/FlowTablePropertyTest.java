package ovsj.datapath.table;

import static ovsj.datapath.table.Flows.key;
import static ovsj.datapath.table.Flows.matches;
import static ovsj.datapath.table.Flows.ufid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;

/** Random operations against a naive model: a list of live flows searched linearly. */
class FlowTablePropertyTest {
    private static final FlowMask[] MASKS = {
        Flows.maskPort(), Flows.maskDst(-1), Flows.maskDst(0xfffffff8), Flows.maskFiveTuple(), new FlowMask(),
        srcAndPorts(),
    };

    private static FlowMask srcAndPorts() {
        FlowKey m = new FlowKey();
        m.u32(FlowKey.IPV4_SRC_OFFSET, -1);
        m.u16(FlowKey.TP_SRC_OFFSET, 0xffff);
        m.u16(FlowKey.TP_DST_OFFSET, 0xffff);
        return new FlowMask(m);
    }

    private final List<Flow> model = new ArrayList<>();
    private SplittableRandom rnd;
    private FlowTable table;
    private long nextUfid;

    private FlowKey randomKey() {
        FlowKey k = key(1 + rnd.nextInt(3), rnd.nextInt(8), rnd.nextInt(16), rnd.nextInt(4), rnd.nextInt(4));
        if (rnd.nextInt(10) == 0) {
            k.u32(FlowKey.RECIRC_ID_OFFSET, 1 + rnd.nextInt(2));
        }
        if (rnd.nextInt(10) == 0) {
            k.u64(FlowKey.TUN_ID_OFFSET, rnd.nextInt(2));
            k.u8(FlowKey.TUN_PROTO_OFFSET, 2);
        }
        return k;
    }

    /** The model's masked lookup: the live flow of that (shared) mask matching the packet. */
    private Flow modelMasked(FlowMask m, FlowKey packet) {
        for (Flow f : model) {
            if (f.mask() == m && matches(f, packet)) {
                return f;
            }
        }
        return null;
    }

    private Flow modelLookup(FlowKey packet) {
        for (FlowMask m : table.masks()) {
            Flow f = modelMasked(m, packet);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private Flow modelLookupExact(FlowKey key) {
        int start = key.tunProto() != 0 ? 0 : FlowKey.PRIORITY_OFFSET / 8;
        for (FlowMask m : table.masks()) {
            Flow f = modelMasked(m, key);
            if (f != null && !f.hasUfid() && f.unmaskedKey().equalsRange(key, start, FlowKey.WORDS)) {
                return f;
            }
        }
        return null;
    }

    private void insert() {
        FlowKey k = randomKey();
        FlowMask mask = MASKS[rnd.nextInt(MASKS.length)];
        Flow f = Flows.flow(k, mask, rnd.nextBoolean() ? ufid(nextUfid++) : null);
        for (Flow g : model) {
            if (g.mask().equals(mask) && g.key().equals(f.key())) {
                return; // the datapath never inserts a second flow with the same match
            }
        }
        table.insert(f, mask);
        model.add(f);
    }

    private void checkStructure() {
        assertThat(table.count()).isEqualTo(model.size());
        Set<FlowMask> masks = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Flow f : model) {
            masks.add(f.mask());
        }
        assertThat(table.maskCount()).isEqualTo(masks.size());
        assertThat(table.masks()).containsExactlyInAnyOrderElementsOf(masks);
        for (FlowMask m : masks) {
            assertThat(masks.stream().filter(m::equals).count()).as("equal masks are shared").isEqualTo(1);
        }
        List<Flow> dumped = new ArrayList<>();
        DumpCursor c = new DumpCursor();
        for (Flow f; (f = table.dumpNext(c)) != null;) {
            dumped.add(f);
            if (rnd.nextInt(7) == 0) {
                c.unread();
                assertThat(table.dumpNext(c)).isSameAs(f);
            }
        }
        assertThat(dumped).containsExactlyInAnyOrderElementsOf(model);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 0x5eed, 0xdecaf})
    void tableAgreesWithALinearScanModel(long seed) {
        rnd = new SplittableRandom(seed);
        table = new FlowTable(Flows.CPUS);
        model.clear();
        LookupStats st = new LookupStats();
        for (int op = 0; op < 6000; op++) {
            int r = rnd.nextInt(100);
            if (r < 35) {
                insert();
            } else if (r < 50) {
                if (!model.isEmpty()) {
                    Flow f = model.remove(rnd.nextInt(model.size()));
                    table.remove(f);
                    assertThat(table.lookupUfid(f.ufid() == null ? ufid(-1) : f.ufid())).isNull();
                }
            } else if (r < 70) {
                FlowKey p = randomKey();
                assertThat(table.lookup(p)).isSameAs(modelLookup(p));
            } else if (r < 85) {
                FlowKey p = randomKey();
                Flow expected = modelLookup(p);
                Flow got = table.lookupStats(p, rnd.nextInt(4) * 0x01010101, rnd.nextInt(Flows.CPUS), st);
                if (expected == null) {
                    assertThat(got).isNull();
                } else {
                    // the cache may try another mask first; any live matching flow is a right answer
                    assertThat(got).isNotNull().satisfies(g -> assertThat(matches(g, p)).isTrue());
                    assertThat(model).contains(got);
                }
                assertThat(st.nMaskHit()).isBetween(got == null ? table.maskCount() : 1, table.maskCount());
                assertThat(st.nCacheHit()).isBetween(0, 1);
            } else if (r < 90) {
                long id = nextUfid == 0 ? 0 : rnd.nextLong(nextUfid);
                Flow expected = model.stream().filter(f -> ufid(id).equals(f.ufid())).findFirst().orElse(null);
                assertThat(table.lookupUfid(ufid(id))).isSameAs(expected);
            } else if (r < 95) {
                FlowKey k = !model.isEmpty() && rnd.nextBoolean()
                        ? model.get(rnd.nextInt(model.size())).key() : randomKey();
                Flow byKey = model.isEmpty() ? null : model.get(rnd.nextInt(model.size()));
                if (byKey != null && !byKey.hasUfid()) {
                    k = byKey.unmaskedKey();
                }
                assertThat(table.lookupExact(k, (FlowMask) null)).isSameAs(modelLookupExact(k));
            } else if (r < 97) {
                table.rebalanceMasks();
            } else if (r < 99) {
                int size = new int[] {0, 1, 2, 4, 256, 3}[rnd.nextInt(6)];
                assertThat(table.setMaskCacheSize(size)).isEqualTo(size == 3 ? -22 : 0);
            } else if (rnd.nextInt(5) == 0) {
                table.flush();
                model.clear();
            }
            if (op % 200 == 0) {
                checkStructure();
            }
        }
        checkStructure();
    }
}
