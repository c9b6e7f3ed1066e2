package ovsj.datapath.actions;

import ovsj.datapath.Packet;
import ovsj.netlink.Errno;
import ovsj.netlink.NlAttr;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.ActionAddMpls;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.ActionHash;
import ovsj.odp.uapi.ActionPushEth;
import ovsj.odp.uapi.ActionPushMpls;
import ovsj.odp.uapi.ActionPushVlan;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.PacketCmd;
import ovsj.odp.uapi.UserspaceAttr;

/**
 * Executes stored action lists on packets: the twin of Linux 6.1 {@code net/openvswitch/actions.c}
 * ({@code ovs_execute_actions}, {@code do_execute_actions}, {@code clone_execute} and the deferred-action
 * FIFO). The lists are the stored form {@code ActionCodec.copyActions} produces (validated, SET rewritten
 * as SET_TO_MASKED, nested lists with their kernel-internal argument attributes), so execution does no
 * checking beyond what Linux does at this point.
 *
 * <h2>Per-thread state</h2>
 *
 * An executor is the per-CPU storage of the kernel module: the recursion level ({@code exec_actions_level}),
 * the keys clone/sample/recirc copy into at each level ({@code flow_keys}, {@link #DEFERRED_ACTION_THRESHOLD}
 * of them) and the FIFO of actions deferred past that depth ({@code action_fifos}). Use one per forwarding
 * thread ({@link #forCurrentThread()}); it is not thread-safe. Recirculation re-enters {@link #execute}
 * through {@link ActionContext#recirc} on the same thread, which is how the level counts recursion.
 *
 * <h2>Packets and keys</h2>
 *
 * {@link #execute} consumes the packet: it is output, handed to userspace and dropped, or dropped. Actions
 * change the frame in place and keep the key in step the way Linux does: set actions write the key fields
 * they change; push/pop of VLAN tags update or invalidate the key; MPLS, Ethernet and NSH push/pop mark it
 * invalid ({@link #KEY_INVALID} in its MAC_PROTO byte, the kernel's {@code invalidate_flow_key}), and recirc
 * and ct re-extract an invalid key through {@link ActionContext#flowKeyUpdate}. The packet's
 * {@code macOff}/{@code networkOff}/{@code transportOff} must be set as key extraction sets them and are kept
 * right by every action. The common path (output to the last port, sets, push/pop) allocates nothing;
 * outputs that are not last, clone and sample copy the packet, as {@code skb_clone} does.
 *
 * <h2>Differences from Linux</h2>
 *
 * No VLAN hwaccel, conntrack or meters: see {@link VlanMplsEth}, {@link Conntrack} and
 * {@link ActionContext#meter}. Linux 6.1 has no drop action: an empty list, or the end of a list, drops.
 */
public final class ActionExecutor {
    /** {@code OVS_RECURSION_LIMIT}. */
    public static final int RECURSION_LIMIT = 5;
    /** {@code OVS_DEFERRED_ACTION_THRESHOLD}: levels that may clone the key before actions are deferred. */
    public static final int DEFERRED_ACTION_THRESHOLD = RECURSION_LIMIT - 2;
    /** {@code DEFERRED_ACTION_FIFO_SIZE}; one slot stays unused, as in the kernel. */
    public static final int DEFERRED_ACTION_FIFO_SIZE = 10;
    /** {@code SW_FLOW_KEY_INVALID}, or-ed into the key's MAC_PROTO byte. */
    public static final int KEY_INVALID = 0x80;

    static final int EHOSTUNREACH = -113;

    private static final ThreadLocal<ActionExecutor> PER_THREAD = ThreadLocal.withInitial(ActionExecutor::new);

    /** One deferred clone/sample list or recirculation ({@code struct deferred_action}). */
    private static final class Deferred {
        Packet packet;
        final FlowKey key = new FlowKey();
        byte[] acts; // null: recirculation
        int off;
        int len;
        ActionContext ctx;
    }

    private int execLevel;
    private final FlowKey[] flowKeys = new FlowKey[DEFERRED_ACTION_THRESHOLD];
    private final Deferred[] fifo = new Deferred[DEFERRED_ACTION_FIFO_SIZE];
    private int fifoHead;
    private int fifoTail;
    private final SetActions sets = new SetActions();
    private final byte[] nshScratch = new byte[NshActions.NSH_HDR_MAX_LEN];
    private final FlowKey hashScratch = new FlowKey();

    public ActionExecutor() {
        for (int i = 0; i < flowKeys.length; i++) {
            flowKeys[i] = new FlowKey();
        }
        for (int i = 0; i < fifo.length; i++) {
            fifo[i] = new Deferred();
        }
    }

    /** The executor of the calling thread. */
    public static ActionExecutor forCurrentThread() {
        return PER_THREAD.get();
    }

    // ---- key state ------------------------------------------------------------------------------

    /** {@code ovs_key_mac_proto}: the key's L2 type without the invalid flag. */
    public static int macProto(FlowKey key) {
        return key.macProto() & ~KEY_INVALID;
    }

    /** {@code is_flow_key_valid}. */
    public static boolean isKeyValid(FlowKey key) {
        return (key.macProto() & KEY_INVALID) == 0;
    }

    /** {@code invalidate_flow_key}. */
    static void invalidate(FlowKey key) {
        key.u8(FlowKey.MAC_PROTO_OFFSET, key.macProto() | KEY_INVALID);
    }

    /** The current recursion level (0 outside {@link #execute}). */
    public int level() {
        return execLevel;
    }

    // ---- entry ----------------------------------------------------------------------------------

    /**
     * {@code ovs_execute_actions}: runs the stored list {@code acts[off, off+len)} on {@code p} with
     * {@code key} (normally {@code p.key}, or the key {@link ActionContext#recirc} was given). Consumes the
     * packet. At the outermost level, then runs the actions deferred meanwhile. Returns 0 or -errno: the
     * first failing action's error (the packet is then dropped), or -ENETDOWN past
     * {@link #RECURSION_LIMIT} nested executions.
     */
    public int execute(Packet p, FlowKey key, byte[] acts, int off, int len, ActionContext ctx) {
        int level = ++execLevel;
        try {
            if (level > RECURSION_LIMIT) {
                ctx.logRateLimited("openvswitch: ovs: recursion limit reached on datapath " + ctx.dpName()
                        + ", probable configuration error");
                return -Errno.ENETDOWN;
            }
            int err = doExecute(p, key, acts, off, len, ctx);
            if (level == 1) {
                processDeferred();
            }
            return err;
        } finally {
            if (level == 1) {
                resetFifo();
            }
            execLevel--;
        }
    }

    /** {@code do_execute_actions}. */
    private int doExecute(Packet p, FlowKey key, byte[] acts, int off, int len, ActionContext ctx) {
        int a = off;
        int rem = len;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(acts, a);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            int pay = a + NlAttr.HEADER_LENGTH;
            int plen = alen - NlAttr.HEADER_LENGTH;
            boolean last = alen == rem; // nla_is_last
            int err = 0;
            switch (NlAttr.type(acts, a)) {
                case ActionAttr.OUTPUT -> {
                    int port = Wire.u32(acts, pay);
                    if (last) {
                        doOutput(p, port, key, ctx);
                        return 0;
                    }
                    doOutput(p.copy(), port, key, ctx);
                    p.cutlen = 0;
                }
                case ActionAttr.TRUNC -> {
                    long max = Wire.u32(acts, pay) & 0xffffffffL;
                    int skbLen = VlanMplsEth.skbLen(p, key);
                    if (skbLen > max) {
                        p.cutlen = (int) (skbLen - max);
                    }
                }
                case ActionAttr.USERSPACE -> {
                    outputUserspace(p, key, acts, pay, plen, off, len, ctx);
                    p.cutlen = 0;
                    if (last) {
                        return 0;
                    }
                }
                case ActionAttr.HASH -> {
                    int hash = PacketHash.jhash1Word(PacketHash.skbGetHash(p, key, hashScratch),
                            Wire.u32(acts, pay + ActionHash.HASH_BASIS_OFFSET));
                    key.u32(FlowKey.DP_HASH_OFFSET, hash == 0 ? 1 : hash); // execute_hash (6.1: L4 only)
                }
                case ActionAttr.PUSH_MPLS -> err = VlanMplsEth.pushMpls(p, key,
                        Wire.be32(acts, pay + ActionPushMpls.MPLS_LSE_OFFSET),
                        Wire.be16(acts, pay + ActionPushMpls.MPLS_ETHERTYPE_OFFSET), true);
                case ActionAttr.ADD_MPLS -> err = VlanMplsEth.pushMpls(p, key,
                        Wire.be32(acts, pay + ActionAddMpls.MPLS_LSE_OFFSET),
                        Wire.be16(acts, pay + ActionAddMpls.MPLS_ETHERTYPE_OFFSET),
                        (Wire.u16(acts, pay + ActionAddMpls.TUN_FLAGS_OFFSET) & ActionAddMpls.L3_TUNNEL_FLAG_MASK) != 0);
                case ActionAttr.POP_MPLS -> err = VlanMplsEth.popMpls(p, key, Wire.be16(acts, pay));
                case ActionAttr.PUSH_VLAN -> err = VlanMplsEth.pushVlan(p, key,
                        Wire.be16(acts, pay + ActionPushVlan.VLAN_TPID_OFFSET),
                        Wire.be16(acts, pay + ActionPushVlan.VLAN_TCI_OFFSET));
                case ActionAttr.POP_VLAN -> err = VlanMplsEth.popVlan(p, key);
                case ActionAttr.RECIRC -> {
                    err = executeRecirc(p, key, Wire.u32(acts, pay), last, ctx);
                    if (last) {
                        return err;
                    }
                }
                case ActionAttr.SET -> err = executeSet(p, acts, pay, plen, ctx);
                case ActionAttr.SET_MASKED, ActionAttr.SET_TO_MASKED -> err = sets.execute(p, key, acts, pay);
                case ActionAttr.SAMPLE -> {
                    err = sample(p, key, acts, pay, plen, last, ctx);
                    if (last) {
                        return err;
                    }
                }
                case ActionAttr.CT -> {
                    if (!isKeyValid(key)) {
                        err = flowKeyUpdate(p, key, ctx);
                        if (err != 0) {
                            return err;
                        }
                    }
                    err = Conntrack.execute(p, key, acts, pay, plen);
                    if (err != 0) {
                        return err == -Errno.EINPROGRESS ? 0 : err;
                    }
                }
                case ActionAttr.CT_CLEAR -> Conntrack.clear(key);
                case ActionAttr.PUSH_ETH -> err = VlanMplsEth.pushEth(p, key, acts,
                        pay + ActionPushEth.ETH_SRC_OFFSET, pay + ActionPushEth.ETH_DST_OFFSET);
                case ActionAttr.POP_ETH -> err = VlanMplsEth.popEth(p, key);
                case ActionAttr.PUSH_NSH -> err = NshActions.pushNsh(p, key, acts, pay, nshScratch);
                case ActionAttr.POP_NSH -> err = NshActions.popNsh(p, key);
                case ActionAttr.METER -> {
                    if (ctx.meter(p, key, Wire.u32(acts, pay))) {
                        return 0;
                    }
                }
                case ActionAttr.CLONE -> {
                    err = cloneAction(p, key, acts, pay, plen, last, ctx);
                    if (last) {
                        return err;
                    }
                }
                case ActionAttr.CHECK_PKT_LEN -> {
                    err = checkPktLen(p, key, acts, pay, plen, last, ctx);
                    if (last) {
                        return err;
                    }
                }
                case ActionAttr.DEC_TTL -> {
                    err = decTtl(p, key);
                    if (err == EHOSTUNREACH) {
                        return decTtlExceptionHandler(p, key, acts, pay, ctx);
                    }
                }
                default -> {
                    // not in a validated list; Linux's switch has no default either
                }
            }
            if (err != 0) {
                return err; // kfree_skb
            }
            a += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
        }
        return 0; // consume_skb
    }

    // ---- output, userspace, set (tunnel), hash --------------------------------------------------

    /** {@code do_output}: the pending truncation, then the port. */
    private static void doOutput(Packet p, int port, FlowKey key, ActionContext ctx) {
        int cutlen = p.cutlen;
        if (cutlen != 0) {
            int tag = VlanMplsEth.hwTagLen(p, key);
            long skbLen = p.len - tag;
            long macHdr = macProto(key) == FlowKey.MAC_PROTO_ETHERNET ? VlanMplsEth.ETH_HLEN : 0;
            long target = (skbLen - (cutlen & 0xffffffffL)) & 0xffffffffL; // u32 arithmetic
            long trimTo = target > macHdr ? target : macHdr;
            if (trimTo < skbLen) {
                p.len = (int) (trimTo + tag);
            }
            p.cutlen = 0;
        }
        ctx.output(p, port, key);
    }

    /** {@code output_userspace}: {@code list*} is the action list being executed (for the ACTIONS flag). */
    private static void outputUserspace(Packet p, FlowKey key, byte[] acts, int pay, int plen, int listOff,
                                        int listLen, ActionContext ctx) {
        int pid = 0;
        int udOff = -1;
        int udLen = 0;
        long egress = -1;
        int actsOff = -1;
        int actsLen = 0;
        int q = pay;
        int rem = plen;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(acts, q);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            int d = q + NlAttr.HEADER_LENGTH;
            switch (NlAttr.type(acts, q)) {
                case UserspaceAttr.USERDATA -> {
                    udOff = d;
                    udLen = alen - NlAttr.HEADER_LENGTH;
                }
                case UserspaceAttr.PID -> pid = Wire.u32(acts, d);
                case UserspaceAttr.EGRESS_TUN_PORT -> egress = Wire.u32(acts, d) & 0xffffffffL;
                case UserspaceAttr.ACTIONS -> {
                    actsOff = listOff;
                    actsLen = listLen;
                }
                default -> {
                }
            }
            q += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
        }
        ctx.userspace(p, key, new UpcallInfo(PacketCmd.ACTION, pid, acts, udOff, udLen, egress, actsOff, actsLen,
                p.mru, p.cutlen));
    }

    /** {@code execute_set_action}: only the tunnel is set without a mask. */
    private static int executeSet(Packet p, byte[] acts, int pay, int plen, ActionContext ctx) {
        if (plen >= NlAttr.HEADER_LENGTH && NlAttr.type(acts, pay) == KeyAttr.TUNNEL_INFO) {
            ctx.setTunnelInfo(p, acts, pay + NlAttr.HEADER_LENGTH, NlAttr.len(acts, pay) - NlAttr.HEADER_LENGTH);
            return 0;
        }
        return -Errno.EINVAL;
    }

    // ---- dec_ttl --------------------------------------------------------------------------------

    /** {@code execute_dec_ttl}: -EHOSTUNREACH when the TTL / hop limit would reach 0. */
    private static int decTtl(Packet p, FlowKey key) {
        int proto = VlanMplsEth.protocol(p, key);
        int nh = p.networkOff;
        int end = p.off + p.len;
        byte[] b = p.buf;
        if (proto == VlanMplsEth.ETH_P_IPV6) {
            if (nh < p.off || nh + 40 > end) {
                return -Errno.ENOMEM;
            }
            int hl = b[nh + 7] & 0xff;
            if (hl <= 1) {
                return EHOSTUNREACH;
            }
            b[nh + 7] = (byte) (hl - 1);
            key.u8(FlowKey.IP_TTL_OFFSET, hl - 1);
        } else if (proto == VlanMplsEth.ETH_P_IP) {
            if (nh < p.off || nh + 20 > end) {
                return -Errno.ENOMEM;
            }
            int ttl = b[nh + 8] & 0xff;
            if (ttl <= 1) {
                return EHOSTUNREACH;
            }
            b[nh + 8] = (byte) (ttl - 1);
            Wire.putBe16(b, nh + 10, ChecksumUtil.replace2(Wire.be16(b, nh + 10), ttl << 8, (ttl - 1) << 8));
            key.u8(FlowKey.IP_TTL_OFFSET, ttl - 1);
        }
        return 0;
    }

    /** {@code dec_ttl_exception_handler}: the expired packet goes to the nested list, or is dropped. */
    private int decTtlExceptionHandler(Packet p, FlowKey key, byte[] acts, int pay, ActionContext ctx) {
        int inner = NlAttr.len(acts, pay) - NlAttr.HEADER_LENGTH; // OVS_DEC_TTL_ATTR_ACTION comes first
        if (inner > 0) {
            return cloneExecute(p, key, 0, acts, pay + NlAttr.HEADER_LENGTH, inner, true, false, ctx);
        }
        return 0;
    }

    // ---- nested lists ---------------------------------------------------------------------------

    /** {@code sample}: ARG { u32 probability, u32 exec } comes first. */
    private int sample(Packet p, FlowKey key, byte[] acts, int pay, int plen, boolean last, ActionContext ctx) {
        int argLen = NlAttr.align(NlAttr.len(acts, pay));
        int probability = Wire.u32(acts, pay + NlAttr.HEADER_LENGTH);
        boolean exec = Wire.u32(acts, pay + NlAttr.HEADER_LENGTH + 4) != 0;
        if (probability != -1 && (probability == 0 || Integer.compareUnsigned(ctx.randomU32(), probability) > 0)) {
            return 0; // not sampled (when last, the packet is consumed)
        }
        return cloneExecute(p, key, 0, acts, pay + argLen, plen - argLen, last, !exec, ctx);
    }

    /** {@code clone}: EXEC { u32 } comes first. */
    private int cloneAction(Packet p, FlowKey key, byte[] acts, int pay, int plen, boolean last, ActionContext ctx) {
        int argLen = NlAttr.align(NlAttr.len(acts, pay));
        boolean dontCloneKey = Wire.u32(acts, pay + NlAttr.HEADER_LENGTH) != 0;
        return cloneExecute(p, key, 0, acts, pay + argLen, plen - argLen, last, !dontCloneKey, ctx);
    }

    /**
     * {@code execute_check_pkt_len}: ARG { u16 pkt_len, u8 exec_gt, u8 exec_le }, then the less-or-equal
     * list, then the greater one. The length is {@code skb->len}, or MRU + L2 header for a reassembled packet.
     */
    private int checkPktLen(Packet p, FlowKey key, byte[] acts, int pay, int plen, boolean last, ActionContext ctx) {
        int arg = pay + NlAttr.HEADER_LENGTH;
        int maxLen = Wire.u16(acts, arg);
        int len = p.mru != 0 ? p.mru + VlanMplsEth.skbMacLen(p, key) : VlanMplsEth.skbLen(p, key);
        int list = pay + NlAttr.align(NlAttr.len(acts, pay));
        boolean cloneKey;
        if (len <= maxLen) {
            cloneKey = acts[arg + 3] == 0;
        } else {
            list += NlAttr.align(NlAttr.len(acts, list));
            cloneKey = acts[arg + 2] == 0;
        }
        return cloneExecute(p, key, 0, acts, list + NlAttr.HEADER_LENGTH, NlAttr.len(acts, list) - NlAttr.HEADER_LENGTH,
                last, cloneKey, ctx);
    }

    /** {@code execute_recirc}. */
    private int executeRecirc(Packet p, FlowKey key, int recircId, boolean last, ActionContext ctx) {
        if (!isKeyValid(key)) {
            int err = flowKeyUpdate(p, key, ctx);
            if (err != 0) {
                return err;
            }
        }
        return cloneExecute(p, key, recircId, null, 0, 0, last, true, ctx);
    }

    /** {@code ovs_flow_key_update}: re-extraction by the datapath; the key is valid after success. */
    private static int flowKeyUpdate(Packet p, FlowKey key, ActionContext ctx) {
        int err = ctx.flowKeyUpdate(p, key);
        if (err == 0) {
            key.u8(FlowKey.MAC_PROTO_OFFSET, key.macProto() & ~KEY_INVALID);
        }
        return err;
    }

    /**
     * {@code clone_execute}: runs {@code acts} (or, when null, recirculates with {@code recircId}) on the
     * packet ({@code last}) or a copy, with the key or a copy of it at this level ({@code cloneFlowKey});
     * defers when the levels' keys are used up, drops when the FIFO is full too.
     */
    private int cloneExecute(Packet p, FlowKey key, int recircId, byte[] acts, int off, int len, boolean last,
                             boolean cloneFlowKey, ActionContext ctx) {
        Packet skb = last ? p : p.copy();
        FlowKey clone = cloneFlowKey ? cloneKey(key) : key;
        if (clone != null) {
            if (acts == null) {
                clone.u32(FlowKey.RECIRC_ID_OFFSET, recircId);
                ctx.recirc(skb, clone, recircId);
                return 0;
            }
            if (cloneFlowKey) {
                execLevel++;
            }
            try {
                return doExecute(skb, clone, acts, off, len, ctx);
            } finally {
                if (cloneFlowKey) {
                    execLevel--;
                }
            }
        }
        Deferred da = fifoPut();
        if (da == null) {
            ctx.logRateLimited("openvswitch: " + ctx.dpName() + ": deferred action limit reached, drop "
                    + (acts != null ? "sample" : "recirc") + " action");
            return 0;
        }
        da.packet = skb;
        da.key.copyFrom(key);
        da.acts = acts;
        da.off = off;
        da.len = len;
        da.ctx = ctx;
        if (acts == null) {
            da.key.u32(FlowKey.RECIRC_ID_OFFSET, recircId);
        }
        return 0;
    }

    /** {@code clone_key}: this level's key, or null past {@link #DEFERRED_ACTION_THRESHOLD}. */
    private FlowKey cloneKey(FlowKey key) {
        if (execLevel > DEFERRED_ACTION_THRESHOLD) {
            return null;
        }
        FlowKey k = flowKeys[execLevel - 1];
        k.copyFrom(key);
        return k;
    }

    // ---- deferred actions -----------------------------------------------------------------------

    private Deferred fifoPut() {
        return fifoHead >= DEFERRED_ACTION_FIFO_SIZE - 1 ? null : fifo[fifoHead++];
    }

    /** {@code process_deferred_actions}: in FIFO order, including what they defer in turn. */
    private void processDeferred() {
        while (fifoTail != fifoHead) {
            Deferred da = fifo[fifoTail++];
            Packet p = da.packet;
            ActionContext ctx = da.ctx;
            da.packet = null;
            if (da.acts != null) {
                doExecute(p, da.key, da.acts, da.off, da.len, ctx);
            } else {
                ctx.recirc(p, da.key, da.key.u32(FlowKey.RECIRC_ID_OFFSET));
            }
        }
    }

    private void resetFifo() {
        for (int i = 0; i < fifoHead; i++) {
            fifo[i].packet = null;
            fifo[i].acts = null;
            fifo[i].ctx = null;
        }
        fifoHead = 0;
        fifoTail = 0;
    }
}
