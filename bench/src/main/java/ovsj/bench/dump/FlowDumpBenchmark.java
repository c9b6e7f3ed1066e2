package ovsj.bench.dump;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One full {@code ovs_flow} dump per operation, as a revalidator issues it, through the in-process
 * transport: {@code flows} megaflows ({@link Megaflows}, installed once per trial with NEW requests,
 * each given one packet of stats), answered in mode {@code mode} ({@link DumpKind}).
 *
 * <p>Read the results as: {@code dump} ops/s × flows = flows/s; the {@code flows} secondary result
 * is that product directly (flow messages per second), {@code bytes} the reply bytes per second, so
 * bytes/flow = bytes ÷ flows (the tear-down also prints it).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar FlowDumpBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
@State(Scope.Benchmark)
public class FlowDumpBenchmark {
    @Param({"100000", "1000000"})
    public int flows;

    @Param({"serialize", "match-cache", "terse"})
    public String mode;

    /** {@code transport} ({@link DumpRig.Reader#TRANSPORT}) or, with {@code -p reader=stream}, {@code stream}. */
    @Param({"transport"})
    public String reader;

    private DumpRig.Reader how;

    private DumpRig rig;
    private DumpKind kind;
    private DumpRig.DumpResult first;

    @Setup(Level.Trial)
    public void setUp() {
        kind = DumpKind.of(mode);
        how = DumpRig.Reader.of(reader);
        rig = new DumpRig("bench", 1);
        long ns = rig.install(flows);
        System.out.printf("%n# installed %d flows in %.0f ms (%.0f flows/s)%n", flows, ns / 1e6, flows / (ns / 1e9));
        rig.touchAll();
        rig.dumpMode(kind.mode());
        first = rig.dump(kind.ufidFlags(), how).check(flows); // builds the match caches in match-cache mode
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf("%n# %s, %d flows: %.1f bytes/flow, %d datagrams per dump, %d match-cache bytes%n",
                mode, flows, first.bytes() / (double) flows, first.datagrams(), rig.matchCacheBytes());
        rig.close();
    }

    /** Flow messages and reply bytes, reported as rates beside ops/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counts {
        public long flows;
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            flows = 0;
            bytes = 0;
        }
    }

    @Benchmark
    public void dump(Counts counts, Blackhole bh) {
        DumpRig.DumpResult r = rig.dump(kind.ufidFlags(), how);
        counts.flows += r.flows();
        counts.bytes += r.bytes();
        bh.consume(r.bytes());
    }
}
