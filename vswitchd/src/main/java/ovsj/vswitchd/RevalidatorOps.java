package ovsj.vswitchd;

import java.io.IOException;
import java.lang.System.Logger.Level;

import ovsj.netlink.Errno;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.FlowBatch;
import ovsj.odp.dpif.FlowRequest;

/**
 * A revalidator's queue of datapath operations ({@code struct ukey_op}s) and how they are sent:
 * OVS's {@code push_dp_ops} and {@code push_ukey_ops}. Up to {@link Udpif#REVALIDATE_MAX_BATCH} deletes and
 * modifies go out pipelined in a {@link FlowBatch} (terse deletes by UFID while UFIDs are enabled, by
 * UFID and key otherwise; modifies with UFID, key, mask and the new actions); every delete asks for the
 * flow's final state, whose statistics delta (against the ukey's last known ones) is pushed, so that a
 * deleted flow loses no packet. A failed delete leaves the ukey {@code EVICTED} (the flow is gone, or
 * its statistics are unusable).
 */
final class RevalidatorOps {
    private static final System.Logger LOG = System.getLogger("ovsj.vswitchd.upcall");

    /** A queued datapath operation ({@code struct ukey_op}). */
    private static final class Op {
        boolean delete;
        Ukey ukey;
        byte[] ufid;
        byte[] key;
        int errno;
        boolean replied;
        long packets;
        long bytes;
        long used;
        int tcpFlags;
    }

    private final Udpif udpif;
    private final Dpif dpif;
    private final Op[] ops = new Op[Udpif.REVALIDATE_MAX_BATCH];
    private int nOps;
    private final FlowRequest req = new FlowRequest();
    private FlowBatch flowBatch;

    RevalidatorOps(Udpif udpif, Dpif dpif) {
        this.udpif = udpif;
        this.dpif = dpif;
        for (int i = 0; i < ops.length; i++) {
            ops[i] = new Op();
        }
    }

    int size() {
        return nOps;
    }

    void clear() {
        for (int i = 0; i < nOps; i++) {
            ops[i].ukey = null;
            ops[i].ufid = null;
            ops[i].key = null;
        }
        nOps = 0;
    }

    /** Queues the modify of {@code ukey}'s flow to its (new) actions. */
    void addModify(Ukey ukey) {
        Op op = ops[nOps++];
        op.delete = false;
        op.ukey = ukey;
        op.ufid = null;
        op.key = null;
    }

    /** Queues a delete: of {@code ukey}'s flow, or of a flow without ukey by UFID and/or key. */
    void addDelete(Ukey ukey, byte[] ufid, byte[] key) {
        if (ukey == null && ufid == null && key == null) {
            return;
        }
        Op op = ops[nOps++];
        op.delete = true;
        op.ukey = ukey;
        op.ufid = ufid;
        op.key = key;
    }

    /**
     * Pushes statistics: into the daemon's totals and, for a flow with a ukey (whose lock the caller
     * holds), to the {@link Revalidator.Revalidation}.
     */
    void push(Ukey ukey, long packets, long bytes, int tcpFlags, long used) {
        udpif.push(packets, bytes);
        if (ukey != null) {
            try {
                udpif.revalidation().pushStats(ukey, packets, bytes, tcpFlags, used);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "pushing statistics of " + ukey + " failed", e);
            }
        }
    }

    private FlowBatch flowBatch() {
        if (flowBatch == null) {
            flowBatch = dpif.flowBatch(udpif.dpIfindex()).listener((tag, errno, ext, reply) -> {
                Op op = ops[(int) tag];
                op.errno = errno;
                if (reply != null && errno == 0) {
                    op.replied = true;
                    op.packets = reply.packets();
                    op.bytes = reply.bytes();
                    op.used = reply.used();
                    op.tcpFlags = reply.tcpFlags();
                }
            });
        }
        return flowBatch;
    }

    /** {@code push_dp_ops}: sends the queued operations, then accounts the deleted flows' statistics. */
    void pushDpOps() {
        boolean terse = udpif.enableUfid();
        try {
            FlowBatch fb = flowBatch();
            for (int i = 0; i < nOps; i++) {
                Op op = ops[i];
                op.errno = 0;
                op.replied = false;
                op.packets = op.bytes = op.used = 0;
                op.tcpFlags = 0;
                req.reset();
                byte[] ufid = op.ukey != null ? op.ukey.ufidBytes() : op.ufid;
                byte[] key = op.ukey != null ? op.ukey.key() : op.key;
                if (ufid != null) {
                    req.ufid(ufid);
                }
                if (op.delete) {
                    if (ufid != null && terse) {
                        req.ufidFlags(Udpif.TERSE_FLAGS);
                    } else {
                        req.key(key);
                    }
                    fb.del(i, req, true);
                } else {
                    req.key(key).mask(op.ukey.mask()).actions(op.ukey.actions());
                    fb.put(i, req, Dpif.PUT_MODIFY, false);
                }
            }
            fb.flush();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: flow operations failed: {1}", udpif.name(), e.getMessage());
            flowBatch = null;
            for (int i = 0; i < nOps; i++) {
                if (ops[i].errno == 0 && !ops[i].replied) {
                    ops[i].errno = Errno.EIO;
                }
            }
        }
        for (int i = 0; i < nOps; i++) {
            Op op = ops[i];
            if (!op.delete) {
                continue;
            }
            Ukey u = op.ukey;
            if (op.errno != 0) {
                if (u != null) {
                    u.lock();
                    try {
                        u.transition(Ukey.State.EVICTED);
                    } finally {
                        u.unlock();
                    }
                }
                continue;
            }
            udpif.flowsDeleted.increment();
            if (u == null) {
                if (op.packets != 0 || op.bytes != 0) {
                    push(null, op.packets, op.bytes, op.tcpFlags, op.used);
                }
                continue;
            }
            u.lock();
            try {
                u.transition(Ukey.State.EVICTED);
                long used = Math.max(op.used, u.used());
                int flags = op.tcpFlags | u.tcpFlags();
                long dPackets = Math.max(0, op.packets - u.packets());
                long dBytes = Math.max(0, op.bytes - u.bytes());
                if (dPackets != 0 || dBytes != 0) {
                    push(u, dPackets, dBytes, flags, used);
                }
                u.setStats(Math.max(op.packets, u.packets()), Math.max(op.bytes, u.bytes()), used, flags);
            } finally {
                u.unlock();
            }
        }
    }

    /** {@code push_ukey_ops}: the operations, then the deleted flows' ukeys leave the map. */
    void pushUkeyOps() {
        pushDpOps();
        for (int i = 0; i < nOps; i++) {
            Op op = ops[i];
            if (op.delete && op.ukey != null) {
                udpif.ukeys().remove(op.ukey);
            }
        }
        clear();
    }
}
