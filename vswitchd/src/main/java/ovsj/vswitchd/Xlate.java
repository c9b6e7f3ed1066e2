package ovsj.vswitchd;

import java.util.Arrays;

import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.FragType;
import ovsj.odp.uapi.KeyAttr;

/**
 * One translation in progress: the twin of OVS's {@code struct xlate_ctx} for the pipelines ovsj has.
 * It holds the packet's flow (as the pipeline sees it, rewritten by {@code mod_*} actions), the
 * flow as the datapath packet currently is (what the emitted actions have committed), the wildcards
 * (a {@link FlowKey} of mask bits: a set bit means the decision depended on that bit, so the megaflow
 * must match it exactly), and the datapath actions being emitted.
 *
 * <p>Rules of use, as in OVS: a pipeline that <em>reads</em> a field to decide must un-wildcard the bits
 * it read ({@link #read}, {@link #unwildcard}); {@link #peek} reads without doing so and is only for
 * code that un-wildcards what it needs itself. {@link #start} un-wildcards what OVS's
 * {@code xlate_wc_init} always does: {@code in_port}, {@code recirc_id}, {@code dl_type}, the IP
 * fragment type of IP packets, and the tunnel key of tunnelled packets.
 *
 * <p>Rewrites ({@link #set}) un-wildcard the field, as OVS's {@code WC_MASK_FIELD} does for set-field
 * actions, and are committed lazily: the next {@link #output} first emits one
 * {@code OVS_ACTION_ATTR_SET_MASKED} per header that differs from the datapath packet
 * ({@code commit_odp_actions}).
 *
 * <p>One instance per thread, reused: {@link #start} resets it. Not thread-safe.
 */
public final class Xlate {
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int IPPROTO_SCTP = 132;

    private final FlowKey flow = new FlowKey();
    private final FlowKey committed = new FlowKey();
    private final FlowKey wc = new FlowKey();
    private final NlWriter odp = new NlWriter(512);
    private long nowMs;
    private boolean mayLearn;
    private int outputs;
    private int inPort;
    private boolean normalUsed;

    /**
     * Starts translating a packet whose flow key is {@code key}.
     *
     * @param nowMs    the daemon's clock, ms (MAC learning timestamps)
     * @param mayLearn whether the translation may change state (MAC learning): true for upcalls, false
     *                 when revalidating ({@code xin->may_learn})
     */
    public Xlate start(FlowKey key, long nowMs, boolean mayLearn) {
        flow.copyFrom(key);
        committed.copyFrom(key);
        wc.clear();
        odp.reset();
        this.nowMs = nowMs;
        this.mayLearn = mayLearn;
        this.outputs = 0;
        this.normalUsed = false;
        this.inPort = key.inPort();
        initWildcards();
        return this;
    }

    /** {@code xlate_wc_init}. */
    private void initWildcards() {
        wc.u16(FlowKey.IN_PORT_OFFSET, 0xffff);
        wc.u32(FlowKey.RECIRC_ID_OFFSET, 0xffffffff);
        wc.u16(FlowKey.ETH_TYPE_OFFSET, 0xffff);
        int t = flow.ethType();
        if (t == ETH_P_IP || t == ETH_P_IPV6) {
            wc.u8(FlowKey.IP_FRAG_OFFSET, 0xff);
        }
        if (flow.tunProto() != 0) {
            // tnl_wc_init: a tunnelled packet's outer header is matched exactly (not its options).
            for (int o = FlowKey.TUN_ID_OFFSET; o <= FlowKey.TUN_TTL_OFFSET; o++) {
                wc.u8(o, 0xff);
            }
        }
    }

    /** The flow as the pipeline sees it now (rewrites applied). Read-only for callers. */
    public FlowKey flow() {
        return flow;
    }

    /** The wildcards: set bits are those the translation depended on. Read-only for callers. */
    public FlowKey wildcards() {
        return wc;
    }

    public long nowMs() {
        return nowMs;
    }

    public boolean mayLearn() {
        return mayLearn;
    }

    /** The port the packet came in on (always matched exactly). */
    public int inPort() {
        return inPort;
    }

    /** Reads {@code f} and un-wildcards it entirely: the decision depends on its value. */
    public long read(XlateField f) {
        f.or(wc, f.all());
        return f.get(flow);
    }

    /** Reads {@code f} without un-wildcarding it; the caller un-wildcards what it used. */
    public long peek(XlateField f) {
        return f.get(flow);
    }

    /** Un-wildcards the bits {@code bits} of {@code f}. */
    public void unwildcard(XlateField f, long bits) {
        f.or(wc, bits);
    }

    /** Whether every bit of {@code bits} of {@code f} is already un-wildcarded. */
    public boolean isExact(XlateField f, long bits) {
        return (f.get(wc) & bits) == (bits & f.all());
    }

    /** Whether the packet is IPv4 or IPv6 and not a later fragment (has L4 ports). */
    public boolean hasL4() {
        int t = flow.ethType();
        return (t == ETH_P_IP || t == ETH_P_IPV6) && flow.ipFrag() != FragType.LATER;
    }

    /**
     * Rewrites {@code f} to {@code v} for the outputs that follow, un-wildcarding it (the datapath
     * action is only emitted if the value differs from the packet's). The caller checks that the
     * packet has the header ({@code mod_nw_*} only on IPv4, {@code mod_tp_*} only on TCP/UDP/SCTP).
     */
    public void set(XlateField f, long v) {
        read(f);
        f.set(flow, v);
    }

    /**
     * Outputs to datapath port {@code port}: commits pending rewrites, then appends
     * {@code OVS_ACTION_ATTR_OUTPUT}. Output to the input port is skipped, as OVS does for
     * {@code output:N} and {@code NORMAL} ("skipping output to input port").
     */
    public void output(int port) {
        if (port == inPort) {
            return;
        }
        commit();
        odp.putU32(ActionAttr.OUTPUT, port);
        outputs++;
    }

    /**
     * Records that the translation went through the learning switch (OVS's {@code XC_NORMAL} cache
     * entry): statistics pushed for the flow later refresh the MAC table ({@link Pipeline#pushStats}).
     */
    public void usedNormal() {
        normalUsed = true;
    }

    /** Whether {@link #usedNormal()} was called. */
    public boolean normalUsed() {
        return normalUsed;
    }

    /** Number of {@code OUTPUT} actions emitted so far. */
    public int outputs() {
        return outputs;
    }

    /** The datapath actions (payload of {@code OVS_FLOW_ATTR_ACTIONS}); empty means drop. */
    public byte[] actions() {
        return Arrays.copyOf(odp.buffer(), odp.position());
    }

    /** Whether the actions so far equal {@code other}. */
    public boolean actionsEqual(byte[] other) {
        return other != null && Arrays.equals(odp.buffer(), 0, odp.position(), other, 0, other.length);
    }

    // ---- commit_odp_actions ---------------------------------------------------------------------

    private boolean differs(XlateField f) {
        return f.get(flow) != f.get(committed);
    }

    private void commit() {
        if (differs(XlateField.DL_SRC) || differs(XlateField.DL_DST)) {
            commitEthernet();
        }
        int t = flow.ethType();
        if (t == ETH_P_IP && (differs(XlateField.NW_SRC) || differs(XlateField.NW_DST))) {
            commitIpv4();
        }
        if (hasL4() && (differs(XlateField.TP_SRC) || differs(XlateField.TP_DST))) {
            int proto = flow.ipProto();
            int attr = proto == IPPROTO_TCP ? KeyAttr.TCP
                    : proto == IPPROTO_UDP ? KeyAttr.UDP
                    : proto == IPPROTO_SCTP ? KeyAttr.SCTP : -1;
            if (attr >= 0) {
                commitPorts(attr);
            }
        }
    }

    private long changed(XlateField f) {
        return differs(f) ? f.all() : 0;
    }

    private void commitEthernet() {
        long ms = changed(XlateField.DL_SRC);
        long md = changed(XlateField.DL_DST);
        int nest = odp.beginNest(ActionAttr.SET_MASKED);
        int p = odp.reserve(KeyAttr.ETHERNET, 24);
        byte[] b = odp.buffer();
        Wire.putBe48(b, p, XlateField.DL_SRC.get(flow) & ms);
        Wire.putBe48(b, p + 6, XlateField.DL_DST.get(flow) & md);
        Wire.putBe48(b, p + 12, ms);
        Wire.putBe48(b, p + 18, md);
        odp.endNest(nest);
        XlateField.DL_SRC.set(committed, XlateField.DL_SRC.get(flow));
        XlateField.DL_DST.set(committed, XlateField.DL_DST.get(flow));
    }

    private void commitIpv4() {
        long ms = changed(XlateField.NW_SRC);
        long md = changed(XlateField.NW_DST);
        int nest = odp.beginNest(ActionAttr.SET_MASKED);
        int p = odp.reserve(KeyAttr.IPV4, 24);
        byte[] b = odp.buffer();
        Arrays.fill(b, p, p + 24, (byte) 0);
        Wire.putBe32(b, p, (int) (XlateField.NW_SRC.get(flow) & ms));
        Wire.putBe32(b, p + 4, (int) (XlateField.NW_DST.get(flow) & md));
        Wire.putBe32(b, p + 12, (int) ms);
        Wire.putBe32(b, p + 16, (int) md);
        odp.endNest(nest);
        XlateField.NW_SRC.set(committed, XlateField.NW_SRC.get(flow));
        XlateField.NW_DST.set(committed, XlateField.NW_DST.get(flow));
    }

    private void commitPorts(int attr) {
        long ms = changed(XlateField.TP_SRC);
        long md = changed(XlateField.TP_DST);
        int nest = odp.beginNest(ActionAttr.SET_MASKED);
        int p = odp.reserve(attr, 8);
        byte[] b = odp.buffer();
        Wire.putBe16(b, p, (int) (XlateField.TP_SRC.get(flow) & ms));
        Wire.putBe16(b, p + 2, (int) (XlateField.TP_DST.get(flow) & md));
        Wire.putBe16(b, p + 4, (int) ms);
        Wire.putBe16(b, p + 6, (int) md);
        odp.endNest(nest);
        XlateField.TP_SRC.set(committed, XlateField.TP_SRC.get(flow));
        XlateField.TP_DST.set(committed, XlateField.TP_DST.get(flow));
    }
}
