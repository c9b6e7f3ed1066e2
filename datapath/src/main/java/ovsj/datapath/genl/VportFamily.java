package ovsj.datapath.genl;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import ovsj.datapath.Datapath;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.OvsNet;
import ovsj.datapath.Vport;
import ovsj.datapath.vport.InternalDevice;
import ovsj.datapath.vport.PcapDevice;
import ovsj.datapath.vport.PcapOptions;
import ovsj.datapath.vport.VportDevice;
import ovsj.datapath.vport.VportDeviceException;
import ovsj.netlink.Errno;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.OvsHeader;
import ovsj.odp.uapi.UserFeatures;
import ovsj.odp.uapi.VportAttr;
import ovsj.odp.uapi.VportCmd;
import ovsj.odp.uapi.VportStats;
import ovsj.odp.uapi.VportType;

/**
 * {@code ovs_vport}: NEW / DEL / GET / SET and DUMP of datapath ports, the twin of the vport half of the
 * kernel's {@code datapath.c} ({@code ovs_vport_cmd_new} and friends). {@code internal}
 * ports exist (an {@link InternalDevice} each), and ovsj's own pcap ports (type
 * {@value PcapDevice#OVS_VPORT_TYPE_PCAP}, a {@link PcapDevice} each, options in
 * {@code OVS_VPORT_ATTR_OPTIONS} as {@link PcapOptions} describes). A {@code netdev} port needs a netdev
 * that is not an internal port nor the loopback, and this namespace has no other; the tunnel types
 * (gre, vxlan, geneve) are not built and answer as an unknown type does (-EAFNOSUPPORT).
 *
 * <p>NEW, DEL and SET answer with the port only when asked with {@code NLM_F_ECHO}; GET always does.
 */
public final class VportFamily extends GenlFamily {
    /** {@code NLMSG_DEFAULT_SIZE} on 4 KiB pages: what the kernel allocates for one port. */
    static final int NLMSG_DEFAULT_SIZE = 4096 - 320 - NlMsgHdr.LENGTH;

    private static final AttrPolicy[] POLICY = vportPolicy();

    private final OvsDatapath ovs;

    public VportFamily(OvsDatapath ovs) {
        super(Families.VPORT_FAMILY, Families.VPORT_VERSION, OvsHeader.LENGTH, POLICY,
                List.of(new GenlOp(VportCmd.NEW, true, false, true), new GenlOp(VportCmd.DEL, true, false, true),
                        new GenlOp(VportCmd.GET, true, true, false), new GenlOp(VportCmd.SET, true, false, true)),
                List.of(Families.VPORT_MCGROUP));
        this.ovs = ovs;
    }

    /** {@code vport_policy} of 6.1 (no UPCALL_STATS yet: maxattr is NETNSID). */
    private static AttrPolicy[] vportPolicy() {
        AttrPolicy[] p = new AttrPolicy[VportAttr.MAX + 1];
        p[VportAttr.NAME] = AttrPolicy.nulString(VportOps.IFNAMSIZ - 1);
        p[VportAttr.STATS] = AttrPolicy.unspec(VportStats.LENGTH);
        p[VportAttr.PORT_NO] = AttrPolicy.U32;
        p[VportAttr.TYPE] = AttrPolicy.U32;
        p[VportAttr.UPCALL_PID] = AttrPolicy.unspec(0);
        p[VportAttr.OPTIONS] = AttrPolicy.NESTED;
        p[VportAttr.IFINDEX] = AttrPolicy.s32Min(0);
        p[VportAttr.NETNSID] = AttrPolicy.S32;
        return p;
    }

    @Override
    public int doit(GenlRequest req) {
        return switch (req.cmd()) {
            case VportCmd.NEW -> onNew(req);
            case VportCmd.DEL -> onDel(req);
            case VportCmd.GET -> onGet(req);
            case VportCmd.SET -> onSet(req);
            default -> -Errno.EOPNOTSUPP;
        };
    }

    // ---- replies --------------------------------------------------------------------------------

    /**
     * {@code ovs_vport_cmd_fill_info}: PORT_NO, TYPE, NAME, IFINDEX, STATS, UPCALL_PID (all ids if the
     * datapath announced {@code VPORT_PIDS}, else the first), then OPTIONS for a port type that has
     * them ({@code ovs_vport_get_options}: a pcap port's, in a nest without NLA_F_NESTED). No NETNSID
     * (every port lives in the datapath's namespace). Returns 0, or -EMSGSIZE with {@code w} back where
     * it was.
     */
    int fillInfo(Vport v, NlWriter w, int portId, int seq, int flags, int cmd) {
        int start = w.position();
        int msg = w.beginMessage(id(), flags, seq, portId);
        w.putGenlHeader(cmd, version());
        w.putRawU32(dpIfindex(v.datapath()));
        w.putU32(VportAttr.PORT_NO, v.portNo());
        w.putU32(VportAttr.TYPE, v.type());
        w.putString(VportAttr.NAME, v.name());
        w.putU32(VportAttr.IFINDEX, v.ifindex());

        int s = w.reserve64(VportAttr.STATS, VportStats.LENGTH, VportAttr.PAD);
        if (s >= 0) {
            // ovs_vport_get_stats: the slots are in ovs_vport_stats order.
            for (int i = 0; i < 8; i++) {
                Wire.putU64(w.buffer(), s + 8 * i, v.stat(i));
            }
        }
        int[] ids = v.upcallPids();
        if ((v.datapath().userFeatures() & UserFeatures.VPORT_PIDS) != 0) {
            int p = w.reserve(VportAttr.UPCALL_PID, 4 * ids.length);
            if (p >= 0) {
                for (int i = 0; i < ids.length; i++) {
                    Wire.putU32(w.buffer(), p + 4 * i, ids[i]);
                }
            }
        } else {
            w.putU32(VportAttr.UPCALL_PID, ids[0]);
        }
        if (v.device() instanceof PcapDevice pcap) {
            int nest = w.beginNest(VportAttr.OPTIONS);
            pcap.options().put(w);
            w.endNest(nest);
        }
        if (msg < 0 || w.overflowed()) {
            w.rewind(start);
            return -Errno.EMSGSIZE;
        }
        w.endMessage(msg);
        return 0;
    }

    /** {@code get_dpifindex}: the local port's ifindex (0 once it is gone). */
    private static int dpIfindex(Datapath dp) {
        Vport local = dp.port(Datapath.LOCAL_PORT);
        return local == null ? 0 : local.ifindex();
    }

    private NlWriter build(GenlRequest req, Vport v, int cmd) {
        NlWriter w = new NlWriter(NLMSG_DEFAULT_SIZE);
        fillInfo(v, w, req.portId(), req.seq(), 0, cmd);
        return w;
    }

    private static boolean echo(GenlRequest req) {
        return (req.flags() & NlMsgHdr.F_ECHO) != 0;
    }

    // ---- commands -------------------------------------------------------------------------------

    /**
     * {@code lookup_vport}: by NAME (in any datapath, but in the header's one if it names one), else by
     * the header's datapath and PORT_NO. Returns the port, or null with {@code err[0]} set.
     */
    private Vport lookupVport(GenlRequest req, int[] err) {
        err[0] = -Errno.ENODEV;
        if (req.has(VportAttr.IFINDEX)) {
            err[0] = -Errno.EOPNOTSUPP;
            return null;
        }
        if (req.has(VportAttr.NAME)) {
            Vport v = ovs.net().vport(req.string(VportAttr.NAME));
            if (v == null || (req.dpIfindex() != 0 && req.dpIfindex() != dpIfindex(v.datapath()))) {
                return null;
            }
            return v;
        }
        if (req.has(VportAttr.PORT_NO)) {
            long portNo = Integer.toUnsignedLong(req.u32(VportAttr.PORT_NO));
            if (portNo >= Datapath.MAX_PORTS) {
                err[0] = -Errno.EFBIG;
                return null;
            }
            Datapath dp = ovs.net().datapath(req.dpIfindex());
            return dp == null ? null : dp.port((int) portNo);
        }
        err[0] = -Errno.EINVAL;
        return null;
    }

    /** {@code ovs_vport_cmd_new}. */
    private int onNew(GenlRequest req) {
        if (!req.has(VportAttr.NAME) || !req.has(VportAttr.TYPE) || !req.has(VportAttr.UPCALL_PID)) {
            return -Errno.EINVAL;
        }
        int type = req.u32(VportAttr.TYPE);
        if (req.has(VportAttr.IFINDEX) && type != VportType.INTERNAL) {
            return -Errno.EOPNOTSUPP;
        }
        long portNo = req.has(VportAttr.PORT_NO) ? Integer.toUnsignedLong(req.u32(VportAttr.PORT_NO)) : 0;
        if (portNo >= Datapath.MAX_PORTS) {
            return -Errno.EFBIG;
        }
        OvsNet net = ovs.net();
        ReentrantLock lock = net.ovsLock();
        lock.lock();
        try {
            Datapath dp = net.datapath(req.dpIfindex());
            if (dp == null) {
                return -Errno.ENODEV;
            }
            if (portNo != 0) {
                if (dp.port((int) portNo) != null) {
                    return -Errno.EBUSY;
                }
            } else {
                portNo = dp.freePortNo();
                if (portNo < 0) {
                    return -Errno.EFBIG;
                }
            }
            Vport[] v = {null};
            int err = newVport(req, net, dp, (int) portNo, type, v);
            if (err != 0) {
                return err;
            }
            if (echo(req)) {
                req.send(build(req, v[0], VportCmd.NEW));
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code new_vport} / {@code ovs_vport_add}: the type's create function. Internal ports get a new
     * netdev; a netdev port needs an existing netdev, and every netdev here is unsuitable (the loopback,
     * or an internal port: -EINVAL); other types are not available (-EAFNOSUPPORT). A pcap port parses
     * its options first (as a tunnel port does, -EINVAL / -ENAMETOOLONG), then gets its netdev name,
     * then opens its files ({@link PcapDevice#open}: -ENOENT, -EACCES, -EISDIR, -EINVAL) and, once
     * attached, starts replaying. Returns 0 (the port in {@code out[0]}) or a negative errno.
     */
    private int newVport(GenlRequest req, OvsNet net, Datapath dp, int portNo, int type, Vport[] out) {
        boolean pcap = type == PcapDevice.OVS_VPORT_TYPE_PCAP;
        if (type != VportType.INTERNAL && type != VportType.NETDEV && !pcap) {
            return -Errno.EAFNOSUPPORT;
        }
        // ovs_vport_alloc, common to both types.
        int[] pids = VportOps.upcallPortids(req.buf(), req.payload(VportAttr.UPCALL_PID),
                req.payloadLength(VportAttr.UPCALL_PID), ovs.cpus());
        if (pids == null) {
            return -Errno.EINVAL;
        }
        String requested = req.string(VportAttr.NAME);
        if (type == VportType.NETDEV) {
            // ovs_netdev_link: dev_get_by_name, then no loopback and no internal port.
            return net.netdevExists(requested) ? -Errno.EINVAL : -Errno.ENODEV;
        }
        PcapOptions options = null;
        if (pcap) {
            try {
                boolean has = req.has(VportAttr.OPTIONS);
                options = PcapDevice.options(requested, req.buf(), has ? req.payload(VportAttr.OPTIONS) : -1,
                        has ? req.payloadLength(VportAttr.OPTIONS) : 0);
            } catch (VportDeviceException e) {
                return e.errno();
            }
        }
        int[] err = {0};
        String name = VportOps.validName(net, requested, err);
        if (name == null) {
            return err[0];
        }
        VportDevice device;
        try {
            device = pcap ? PcapDevice.open(name, options) : new InternalDevice();
        } catch (VportDeviceException e) {
            return e.errno();
        }
        int desired = req.has(VportAttr.IFINDEX) ? req.u32(VportAttr.IFINDEX) : 0;
        int ifindex = VportOps.registerInternalDev(net, name, desired, req.klog());
        if (ifindex < 0) {
            device.close();
            return ifindex;
        }
        out[0] = VportOps.attach(net, dp, portNo, type, name, ifindex, pids, device);
        device.start(ingress(out[0]));
        return 0;
    }

    /** Where a port's device hands received frames: the datapath's receive path for that port. */
    private VportDevice.Ingress ingress(Vport v) {
        return (frame, off, len) -> ovs.receive(v, frame, off, len);
    }

    /**
     * {@code ovs_vport_cmd_set}: the type cannot change; no type here has {@code set_options} (a pcap
     * port's files are fixed when it is created), so OPTIONS is -EOPNOTSUPP.
     */
    private int onSet(GenlRequest req) {
        ReentrantLock lock = ovs.net().ovsLock();
        lock.lock();
        try {
            int[] err = {0};
            Vport v = lookupVport(req, err);
            if (v == null) {
                return err[0];
            }
            if (req.has(VportAttr.TYPE) && req.u32(VportAttr.TYPE) != v.type()) {
                return -Errno.EINVAL;
            }
            if (req.has(VportAttr.OPTIONS)) {
                return -Errno.EOPNOTSUPP; // ovs_vport_set_options: no set_options
            }
            if (req.has(VportAttr.UPCALL_PID)) {
                int[] pids = VportOps.upcallPortids(req.buf(), req.payload(VportAttr.UPCALL_PID),
                        req.payloadLength(VportAttr.UPCALL_PID), ovs.cpus());
                if (pids == null) {
                    return -Errno.EINVAL;
                }
                v.upcallPids(pids);
            }
            if (echo(req)) {
                req.send(build(req, v, VportCmd.SET));
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** {@code ovs_vport_cmd_del}: never the local port (that goes with its datapath). */
    private int onDel(GenlRequest req) {
        ReentrantLock lock = ovs.net().ovsLock();
        lock.lock();
        try {
            int[] err = {0};
            Vport v = lookupVport(req, err);
            if (v == null) {
                return err[0];
            }
            if (v.portNo() == Datapath.LOCAL_PORT) {
                return -Errno.EINVAL;
            }
            NlWriter w = echo(req) ? build(req, v, VportCmd.DEL) : null;
            VportOps.detach(ovs.net(), v, req.klog());
            if (w != null) {
                req.send(w);
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** {@code ovs_vport_cmd_get}: always answers. */
    private int onGet(GenlRequest req) {
        ReentrantLock lock = ovs.net().ovsLock();
        lock.lock();
        try {
            int[] err = {0};
            Vport v = lookupVport(req, err);
            if (v == null) {
                return err[0];
            }
            req.send(build(req, v, VportCmd.GET));
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code ovs_vport_cmd_dump}: the header's datapath's ports bucket by bucket; {@code args[0]} is the
     * bucket to resume in, {@code args[1]} how many of its ports were sent. A missing datapath ends the
     * dump with -ENODEV in NLMSG_DONE.
     */
    @Override
    public int dumpit(GenlRequest req, DumpState state, NlWriter batch) {
        int bucket = (int) state.args[0];
        int skip = (int) state.args[1];
        Datapath dp = ovs.net().datapath(req.dpIfindex());
        if (dp == null) {
            return -Errno.ENODEV;
        }
        int i;
        int j = 0;
        out:
        for (i = bucket; i < VportOps.DP_VPORT_HASH_BUCKETS; i++) {
            j = 0;
            for (Vport v : VportOps.bucket(dp, i)) {
                if (j >= skip && fillInfo(v, batch, req.portId(), req.seq(), NlMsgHdr.F_MULTI, VportCmd.GET) < 0) {
                    break out;
                }
                j++;
            }
            skip = 0;
        }
        state.args[0] = i;
        state.args[1] = j;
        return batch.position();
    }
}
