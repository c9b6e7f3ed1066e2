package ovsj.datapath.genl;

import java.util.List;

import ovsj.datapath.Datapath;
import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.table.DumpCursor;
import ovsj.datapath.table.FlowTable;
import ovsj.datapath.table.Flow;
import ovsj.netlink.ExtAck;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;
import ovsj.odp.KernelLog;
import ovsj.odp.Ufid;
import ovsj.odp.codec.ActionCaller;
import ovsj.odp.codec.ActionCodec;
import ovsj.odp.codec.KeyParser;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.UfidFlags;
import ovsj.odp.uapi.FlowCmd;

/**
 * {@code ovs_flow}: NEW / DEL / GET / SET and DUMP of megaflows, the twin of the flow half of the
 * kernel's {@code datapath.c} ({@code ovs_flow_cmd_new} and friends). Replies are built by
 * {@link FlowMessages}; the table is the datapath's {@link ovsj.datapath.table.FlowTable}.
 */
public final class FlowFamily extends GenlFamily {
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;
    private static final int ENODEV = 19;
    private static final int EEXIST = 17;
    private static final int OVS_FLOW_VERSION = 1;

    private static final AttrPolicy[] POLICY = flowPolicy();

    private final OvsDatapath ovs;
    private final ThreadLocal<KeyParser> parsers = ThreadLocal.withInitial(KeyParser::new);

    public FlowFamily(OvsDatapath ovs) {
        super(Families.FLOW_FAMILY, OVS_FLOW_VERSION, 4, POLICY,
                List.of(new GenlOp(FlowCmd.NEW, true, false, true), new GenlOp(FlowCmd.DEL, true, false, true),
                        new GenlOp(FlowCmd.GET, true, true, false), new GenlOp(FlowCmd.SET, true, false, true)),
                List.of(Families.FLOW_MCGROUP));
        this.ovs = ovs;
    }

    /** {@code flow_policy}. */
    private static AttrPolicy[] flowPolicy() {
        AttrPolicy[] p = new AttrPolicy[FlowAttr.MAX + 1];
        p[FlowAttr.KEY] = AttrPolicy.NESTED;
        p[FlowAttr.MASK] = AttrPolicy.NESTED;
        p[FlowAttr.ACTIONS] = AttrPolicy.NESTED;
        p[FlowAttr.CLEAR] = AttrPolicy.FLAG;
        p[FlowAttr.PROBE] = AttrPolicy.FLAG;
        p[FlowAttr.UFID] = AttrPolicy.unspec(1);
        p[FlowAttr.UFID_FLAGS] = AttrPolicy.U32;
        return p;
    }

    @Override
    public int doit(GenlRequest req) {
        return switch (req.cmd()) {
            case FlowCmd.NEW -> onNew(req);
            case FlowCmd.DEL -> onDel(req);
            case FlowCmd.GET -> onGet(req);
            case FlowCmd.SET -> onSet(req);
            default -> -95;
        };
    }

    private static KernelLog log(GenlRequest req) {
        return req.has(FlowAttr.PROBE) ? KernelLog.NONE : req.klog();
    }

    private static int ufidFlags(GenlRequest req) {
        return req.has(FlowAttr.UFID_FLAGS) ? req.u32(FlowAttr.UFID_FLAGS) : 0;
    }

    /** {@code ovs_nla_get_ufid}: the UFID if present and 1..16 bytes, else null (logging a bad size). */
    private static Ufid ufid(GenlRequest req, KernelLog log) {
        if (!req.has(FlowAttr.UFID)) {
            return null;
        }
        int len = req.payloadLength(FlowAttr.UFID);
        if (!Ufid.isValidLength(len)) {
            log.nlerr("ufid size " + len + " bytes exceeds the range (1, " + Ufid.MAX_LENGTH + ")");
            return null;
        }
        return Ufid.of(req.buf(), req.payload(FlowAttr.UFID), len);
    }

    private int parseMatch(GenlRequest req, FlowKey key, FlowKey mask, KernelLog log) {
        return parsers.get().parseMatch(req.buf(), req.attr(FlowAttr.KEY),
                mask == null ? -1 : req.attr(FlowAttr.MASK), key, mask, log);
    }

    private static byte[] copyActions(GenlRequest req, FlowKey maskedKey, KernelLog log, ActionCaller caller,
                                      int[] err) {
        NlWriter out = new NlWriter(Math.max(64, req.payloadLength(FlowAttr.ACTIONS) + 64));
        err[0] = ActionCodec.copyActions(req.buf(), req.payload(FlowAttr.ACTIONS), req.payloadLength(FlowAttr.ACTIONS),
                maskedKey, out, req.klog(), log == KernelLog.NONE ? caller.probe().withComm(req.socket().comm())
                        : caller.withComm(req.socket().comm()));
        return err[0] == 0 ? out.toByteArray() : null;
    }

    private void reply(GenlRequest req, Flow flow, int cmd, int ufidFlags) {
        NlWriter w = new NlWriter(FlowMessages.msgSize(flow, ufidFlags));
        int msg = w.position();
        FlowMessages.fillInfo(w, flow, req.dpIfindex(), req.portId(), req.seq(), 0, cmd, ufidFlags,
                DumpMode.SERIALIZE, msg, null, new long[4]);
        FlowMessages.setType(w, msg, id());
        req.send(w);
    }

    private static boolean echo(GenlRequest req) {
        return (req.flags() & NlMsgHdr.F_ECHO) != 0;
    }

    /** {@code ovs_flow_cmd_new}. */
    private int onNew(GenlRequest req) {
        KernelLog log = log(req);
        if (!req.has(FlowAttr.KEY)) {
            log.nlerr("Flow key attr not present in new flow.");
            return -EINVAL;
        }
        if (!req.has(FlowAttr.ACTIONS)) {
            log.nlerr("Flow actions attr not present in new flow.");
            return -EINVAL;
        }
        FlowKey key = new FlowKey();
        FlowKey maskBits = new FlowKey();
        int err = parseMatch(req, key, maskBits, log);
        if (err != 0) {
            return err;
        }
        Ufid ufid = ufid(req, log);
        FlowMask mask = new FlowMask(maskBits).kernelRange(parsers.get().maskRange());
        FlowKey masked = new FlowKey();
        masked.mask(key, mask);
        int[] aerr = new int[1];
        byte[] acts = copyActions(req, masked, log, ActionCaller.FLOW_NEW, aerr);
        if (acts == null) {
            return aerr[0];
        }
        int ufidFlags = ufidFlags(req);
        Flow newFlow = new Flow(masked, ufid == null ? new FlowKey(key) : null, ufid, acts, ovs.cpus());

        var lock = ovs.net().ovsLock();
        lock.lock();
        try {
            Datapath dp = ovs.net().datapath(req.dpIfindex());
            if (dp == null) {
                return -ENODEV;
            }
            Flow flow = null;
            if (ufid != null) {
                flow = dp.table().lookupUfid(ufid);
            }
            if (flow == null) {
                flow = dp.table().lookup(key);
            }
            if (flow == null) {
                dp.table().insert(newFlow, mask);
                if (echo(req)) {
                    reply(req, newFlow, FlowCmd.NEW, ufidFlags);
                }
                return 0;
            }
            // An existing flow: only a plain NEW may modify it (CREATE stands in for EXCL).
            if ((req.flags() & (NlMsgHdr.F_CREATE | NlMsgHdr.F_EXCL)) != 0) {
                return -EEXIST;
            }
            if (!FlowMessages.sameMatch(flow, key)) {
                flow = flow.hasUfid() ? null : dp.table().lookupExact(key, mask);
                if (flow == null) {
                    return -ENOENT;
                }
            }
            flow.replaceActions(acts);
            if (echo(req)) {
                reply(req, flow, FlowCmd.NEW, ufidFlags);
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** The flow a request names: by UFID if it gave one, else by its unmasked key (SET/GET/DEL). */
    private static Flow identified(Datapath dp, Ufid ufid, FlowKey key) {
        return ufid != null ? dp.table().lookupUfid(ufid) : dp.table().lookupExact(key, null);
    }

    /** {@code ovs_flow_cmd_set}. */
    private int onSet(GenlRequest req) {
        KernelLog log = log(req);
        Ufid ufid = ufid(req, log);
        if (!req.has(FlowAttr.KEY) && ufid == null) {
            log.nlerr("Flow set message rejected, Key attribute missing.");
            return -EINVAL;
        }
        FlowKey key = new FlowKey();
        FlowKey maskBits = new FlowKey();
        if (req.has(FlowAttr.KEY)) {
            int err = parseMatch(req, key, maskBits, log);
            if (err != 0) {
                return err;
            }
        }
        byte[] acts = null;
        if (req.has(FlowAttr.ACTIONS)) {
            if (!req.has(FlowAttr.KEY)) {
                log.nlerr("Flow key attribute not present in set flow.");
                return -EINVAL;
            }
            FlowKey masked = new FlowKey();
            masked.mask(key, new FlowMask(maskBits));
            int[] aerr = new int[1];
            acts = copyActions(req, masked, log, ActionCaller.FLOW_SET, aerr);
            if (acts == null) {
                return aerr[0];
            }
        }
        int ufidFlags = ufidFlags(req);
        var lock = ovs.net().ovsLock();
        lock.lock();
        try {
            Datapath dp = ovs.net().datapath(req.dpIfindex());
            if (dp == null) {
                return -ENODEV;
            }
            Flow flow = identified(dp, ufid, key);
            if (flow == null) {
                return -ENOENT;
            }
            if (acts != null) {
                flow.replaceActions(acts);
            }
            if (echo(req)) {
                reply(req, flow, FlowCmd.SET, ufidFlags); // stats before CLEAR, as the kernel
            }
            if (req.has(FlowAttr.CLEAR)) {
                flow.stats().clear();
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** {@code ovs_flow_cmd_get}. */
    private int onGet(GenlRequest req) {
        KernelLog log = log(req);
        Ufid ufid = ufid(req, log);
        FlowKey key = new FlowKey();
        if (req.has(FlowAttr.KEY)) {
            int err = parseMatch(req, key, null, log);
            if (err != 0) {
                return err;
            }
        } else if (ufid == null) {
            log.nlerr("Flow get message rejected, Key attribute missing.");
            return -EINVAL;
        }
        Datapath dp = ovs.net().datapath(req.dpIfindex());
        if (dp == null) {
            return -ENODEV;
        }
        Flow flow = identified(dp, ufid, key);
        if (flow == null) {
            return -ENOENT;
        }
        reply(req, flow, FlowCmd.GET, ufidFlags(req));
        return 0;
    }

    /** {@code ovs_flow_cmd_del}. */
    private int onDel(GenlRequest req) {
        KernelLog log = log(req);
        Ufid ufid = ufid(req, log);
        FlowKey key = new FlowKey();
        if (req.has(FlowAttr.KEY)) {
            int err = parseMatch(req, key, null, log);
            if (err != 0) {
                return err;
            }
        }
        Flow flow;
        var lock = ovs.net().ovsLock();
        lock.lock();
        try {
            Datapath dp = ovs.net().datapath(req.dpIfindex());
            if (dp == null) {
                return -ENODEV;
            }
            if (!req.has(FlowAttr.KEY) && ufid == null) {
                dp.table().flush();
                dp.matchCacheBytes.set(0);
                return 0;
            }
            flow = identified(dp, ufid, key);
            if (flow == null) {
                return -ENOENT;
            }
            dp.table().remove(flow);
            byte[] cache = flow.matchCache();
            if (cache != null) {
                dp.matchCacheBytes.addAndGet(-cache.length);
            }
        } finally {
            lock.unlock();
        }
        if (echo(req)) {
            // The final stats: first let packets that found the flow before it left the table count
            // themselves in it (Linux replies at once, and such a packet's count is lost).
            ovs.quiesce();
            reply(req, flow, FlowCmd.DEL, ufidFlags(req));
        }
        return 0;
    }

    /** {@code ovs_flow_cmd_dump}: one batch per call, resuming at the cursor. */
    @Override
    public int dumpit(GenlRequest req, DumpState state, NlWriter batch) {
        if (state.cursor == null) {
            int[] attrs = new int[FlowAttr.MAX + 1];
            int err = GenlParser.parse(req.buf(), req.familyHeader() + 4,
                    ovsj.netlink.NlMsgHdr.len(req.buf(), req.msgOffset()) - (req.familyHeader() + 4 - req.msgOffset()),
                    POLICY, attrs, req.msgOffset(), new ExtAck(), KernelLog.NONE, req.socket().comm());
            if (err != 0) {
                return err;
            }
            state.args[2] = attrs[FlowAttr.UFID_FLAGS] >= 0
                    ? ovsj.netlink.Wire.u32(req.buf(), attrs[FlowAttr.UFID_FLAGS] + 4) : 0;
            state.cursor = new DumpCursor();
            state.scratch = new long[4];
        }
        Datapath dp = ovs.net().datapath(req.dpIfindex());
        if (dp == null) {
            return -ENODEV;
        }
        int ufidFlags = (int) state.args[2];
        DumpMode mode = ovs.dumpMode();
        DumpCursor cursor = (DumpCursor) state.cursor;
        int batchStart = batch.position();
        long touched = state.args[3];
        int touch = (ufidFlags & TERSE) == TERSE ? Flow.TOUCH_FLOW
                : mode == DumpMode.MATCH_CACHE ? Flow.TOUCH_CACHE : Flow.TOUCH_KEY;
        while (true) {
            Flow flow = dp.table().dumpNext(cursor);
            if (flow == null) {
                break;
            }
            if (PREFETCH > 0) {
                touched = FlowTable.prefetch(cursor, touched, PREFETCH, touch);
            }
            int msg = batch.position();
            if (FlowMessages.fillInfo(batch, flow, req.dpIfindex(), req.portId(), req.seq(), NlMsgHdr.F_MULTI,
                    FlowCmd.GET, ufidFlags, mode, batchStart, dp, state.scratch) < 0) {
                cursor.unread(); // this flow goes first in the next batch
                break;
            }
            FlowMessages.setType(batch, msg, id());
        }
        state.args[3] = touched; // where the look-ahead stands, and a sum that keeps its loads alive
        return batch.position() - batchStart;
    }

    private static final int TERSE = UfidFlags.OMIT_KEY | UfidFlags.OMIT_MASK | UfidFlags.OMIT_ACTIONS;

    /** How many buckets ahead of the cursor a dump touches the flows it will read next (0: off). */
    static final int PREFETCH = Integer.getInteger("ovsj.dump.prefetch", 24);
}
