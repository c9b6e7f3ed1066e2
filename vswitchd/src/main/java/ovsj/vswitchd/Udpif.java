package ovsj.vswitchd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import ovsj.odp.dpif.Dpif;
import ovsj.odp.uapi.UfidFlags;

/**
 * The daemon's side of one datapath: the twin of OVS's {@code struct udpif}
 * ({@code ofproto-dpif-upcall.c}). It holds the {@link UkeyMap ukeys}, the {@link FlowLimit flow limit},
 * the cached datapath flow count, the revalidation and dump sequences, and runs the
 * {@link Revalidator revalidator} threads. It talks to the datapath only over netlink, through
 * {@link Dpif}s it opens with a {@link DpifOpener}: one per revalidator thread, one for the shared flow
 * dump, one for the flow count and the main thread's commands.
 *
 * <p>What handlers use: {@link #ukeys()}, {@link #flowLimit()}, {@link #nFlows()} (to decide whether to
 * install: {@code nFlows() >= flowLimit()} means execute without installing, OVS's
 * {@code should_install_flow}), {@link #revalSeq()} (record it on a ukey when translating),
 * {@link #revalidate()} (the pipeline changed: every flow is re-checked in the next round, which starts
 * at once), {@link #enableUfid()}, {@link #nowMs()}, {@link #coverage()}.
 *
 * <p>Commands ({@code upcall/*}, {@code revalidator/*}): {@link #show()}, {@link #setFlowLimit},
 * {@link #disableUfid()} / {@link #enableUfidCommand()}, {@link #waitDump}, {@link #purge()}.
 *
 * <p>Life cycle: configure with the setters, then {@link #start()} (threads) or, in tests, drive rounds
 * with {@link #runRound()}; {@link #close()} stops the threads and purges (deletes every flow that has a
 * ukey, with its final statistics accounted), as {@code udpif_stop_threads} does.
 */
public final class Udpif implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("ovsj.vswitchd.upcall");

    /** {@code REVALIDATE_MAX_BATCH}: flows a revalidator takes from the dump at a time. */
    public static final int REVALIDATE_MAX_BATCH = 50;
    /** {@code OFPROTO_MAX_IDLE_DEFAULT}, ms. */
    public static final long DEFAULT_MAX_IDLE_MS = 10_000;
    /** The max-idle while the datapath holds more flows than the limit, ms. */
    public static final long OVER_LIMIT_MAX_IDLE_MS = 100;
    /** How long {@link #nFlows()} trusts its cached count, ms. */
    public static final long N_FLOWS_CACHE_MS = 100;
    /** UFID flags of a terse dump or delete. */
    public static final int TERSE_FLAGS = UfidFlags.OMIT_KEY | UfidFlags.OMIT_MASK | UfidFlags.OMIT_ACTIONS;

    /** Opens a new netlink datapath client (a socket of its own). */
    @FunctionalInterface
    public interface DpifOpener {
        Dpif open() throws IOException;
    }

    final String name;
    final int dpIfindex;
    private final DpifOpener opener;
    final Coverage coverage;
    private final UkeyMap ukeys;
    volatile FlowLimit flowLimit = new FlowLimit();
    private volatile Revalidator.Revalidation revalidation = Revalidator.Revalidation.KEEP_ALL;
    private volatile LongSupplier clock = () -> System.nanoTime() / 1_000_000L;
    volatile long maxIdleMs = DEFAULT_MAX_IDLE_MS;
    private volatile boolean enableUfid = true;
    private volatile boolean ufidSupported = true;
    private int nRevalidators = 1;

    // Sequences (OVS's struct seq): reval_seq bumps force revalidation, dump_seq counts rounds.
    final AtomicLong revalSeq = new AtomicLong(1);
    final Object dumpSeqMonitor = new Object();
    volatile long dumpSeq = 1;

    // Flow count cache (udpif_get_n_flows).
    private final ReentrantLock nFlowsMutex = new ReentrantLock();
    private volatile long nFlows;
    private volatile long nFlowsTimestamp = Long.MIN_VALUE;

    // Leader's bookkeeping, read by upcall/show.
    volatile long avgNFlows;
    volatile long maxNFlows;
    volatile long dumpDuration;
    volatile long rounds;

    // Statistics pushed (deltas of live flows and final counts of deleted ones).
    final LongAdder pushedPackets = new LongAdder();
    final LongAdder pushedBytes = new LongAdder();
    final LongAdder flowsDeleted = new LongAdder();

    // Connections and threads.
    // Lock order: roundLock, nFlowsMutex, openLock.
    private final Object openLock = new Object();
    private final Object roundLock = new Object();
    private volatile Dpif mainDpif;
    Dpif dumpDpif;
    private volatile Revalidator[] revalidators;
    private Thread[] threads;
    volatile boolean exiting;
    private volatile boolean started;
    private volatile boolean closed;
    final Object wake = new Object();
    final List<RoundListener> roundListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    // The rounds.
    final UdpifRound round = new UdpifRound(this);

    /** Hears of each finished round (for status lines, plots, tests). */
    @FunctionalInterface
    public interface RoundListener {
        /**
         * @param nFlows     datapath flows at the round's start
         * @param durationMs the round's duration ({@code max(ms, 1)})
         * @param limit      the flow limit after the round
         */
        void roundDone(long nFlows, long durationMs, long limit);
    }

    /**
     * @param name      the datapath's name as {@code upcall/show} prints it ({@code dpif_name}: for the
     *                  kernel datapath {@code "system@" + dp name})
     * @param dpIfindex the datapath's ifindex (the {@code ovs_header} of every request)
     * @param opener    opens netlink clients to the datapath
     * @param coverage  where the counters go ({@link Coverage#GLOBAL} in the daemon)
     */
    public Udpif(String name, int dpIfindex, DpifOpener opener, Coverage coverage) {
        this.name = Objects.requireNonNull(name);
        this.dpIfindex = dpIfindex;
        this.opener = Objects.requireNonNull(opener);
        this.coverage = Objects.requireNonNull(coverage);
        this.ukeys = new UkeyMap(UkeyMap.N_UMAPS, coverage);
    }

    // ---- configuration (before start) ---------------------------------------------------------------

    /** The translation side's re-check ({@link Revalidator.Revalidation#KEEP_ALL} by default). */
    public Udpif revalidation(Revalidator.Revalidation r) {
        this.revalidation = Objects.requireNonNull(r);
        return this;
    }

    /** Number of revalidator threads ({@code n-revalidator-threads}), default 1; before start. */
    public Udpif revalidators(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("revalidators " + n);
        }
        if (revalidators != null) {
            throw new IllegalStateException("revalidators are set up already");
        }
        this.nRevalidators = n;
        return this;
    }

    /** {@code other_config:max-idle}, ms (default 10000). */
    public Udpif maxIdle(long ms) {
        this.maxIdleMs = ms;
        return this;
    }

    /** The flow-limit controller (default: OVS's, flow-limit 200000). */
    public Udpif flowLimitPolicy(FlowLimit fl) {
        this.flowLimit = Objects.requireNonNull(fl);
        return this;
    }

    /** The monotonic ms clock, the datapath's {@code used} clock (default {@code nanoTime / 1e6}). */
    public Udpif clock(LongSupplier c) {
        this.clock = Objects.requireNonNull(c);
        return this;
    }

    /** Whether the datapath supports UFIDs ({@code rt_support.ufid}); default true. */
    public Udpif ufidSupported(boolean on) {
        this.ufidSupported = on;
        return this;
    }

    /** Adds a listener of finished rounds. */
    public Udpif onRound(RoundListener l) {
        roundListeners.add(l);
        return this;
    }

    // ---- what handlers use --------------------------------------------------------------------------

    public String name() {
        return name;
    }

    public int dpIfindex() {
        return dpIfindex;
    }

    /** The ukeys. */
    public UkeyMap ukeys() {
        return ukeys;
    }

    /** The current dynamic flow limit. */
    public long flowLimit() {
        return flowLimit.limit();
    }

    /** The flow-limit controller. */
    public FlowLimit flowLimiter() {
        return flowLimit;
    }

    public Revalidator.Revalidation revalidation() {
        return revalidation;
    }

    public Coverage coverage() {
        return coverage;
    }

    /** The clock's now, ms. */
    public long nowMs() {
        return clock.getAsLong();
    }

    public long maxIdleMs() {
        return maxIdleMs;
    }

    public int nRevalidators() {
        return nRevalidators;
    }

    /**
     * {@code udpif_get_n_flows}: the datapath's flow count, asked at most every 100 ms (one thread
     * asks, the others take the cached value meanwhile).
     */
    public long nFlows() {
        long now = nowMs();
        if (nFlowsTimestamp < now - N_FLOWS_CACHE_MS && nFlowsMutex.tryLock()) {
            try {
                nFlowsTimestamp = now;
                Dpif d = mainDpif;
                if (d == null) {
                    synchronized (openLock) {
                        ensureOpen();
                        d = mainDpif;
                    }
                }
                nFlows = d.dpGet(dpIfindex).flows();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "{0}: failed to read the datapath's flow count: {1}", name, e.getMessage());
            } finally {
                nFlowsMutex.unlock();
            }
        }
        return nFlows;
    }

    /** Forgets the cached flow count, so that the next {@link #nFlows()} asks the datapath. */
    public void invalidateNFlows() {
        nFlowsTimestamp = Long.MIN_VALUE;
    }

    /** {@code udpif_use_ufid}: whether UFIDs are enabled and the datapath supports them. */
    public boolean enableUfid() {
        return enableUfid && ufidSupported;
    }

    /** The revalidation sequence: record it on a ukey when translating its actions. */
    public long revalSeq() {
        return revalSeq.get();
    }

    /**
     * {@code udpif_revalidate}: something changed that may make translations stale (rules reloaded, the
     * MAC table changed); every flow is re-checked, and the next round starts without waiting.
     */
    public void revalidate() {
        revalSeq.incrementAndGet();
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** The dump sequence: bumped at the end of every round. */
    public long dumpSeq() {
        return dumpSeq;
    }

    /** Duration of the last round, ms ({@code udpif->dump_duration}). */
    public long dumpDuration() {
        return dumpDuration;
    }

    public long avgNFlows() {
        return avgNFlows;
    }

    public long maxNFlows() {
        return maxNFlows;
    }

    /** Rounds completed. */
    public long rounds() {
        return rounds;
    }

    /** Packets pushed so far: deltas of live flows plus the final counts of deleted ones. */
    public long pushedPackets() {
        return pushedPackets.sum();
    }

    /** Bytes pushed so far (as {@link #pushedPackets()}). */
    public long pushedBytes() {
        return pushedBytes.sum();
    }

    /** Datapath flows the revalidators deleted. */
    public long flowsDeleted() {
        return flowsDeleted.sum();
    }

    // ---- commands -----------------------------------------------------------------------------------

    /** {@code upcall/show} for this datapath. */
    public String show() {
        return UpcallShow.format(this);
    }

    /** {@code upcall/set-flow-limit N}: returns OVS's reply. */
    public String setFlowLimit(long n) {
        flowLimit.set(n);
        return "set flow_limit to " + (n & 0xffff_ffffL) + "\n";
    }

    /** {@code upcall/disable-ufid}: returns OVS's reply. */
    public String disableUfid() {
        enableUfid = false;
        return "Datapath dumping tersely using UFID disabled";
    }

    /** {@code upcall/enable-ufid}: returns OVS's reply. */
    public String enableUfidCommand() {
        enableUfid = true;
        return "Datapath dumping tersely using UFID enabled for supported datapaths";
    }

    /**
     * {@code revalidator/wait}: blocks until the round in progress (or the next one) has ended, i.e.
     * until the dump sequence moves. Returns false on timeout.
     */
    public boolean waitDump(long timeoutMs) throws InterruptedException {
        long seq = dumpSeq;
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        synchronized (dumpSeqMonitor) {
            while (dumpSeq == seq) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                dumpSeqMonitor.wait(left);
            }
        }
        return true;
    }

    /**
     * {@code revalidator/purge}: deletes every flow that has a ukey (their final statistics pushed) and
     * the ukeys, from the calling thread, slice by slice as the revalidators would.
     */
    public void purge() throws IOException {
        synchronized (openLock) {
            ensureOpen();
        }
        // The main client also serves nFlows(), which only tries its lock: it takes the cached count
        // while a purge runs.
        nFlowsMutex.lock();
        try {
            for (int i = 0; i < nRevalidators; i++) {
                new Revalidator(this, i, mainDpif).sweep(true);
            }
        } finally {
            nFlowsMutex.unlock();
        }
    }

    // ---- threads ------------------------------------------------------------------------------------

    /** Opens the netlink clients and starts the revalidator threads. */
    public void start() throws IOException {
        synchronized (openLock) {
            start0();
        }
    }

    private void start0() throws IOException {
        if (started) {
            throw new IllegalStateException("started");
        }
        ensureOpen();
        started = true;
        exiting = false;
        round.barrier = new CyclicBarrier(nRevalidators);
        threads = new Thread[nRevalidators];
        for (int i = 0; i < nRevalidators; i++) {
            Revalidator r = revalidators[i];
            threads[i] = Thread.ofPlatform().daemon().name("revalidator" + i).unstarted(r::run);
            r.threadId = threads[i].threadId();
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    /** Whether the threads run. */
    public boolean started() {
        return started;
    }

    /** Thread ids of the revalidators ({@code upcall/show} prints them), 0 while not started. */
    long[] revalidatorIds() {
        long[] ids = new long[nRevalidators];
        if (revalidators != null) {
            for (int i = 0; i < nRevalidators && i < revalidators.length; i++) {
                ids[i] = revalidators[i].threadId;
            }
        }
        return ids;
    }

    /** Stops the threads (after their round), purges, closes the netlink clients. */
    @Override
    public void close() throws IOException {
        Thread[] ts;
        synchronized (openLock) {
            if (closed) {
                return;
            }
            ts = threads;
            exiting = true;
        }
        synchronized (wake) {
            wake.notifyAll();
        }
        if (ts != null) {
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        try {
            if (mainDpif != null) {
                purge();
            }
        } finally {
            nFlowsMutex.lock();
            try {
                synchronized (openLock) {
                    closed = true;
                    started = false;
                    threads = null;
                    closeAll();
                }
            } finally {
                nFlowsMutex.unlock();
            }
        }
    }

    private void closeAll() throws IOException {
        IOException first = null;
        List<Dpif> all = new ArrayList<>();
        all.add(mainDpif);
        all.add(dumpDpif);
        if (revalidators != null) {
            for (Revalidator r : revalidators) {
                all.add(r.dpif);
            }
        }
        for (Dpif d : all) {
            try {
                if (d != null) {
                    d.close();
                }
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        mainDpif = null;
        dumpDpif = null;
        revalidators = null;
        if (first != null) {
            throw first;
        }
    }

    /** Opens the clients if they are not; the caller holds {@code openLock}. */
    private void ensureOpen() throws IOException {
        if (mainDpif != null) {
            return;
        }
        if (closed) {
            throw new IOException(name + ": closed");
        }
        List<Dpif> opened = new ArrayList<>();
        try {
            Dpif main = opener.open();
            opened.add(main);
            Dpif dumper = opener.open();
            opened.add(dumper);
            Revalidator[] rs = new Revalidator[nRevalidators];
            for (int i = 0; i < nRevalidators; i++) {
                Dpif d = opener.open();
                opened.add(d);
                rs[i] = new Revalidator(this, i, d);
            }
            mainDpif = main;
            dumpDpif = dumper;
            revalidators = rs;
        } catch (IOException | RuntimeException e) {
            for (Dpif d : opened) {
                try {
                    d.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw e;
        }
    }

    /**
     * One whole round on the calling thread (threads must not be started): the leader's start, every
     * revalidator's dump phase in turn (the first takes the whole dump), every slice's sweep, the
     * leader's end (flow limit update), without the wait. For tests and tools.
     */
    public void runRound() throws IOException {
        synchronized (roundLock) {
            synchronized (openLock) {
                if (started) {
                    throw new IllegalStateException("threads are running");
                }
                ensureOpen();
            }
            runRound0();
        }
    }

    private void runRound0() {
        round.leaderStart();
        for (Revalidator r : revalidators) {
            r.revalidate();
        }
        for (Revalidator r : revalidators) {
            r.sweep(false);
        }
        round.leaderFinish();
    }

    /** The body of revalidator thread {@code r}. */
    void loop(Revalidator r) {
        round.loop(r);
    }

    /** Up to {@code max} flows of the round's dump into {@code into}; 0 at its end. */
    int dumpNext(RevalidatorBatch into, int max) {
        return round.dumpNext(into, max);
    }

    void push(long packets, long bytes) {
        pushedPackets.add(packets);
        pushedBytes.add(bytes);
    }
}
