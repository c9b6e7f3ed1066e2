package ovsj.vswitchd;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import ovsj.netlink.NlMsgHdr;
import ovsj.odp.FlowKey;
import ovsj.odp.Ufid;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.DpifException;
import ovsj.odp.dpif.FlowBatch;
import ovsj.odp.dpif.FlowRequest;
import ovsj.odp.dpif.NetlinkChannel;
import ovsj.odp.uapi.PacketCmd;

/**
 * An upcall handler thread, the twin of OVS's {@code udpif_upcall_handler}
 * ({@code ofproto-dpif-upcall.c}): it reads upcalls from its socket in batches of up to
 * {@value #UPCALL_MAX_BATCH} ({@code recv_upcalls}), and for each batch ({@code handle_upcalls}):
 * <ol>
 *   <li>translates every {@code OVS_PACKET_CMD_MISS} through the {@link Pipeline} (learning allowed);
 *       {@code OVS_PACKET_CMD_ACTION} upcalls are only counted; an upcall whose key the datapath would
 *       not accept is dropped ({@code upcall: datapath flow key parse error});</li>
 *   <li>unless the datapath holds {@link Udpif#flowLimit()} flows or more ({@code should_install_flow};
 *       coverage {@code upcall_flow_limit_hit}), builds the megaflow — UFID from the key, mask from the
 *       wildcards ({@link MegaflowBuilder}) — creates its {@link Ukey} (key = the upcall's key, tagged
 *       with a {@link Megaflow}) and installs it in the {@link UkeyMap}; a ukey already there is a
 *       duplicate upcall, whose flow is not put again;</li>
 *   <li>puts the new flows with {@code OVS_FLOW_CMD_NEW} ({@code NLM_F_CREATE}, UFID, KEY, MASK,
 *       ACTIONS), pipelined through one {@link FlowBatch}; each ukey becomes {@code OPERATIONAL}, or
 *       {@code EVICTED} if the datapath refused (e.g. {@code EEXIST} when two upcalls of one batch fell
 *       into the same megaflow), for the revalidators to clean up;</li>
 *   <li>executes each translated packet that has actions with {@code OVS_PACKET_CMD_EXECUTE} (key =
 *       the upcall's key), after the puts, as {@code dpif_operate} orders them.</li>
 * </ol>
 *
 * <p>The handler owns its {@link Dpif} (one netlink socket; not shared). {@link #run()} loops until
 * {@link #stop()} or until the upcall socket ends.
 */
public final class Handler implements Runnable {
    private static final System.Logger LOG = System.getLogger("ovsj.vswitchd.handler");

    /** {@code UPCALL_MAX_BATCH}. */
    public static final int UPCALL_MAX_BATCH = 64;
    /** How long {@link #run()} waits for an upcall before checking whether to exit, ms. */
    static final long POLL_MS = 100;

    private final int id;
    private final HandlerSocket socket;
    private final Dpif dpif;
    private final Udpif udpif;
    private final Pipeline pipeline;
    private final MegaflowBuilder mb;
    private final Xlate x = new Xlate();
    private final FlowRequest req = new FlowRequest();
    private final FlowKey dpMask = new FlowKey();
    private final Coverage.Counter limitHit;
    private HandlerUpcall[] batch = new HandlerUpcall[UPCALL_MAX_BATCH];
    private volatile boolean exiting;

    private final AtomicLong upcalls = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong actionUpcalls = new AtomicLong();
    private final AtomicLong badUpcalls = new AtomicLong();
    private final AtomicLong limitHits = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong installed = new AtomicLong();
    private final AtomicLong installFailures = new AtomicLong();
    private final AtomicLong executed = new AtomicLong();
    private final AtomicLong executeFailures = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile int lastBatch;

    /**
     * @param id       the handler's number (thread name {@code handler<id>})
     * @param socket   where its upcalls come from (vports name its {@link HandlerSocket#portId()})
     * @param dpif     its own netlink client to the datapath (flow puts, executes)
     * @param udpif    the datapath's ukeys, flow limit, sequences and clock
     * @param pipeline the translation
     */
    public Handler(int id, HandlerSocket socket, Dpif dpif, Udpif udpif, Pipeline pipeline) {
        this(id, socket, dpif, udpif, pipeline, new MegaflowBuilder());
    }

    /** As above, with the UFID hashing of {@code mb} (tests: a fixed secret). */
    public Handler(int id, HandlerSocket socket, Dpif dpif, Udpif udpif, Pipeline pipeline, MegaflowBuilder mb) {
        this.id = id;
        this.socket = socket;
        this.dpif = dpif;
        this.udpif = udpif;
        this.pipeline = pipeline;
        this.mb = mb;
        this.limitHit = udpif.coverage().counter("upcall_flow_limit_hit");
        for (int i = 0; i < batch.length; i++) {
            batch[i] = new HandlerUpcall();
        }
    }

    public int id() {
        return id;
    }

    public HandlerSocket socket() {
        return socket;
    }

    /** Starts the handler on a platform thread named {@code handler<id>}. */
    public Thread start() {
        return Thread.ofPlatform().name("handler" + id).start(this);
    }

    /** Asks {@link #run()} to return (within {@link #POLL_MS}). */
    public void stop() {
        exiting = true;
    }

    @Override
    public void run() {
        while (!exiting) {
            try {
                recvUpcalls(POLL_MS);
            } catch (EOFException e) {
                break;
            } catch (IOException e) {
                if (exiting) {
                    break;
                }
                LOG.log(Level.WARNING, "handler{0}: {1}", id, e.getMessage());
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    /**
     * {@code recv_upcalls} + {@code handle_upcalls}: waits up to {@code timeoutMs} for an upcall, takes
     * what else is ready (up to {@value #UPCALL_MAX_BATCH}; more only if one datagram carried more) and
     * handles the batch. Returns the number of upcalls handled, 0 if none came. Throws
     * {@link EOFException} (after handling what was read) when the socket has ended.
     */
    public int recvUpcalls(long timeoutMs) throws IOException {
        NetlinkChannel.Datagram d = socket.receive(timeoutMs);
        if (d == null) {
            return 0;
        }
        int n = take(d, 0);
        EOFException eof = null;
        try {
            while (n < UPCALL_MAX_BATCH && (d = socket.poll()) != null) {
                n = take(d, n);
            }
        } catch (EOFException e) {
            eof = e;
        }
        try {
            handleUpcalls(n);
        } finally {
            for (int i = 0; i < n; i++) {
                batch[i].clear();
            }
        }
        if (eof != null) {
            throw eof;
        }
        return n;
    }

    /** Parses the packet-family messages of a datagram into the batch from slot {@code n}. */
    private int take(NetlinkChannel.Datagram d, int n) {
        byte[] b = d.buf();
        int end = d.off() + d.len();
        for (int m = d.off(); end - m >= NlMsgHdr.LENGTH; ) {
            int len = NlMsgHdr.len(b, m);
            if (len < NlMsgHdr.LENGTH || len > end - m) {
                badUpcalls.incrementAndGet();
                break;
            }
            if (NlMsgHdr.type(b, m) == dpif.packetFamily()) {
                if (n == batch.length) {
                    HandlerUpcall[] bigger = Arrays.copyOf(batch, 2 * n);
                    for (int i = n; i < bigger.length; i++) {
                        bigger[i] = new HandlerUpcall();
                    }
                    batch = bigger;
                }
                if (batch[n].parse(b, m)) {
                    n++;
                } else {
                    badUpcalls.incrementAndGet();
                }
            }
            m += NlMsgHdr.align(len);
        }
        return n;
    }

    private void handleUpcalls(int n) throws IOException {
        batches.incrementAndGet();
        lastBatch = n;
        upcalls.addAndGet(n);
        long now = udpif.nowMs();
        pipeline.run(now);
        long revalSeq = udpif.revalSeq();
        boolean limited = false;
        boolean limitRead = false;
        int puts = 0;
        for (int i = 0; i < n; i++) {
            HandlerUpcall u = batch[i];
            if (u.cmd == PacketCmd.ACTION) {
                actionUpcalls.incrementAndGet();
                continue;
            }
            if (u.cmd != PacketCmd.MISS) {
                badUpcalls.incrementAndGet();
                continue;
            }
            misses.incrementAndGet();
            if (!mb.parseKey(u.key, 0, u.key.length, u.flow)) {
                badUpcalls.incrementAndGet(); // "upcall: datapath flow key parse error"
                continue;
            }
            long revision = pipeline.revision();
            x.start(u.flow, now, true);
            pipeline.translate(x);
            u.actions = x.actions();
            if (!limitRead) {
                limited = udpif.nFlows() >= udpif.flowLimit();
                limitRead = true;
            }
            if (limited) {
                limitHits.incrementAndGet();
                limitHit.inc();
                continue;
            }
            byte[] mask = mb.buildMask(u.key, 0, u.key.length, u.flow, x.wildcards(), dpMask);
            if (mask == null) {
                installFailures.incrementAndGet();
                logOccasionally(installFailures.get(), "handler" + id + ": not installing: " + mb.error());
                continue;
            }
            Ufid ufid = Ufid.of(mb.ufid(u.key, 0, u.key.length), 0, 16);
            Ukey ukey = new Ukey(ufid, u.key, mask, u.actions, now, revalSeq,
                    new Megaflow(revision, u.flow, x.normalUsed()));
            if (udpif.ukeys().install(ukey)) {
                u.ukey = ukey;
                puts++;
            } else {
                duplicates.incrementAndGet();
            }
        }
        if (puts > 0) {
            putFlows(n);
        }
        for (int i = 0; i < n; i++) {
            HandlerUpcall u = batch[i];
            if (u.cmd == PacketCmd.MISS && u.actions != null && u.actions.length > 0) {
                execute(u);
            }
        }
    }

    /** The {@code FLOW_PUT}s of the batch, pipelined; then each ukey's state from its outcome. */
    private void putFlows(int n) {
        try (FlowBatch fb = dpif.flowBatch(udpif.dpIfindex())) {
            fb.listener((tag, errno, ext, reply) -> batch[(int) tag].putErrno = errno);
            for (int i = 0; i < n; i++) {
                Ukey k = batch[i].ukey;
                if (k != null) {
                    req.reset().ufid(k.ufidBytes()).key(k.key()).mask(k.mask()).actions(k.actions());
                    fb.put(i, req, Dpif.PUT_CREATE, false);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "handler{0}: flow puts failed: {1}", id, e.getMessage());
            for (int i = 0; i < n; i++) {
                if (batch[i].ukey != null && batch[i].putErrno == 0) {
                    batch[i].putErrno = ovsj.netlink.Errno.EIO;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            HandlerUpcall u = batch[i];
            Ukey k = u.ukey;
            if (k == null) {
                continue;
            }
            k.lock();
            try {
                if (u.putErrno != 0) {
                    if (k.state().ordinal() < Ukey.State.EVICTED.ordinal()) {
                        k.transition(Ukey.State.EVICTED);
                    }
                } else if (k.state().ordinal() < Ukey.State.OPERATIONAL.ordinal()) {
                    k.transition(Ukey.State.OPERATIONAL);
                }
            } finally {
                k.unlock();
            }
            if (u.putErrno != 0) {
                installFailures.incrementAndGet();
            } else {
                installed.incrementAndGet();
            }
        }
    }

    private void execute(HandlerUpcall u) throws IOException {
        try {
            dpif.execute(udpif.dpIfindex(), u.packet, u.key, u.actions, false, u.mru);
            executed.incrementAndGet();
        } catch (DpifException e) {
            executeFailures.incrementAndGet();
            logOccasionally(executeFailures.get(), "handler" + id + ": execute failed: " + e.getMessage());
        }
    }

    /** Logs the 1st, 2nd, 4th, 8th... occurrence. */
    private static void logOccasionally(long count, String msg) {
        if (Long.bitCount(count) == 1) {
            LOG.log(Level.WARNING, msg + (count > 1 ? " (" + count + " times)" : ""));
        }
    }

    // ---- counters -------------------------------------------------------------------------------

    /** Upcalls read (MISS, ACTION and malformed). */
    public long upcalls() {
        return upcalls.get();
    }

    /** {@code OVS_PACKET_CMD_MISS} upcalls. */
    public long misses() {
        return misses.get();
    }

    /** {@code OVS_PACKET_CMD_ACTION} upcalls. */
    public long actionUpcalls() {
        return actionUpcalls.get();
    }

    /** Upcalls dropped as malformed (no key or packet, a key the datapath refuses, an unknown command). */
    public long badUpcalls() {
        return badUpcalls.get();
    }

    /** Misses executed without installing because of the flow limit. */
    public long limitHits() {
        return limitHits.get();
    }

    /** Misses whose ukey was already there (not put again). */
    public long duplicates() {
        return duplicates.get();
    }

    /** Flows the datapath accepted. */
    public long flowsInstalled() {
        return installed.get();
    }

    /** Flows not installed: refused by the datapath, or a mask it would refuse. */
    public long installFailures() {
        return installFailures.get();
    }

    /** Packets executed. */
    public long executed() {
        return executed.get();
    }

    public long executeFailures() {
        return executeFailures.get();
    }

    /** Batches handled. */
    public long batches() {
        return batches.get();
    }

    /** Size of the last batch. */
    public int lastBatchSize() {
        return lastBatch;
    }
}
