package ovsj.bench.table;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.SplittableRandom;

import ovsj.datapath.table.DumpCursor;
import ovsj.datapath.table.Flow;
import ovsj.datapath.table.FlowTable;
import ovsj.datapath.table.LookupStats;
import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;
import ovsj.odp.Ufid;

/**
 * Memory per flow of a {@link FlowTable} at scale, and a rough single-thread timing of its fast path
 * (not a JMH harness: the bench module has no JMH dependency yet; treat the ns figures as indicative).
 *
 * <pre>
 * java -Xmx6g -XX:+UseParallelGC -cp ... ovsj.bench.table.FlowTableFootprint [flows=1000000] [masks=10] [cpus=1] [histo]
 * </pre>
 *
 * Flows are OVS-like: a UFID each, masked IPv4/TCP keys over one of {@code masks} masks, 16 bytes of
 * actions. Heap deltas after full GCs separate the flows themselves from what the table adds (within a
 * few bytes per flow); {@code histo} also prints this JVM's class histogram ({@code jcmd}), which is
 * exact: the table adds two {@code TableInstance$Node}s (24 bytes each) and two bucket slots per flow.
 */
public final class FlowTableFootprint {
    private FlowTableFootprint() {
    }

    private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static FlowKey packet(int i) {
        FlowKey k = new FlowKey();
        k.u16(FlowKey.IN_PORT_OFFSET, 1 + (i & 3));
        k.u16(FlowKey.ETH_TYPE_OFFSET, 0x0800);
        k.u8(FlowKey.IP_PROTO_OFFSET, 6);
        k.u32(FlowKey.IPV4_SRC_OFFSET, 0x0a000000 | (i * 7919));
        k.u32(FlowKey.IPV4_DST_OFFSET, 0x0b000000 + i);
        k.u16(FlowKey.TP_SRC_OFFSET, i >>> 4);
        k.u16(FlowKey.TP_DST_OFFSET, 80);
        return k;
    }

    /** Mask {@code j}: in_port, eth_type, proto, the IPv4 destination, and progressively more fields. */
    static FlowMask mask(int j) {
        FlowKey m = new FlowKey();
        m.u16(FlowKey.IN_PORT_OFFSET, 0xffff);
        m.u16(FlowKey.ETH_TYPE_OFFSET, 0xffff);
        m.u8(FlowKey.IP_PROTO_OFFSET, 0xff);
        m.u32(FlowKey.IPV4_DST_OFFSET, -1);
        m.u32(FlowKey.IPV4_SRC_OFFSET, j == 0 ? 0 : -1 << (32 - Math.min(32, j * 4)));
        if (j >= 9) {
            m.u16(FlowKey.TP_SRC_OFFSET, 0xffff);
        }
        m.u8(FlowKey.IP_TTL_OFFSET, j % 2 == 0 ? 0 : 0xff); // keeps masks distinct past j = 8
        m.u16(FlowKey.TP_DST_OFFSET, j >= 10 ? 0xffff : 0);
        return new FlowMask(m);
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int nMasks = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int cpus = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        FlowMask[] masks = new FlowMask[nMasks];
        for (int j = 0; j < nMasks; j++) {
            masks[j] = mask(j);
        }
        FlowTable table = new FlowTable(cpus);
        Flow[] flows = new Flow[n];
        long m0 = usedAfterGc(mem);
        byte[] ufid = new byte[16];
        for (int i = 0; i < n; i++) {
            FlowMask m = masks[i % nMasks];
            FlowKey masked = new FlowKey();
            masked.mask(packet(i), m);
            for (int b = 0; b < 16; b++) {
                ufid[b] = (byte) ((long) i * 0x9E3779B97F4A7C15L >>> (b * 4));
            }
            ufid[0] = (byte) i;
            ufid[1] = (byte) (i >>> 8);
            ufid[2] = (byte) (i >>> 16);
            flows[i] = new Flow(masked, null, Ufid.of(ufid, 0, 16), new byte[16], cpus);
        }
        long m1 = usedAfterGc(mem);
        for (int i = 0; i < n; i++) {
            table.insert(flows[i], masks[i % nMasks]);
        }
        long m2 = usedAfterGc(mem);
        System.out.printf("flows=%d masks=%d cpus=%d%n", table.count(), table.maskCount(), cpus);
        System.out.printf("flow objects (Flow, masked FlowKey, Ufid, FlowStats, actions): %.1f bytes/flow%n",
                (m1 - m0) / (double) n);
        System.out.printf("table structures (nodes x2, bucket arrays x2):                %.1f bytes/flow%n",
                (m2 - m1) / (double) n);
        System.out.printf("total:                                                        %.1f bytes/flow%n",
                (m2 - m0) / (double) n);

        if (args.length > 3 && args[3].equals("histo")) {
            histogram();
        }
        for (int hot : new int[] {1 << 16, 64}) {
            time(table, n, hot);
        }
        long t0 = System.nanoTime();
        DumpCursor c = new DumpCursor();
        int dumped = 0;
        while (table.dumpNext(c) != null) {
            dumped++;
        }
        System.out.printf("dumpNext: %d flows in %.1f ms%n", dumped, (System.nanoTime() - t0) / 1e6);
    }

    /** The live-object histogram of this JVM, rows of the table's and the flows' classes. */
    private static void histogram() throws Exception {
        Process p = new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow().replaceAll("java$", "jcmd"),
                Long.toString(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            r.lines().limit(16).forEach(System.out::println);
        }
        p.waitFor();
    }

    /** Packets of {@code hot} random flows, each with its own skb hash, looked up round-robin. */
    private static void time(FlowTable table, int n, int hot) {
        FlowKey[] pkts = new FlowKey[hot];
        int[] hashes = new int[pkts.length];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < pkts.length; i++) {
            int f = rnd.nextInt(n);
            pkts[i] = packet(f);
            pkts[i].u8(FlowKey.IP_TOS_OFFSET, rnd.nextInt(256)); // bits outside every mask
            hashes[i] = 1 + rnd.nextInt(Integer.MAX_VALUE);
        }
        System.out.printf("-- %d hot flows%n", hot);
        LookupStats st = new LookupStats();
        for (int round = 0; round < 4; round++) {
            long found = 0;
            long maskHits = 0;
            long cacheHits = 0;
            int iters = hot > 1024 ? 2_000_000 : 20_000_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                int p = i & (pkts.length - 1);
                if (table.lookupStats(pkts[p], hashes[p], 0, st) != null) {
                    found++;
                }
                maskHits += st.nMaskHit();
                cacheHits += st.nCacheHit();
            }
            long t1 = System.nanoTime();
            table.rebalanceMasks();
            System.out.printf("lookupStats: %.1f ns/lookup (found %d/%d, %.2f masks/lookup, %.1f%% cache hits)%n",
                    (t1 - t0) / (double) iters, found, iters, maskHits / (double) iters,
                    100.0 * cacheHits / iters);
        }
    }
}
