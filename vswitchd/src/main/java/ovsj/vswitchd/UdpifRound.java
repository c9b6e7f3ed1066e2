package ovsj.vswitchd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.ReentrantLock;

import ovsj.odp.dpif.FlowDump;
import ovsj.odp.dpif.FlowMessage;

/**
 * The rounds of a {@link Udpif}'s revalidators, as OVS's {@code udpif_revalidator} runs them: the leader
 * (revalidator 0) reads the flow count and starts the flow dump (terse when UFIDs are enabled); after a
 * barrier every revalidator {@link Revalidator#revalidate takes batches} from the shared dump; after
 * another, each {@link Revalidator#sweep sweeps} its slice of the ukeys; after a third, the leader ends
 * the dump, bumps the dump sequence, measures the round ({@code max(ms, 1)}), updates the
 * {@link FlowLimit} (logging "Spent an unreasonably long ...ms dumping flows" over 2 s) and sleeps until
 * {@code start + min(max-idle, 500 ms)}, or less if a revalidation is requested, but at least 5 ms after
 * the round's start.
 */
final class UdpifRound {
    private static final System.Logger LOG = System.getLogger("ovsj.vswitchd.upcall");

    private final Udpif u;
    CyclicBarrier barrier;
    private final ReentrantLock dumpLock = new ReentrantLock();
    private FlowDump dump;
    private long roundStart;
    private long roundNFlows;
    private long roundRevalSeq;

    UdpifRound(Udpif u) {
        this.u = u;
    }

    /** The body of revalidator thread {@code r}: OVS's {@code udpif_revalidator} loop. */
    void loop(Revalidator r) {
        boolean leader = r.index == 0;
        try {
            for (;;) {
                if (leader) {
                    guarded(r, this::leaderStart);
                }
                barrier.await();
                if (roundExit) {
                    break;
                }
                guarded(r, r::revalidate);
                barrier.await();
                guarded(r, () -> r.sweep(false));
                barrier.await();
                if (leader) {
                    guarded(r, this::leaderFinish);
                    leaderWait();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            barrier.reset();
        } catch (BrokenBarrierException e) {
            // another revalidator died; stop too
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "revalidator" + r.index + " died", e);
            barrier.reset();
        }
    }

    /** Runs a phase; a bug in it is logged, and the round goes on (the barriers must be kept). */
    private static void guarded(Revalidator r, Runnable phase) {
        try {
            phase.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "revalidator" + r.index + ": unexpected failure", e);
        }
    }

    /** Set by the leader at a round's start: the threads leave after the barrier. */
    private volatile boolean roundExit;

    void leaderStart() {
        roundRevalSeq = u.revalSeq.get();
        long n = u.nFlows();
        roundNFlows = n;
        u.maxNFlows = Math.max(n, u.maxNFlows);
        u.avgNFlows = (u.avgNFlows + n) / 2;
        roundExit = u.exiting;
        roundStart = u.nowMs();
        if (!roundExit) {
            try {
                dump = u.dumpDpif.flowDump(u.dpIfindex(), u.enableUfid() ? Udpif.TERSE_FLAGS : 0);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "{0}: flow dump failed to start: {1}", u.name, e.getMessage());
                dump = null;
            }
        }
    }

    void leaderFinish() {
        dumpLock.lock();
        try {
            if (dump != null) {
                dump.close();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: flow dump ended badly: {1}", u.name, e.getMessage());
        } finally {
            dump = null;
            dumpLock.unlock();
        }
        synchronized (u.dumpSeqMonitor) {
            u.dumpSeq++;
            u.dumpSeqMonitor.notifyAll();
        }
        long duration = Math.max(u.nowMs() - roundStart, 1);
        u.dumpDuration = duration;
        long limit = u.flowLimit.update(roundNFlows, duration);
        if (FlowLimit.isUnreasonable(duration)) {
            LOG.log(Level.INFO, FlowLimit.unreasonableMessage(duration));
        }
        u.rounds++;
        u.coverage.run(u.nowMs());
        for (Udpif.RoundListener l : u.roundListeners) {
            try {
                l.roundDone(roundNFlows, duration, limit);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "round listener failed", e);
            }
        }
    }

    /** Sleeps until {@code start + min(max-idle, 500)}, a revalidation request, or exit; 5 ms at least. */
    private void leaderWait() throws InterruptedException {
        long start = roundStart;
        long last = roundRevalSeq;
        long deadline = start + Math.min(u.maxIdleMs, 500);
        synchronized (u.wake) {
            for (long now; !u.exiting && u.revalSeq.get() == last && (now = u.nowMs()) < deadline; ) {
                u.wake.wait(Math.max(1, deadline - now));
            }
            long min = start + 5;
            for (long now; !u.exiting && (now = u.nowMs()) < min; ) {
                u.wake.wait(Math.max(1, min - now));
            }
        }
    }

    // ---- for revalidators -----------------------------------------------------------------------------

    /**
     * Copies up to {@code max} flows of the shared dump into {@code into} (OVS's
     * {@code dpif_flow_dump_next}); 0 at the end of the dump.
     */
    int dumpNext(RevalidatorBatch into, int max) {
        dumpLock.lock();
        try {
            if (dump == null) {
                return 0;
            }
            int n = 0;
            while (n < max) {
                FlowMessage m;
                try {
                    m = dump.next();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "{0}: flow dump failed: {1}", u.name, e.getMessage());
                    dump = null;
                    break;
                }
                if (m == null) {
                    break;
                }
                into.add(m);
                n++;
            }
            return n;
        } finally {
            dumpLock.unlock();
        }
    }
}
