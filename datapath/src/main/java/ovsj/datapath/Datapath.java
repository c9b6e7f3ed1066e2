package ovsj.datapath;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import ovsj.datapath.table.FlowTable;

/**
 * One datapath ({@code struct datapath}): its name and ifindex, the user features and upcall ports
 * vswitchd asked for, its ports by number, its flow table and its counters.
 */
public final class Datapath {
    /** The kernel's {@code DP_MAX_PORTS}: port numbers are below it. */
    public static final int MAX_PORTS = 65535;
    /** {@code OVSP_LOCAL}: the datapath's own internal port. */
    public static final int LOCAL_PORT = 0;

    private final String name;
    private final int ifindex;
    private final FlowTable table;
    private final AtomicReferenceArray<Vport> ports = new AtomicReferenceArray<>(MAX_PORTS);
    private volatile int userFeatures;
    private volatile int[] perCpuPids = new int[0];

    /** {@code dp->stats_percpu}: hit, missed, lost, mask and cache hits, one slot per forwarding thread. */
    private final DpStatsPerCpu stats;
    /** Heap bytes held by the flows' match caches (the seed's memory cost). */
    public final AtomicLong matchCacheBytes = new AtomicLong();

    public Datapath(String name, int ifindex, FlowTable table) {
        this.name = name;
        this.ifindex = ifindex;
        this.table = table;
        this.stats = new DpStatsPerCpu(table.cpus());
    }

    /** The per-forwarding-thread counters ({@link DpStatsPerCpu}). */
    public DpStatsPerCpu stats() {
        return stats;
    }

    public long nHit() {
        return stats.sum(DpStatsPerCpu.HIT);
    }

    public long nMissed() {
        return stats.sum(DpStatsPerCpu.MISSED);
    }

    public long nLost() {
        return stats.sum(DpStatsPerCpu.LOST);
    }

    public long nMaskHit() {
        return stats.sum(DpStatsPerCpu.MASK_HIT);
    }

    public long nCacheHit() {
        return stats.sum(DpStatsPerCpu.CACHE_HIT);
    }

    public String name() {
        return name;
    }

    public int ifindex() {
        return ifindex;
    }

    public FlowTable table() {
        return table;
    }

    public int userFeatures() {
        return userFeatures;
    }

    public void userFeatures(int f) {
        this.userFeatures = f;
    }

    public int[] perCpuPids() {
        return perCpuPids;
    }

    public void perCpuPids(int[] pids) {
        this.perCpuPids = pids.clone();
    }

    public Vport port(int portNo) {
        return portNo >= 0 && portNo < MAX_PORTS ? ports.get(portNo) : null;
    }

    /** Lowest free port number from 1 ({@code find_vport} order), or -1 when full. */
    public int freePortNo() {
        for (int i = 1; i < MAX_PORTS; i++) {
            if (ports.get(i) == null) {
                return i;
            }
        }
        return -1;
    }

    public void attach(Vport v) {
        ports.set(v.portNo(), v);
    }

    public void detach(Vport v) {
        ports.compareAndSet(v.portNo(), v, null);
    }

    /** Every attached port, in port-number order. */
    public java.util.List<Vport> ports() {
        java.util.List<Vport> out = new java.util.ArrayList<>();
        for (int i = 0; i < MAX_PORTS; i++) {
            Vport v = ports.get(i);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }
}
