package ovsj.odp.dpif;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.DpAttr;
import ovsj.odp.uapi.DpCmd;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.FlowCmd;
import ovsj.odp.uapi.PacketAttr;
import ovsj.odp.uapi.PacketCmd;
import ovsj.odp.uapi.VportAttr;
import ovsj.odp.uapi.VportCmd;

/**
 * A datapath client over one netlink socket: the typed calls of OVS's {@code dpif-netlink.c} for the
 * four ovs families (datapaths, ports, flows, packet execution). Requests are built with
 * {@link NlWriter}, replies parsed into {@link DpInfo}, {@link VportInfo} and {@link FlowMessage}; a
 * refusal surfaces as a {@link DpifException} carrying the datapath's errno. Not thread-safe.
 */
public final class Dpif implements AutoCloseable {
    /** {@code DPIF_FP_CREATE}: create the flow (with MODIFY too: create or modify). */
    public static final int PUT_CREATE = 1;
    /** {@code DPIF_FP_MODIFY}: modify an existing flow. */
    public static final int PUT_MODIFY = 2;
    /** {@code DPIF_FP_ZERO_STATS}: clear the flow's statistics (sends CLEAR). */
    public static final int PUT_ZERO_STATS = 4;
    /** {@code DPIF_FP_PROBE}: a feature probe (sends PROBE). */
    public static final int PUT_PROBE = 8;

    private final NlClient nl;
    private final int dpFamily;
    private final int vportFamily;
    private final int flowFamily;
    private final int packetFamily;

    private Dpif(NlClient nl, int dp, int vport, int flow, int packet) {
        this.nl = nl;
        this.dpFamily = dp;
        this.vportFamily = vport;
        this.flowFamily = flow;
        this.packetFamily = packet;
    }

    /** Resolves the ovs families on {@code ch} (nlctrl GETFAMILY); the Dpif owns the channel from now on. */
    public static Dpif open(NetlinkChannel ch) throws IOException {
        NlClient nl = new NlClient(ch);
        try {
            return new Dpif(nl, nl.resolveFamily(Families.DATAPATH_FAMILY),
                    nl.resolveFamily(Families.VPORT_FAMILY), nl.resolveFamily(Families.FLOW_FAMILY),
                    nl.resolveFamily(Families.PACKET_FAMILY));
        } catch (IOException | RuntimeException e) {
            nl.close();
            throw e;
        }
    }

    public NlClient client() {
        return nl;
    }

    public int datapathFamily() {
        return dpFamily;
    }

    public int vportFamily() {
        return vportFamily;
    }

    public int flowFamily() {
        return flowFamily;
    }

    public int packetFamily() {
        return packetFamily;
    }

    @Override
    public void close() throws IOException {
        nl.close();
    }

    // ---- datapaths ------------------------------------------------------------------------------

    private NlWriter dpRequest(int flags, int cmd, int dpIfindex) {
        NlWriter w = nl.begin(dpFamily, flags, cmd, Families.DATAPATH_VERSION);
        w.putRawU32(dpIfindex);
        return w;
    }

    private static DpInfo oneDp(List<byte[]> replies) throws IOException {
        if (replies.isEmpty()) {
            throw new IOException("the datapath family answered without a datapath");
        }
        return DpInfo.parse(replies.get(0), 0);
    }

    /**
     * {@code OVS_DP_CMD_NEW}: creates datapath {@code name} with upcalls of its local port to
     * {@code upcallPid} (0 = none) and {@code userFeatures} (0 = not sent).
     */
    public DpInfo dpNew(String name, int upcallPid, int userFeatures) throws IOException {
        NlWriter w = dpRequest(NlMsgHdr.F_ECHO, DpCmd.NEW, 0);
        w.putString(DpAttr.NAME, name);
        w.putU32(DpAttr.UPCALL_PID, upcallPid);
        if (userFeatures != 0) {
            w.putU32(DpAttr.USER_FEATURES, userFeatures);
        }
        return oneDp(nl.transact());
    }

    /** {@code OVS_DP_CMD_DEL} by name. */
    public void dpDel(String name) throws IOException {
        dpRequest(0, DpCmd.DEL, 0).putString(DpAttr.NAME, name);
        nl.transact();
    }

    /** {@code OVS_DP_CMD_DEL} by the local port's ifindex. */
    public void dpDel(int dpIfindex) throws IOException {
        dpRequest(0, DpCmd.DEL, dpIfindex);
        nl.transact();
    }

    /** {@code OVS_DP_CMD_GET} by name; ENODEV when there is none. */
    public DpInfo dpGet(String name) throws IOException {
        dpRequest(0, DpCmd.GET, 0).putString(DpAttr.NAME, name);
        return oneDp(nl.transact());
    }

    /** {@code OVS_DP_CMD_GET} by ifindex. */
    public DpInfo dpGet(int dpIfindex) throws IOException {
        dpRequest(0, DpCmd.GET, dpIfindex);
        return oneDp(nl.transact());
    }

    /** {@code OVS_DP_CMD_GET} dump: every datapath, in the datapath's order. */
    public List<DpInfo> dpDump() throws IOException {
        dpRequest(0, DpCmd.GET, 0);
        NlClient.Dump d = nl.dump();
        List<DpInfo> out = new ArrayList<>();
        for (int m; (m = d.next()) >= 0; ) {
            out.add(DpInfo.parse(d.buffer(), m));
        }
        return out;
    }

    /**
     * {@code OVS_DP_CMD_SET}: {@code userFeatures} and {@code masksCacheSize} are sent when not
     * negative. Returns the datapath as it now is.
     */
    public DpInfo dpSet(int dpIfindex, int userFeatures, int masksCacheSize) throws IOException {
        NlWriter w = dpRequest(NlMsgHdr.F_ECHO, DpCmd.SET, dpIfindex);
        if (userFeatures >= 0) {
            w.putU32(DpAttr.USER_FEATURES, userFeatures);
        }
        if (masksCacheSize >= 0) {
            w.putU32(DpAttr.MASKS_CACHE_SIZE, masksCacheSize);
        }
        return oneDp(nl.transact());
    }

    // ---- ports ----------------------------------------------------------------------------------

    private NlWriter vportRequest(int flags, int cmd, int dpIfindex) {
        NlWriter w = nl.begin(vportFamily, flags, cmd, Families.VPORT_VERSION);
        w.putRawU32(dpIfindex);
        return w;
    }

    private static VportInfo oneVport(List<byte[]> replies) throws IOException {
        if (replies.isEmpty()) {
            throw new IOException("the vport family answered without a port");
        }
        return VportInfo.parse(replies.get(0), 0);
    }

    private static void putPids(NlWriter w, int[] pids) {
        int p = w.reserve(VportAttr.UPCALL_PID, 4 * pids.length);
        if (p >= 0) {
            for (int i = 0; i < pids.length; i++) {
                Wire.putU32(w.buffer(), p + 4 * i, pids[i]);
            }
        }
    }

    /**
     * {@code OVS_VPORT_CMD_NEW}: port {@code name} of {@code type} ({@link ovsj.odp.uapi.VportType}) at
     * {@code portNo} (-1: the datapath picks), upcalls to {@code upcallPids} (at least one; {0} =
     * none), {@code options} the payload of {@code OVS_VPORT_ATTR_OPTIONS} or null.
     */
    public VportInfo vportNew(int dpIfindex, String name, int type, int portNo, int[] upcallPids,
            byte[] options) throws IOException {
        NlWriter w = vportRequest(NlMsgHdr.F_ECHO, VportCmd.NEW, dpIfindex);
        if (portNo >= 0) {
            w.putU32(VportAttr.PORT_NO, portNo);
        }
        w.putU32(VportAttr.TYPE, type);
        w.putString(VportAttr.NAME, name);
        if (options != null) {
            w.putBytes(VportAttr.OPTIONS, options);
        }
        putPids(w, upcallPids);
        return oneVport(nl.transact());
    }

    /** {@code OVS_VPORT_CMD_DEL} by port number. */
    public void vportDel(int dpIfindex, int portNo) throws IOException {
        vportRequest(0, VportCmd.DEL, dpIfindex).putU32(VportAttr.PORT_NO, portNo);
        nl.transact();
    }

    /** {@code OVS_VPORT_CMD_DEL} by name. */
    public void vportDel(int dpIfindex, String name) throws IOException {
        vportRequest(0, VportCmd.DEL, dpIfindex).putString(VportAttr.NAME, name);
        nl.transact();
    }

    /** {@code OVS_VPORT_CMD_GET} by name (in datapath {@code dpIfindex}, or any if 0); ENODEV if none. */
    public VportInfo vportGet(int dpIfindex, String name) throws IOException {
        vportRequest(0, VportCmd.GET, dpIfindex).putString(VportAttr.NAME, name);
        return oneVport(nl.transact());
    }

    /** {@code OVS_VPORT_CMD_GET} by port number. */
    public VportInfo vportGet(int dpIfindex, int portNo) throws IOException {
        vportRequest(0, VportCmd.GET, dpIfindex).putU32(VportAttr.PORT_NO, portNo);
        return oneVport(nl.transact());
    }

    /**
     * {@code OVS_VPORT_CMD_SET} of port {@code portNo}: {@code type} (-1: not sent), {@code upcallPids}
     * and {@code options} (null: not sent).
     */
    public VportInfo vportSet(int dpIfindex, int portNo, int type, int[] upcallPids, byte[] options)
            throws IOException {
        NlWriter w = vportRequest(NlMsgHdr.F_ECHO, VportCmd.SET, dpIfindex);
        w.putU32(VportAttr.PORT_NO, portNo);
        if (type >= 0) {
            w.putU32(VportAttr.TYPE, type);
        }
        if (options != null) {
            w.putBytes(VportAttr.OPTIONS, options);
        }
        if (upcallPids != null) {
            putPids(w, upcallPids);
        }
        return oneVport(nl.transact());
    }

    /** {@code OVS_VPORT_CMD_GET} dump of one datapath's ports, in the datapath's order. */
    public List<VportInfo> vportDump(int dpIfindex) throws IOException {
        vportRequest(0, VportCmd.GET, dpIfindex);
        NlClient.Dump d = nl.dump();
        List<VportInfo> out = new ArrayList<>();
        for (int m; (m = d.next()) >= 0; ) {
            out.add(VportInfo.parse(d.buffer(), m));
        }
        return out;
    }

    // ---- flows ----------------------------------------------------------------------------------

    NlWriter flowRequest(int flags, int cmd, int dpIfindex) {
        NlWriter w = nl.begin(flowFamily, flags, cmd, Families.FLOW_VERSION);
        w.putRawU32(dpIfindex);
        return w;
    }

    private static FlowMessage oneFlow(List<byte[]> replies) {
        return replies.isEmpty() ? null : new FlowMessage().wrap(replies.get(0), 0);
    }

    /** The genl command of a put with {@code putFlags} ({@code dpif_netlink_init_flow_put}). */
    public static int putCmd(int putFlags) {
        return (putFlags & PUT_CREATE) != 0 ? FlowCmd.NEW : FlowCmd.SET;
    }

    /** The nlmsg flags of a put: NLM_F_CREATE unless the put may modify. */
    public static int putNlFlags(int putFlags) {
        return (putFlags & PUT_MODIFY) != 0 ? 0 : NlMsgHdr.F_CREATE;
    }

    /**
     * A flow put ({@code dpif_netlink_flow_put}): {@link #PUT_CREATE} alone is {@code NEW} with
     * {@code NLM_F_CREATE} (EEXIST if there is one), {@link #PUT_MODIFY} alone is {@code SET} (ENOENT if
     * there is none), both is {@code NEW} without flags (create or replace the actions).
     * {@link #PUT_ZERO_STATS} and {@link #PUT_PROBE} set CLEAR and PROBE on {@code r}. With
     * {@code wantReply}, returns the flow as the datapath echoes it (its statistics before a CLEAR);
     * otherwise null.
     */
    public FlowMessage flowPut(int dpIfindex, FlowRequest r, int putFlags, boolean wantReply)
            throws IOException {
        if ((putFlags & PUT_ZERO_STATS) != 0) {
            r.clear(true);
        }
        if ((putFlags & PUT_PROBE) != 0) {
            r.probe(true);
        }
        NlWriter w = flowRequest(putNlFlags(putFlags) | (wantReply ? NlMsgHdr.F_ECHO : 0), putCmd(putFlags),
                dpIfindex);
        r.put(w);
        FlowMessage m = oneFlow(nl.transact());
        return wantReply ? m : null;
    }

    /** {@code OVS_FLOW_CMD_GET} by UFID or key (as {@code r} gives); ENOENT if there is no such flow. */
    public FlowMessage flowGet(int dpIfindex, FlowRequest r) throws IOException {
        r.put(flowRequest(0, FlowCmd.GET, dpIfindex));
        FlowMessage m = oneFlow(nl.transact());
        if (m == null) {
            throw new IOException("the flow family answered GET without a flow");
        }
        return m;
    }

    /** {@code OVS_FLOW_CMD_DEL} of one flow (by UFID or key); with {@code wantReply}, its final state. */
    public FlowMessage flowDel(int dpIfindex, FlowRequest r, boolean wantReply) throws IOException {
        r.put(flowRequest(wantReply ? NlMsgHdr.F_ECHO : 0, FlowCmd.DEL, dpIfindex));
        FlowMessage m = oneFlow(nl.transact());
        return wantReply ? m : null;
    }

    /** {@code OVS_FLOW_CMD_DEL} without a key: deletes every flow of the datapath. */
    public void flowFlush(int dpIfindex) throws IOException {
        flowRequest(0, FlowCmd.DEL, dpIfindex);
        nl.transact();
    }

    /**
     * Starts an {@code OVS_FLOW_CMD_GET} dump of the datapath's flows; {@code ufidFlags} nonzero asks
     * for terse messages ({@link ovsj.odp.uapi.UfidFlags}). The dump must be read to its end (or
     * {@link FlowDump#close() closed}) before the next request.
     */
    public FlowDump flowDump(int dpIfindex, int ufidFlags) throws IOException {
        NlWriter w = flowRequest(0, FlowCmd.GET, dpIfindex);
        if (ufidFlags != 0) {
            w.putU32(ovsj.odp.uapi.FlowAttr.UFID_FLAGS, ufidFlags);
        }
        return new FlowDump(nl.dump());
    }

    /**
     * Pipelined flow requests (bulk loads): many per datagram, no round trip per flow. The batch
     * owns the socket until it is closed.
     */
    public FlowBatch flowBatch(int dpIfindex) {
        return new FlowBatch(nl, flowFamily, dpIfindex);
    }

    // ---- packets --------------------------------------------------------------------------------

    /**
     * {@code OVS_PACKET_CMD_EXECUTE}: runs {@code actions} on {@code packet} whose flow key is
     * {@code key} (key attributes). {@code mru} 0 = not sent.
     */
    public void execute(int dpIfindex, byte[] packet, byte[] key, byte[] actions, boolean probe, int mru)
            throws IOException {
        NlWriter w = nl.begin(packetFamily, 0, PacketCmd.EXECUTE, Families.PACKET_VERSION);
        w.putRawU32(dpIfindex);
        w.putBytes(PacketAttr.PACKET, packet);
        FlowRequest.putExcludingPacketType(w, PacketAttr.KEY, key, 0, key.length);
        w.putBytes(PacketAttr.ACTIONS, actions);
        if (probe) {
            w.putFlag(PacketAttr.PROBE);
        }
        if (mru != 0) {
            w.putU16(PacketAttr.MRU, mru);
        }
        nl.transact();
    }
}
