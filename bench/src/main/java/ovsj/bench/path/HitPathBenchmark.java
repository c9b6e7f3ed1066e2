package ovsj.bench.path;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import ovsj.datapath.Forwarder;
import ovsj.datapath.Vport;

/**
 * The datapath's hit path per packet: {@link Forwarder#receive} on a forwarder the benchmark thread
 * drives itself ({@code ovs_vport_receive} → key extraction → masked lookup with the per-thread mask
 * cache → per-thread flow and datapath stats → {@code output:2} into an internal port's device), for
 * 60-byte IPv4/UDP frames that each hit their own megaflow, cycled in a random order over all
 * {@code flows} flows spread over {@code masks} masks ({@link HitPathRig}), or over a hot subset of
 * {@code hotFrames} of them. An op is one packet
 * (64 per invocation); Mpps per thread = 1000 / score.
 *
 * <p>Every packet must hit: setup sends each frame once and checks it hit its own flow; teardown checks
 * that the datapath counted exactly as many hits as packets were sent, no miss and no loss, and fails
 * the trial otherwise. {@code -prof gc} should show {@code gc.alloc.rate.norm} ≈ 0 B/op.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar HitPathBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
@State(Scope.Thread)
public class HitPathBenchmark {
    /** Packets per invocation. */
    static final int BATCH = 64;

    @Param({"1000", "1000000"})
    public int flows;

    @Param({"1", "20"})
    public int masks;

    /** true: the kernel's default 256-entry mask cache; false: size 0 (every lookup scans the masks). */
    @Param({"true", "false"})
    public boolean maskCache;

    /**
     * 0: cycle through every flow's frame (no packet's 5-tuple recurs within {@code flows} packets, the
     * mask cache's worst case). n &gt; 0: cycle through the first n frames only (n flows of the random
     * order, a hot working set the 256-entry mask cache can hold), e.g. {@code -p hotFrames=128}.
     */
    @Param({"0"})
    public int hotFrames;

    /**
     * false: the mask cache starts empty after setup's check of every frame. true: it is switched on
     * before that check, so the sweep over all flows fills it first (the kernel's cache never ages an
     * entry out: stale ones with large hashes stay, and a hot set then settles at a lower hit rate).
     */
    @Param({"false"})
    public boolean sweptCache;

    private HitPathRig rig;
    private Forwarder forwarder;
    private Vport in;
    private byte[] frames;
    private int end;
    private int cursor;
    private long sent;
    private HitPathRig.Counters start;

    @Setup(Level.Trial)
    public void setUp() {
        long t0 = System.nanoTime();
        rig = new HitPathRig(flows, masks, 0x5eed_0000L + flows * 31L + masks);
        if (sweptCache) {
            rig.maskCache(maskCache);
        }
        rig.verifyEachFrameHitsItsFlow();
        if (!sweptCache) {
            rig.maskCache(maskCache); // a fresh cache
        }
        forwarder = rig.forwarder();
        in = rig.in();
        frames = rig.frames();
        if (hotFrames < 0 || hotFrames > flows) {
            throw new IllegalArgumentException("hotFrames must be in 0.." + flows + ": " + hotFrames);
        }
        end = hotFrames == 0 ? rig.framesEnd() : hotFrames * HitPathRig.FRAME_STRIDE;
        cursor = 0;
        sent = 0;
        start = rig.counters();
        System.out.printf("%n# rig: %d flows in %d masks, mask cache %s, cycling %d frames: built in %.1f s"
                + " (install %.1f s)%n", flows, rig.datapath().table().maskCount(),
                maskCache ? (sweptCache ? "on (swept)" : "on") : "off",
                end / HitPathRig.FRAME_STRIDE,
                (System.nanoTime() - t0) / 1e9, rig.installNanos() / 1e9);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int receive() {
        Forwarder f = forwarder;
        Vport v = in;
        byte[] b = frames;
        int o = cursor;
        int e = end;
        int acc = 0;
        for (int i = 0; i < BATCH; i++) {
            acc += f.receive(v, b, o, HitPathRig.FRAME_LEN);
            o += HitPathRig.FRAME_STRIDE;
            if (o == e) {
                o = 0;
            }
        }
        cursor = o;
        sent += BATCH;
        return acc;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            HitPathRig.Counters now = rig.counters();
            System.out.printf("%n# %d packets, all hits: %s%n", sent, now.lookupSummary(start));
            now.checkAllHits(start, sent);
        } finally {
            rig.close();
            rig = null;
        }
    }
}
