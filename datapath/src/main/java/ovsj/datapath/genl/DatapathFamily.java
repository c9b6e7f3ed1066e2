package ovsj.datapath.genl;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import ovsj.datapath.Datapath;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.OvsNet;
import ovsj.datapath.Vport;
import ovsj.datapath.table.FlowTable;
import ovsj.netlink.Errno;
import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.DpAttr;
import ovsj.odp.uapi.DpCmd;
import ovsj.odp.uapi.DpMegaflowStats;
import ovsj.odp.uapi.DpStats;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.OvsHeader;
import ovsj.odp.uapi.UserFeatures;
import ovsj.odp.uapi.VportType;

/**
 * {@code ovs_datapath}: NEW / DEL / GET / SET and DUMP of datapaths, the twin of the datapath half of
 * the kernel's {@code datapath.c} ({@code ovs_dp_cmd_new} and friends). A datapath is created with its
 * local internal port 0, a netdev of the datapath's name whose ifindex is the datapath's
 * {@code dp_ifindex}.
 *
 * <p>NEW, DEL and SET answer with the datapath only when asked with {@code NLM_F_ECHO} (there are no
 * multicast listeners); GET always does.
 */
public final class DatapathFamily extends GenlFamily {
    /** {@code PCPU_MIN_UNIT_SIZE / sizeof(struct mask_cache_entry)}: the policy's cache size limit. */
    static final int MASKS_CACHE_MAX = (32 << 10) / 8;

    /** Every feature bit 6.1 knows; {@code TC_RECIRC_SHARING} is there ({@code CONFIG_NET_TC_SKB_EXT=y}). */
    private static final int KNOWN_FEATURES = UserFeatures.VPORT_PIDS | UserFeatures.UNALIGNED
            | UserFeatures.TC_RECIRC_SHARING | UserFeatures.DISPATCH_UPCALL_PER_CPU;

    private static final AttrPolicy[] POLICY = datapathPolicy();

    private final OvsDatapath ovs;

    public DatapathFamily(OvsDatapath ovs) {
        super(Families.DATAPATH_FAMILY, Families.DATAPATH_VERSION, OvsHeader.LENGTH, POLICY,
                List.of(new GenlOp(DpCmd.NEW, true, false, true), new GenlOp(DpCmd.DEL, true, false, true),
                        new GenlOp(DpCmd.GET, true, true, false), new GenlOp(DpCmd.SET, true, false, true)),
                List.of(Families.DATAPATH_MCGROUP));
        this.ovs = ovs;
    }

    /** {@code datapath_policy}. */
    private static AttrPolicy[] datapathPolicy() {
        AttrPolicy[] p = new AttrPolicy[DpAttr.MAX + 1];
        p[DpAttr.NAME] = AttrPolicy.nulString(VportOps.IFNAMSIZ - 1);
        p[DpAttr.UPCALL_PID] = AttrPolicy.U32;
        p[DpAttr.USER_FEATURES] = AttrPolicy.U32;
        p[DpAttr.MASKS_CACHE_SIZE] = AttrPolicy.u32Range(0, MASKS_CACHE_MAX);
        p[DpAttr.IFINDEX] = AttrPolicy.s32Min(0);
        return p;
    }

    @Override
    public int doit(GenlRequest req) {
        return switch (req.cmd()) {
            case DpCmd.NEW -> onNew(req);
            case DpCmd.DEL -> onDel(req);
            case DpCmd.GET -> onGet(req);
            case DpCmd.SET -> onSet(req);
            default -> -Errno.EOPNOTSUPP;
        };
    }

    // ---- replies --------------------------------------------------------------------------------

    /** {@code ovs_dp_cmd_msg_size}: room for one datapath, whatever its settings. */
    int msgSize() {
        return NlMsgHdr.LENGTH + GenlMsgHdr.LENGTH + NlMsgHdr.align(OvsHeader.LENGTH)
                + NlAttr.totalSize(VportOps.IFNAMSIZ)
                + totalSize64(DpStats.LENGTH)
                + totalSize64(DpMegaflowStats.LENGTH)
                + NlAttr.totalSize(4) // USER_FEATURES
                + NlAttr.totalSize(4) // MASKS_CACHE_SIZE
                + NlAttr.totalSize(4 * ovs.cpus()); // PER_CPU_PIDS
    }

    /** {@code nla_total_size_64bit}: with room for the alignment pad where the platform needs it. */
    static int totalSize64(int payload) {
        return NlAttr.totalSize(payload) + (NlWriter.ALIGN_64BIT_DEFAULT ? NlAttr.totalSize(0) : 0);
    }

    /**
     * {@code ovs_dp_cmd_fill_info}: one datapath message. Returns 0, or -EMSGSIZE with {@code w} back
     * where it was ({@code genlmsg_cancel}) when a bounded writer is full.
     */
    int fillInfo(Datapath dp, NlWriter w, int portId, int seq, int flags, int cmd) {
        int start = w.position();
        int msg = w.beginMessage(id(), flags, seq, portId);
        w.putGenlHeader(cmd, version());
        w.putRawU32(dp.ifindex());
        w.putString(DpAttr.NAME, dp.name());

        int s = w.reserve64(DpAttr.STATS, DpStats.LENGTH, DpAttr.PAD);
        if (s >= 0) {
            // get_dp_stats
            Wire.putU64(w.buffer(), s + DpStats.N_HIT_OFFSET, dp.nHit());
            Wire.putU64(w.buffer(), s + DpStats.N_MISSED_OFFSET, dp.nMissed());
            Wire.putU64(w.buffer(), s + DpStats.N_LOST_OFFSET, dp.nLost());
            Wire.putU64(w.buffer(), s + DpStats.N_FLOWS_OFFSET, dp.table().count());
        }
        int m = w.reserve64(DpAttr.MEGAFLOW_STATS, DpMegaflowStats.LENGTH, DpAttr.PAD);
        if (m >= 0) {
            Wire.putU64(w.buffer(), m + DpMegaflowStats.N_MASK_HIT_OFFSET, dp.nMaskHit());
            Wire.putU32(w.buffer(), m + DpMegaflowStats.N_MASKS_OFFSET, dp.table().maskCount());
            Wire.putU64(w.buffer(), m + DpMegaflowStats.N_CACHE_HIT_OFFSET, dp.nCacheHit());
        }
        w.putU32(DpAttr.USER_FEATURES, dp.userFeatures());
        w.putU32(DpAttr.MASKS_CACHE_SIZE, dp.table().maskCacheSize());

        int[] pids = dp.perCpuPids();
        if ((dp.userFeatures() & UserFeatures.DISPATCH_UPCALL_PER_CPU) != 0 && pids.length > 0) {
            // Never more than nr_cpu_ids ids, however many were set.
            int n = Math.min(pids.length, ovs.cpus());
            int p = w.reserve(DpAttr.PER_CPU_PIDS, 4 * n);
            if (p >= 0) {
                for (int i = 0; i < n; i++) {
                    Wire.putU32(w.buffer(), p + 4 * i, pids[i]);
                }
            }
        }
        if (msg < 0 || w.overflowed()) {
            w.rewind(start);
            return -Errno.EMSGSIZE;
        }
        w.endMessage(msg);
        return 0;
    }

    private void reply(GenlRequest req, Datapath dp, int cmd) {
        NlWriter w = new NlWriter(msgSize());
        fillInfo(dp, w, req.portId(), req.seq(), 0, cmd);
        req.send(w);
    }

    private static boolean echo(GenlRequest req) {
        return (req.flags() & NlMsgHdr.F_ECHO) != 0;
    }

    // ---- commands -------------------------------------------------------------------------------

    /**
     * {@code lookup_datapath}: by NAME (the name of a local port, port 0) if given, else by the header's
     * {@code dp_ifindex}. Null means -ENODEV.
     */
    private Datapath lookupDatapath(GenlRequest req) {
        if (!req.has(DpAttr.NAME)) {
            return ovs.net().datapath(req.dpIfindex());
        }
        Vport v = ovs.net().vport(req.string(DpAttr.NAME));
        return v != null && v.portNo() == Datapath.LOCAL_PORT ? v.datapath() : null;
    }

    /**
     * {@code ovs_dp_change}: checks and applies USER_FEATURES, MASKS_CACHE_SIZE and (with per-cpu
     * dispatch) PER_CPU_PIDS in the kernel's order. As there, a failure leaves what was applied before
     * it in place (features are set before the per-cpu pids are checked).
     */
    private static int change(GenlRequest req, FlowTable table, IntConsumer setFeatures, Consumer<int[]> setPids) {
        int features = 0;
        if (req.has(DpAttr.USER_FEATURES)) {
            features = req.u32(DpAttr.USER_FEATURES);
            if ((features & ~KNOWN_FEATURES) != 0) {
                return -Errno.EOPNOTSUPP;
            }
        }
        if (req.has(DpAttr.MASKS_CACHE_SIZE)) {
            int err = table.setMaskCacheSize(req.u32(DpAttr.MASKS_CACHE_SIZE));
            if (err != 0) {
                return err;
            }
        }
        setFeatures.accept(features);
        if ((features & UserFeatures.DISPATCH_UPCALL_PER_CPU) != 0 && req.has(DpAttr.PER_CPU_PIDS)) {
            // ovs_dp_set_upcall_portids: a non-empty array of u32 (no policy entry: any length arrives).
            int len = req.payloadLength(DpAttr.PER_CPU_PIDS);
            if (len == 0 || len % 4 != 0) {
                return -Errno.EINVAL;
            }
            int[] pids = new int[len / 4];
            for (int i = 0; i < pids.length; i++) {
                pids[i] = Wire.u32(req.buf(), req.payload(DpAttr.PER_CPU_PIDS) + 4 * i);
            }
            setPids.accept(pids);
        }
        return 0;
    }

    /** {@code ovs_dp_cmd_new}. */
    private int onNew(GenlRequest req) {
        if (!req.has(DpAttr.NAME) || !req.has(DpAttr.UPCALL_PID)) {
            return -Errno.EINVAL;
        }
        OvsNet net = ovs.net();
        FlowTable table = new FlowTable(ovs.cpus());
        String requested = req.string(DpAttr.NAME);
        int desiredIfindex = req.has(DpAttr.IFINDEX) ? req.u32(DpAttr.IFINDEX) : 0;

        ReentrantLock lock = net.ovsLock();
        lock.lock();
        try {
            // The new datapath is not visible yet: ovs_dp_change's effects are kept aside until it is.
            int[] features = {0};
            int[][] perCpuPids = {null};
            int err = change(req, table, f -> features[0] = f, p -> perCpuPids[0] = p);
            if (err != 0) {
                return err;
            }
            // new_vport for the local port: ovs_vport_alloc, then internal_dev_create.
            int[] pids = VportOps.upcallPortids(req.buf(), req.payload(DpAttr.UPCALL_PID),
                    req.payloadLength(DpAttr.UPCALL_PID), ovs.cpus());
            if (pids == null) {
                return -Errno.EINVAL;
            }
            int[] nerr = {0};
            String name = VportOps.validName(net, requested, nerr);
            int ifindex = name == null ? nerr[0] : VportOps.registerInternalDev(net, name, desiredIfindex, req.klog());
            if (ifindex < 0) {
                err = ifindex == -Errno.EBUSY ? -Errno.EEXIST : ifindex;
                if (err == -Errno.EEXIST && version(req) < Families.DP_VER_FEATURES) {
                    resetUserFeatures(req);
                }
                return err;
            }
            Datapath dp = new Datapath(name, ifindex, table);
            dp.userFeatures(features[0]);
            if (perCpuPids[0] != null) {
                dp.perCpuPids(perCpuPids[0]);
            }
            VportOps.attach(net, dp, Datapath.LOCAL_PORT, VportType.INTERNAL, name, ifindex, pids);
            net.addDatapath(dp);
            if (echo(req)) {
                reply(req, dp, DpCmd.NEW);
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private static int version(GenlRequest req) {
        return GenlMsgHdr.version(req.buf(), req.msgOffset() + NlMsgHdr.LENGTH);
    }

    /**
     * {@code ovs_dp_reset_user_features}: an old client (genl version 1) that creates a datapath which
     * exists will reuse it without knowing about features, so they are dropped.
     */
    private void resetUserFeatures(GenlRequest req) {
        Datapath dp = lookupDatapath(req);
        if (dp == null) {
            return;
        }
        req.klog().log("openvswitch: " + dp.name() + ": Dropping previously announced user features");
        dp.userFeatures(0);
    }

    /** {@code ovs_dp_cmd_del}. */
    private int onDel(GenlRequest req) {
        OvsNet net = ovs.net();
        ReentrantLock lock = net.ovsLock();
        lock.lock();
        try {
            Datapath dp = lookupDatapath(req);
            if (dp == null) {
                return -Errno.ENODEV;
            }
            NlWriter w = null;
            if (echo(req)) {
                // The reply describes the datapath as it was, before its flows and ports go.
                w = new NlWriter(msgSize());
                fillInfo(dp, w, req.portId(), req.seq(), 0, DpCmd.DEL);
            }
            destroy(net, dp, req);
            if (w != null) {
                req.send(w);
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** {@code __dp_destroy}: every port but the local one (in hash order), then the local port, then the flows. */
    private static void destroy(OvsNet net, Datapath dp, GenlRequest req) {
        for (Vport v : VportOps.hashOrder(dp)) {
            if (v.portNo() != Datapath.LOCAL_PORT) {
                VportOps.detach(net, v, req.klog());
            }
        }
        net.removeDatapath(dp);
        Vport local = dp.port(Datapath.LOCAL_PORT);
        if (local != null) {
            VportOps.detach(net, local, req.klog());
        }
        dp.table().flush();
    }

    /** {@code ovs_dp_cmd_set}. */
    private int onSet(GenlRequest req) {
        ReentrantLock lock = ovs.net().ovsLock();
        lock.lock();
        try {
            Datapath dp = lookupDatapath(req);
            if (dp == null) {
                return -Errno.ENODEV;
            }
            int err = change(req, dp.table(), dp::userFeatures, dp::perCpuPids);
            if (err != 0) {
                return err;
            }
            if (echo(req)) {
                reply(req, dp, DpCmd.SET);
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** {@code ovs_dp_cmd_get}: always answers. */
    private int onGet(GenlRequest req) {
        ReentrantLock lock = ovs.net().ovsLock();
        lock.lock();
        try {
            Datapath dp = lookupDatapath(req);
            if (dp == null) {
                return -Errno.ENODEV;
            }
            reply(req, dp, DpCmd.GET);
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code ovs_dp_cmd_dump}: the datapaths in creation order; {@code args[0]} counts those already
     * sent. Returns the bytes of this batch (0: done).
     */
    @Override
    public int dumpit(GenlRequest req, DumpState state, NlWriter batch) {
        int skip = (int) state.args[0];
        int i = 0;
        ReentrantLock lock = ovs.net().ovsLock();
        lock.lock();
        try {
            for (Datapath dp : ovs.net().datapaths()) {
                if (i >= skip && fillInfo(dp, batch, req.portId(), req.seq(), NlMsgHdr.F_MULTI, DpCmd.GET) < 0) {
                    break;
                }
                i++;
            }
        } finally {
            lock.unlock();
        }
        state.args[0] = i;
        return batch.position();
    }
}
