package ovsj.datapath.table;

import static ovsj.datapath.table.Flows.insert;
import static ovsj.datapath.table.Flows.key;
import static ovsj.datapath.table.Flows.maskDst;
import static ovsj.datapath.table.Flows.maskFiveTuple;
import static ovsj.datapath.table.Flows.ufid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class FlowTableDumpTest {
    private final FlowTable table = new FlowTable(Flows.CPUS);

    private List<Flow> fill(int n, int base) {
        List<Flow> flows = new ArrayList<>();
        for (int i = base; i < base + n; i++) {
            flows.add(insert(table, key(1, i, i, i, i), (i % 3) == 0 ? maskDst(-1) : maskFiveTuple(), ufid(i)));
        }
        return flows;
    }

    /** Dumps in batches of random size, re-reading each batch's last flow as an overflowing batch does. */
    private static Map<Flow, Integer> dumpInBatches(FlowTable table, SplittableRandom rnd,
            java.util.function.Consumer<Flow> betweenBatches) {
        Map<Flow, Integer> seen = new IdentityHashMap<>();
        DumpCursor c = new DumpCursor();
        Flow lastReturned = null;
        while (true) {
            int batch = 1 + rnd.nextInt(50);
            Flow f = null;
            for (int i = 0; i < batch; i++) {
                f = table.dumpNext(c);
                if (f == null) {
                    break;
                }
                if (i == batch - 1 && rnd.nextBoolean()) {
                    c.unread(); // "did not fit": goes first in the next batch
                } else if (i == batch - 1 && rnd.nextBoolean()) {
                    DumpCursor.Mark m = c.mark();
                    table.dumpNext(c); // peek one further, then go back
                    c.reset(m);
                    seen.merge(f, 1, Integer::sum);
                } else {
                    seen.merge(f, 1, Integer::sum);
                }
                lastReturned = f;
            }
            if (f == null) {
                assertThat(c.done()).isTrue();
                return seen;
            }
            betweenBatches.accept(lastReturned);
        }
    }

    @Test
    void dumpVisitsEveryFlowExactlyOnce() {
        List<Flow> flows = fill(3000, 0);
        DumpCursor c = new DumpCursor();
        Set<Flow> seen = new HashSet<>();
        for (Flow f; (f = table.dumpNext(c)) != null;) {
            assertThat(seen.add(f)).as("duplicate %s", f.ufid()).isTrue();
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(flows);
        assertThat(table.dumpNext(c)).as("stays done").isNull();
        c.reset();
        assertThat(table.dumpNext(c)).as("reset starts over").isNotNull();
    }

    @Test
    void dumpResumesAtArbitraryPointsWithoutDuplicatesOrGaps() {
        List<Flow> flows = fill(2500, 0);
        for (long seed = 1; seed <= 5; seed++) {
            Map<Flow, Integer> seen = dumpInBatches(table, new SplittableRandom(seed), f -> { });
            assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(flows);
            assertThat(seen.values()).allMatch(n -> n == 1);
        }
    }

    @Test
    void cursorPositionCountsNodesOfTheCurrentBucket() {
        fill(5, 0);
        DumpCursor c = new DumpCursor();
        assertThat(table.dumpNext(c)).isNotNull();
        assertThat(c.position()).isEqualTo(1);
        int b = c.bucket();
        while (table.dumpNext(c) != null) {
            assertThat(c.bucket()).isGreaterThanOrEqualTo(b);
            b = c.bucket();
        }
        assertThat(c.bucket()).isEqualTo(1024);
    }

    @Test
    void removalsBetweenBatchesSkipNoSurvivor() {
        List<Flow> flows = fill(3000, 0);
        SplittableRandom rnd = new SplittableRandom(42);
        Set<Flow> removed = new HashSet<>();
        Map<Flow, Integer> seen = dumpInBatches(table, rnd, standingOn -> {
            if (standingOn != null && rnd.nextBoolean() && removed.add(standingOn)) {
                table.remove(standingOn); // the node the cursor stands on
            }
            for (int i = 0; i < 20; i++) {
                Flow victim = flows.get(rnd.nextInt(flows.size()));
                if (removed.add(victim)) {
                    table.remove(victim);
                }
            }
        });
        for (Flow f : flows) {
            if (!removed.contains(f)) {
                assertThat(seen).as("survivor %s", f.ufid()).containsEntry(f, 1);
            }
        }
        assertThat(seen.values()).allMatch(n -> n == 1);
    }

    @Test
    void aCursorStandingOnARemovedFlowStillReachesTheRestOfItsBucket() {
        fill(1000, 0);
        // find a bucket with at least three flows
        DumpCursor probe = new DumpCursor();
        int target = -1;
        for (Flow f; (f = table.dumpNext(probe)) != null;) {
            if (probe.position() == 3) {
                target = probe.bucket();
                break;
            }
        }
        assertThat(target).as("1000 flows in 1024 buckets chain somewhere").isNotNegative();
        DumpCursor c = new DumpCursor();
        Flow first;
        do {
            first = table.dumpNext(c);
        } while (c.bucket() != target);
        table.remove(first);
        Flow second = table.dumpNext(c);
        Flow third = table.dumpNext(c);
        assertThat(c.bucket()).isEqualTo(target);
        assertThat(List.of(second, third)).doesNotContain(first).doesNotHaveDuplicates();
        table.remove(third);
        c.unread();
        assertThat(table.dumpNext(c)).as("unread onto a removed flow skips it").isNotSameAs(third);
    }

    @Test
    void dumpWhileAWriterInsertsAndExpandsSeesPreExistingFlowsExactlyOnce() throws Exception {
        for (int round = 0; round < 3; round++) {
            FlowTable t = new FlowTable(Flows.CPUS);
            List<Flow> before = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                before.add(insert(t, key(2, i, i, i, i), maskFiveTuple(), ufid(i)));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(1);
            int base = 1_000_000 * (round + 1);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    started.countDown();
                    for (int i = 0; i < 60_000 && !stop.get(); i++) {
                        insert(t, key(3, base + i, i, i, i), (i & 1) == 0 ? maskFiveTuple() : maskDst(-1),
                                ufid(base + i));
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            started.await();
            Map<Flow, Integer> seen = dumpInBatches(t, new SplittableRandom(round), f -> Thread.yield());
            stop.set(true);
            writer.join();
            assertThat(failure.get()).isNull();
            for (Flow f : before) {
                assertThat(seen).as("pre-existing %s", f.ufid()).containsEntry(f, 1);
            }
            assertThat(seen.values()).as("no flow twice, new ones included").allMatch(n -> n == 1);
        }
    }
}
