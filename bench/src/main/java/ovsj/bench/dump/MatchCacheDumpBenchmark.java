package ovsj.bench.dump;

import java.util.concurrent.TimeUnit;

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

import ovsj.datapath.DumpMode;

/**
 * The match cache's first dump against its later ones: single-shot full dumps in match-cache mode,
 * with every cache dropped before each {@code cold} iteration (outside the timing) so that each cold
 * dump builds all of them, and kept for {@code warm}. Compare with {@link FlowDumpBenchmark}'s
 * serialize mode, which the cold dump should cost a little more than.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar MatchCacheDumpBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
@State(Scope.Benchmark)
public class MatchCacheDumpBenchmark {
    @Param({"100000", "1000000"})
    public int flows;

    @Param({"cold", "warm"})
    public String cache;

    /** {@code transport} ({@link DumpRig.Reader#TRANSPORT}) or, with {@code -p reader=stream}, {@code stream}. */
    @Param({"transport"})
    public String reader;

    private DumpRig.Reader how;

    private DumpRig rig;

    @Setup(Level.Trial)
    public void setUp() {
        how = DumpRig.Reader.of(reader);
        rig = new DumpRig("bench", 1);
        rig.install(flows);
        rig.touchAll();
        rig.dumpMode(DumpMode.MATCH_CACHE);
        rig.dump(0, how).check(flows);
    }

    @Setup(Level.Iteration)
    public void dropCaches() {
        if (cache.equals("cold")) {
            rig.clearMatchCaches();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rig.close();
    }

    @Benchmark
    public void dump(Blackhole bh) {
        bh.consume(rig.dump(0, how).bytes());
    }
}
