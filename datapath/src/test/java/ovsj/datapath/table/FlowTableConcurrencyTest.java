package ovsj.datapath.table;

import static ovsj.datapath.table.Flows.insert;
import static ovsj.datapath.table.Flows.key;
import static ovsj.datapath.table.Flows.maskDst;
import static ovsj.datapath.table.Flows.maskFiveTuple;
import static ovsj.datapath.table.Flows.maskPort;
import static ovsj.datapath.table.Flows.ufid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;

/**
 * One writer churning flows (inserts that expand the table, removals, masks coming and going, mask
 * cache resizes, rebalances) while lock-free readers look up and dump: no exceptions, and every stable
 * flow is always found, by every kind of lookup, and exactly once by every dump.
 */
class FlowTableConcurrencyTest {
    private static final int STABLE = 2000;
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    private static FlowKey stableKey(int i) {
        return key(7, i, 0x0a000000 | i, i & 0xffff, 80);
    }

    @Test
    @Timeout(60)
    void readersAlwaysFindStableFlowsWhileOneWriterChurns() throws Exception {
        FlowTable table = new FlowTable(Flows.CPUS);
        Flow[] stable = new Flow[STABLE];
        for (int i = 0; i < STABLE; i++) {
            stable[i] = insert(table, stableKey(i), (i & 1) == 0 ? maskFiveTuple() : maskDst(-1), ufid(i));
        }
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong lookups = new AtomicLong();
        AtomicLong dumps = new AtomicLong();
        AtomicLong churned = new AtomicLong();
        List<Thread> threads = new ArrayList<>();

        threads.add(Thread.ofPlatform().name("writer").unstarted(() -> {
            SplittableRandom rnd = new SplittableRandom(1);
            ArrayDeque<Flow> churn = new ArrayDeque<>();
            long id = 1_000_000;
            try {
                while (!stop.get()) {
                    for (int i = 0; i < 200; i++) {
                        FlowMask m = switch (rnd.nextInt(4)) {
                            case 0 -> maskFiveTuple();
                            case 1 -> maskDst(-1);
                            case 2 -> maskDst(0xffff0000 | rnd.nextInt(4)); // masks that come and go
                            default -> maskPort();
                        };
                        // in_port 9: never matches a stable flow, whatever the mask
                        churn.add(insert(table, key(9, (int) id, (int) id, 1, 2), m, ufid(id)));
                        id++;
                    }
                    int drop = churn.size() > 20_000 ? 250 : 150;
                    for (int i = 0; i < drop && !churn.isEmpty(); i++) {
                        table.remove(churn.poll());
                    }
                    if (rnd.nextInt(10) == 0) {
                        table.rebalanceMasks();
                    }
                    if (rnd.nextInt(20) == 0) {
                        table.setMaskCacheSize(new int[] {0, 1, 16, 256}[rnd.nextInt(4)]);
                    }
                    churned.addAndGet(200);
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }));
        for (int r = 0; r < Flows.CPUS - 1; r++) {
            final int cpu = r;
            threads.add(Thread.ofPlatform().name("reader-" + r).unstarted(() -> {
                SplittableRandom rnd = new SplittableRandom(100 + cpu);
                LookupStats st = new LookupStats();
                FlowKey[] keys = new FlowKey[STABLE];
                for (int i = 0; i < STABLE; i++) {
                    keys[i] = stableKey(i);
                }
                try {
                    while (!stop.get()) {
                        int i = rnd.nextInt(STABLE);
                        Flow want = stable[i];
                        Flow got = table.lookupStats(keys[i], 1 + rnd.nextInt(64), cpu, st);
                        if (got != want) {
                            throw new AssertionError("lookupStats lost stable flow " + i + ": " + got);
                        }
                        if (table.lookup(keys[i]) != want) {
                            throw new AssertionError("lookup lost stable flow " + i);
                        }
                        if (table.lookupUfid(want.ufid()) != want) {
                            throw new AssertionError("lookupUfid lost stable flow " + i);
                        }
                        if (table.lookup(key(8, i, i, 1, 2)) != null) {
                            throw new AssertionError("found a flow that never existed");
                        }
                        lookups.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.add(Thread.ofPlatform().name("dumper").unstarted(() -> {
            SplittableRandom rnd = new SplittableRandom(7);
            try {
                while (!stop.get()) {
                    Map<Flow, Integer> seen = new IdentityHashMap<>();
                    DumpCursor c = new DumpCursor();
                    for (Flow f; (f = table.dumpNext(c)) != null;) {
                        if (rnd.nextInt(40) == 0) {
                            c.unread();
                            continue;
                        }
                        if (seen.merge(f, 1, Integer::sum) > 1) {
                            throw new AssertionError("dumped twice: " + f.ufid());
                        }
                    }
                    for (Flow f : stable) {
                        if (!seen.containsKey(f)) {
                            throw new AssertionError("dump skipped stable flow " + f.ufid());
                        }
                    }
                    dumps.incrementAndGet();
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }));

        threads.forEach(Thread::start);
        long end = System.nanoTime() + RUN_NANOS;
        while (System.nanoTime() < end && failures.isEmpty()) {
            Thread.sleep(20);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(lookups.get()).isPositive();
        assertThat(dumps.get()).isPositive();
        assertThat(churned.get()).isGreaterThan(STABLE);
        for (int i = 0; i < STABLE; i++) {
            assertThat(table.lookup(stableKey(i))).isSameAs(stable[i]);
        }
    }
}
