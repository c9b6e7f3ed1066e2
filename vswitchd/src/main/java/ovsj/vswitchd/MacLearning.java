package ovsj.vswitchd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A MAC learning table, the twin of OVS's {@code lib/mac-learning.c}: (MAC, VLAN) → port, with aging
 * ({@code mac-aging-time}, default {@value #DEFAULT_AGING_SECONDS} s) and a size bound
 * ({@code mac-table-size}, default {@value #DEFAULT_MAX_ENTRIES}; when full, the least recently seen
 * entry is evicted, as {@code mac_learning_insert} evicts its LRU entry).
 *
 * <p>Every change that can alter a forwarding decision — an address learned, moved to another port,
 * expired, evicted or flushed — increments {@link #revision()} and calls the change listener (OVS sets
 * {@code need_revalidate = REV_MAC_LEARNING}), so that revalidators re-translate installed flows. A
 * refresh of an entry already on the right port changes nothing.
 *
 * <p>Thread-safe: handlers learn and look up concurrently, revalidators refresh ({@link #learn} from
 * pushed statistics), lookups never lock.
 */
public final class MacLearning {
    /** OVS's {@code MAC_ENTRY_DEFAULT_IDLE_TIME}. */
    public static final int DEFAULT_AGING_SECONDS = 300;
    /** OVS's {@code MAC_DEFAULT_MAX}. */
    public static final int DEFAULT_MAX_ENTRIES = 8192;
    /** How often {@link #run} scans for expired entries, ms. */
    static final long EXPIRE_SCAN_INTERVAL_MS = 1000;

    /** One learned address. */
    public static final class Entry {
        private final long mac;
        private final int vlan;
        private volatile int port;
        private volatile long seenMs;

        Entry(long mac, int vlan, int port, long seenMs) {
            this.mac = mac;
            this.vlan = vlan;
            this.port = port;
            this.seenMs = seenMs;
        }

        public long mac() {
            return mac;
        }

        public int vlan() {
            return vlan;
        }

        public int port() {
            return port;
        }

        /** When a packet from this address was last seen, ms. */
        public long seenMs() {
            return seenMs;
        }
    }

    private final Map<Long, Entry> table = new ConcurrentHashMap<>();
    private final AtomicLong revision = new AtomicLong();
    private volatile long agingMs;
    private volatile int maxEntries;
    private volatile Runnable listener = () -> { };
    private volatile long nextScanMs = Long.MIN_VALUE;
    private final AtomicLong learned = new AtomicLong();
    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();

    public MacLearning() {
        this(DEFAULT_AGING_SECONDS, DEFAULT_MAX_ENTRIES);
    }

    public MacLearning(int agingSeconds, int maxEntries) {
        setAging(agingSeconds);
        setMaxEntries(maxEntries);
    }

    private static Long key(long mac, int vlan) {
        return ((long) (vlan & 0xfff) << 48) | (mac & 0xffffffffffffL);
    }

    /** {@code mac_learning_set_idle_time}: seconds (at least 15, as OVS clamps it). */
    public void setAging(int seconds) {
        this.agingMs = Math.max(15, seconds) * 1000L;
    }

    public long agingMs() {
        return agingMs;
    }

    /** {@code mac_learning_set_max_entries} (at least 10, as OVS clamps it). */
    public void setMaxEntries(int max) {
        this.maxEntries = Math.max(10, max);
    }

    /** Called after every change that bumps the revision (from the changing thread). */
    public void onChange(Runnable r) {
        this.listener = r == null ? () -> { } : r;
    }

    /** Increases with every change that may alter a forwarding decision. */
    public long revision() {
        return revision.get();
    }

    private void changed() {
        revision.incrementAndGet();
        listener.run();
    }

    /** {@code mac_learning_may_learn}: unicast source addresses only. */
    public static boolean mayLearn(long mac) {
        return !isMulticast(mac);
    }

    /** The group bit of the first octet. */
    public static boolean isMulticast(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /**
     * Learns that {@code mac} in {@code vlan} is on {@code port} at {@code nowMs}
     * ({@code update_learning_table}). Returns true if this changed the table (a new address, or one
     * that moved); a refresh of an address already there only restarts its aging.
     */
    public boolean learn(long mac, int vlan, int port, long nowMs) {
        if (!mayLearn(mac)) {
            return false;
        }
        Long k = key(mac, vlan);
        Entry e = table.get(k);
        if (e != null && nowMs - e.seenMs < agingMs) {
            e.seenMs = Math.max(e.seenMs, nowMs);
            if (e.port == port) {
                return false;
            }
            e.port = port;
            moved.incrementAndGet();
            changed();
            return true;
        }
        if (e == null && table.size() >= maxEntries) {
            evictOldest();
        }
        table.put(k, new Entry(mac, vlan, port, nowMs));
        learned.incrementAndGet();
        changed();
        return true;
    }

    private void evictOldest() {
        Entry oldest = null;
        for (Entry e : table.values()) {
            if (oldest == null || e.seenMs < oldest.seenMs) {
                oldest = e;
            }
        }
        if (oldest != null && table.remove(key(oldest.mac, oldest.vlan), oldest)) {
            evicted.incrementAndGet();
        }
    }

    /**
     * {@code mac_learning_lookup}: the port {@code mac} in {@code vlan} was learned on, or -1 if it is
     * unknown or its entry has aged out (an aged entry is gone for lookups even before {@link #run}
     * removes it).
     */
    public int lookup(long mac, int vlan, long nowMs) {
        Entry e = table.get(key(mac, vlan));
        if (e == null || nowMs - e.seenMs >= agingMs) {
            return -1;
        }
        return e.port;
    }

    /**
     * {@code mac_learning_run}: removes the entries idle for the aging time, at most once per second
     * (a scan). Returns the number removed; bumps the revision if any.
     */
    public int run(long nowMs) {
        if (nowMs < nextScanMs) {
            return 0;
        }
        nextScanMs = nowMs + EXPIRE_SCAN_INTERVAL_MS;
        return expire(nowMs);
    }

    /** Removes every entry idle for the aging time now; bumps the revision if any went. */
    public int expire(long nowMs) {
        int n = 0;
        long aging = agingMs;
        for (Entry e : table.values()) {
            if (nowMs - e.seenMs >= aging && table.remove(key(e.mac, e.vlan), e)) {
                n++;
            }
        }
        if (n > 0) {
            expired.addAndGet(n);
            changed();
        }
        return n;
    }

    /** {@code mac_learning_flush}: forgets everything. */
    public void flush() {
        if (!table.isEmpty()) {
            table.clear();
            changed();
        }
    }

    /** Forgets every address learned on {@code port} (the port was removed). */
    public void flushPort(int port) {
        boolean any = table.values().removeIf(e -> e.port == port);
        if (any) {
            changed();
        }
    }

    public int size() {
        return table.size();
    }

    public long learnedCount() {
        return learned.get();
    }

    public long movedCount() {
        return moved.get();
    }

    public long expiredCount() {
        return expired.get();
    }

    public long evictedCount() {
        return evicted.get();
    }

    /** The entries, by port, then VLAN, then MAC (as {@code fdb/show} lists them). */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(table.values());
        out.sort(Comparator.comparingInt(Entry::port).thenComparingInt(Entry::vlan)
                .thenComparingLong(Entry::mac));
        return out;
    }

    /**
     * The text of {@code ovs-appctl fdb/show}: a header line, then one line per entry with the port,
     * VLAN, MAC and age in seconds, in OVS's column layout ({@code "%5s  %4d  "ETH_ADDR_FMT"  %3d\n"}).
     *
     * @param portName names a datapath port (OVS prints OpenFlow port names or numbers)
     */
    public String show(long nowMs, java.util.function.IntFunction<String> portName) {
        StringBuilder sb = new StringBuilder(" port  VLAN  MAC                Age\n");
        for (Entry e : entries()) {
            long age = Math.max(0, (nowMs - e.seenMs) / 1000);
            sb.append(String.format("%5s  %4d  %s  %3d\n", portName.apply(e.port), e.vlan, formatMac(e.mac), age));
        }
        return sb.toString();
    }

    /** {@code ETH_ADDR_FMT}: {@code xx:xx:xx:xx:xx:xx}. */
    public static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) (mac >>> (8 * i)) & 0xff;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
