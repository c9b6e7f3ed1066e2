package ovsj.bench.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ovsj.datapath.Forwarder;
import ovsj.datapath.Vport;

/**
 * The hit path allocates nothing per packet: {@link Forwarder#receive} of frames that hit (key
 * extraction, masked lookup with and without the mask cache, stats, {@code output} to an internal
 * port) on the calling thread, measured with the thread's allocated-bytes counter after the JIT has
 * compiled the path.
 */
class HitPathAllocationTest {
    private static final int FLOWS = 1000;
    private static final int MASKS = 4;
    private static final int WARMUP = 50_000;
    private static final int MEASURED = 100_000;

    private static com.sun.management.ThreadMXBean allocationCounter() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean sun)) {
            fail("this JVM's ThreadMXBean (" + mx.getClass().getName() + ") cannot count the bytes a thread "
                    + "allocates (no com.sun.management.ThreadMXBean): the hit path's allocation cannot be measured");
            throw new AssertionError();
        }
        if (!sun.isThreadAllocatedMemorySupported()) {
            fail("this JVM does not support per-thread allocated-bytes accounting "
                    + "(isThreadAllocatedMemorySupported() is false)");
        }
        if (!sun.isThreadAllocatedMemoryEnabled()) {
            sun.setThreadAllocatedMemoryEnabled(true);
        }
        return sun;
    }

    @ParameterizedTest(name = "mask cache {0}")
    @ValueSource(booleans = {true, false})
    void hitsAllocateNothingPerPacket(boolean maskCache) {
        com.sun.management.ThreadMXBean mx = allocationCounter();
        long tid = Thread.currentThread().threadId();
        try (HitPathRig rig = new HitPathRig(FLOWS, MASKS, 42)) {
            rig.verifyEachFrameHitsItsFlow();
            rig.maskCache(maskCache);
            Forwarder f = rig.forwarder();
            Vport in = rig.in();
            byte[] frames = rig.frames();
            int end = rig.framesEnd();

            HitPathRig.Counters c0 = rig.counters();
            int err = run(f, in, frames, end, 0, WARMUP);
            assertThat(err).as("errors returned while warming up").isZero();
            HitPathRig.Counters c1 = rig.counters();
            c1.checkAllHits(c0, WARMUP);

            int cursor = (int) ((long) WARMUP * HitPathRig.FRAME_STRIDE % end);
            long before = mx.getThreadAllocatedBytes(tid);
            err = run(f, in, frames, end, cursor, MEASURED);
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertThat(before).as("allocated-bytes counter").isNotNegative();

            HitPathRig.Counters c2 = rig.counters();
            assertThat(err).as("errors returned").isZero();
            c2.checkAllHits(c1, MEASURED);
            double perPacket = (double) allocated / MEASURED;
            assertThat(perPacket)
                    .as("bytes allocated per hit packet (%d bytes for %d packets; %s)", allocated, MEASURED,
                            c2.lookupSummary(c1))
                    .isLessThan(1.0);
        }
    }

    /** Sends {@code n} frames from {@code cursor} on, cycling; returns the OR of the errors. */
    private static int run(Forwarder f, Vport in, byte[] frames, int end, int cursor, int n) {
        int errs = 0;
        int o = cursor;
        for (int i = 0; i < n; i++) {
            errs |= f.receive(in, frames, o, HitPathRig.FRAME_LEN);
            o += HitPathRig.FRAME_STRIDE;
            if (o == end) {
                o = 0;
            }
        }
        return errs;
    }
}
