package ovsj.vswitchd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Arrays;

import ovsj.netlink.Errno;
import ovsj.netlink.NlAttrReader;
import ovsj.odp.Ufid;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.DpifException;
import ovsj.odp.dpif.FlowBatch;
import ovsj.odp.dpif.FlowMessage;
import ovsj.odp.dpif.FlowRequest;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.KeyAttr;

/**
 * A revalidator of a {@link Udpif} ({@code struct revalidator}): OVS's {@code revalidate} (the dump
 * phase) and {@code revalidator_sweep} (the sweep phase), with its own netlink client for the flow
 * operations it sends. The threads and the round's leader logic are in {@link Udpif}; revalidator
 * {@code i} of {@code n} sweeps the ukey shards {@code i, i+n, ...}.
 *
 * <p><b>Dump phase</b>, per batch of up to {@link Udpif#REVALIDATE_MAX_BATCH} flows taken from the shared
 * dump (terse when UFIDs are enabled): the datapath's flow count decides the max-idle (10 s, or 100 ms
 * above the flow limit) and whether to delete every flow dumped (above twice the limit). Per flow: find
 * the ukey by UFID (a flow without one is adopted as OVS's {@code ukey_acquire} does: a ukey made from
 * the flow, fetched in full if the dump was terse, marked for revalidation; flows with a nonzero
 * {@code recirc_id} or a {@code recirc} action, which depend on state the daemon does not have, are
 * deleted; if the flow is gone meanwhile, nothing is done); skip it if another thread holds it
 * ({@code upcall_ukey_contention}) or if it was handled already in this round
 * ({@code dumped_duplicate_flow}); mark it {@code OPERATIONAL}; delete it if idle, else push the
 * statistics delta and, when the revalidation sequence moved, ask the {@link Revalidation}. Deletes and
 * modifies of a batch go out pipelined ({@link FlowBatch}); a delete's reply carries the flow's final
 * statistics, whose delta is pushed too, so no packet is lost.
 *
 * <p><b>Sweep phase</b>: ukeys that were not dumped this round and whose translation is stale are
 * revalidated without statistics ({@code revalidate_missed_dp_flow}); ukeys whose flow was deleted are
 * removed. {@code purge} deletes every flow that has a ukey.
 *
 * <p>One deliberate difference from OVS: a ukey revalidated in the sweep keeps its last known
 * statistics as the baseline (OVS stores zeros, so the flow's next dump pushes its whole count again).
 * Flows dumped without a UFID (installed by another client) are deleted by key rather than adopted.
 */
public final class Revalidator implements Runnable {
    private static final System.Logger LOG = System.getLogger("ovsj.vswitchd.upcall");


    /**
     * How a revalidator re-checks a flow against the current pipeline: implemented by the handler side
     * (OVS's {@code revalidate_ukey__}, i.e. {@code xlate_key} + comparing actions and masks). Called from
     * revalidator threads, concurrently, each call with the ukey's lock held.
     */
    public interface Revalidation {
        /**
         * Re-translates {@code ukey}'s flow (its {@link Ukey#key() key} and {@link Ukey#mask() mask})
         * under the current pipeline; called when {@link Ukey#revalSeq()} differs from
         * the Udpif's revalSeq. Answers {@link Result#KEEP} if the installed actions and mask are
         * still right, {@link Result#modify(byte[])} with the new actions if only the actions changed,
         * {@link Result#DELETE} if the flow must go (the mask would differ, or the flow is no longer
         * wanted). May update {@link Ukey#setTag}. The revalidator then records the new actions and
         * the Udpif's revalSeq on the ukey itself.
         */
        Result revalidate(Ukey ukey);

        /**
         * Statistics the datapath counted for {@code ukey}'s flow since the last push (OVS's
         * {@code xlate_push_stats}): for rule counters, MAC learning refresh... Called with the ukey's
         * lock held, for every nonzero delta, including the final one of a deleted flow. Default: none.
         *
         * @param packets  packets since the last push
         * @param bytes    bytes since the last push
         * @param tcpFlags TCP flags seen (cumulative OR)
         * @param usedMs   the datapath's {@code used} time (datapath ms, 0 = never)
         */
        default void pushStats(Ukey ukey, long packets, long bytes, int tcpFlags, long usedMs) {
        }

        /** A policy that keeps every flow as it is. */
        Revalidation KEEP_ALL = ukey -> Result.KEEP;
    }

    /** {@code enum reval_result} with the new actions of a MODIFY. */
    public record Result(Kind kind, byte[] actions) {
        /** {@code UKEY_KEEP}, {@code UKEY_MODIFY}, {@code UKEY_DELETE}. */
        public enum Kind { KEEP, MODIFY, DELETE }

        /** Keep the flow as installed. */
        public static final Result KEEP = new Result(Kind.KEEP, null);
        /** Delete the flow. */
        public static final Result DELETE = new Result(Kind.DELETE, null);

        /** Replace the flow's actions by {@code actions} (action attribute bytes). */
        public static Result modify(byte[] actions) {
            return new Result(Kind.MODIFY, java.util.Objects.requireNonNull(actions, "actions"));
        }
    }


    private static final RateLimit UNEXPECTED_RL = new RateLimit(10, 60_000);

    final Udpif udpif;
    final int index;
    final Dpif dpif;
    volatile long threadId;

    private final RevalidatorBatch batch = new RevalidatorBatch();
    private final RevalidatorOps ops;
    private final FlowRequest req = new FlowRequest();
    private Ukey acquired;

    private final Coverage.Counter dumpedDuplicate;
    private final Coverage.Counter contention;
    private final Coverage.Counter missed;

    Revalidator(Udpif udpif, int index, Dpif dpif) {
        this.udpif = udpif;
        this.index = index;
        this.dpif = dpif;
        this.ops = new RevalidatorOps(udpif, dpif);
        Coverage c = udpif.coverage();
        dumpedDuplicate = c.counter("dumped_duplicate_flow");
        contention = c.counter("upcall_ukey_contention");
        missed = c.counter("revalidate_missed_dp_flow");
    }

    /** Which revalidator this is (its slice of the ukey shards); 0 is the leader. */
    public int index() {
        return index;
    }

    @Override
    public void run() {
        udpif.loop(this);
    }

    // ---- dump phase ---------------------------------------------------------------------------------

    /** {@code revalidate}: takes batches from the round's dump until it ends. */
    void revalidate() {
        long dumpSeq = udpif.dumpSeq();
        long revalSeq = udpif.revalSeq();
        long limit = udpif.flowLimit();
        for (;;) {
            batch.clear();
            int n = udpif.dumpNext(batch, Udpif.REVALIDATE_MAX_BATCH);
            if (n == 0) {
                break;
            }
            long now = udpif.nowMs();
            long nDpFlows = udpif.nFlows();
            boolean killThemAll = nDpFlows > limit * 2;
            long maxIdle = nDpFlows > limit ? Udpif.OVER_LIMIT_MAX_IDLE_MS : udpif.maxIdleMs();
            batch.lookUp(udpif.ukeys());
            for (int i = 0; i < n; i++) {
                revalidateFlow(batch.get(i), batch.found[i], dumpSeq, revalSeq, now, maxIdle, killThemAll);
            }
            batch.release();
            if (ops.size() > 0) {
                ops.pushDpOps();
                ops.clear();
            }
        }
    }

    private void revalidateFlow(FlowMessage f, Ukey found, long dumpSeq, long revalSeq, long now, long maxIdle,
            boolean killThemAll) {
        int uo = f.ufidOffset();
        if (uo < 0 || !Ufid.isValidLength(f.ufidLength())) {
            if (f.keyOffset() >= 0) {
                ops.addDelete(null, null, f.key());
            }
            return;
        }
        Ukey ukey = found;
        if (ukey == null) {
            Ufid ufid = Ufid.of(f.buffer(), uo, f.ufidLength());
            int err = acquireNew(f, ufid, revalSeq);
            if (err != 0) {
                if (err == Errno.EBUSY) {
                    contention.inc();
                } else {
                    if (UNEXPECTED_RL.allow()) {
                        LOG.log(Level.WARNING, "Failed to acquire udpif_key corresponding to unexpected flow ("
                                + Errno.name(err) + "): ufid:" + ufid);
                    }
                    if (err != Errno.ENOENT) {
                        ops.addDelete(null, ufid.toByteArray(), f.key());
                    }
                }
                return;
            }
            ukey = acquired;
            acquired = null;
        } else if (!ukey.tryLock()) {
            contention.inc();
            return;
        }
        try {
            if (ukey.dumpSeq() == dumpSeq) {
                dumpedDuplicate.inc();
                return;
            }
            if (ukey.state().ordinal() <= Ukey.State.OPERATIONAL.ordinal()) {
                ukey.transition(Ukey.State.OPERATIONAL);
            } else if (ukey.state() == Ukey.State.DELETED) {
                return; // removed since the batch's lookup
            } else {
                LOG.log(Level.INFO, "Unexpected ukey transition from state " + ukey.state());
                return;
            }
            long used = f.used();
            if (used == 0) {
                used = ukey.created();
            }
            Result r;
            if (killThemAll || (used != 0 && used < now - maxIdle)) {
                r = Result.DELETE;
            } else {
                r = revalidateUkey(ukey, f.packets(), f.bytes(), f.used(), f.tcpFlags(), revalSeq, false);
            }
            ukey.setDumpSeq(dumpSeq);
            if (r.kind() != Result.Kind.KEEP) {
                addOp(r, ukey);
            }
        } finally {
            ukey.unlock();
        }
    }

    /**
     * {@code ukey_acquire} for a flow without a ukey: {@code ukey_create_from_dpif_flow} and
     * {@code ukey_install}. On success {@link #acquired} holds the new ukey, locked. Returns 0 or an errno
     * (EBUSY: someone else installed one meanwhile).
     */
    private int acquireNew(FlowMessage f, Ufid ufid, long revalSeq) {
        byte[] key = f.key();
        byte[] mask = f.mask();
        byte[] actions = f.actions();
        long used = f.used();
        if (key == null || key.length == 0 || actions == null || actions.length == 0) {
            try {
                FlowMessage full = dpif.flowGet(udpif.dpIfindex(), req.reset().ufid(ufid.toByteArray()));
                key = full.key();
                mask = full.mask();
                actions = full.actions();
            } catch (DpifException e) {
                return e.errno();
            } catch (IOException e) {
                return Errno.EIO;
            }
            if (key == null) {
                return Errno.EINVAL;
            }
        }
        if (needsRecirculation(key, actions)) {
            return Errno.EINVAL;
        }
        Ukey u = new Ukey(ufid, key, mask, actions, udpif.nowMs(), revalSeq - 1, null);
        u.setStats(0, 0, used, 0);
        if (!udpif.ukeys().install(u)) {
            return Errno.EBUSY;
        }
        u.lock();
        acquired = u;
        return 0;
    }

    /** A nonzero {@code recirc_id} in the key, or a {@code recirc} action. */
    static boolean needsRecirculation(byte[] key, byte[] actions) {
        NlAttrReader r = new NlAttrReader().wrap(key, 0, key.length);
        while (r.next()) {
            if (r.type() == KeyAttr.RECIRC_ID && r.payloadLength() >= 4 && r.u32() != 0) {
                return true;
            }
        }
        if (actions != null) {
            r.wrap(actions, 0, actions.length);
            while (r.next()) {
                if (r.type() == ActionAttr.RECIRC) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code revalidate_ukey}: pushes the statistics delta and re-checks the translation if the
     * revalidation sequence moved. {@code missed}: from the sweep, with no statistics (the baseline is
     * kept). The caller holds the ukey's lock.
     */
    private Result revalidateUkey(Ukey ukey, long packets, long bytes, long used, int tcpFlags, long revalSeq,
            boolean missed) {
        boolean needRevalidate = ukey.revalSeq() != revalSeq;
        long dPackets = Math.max(0, packets - ukey.packets());
        long dBytes = Math.max(0, bytes - ukey.bytes());
        Result result = Result.DELETE;
        if (needRevalidate) {
            if (shouldRevalidate(dPackets, ukey.used())) {
                result = askRevalidation(ukey);
            }
        } else {
            result = Result.KEEP;
        }
        if (result.kind() != Result.Kind.DELETE) {
            if (dPackets != 0 || dBytes != 0) {
                push(ukey, dPackets, dBytes, tcpFlags, used);
            }
            if (!missed) {
                ukey.setStats(packets, bytes, used, tcpFlags);
            }
            ukey.setRevalSeq(revalSeq);
        }
        return result;
    }

    private Result askRevalidation(Ukey ukey) {
        Result r;
        try {
            r = udpif.revalidation().revalidate(ukey);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "revalidation of " + ukey + " failed", e);
            return Result.DELETE;
        }
        if (r == null) {
            return Result.DELETE;
        }
        if (r.kind() == Result.Kind.MODIFY && Arrays.equals(r.actions(), ukey.actions())) {
            return Result.KEEP;
        }
        return r;
    }

    /**
     * {@code should_revalidate}: always on a flow's first revalidation or while dumps are quick
     * (under 200 ms); otherwise only flows seeing more than about 5 packets a second are worth it.
     */
    private boolean shouldRevalidate(long packets, long used) {
        if (used == 0) {
            return true;
        }
        if (udpif.dumpDuration() < 200) {
            return true;
        }
        long p = Math.max(packets, 1);
        long now = Math.max(used, udpif.nowMs());
        long metric = (now - used) / p;
        return metric < 200;
    }

    private void push(Ukey ukey, long packets, long bytes, int tcpFlags, long used) {
        ops.push(ukey, packets, bytes, tcpFlags, used);
    }

    /** {@code reval_op_init}: DELETE makes the ukey EVICTING, MODIFY stores the new actions. */
    private void addOp(Result r, Ukey ukey) {
        if (r.kind() == Result.Kind.DELETE) {
            ukey.transition(Ukey.State.EVICTING);
            ops.addDelete(ukey, null, null);
        } else if (r.kind() == Result.Kind.MODIFY) {
            ukey.setActions(r.actions());
            ops.addModify(ukey);
        }
    }

    // ---- sweep phase --------------------------------------------------------------------------------

    /** {@code revalidator_sweep__}: this revalidator's slice of the ukeys; {@code purge} deletes all. */
    void sweep(boolean purge) {
        long dumpSeq = udpif.dumpSeq();
        long revalSeq = udpif.revalSeq();
        UkeyMap ukeys = udpif.ukeys();
        int stride = udpif.nRevalidators();
        ops.clear();
        for (int i = index; i < ukeys.shards(); i += stride) {
            for (Ukey ukey : ukeys.slots(i)) {
                if (!UkeyMap.isLive(ukey)) {
                    continue;
                }
                // The common case, a flow dumped in this round, is a KEEP: no need to lock to know it
                // (after the dump phase's barrier, nothing else moves an OPERATIONAL ukey backwards in time).
                if (!purge && ukey.dumpSeq() == dumpSeq && ukey.state() == Ukey.State.OPERATIONAL) {
                    continue;
                }
                if (!ukey.tryLock()) {
                    continue;
                }
                Ukey.State state;
                try {
                    state = ukey.state();
                    if (state == Ukey.State.OPERATIONAL || (state == Ukey.State.VISIBLE && purge)) {
                        boolean seqMismatch = ukey.dumpSeq() != dumpSeq && ukey.revalSeq() != revalSeq;
                        Result r;
                        if (purge) {
                            r = Result.DELETE;
                        } else if (!seqMismatch) {
                            r = Result.KEEP;
                        } else {
                            missed.inc();
                            r = revalidateUkey(ukey, 0, 0, 0, 0, revalSeq, true);
                        }
                        if (r.kind() != Result.Kind.KEEP) {
                            addOp(r, ukey);
                        }
                    }
                } finally {
                    ukey.unlock();
                }
                if (state == Ukey.State.EVICTED) {
                    ukeys.remove(ukey);
                }
                if (ops.size() == Udpif.REVALIDATE_MAX_BATCH) {
                    ops.pushUkeyOps();
                }
            }
            if (ops.size() > 0) {
                ops.pushUkeyOps();
            }
        }
    }

    /** At most {@code n} events per {@code windowMs} (OVS's {@code VLOG_RATE_LIMIT_INIT}, roughly). */
    private static final class RateLimit {
        private final int n;
        private final long windowMs;
        private long windowStart;
        private int count;

        RateLimit(int n, long windowMs) {
            this.n = n;
            this.windowMs = windowMs;
        }

        synchronized boolean allow() {
            long now = System.nanoTime() / 1_000_000L;
            if (now - windowStart >= windowMs) {
                windowStart = now;
                count = 0;
            }
            return count++ < n;
        }
    }
}
