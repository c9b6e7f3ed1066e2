package ovsj.vswitchd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Named event counters and their {@code coverage/show} text, as OVS's {@code lib/coverage.c}
 * ({@code COVERAGE_DEFINE} / {@code COVERAGE_INC}): a total per counter, and per-second rates averaged
 * over the last 5 s, minute and hour, kept by {@link #run} every {@link #RUN_INTERVAL_MS}.
 *
 * <p>Counters are registered once ({@link #counter}) and incremented from any thread without locking.
 * One registry per daemon; OVS's counters are process-wide, so {@link #GLOBAL} is the default.
 */
public final class Coverage {
    /** {@code COVERAGE_RUN_INTERVAL}, ms. */
    public static final long RUN_INTERVAL_MS = 5000;
    /** {@code MIN_AVG_LEN}: 5 s slots in a minute. */
    static final int MIN_AVG_LEN = (int) (60_000 / RUN_INTERVAL_MS);
    /** {@code HR_AVG_LEN}: minutes in an hour. */
    static final int HR_AVG_LEN = 60;

    /** The process-wide registry. */
    public static final Coverage GLOBAL = new Coverage();

    /** One counter ({@code struct coverage_counter}). */
    public static final class Counter {
        private final String name;
        private final LongAdder count = new LongAdder();
        // Guarded by the registry's monitor.
        private long lastTotal;
        private final long[] min = new long[MIN_AVG_LEN];
        private final long[] hr = new long[HR_AVG_LEN];

        Counter(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** {@code COVERAGE_INC}. */
        public void inc() {
            count.increment();
        }

        /** {@code COVERAGE_ADD}. */
        public void add(long n) {
            count.add(n);
        }

        /** The total so far. */
        public long total() {
            return count.sum();
        }
    }

    private final ConcurrentHashMap<String, Counter> byName = new ConcurrentHashMap<>();
    private final List<Counter> counters = new CopyOnWriteArrayList<>();
    private long runTime = Long.MIN_VALUE;
    private int idxCount;

    /** The counter {@code name}, registered on first use ({@code COVERAGE_DEFINE}). */
    public Counter counter(String name) {
        return byName.computeIfAbsent(name, n -> {
            Counter c = new Counter(n);
            counters.add(c);
            return c;
        });
    }

    /** The total of {@code name}, 0 if it is not registered. */
    public long total(String name) {
        Counter c = byName.get(name);
        return c == null ? 0 : c.total();
    }

    /**
     * {@code coverage_run}: at most every {@link #RUN_INTERVAL_MS}, moves the counts since the last
     * call into the 5-second slots (spread evenly over the slots elapsed) that the rates average.
     */
    public synchronized void run(long nowMs) {
        if (runTime == Long.MIN_VALUE) {
            runTime = nowMs + RUN_INTERVAL_MS;
        }
        if (nowMs < runTime) {
            return;
        }
        int slots = (int) ((nowMs - runTime) / RUN_INTERVAL_MS + 1);
        for (Counter c : counters) {
            long total = c.total();
            long count = total - c.lastTotal;
            c.lastTotal = total;
            long portion = count / slots;
            int idx = idxCount;
            for (int j = 0; j < slots; j++) {
                int mIdx = idx % MIN_AVG_LEN;
                int hIdx = idx / MIN_AVG_LEN;
                c.min[mIdx] = portion + (j == slots - 1 ? count % slots : 0);
                c.hr[hIdx] = mIdx == 0 ? c.min[mIdx] : c.hr[hIdx] + c.min[mIdx];
                idx = (idx + 1) % (MIN_AVG_LEN * HR_AVG_LEN);
            }
        }
        idxCount = (idxCount + slots) % (MIN_AVG_LEN * HR_AVG_LEN);
        runTime = nowMs + RUN_INTERVAL_MS;
    }

    /**
     * {@code coverage/show}: the header with the hash of the counters' ranking, a line per counter with
     * a nonzero total (in registration order), and how many were never hit. Lines end with
     * {@code "\n"}.
     */
    public synchronized String show() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "Event coverage, avg rate over last: %d seconds, last minute, last hour,  hash=%08x:\n",
                RUN_INTERVAL_MS / 1000, hash()));
        int neverHit = 0;
        for (Counter c : counters) {
            long total = c.total();
            if (total == 0) {
                neverHit++;
                continue;
            }
            long last = c.min[Integer.remainderUnsigned(idxCount - 1, MIN_AVG_LEN)]; // OVS: unsigned wrap at 0
            sb.append(String.format(Locale.ROOT, "%-24s %5.1f/sec %9.3f/sec %13.4f/sec   total: %d\n",
                    c.name, last * 1000.0 / RUN_INTERVAL_MS, sum(c.min) / 60.0, sum(c.hr) / 3600.0, total));
        }
        sb.append(neverHit).append(" events never hit\n");
        return sb.toString();
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    /**
     * {@code coverage_hash}: the counters sorted by total (descending, then by name), grouped by equal
     * nonzero totals, each group's rank and names hashed with OVS's portable hash functions.
     */
    int hash() {
        record Snap(String name, long total) {
        }
        List<Snap> s = new ArrayList<>();
        for (Counter c : counters) {
            s.add(new Snap(c.name, c.total()));
        }
        s.sort(Comparator.comparingLong(Snap::total).reversed().thenComparing(Snap::name));
        int hash = 0;
        int groups = 0;
        for (int i = 0; i < s.size(); ) {
            if (s.get(i).total == 0) {
                break;
            }
            groups++;
            hash = OvsHash.hashInt(i, hash);
            int j = i;
            for (; j < s.size() && s.get(j).total == s.get(i).total; j++) {
                hash = OvsHash.hashString(s.get(j).name, hash);
            }
            i = j;
        }
        return OvsHash.hashInt(groups, hash);
    }

    /** OVS's {@code lib/hash.h} (the portable, non-SSE4.2 flavour). */
    static final class OvsHash {
        private OvsHash() {
        }

        static int mhashAdd(int hash, int data) {
            if (data != 0) {
                data *= 0xcc9e2d51;
                data = Integer.rotateLeft(data, 15);
                data *= 0x1b873593;
                hash ^= data;
            }
            hash = Integer.rotateLeft(hash, 13);
            return hash * 5 + 0xe6546b64;
        }

        static int mhashFinish(int hash) {
            hash ^= hash >>> 16;
            hash *= 0x85ebca6b;
            hash ^= hash >>> 13;
            hash *= 0xc2b2ae35;
            hash ^= hash >>> 16;
            return hash;
        }

        static int hashFinish(int hash, int fin) {
            return mhashFinish(hash ^ fin);
        }

        static int hash2Words(int x, int y) {
            return hashFinish(mhashAdd(mhashAdd(x, 0), y), 8);
        }

        static int hashInt(int x, int basis) {
            return hash2Words(x, basis);
        }

        static int hashBytes(byte[] p, int basis) {
            int hash = basis;
            int n = p.length;
            int i = 0;
            for (; n - i >= 4; i += 4) {
                hash = mhashAdd(hash, (p[i] & 0xff) | (p[i + 1] & 0xff) << 8 | (p[i + 2] & 0xff) << 16
                        | (p[i + 3] & 0xff) << 24);
            }
            if (i < n) {
                int tmp = 0;
                for (int k = 0; i + k < n; k++) {
                    tmp |= (p[i + k] & 0xff) << (8 * k);
                }
                hash = mhashAdd(hash, tmp);
            }
            return hashFinish(hash, n);
        }

        static int hashString(String s, int basis) {
            return hashBytes(s.getBytes(StandardCharsets.UTF_8), basis);
        }
    }
}
