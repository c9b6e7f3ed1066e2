package ovsj.odp.codec;

import ovsj.netlink.Errno;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.uapi.ActionAddMpls;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.ActionHash;
import ovsj.odp.uapi.ActionPushMpls;
import ovsj.odp.uapi.ActionPushVlan;
import ovsj.odp.uapi.CloneAttr;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.HashAlg;
import ovsj.odp.uapi.SampleAttr;
import ovsj.odp.uapi.UserspaceAttr;

/**
 * Flow actions: validation and copy ({@code ovs_nla_copy_actions}) and the reply form
 * ({@code ovs_nla_put_actions}), the twins of Linux 6.1 {@code net/openvswitch/flow_netlink.c}.
 *
 * <h2>Stored form</h2>
 *
 * {@link #copyActions} appends a validated list in a <em>stored form</em> that the packet path executes
 * and {@link #putActions} turns back into what the kernel reports. Like the kernel's
 * {@code sw_flow_actions}, it is a plain run of netlink attributes (4-byte aligned, {@code nla_len}
 * without padding, padding zeroed, no NLA_F_* flags on action types), so it is walked with the same
 * loop as the request. Most actions are kept exactly as received (header type without flags, payload
 * byte for byte): OUTPUT, USERSPACE, SET_MASKED, PUSH/POP_VLAN, RECIRC, HASH, PUSH/POP_MPLS,
 * ADD_MPLS, TRUNC, PUSH/POP_ETH, CT_CLEAR, PUSH/POP_NSH, METER. The others are rewritten the way the
 * kernel rewrites them, so that execution needs no further checks:
 *
 * <pre>
 * SET(3) non-masked, non-tunnel → SET_TO_MASKED(25) { KEY_ATTR(t) { value[n] | mask[n] } }
 *     mask is all ones except the IPv6 flow label's upper 12 bits; reported as SET { t: value[n] }.
 * SET(3) { TUNNEL(16) }        → SET(3) { TUNNEL_INFO(31) { u32 mode | 320 bytes: FlowKey tunnel
 *                                                         words 0..39, little-endian }
 *                                           TUNNEL(16)   { attributes as the kernel reports them } }
 *     mode: 1 = TX, 2 = IPV6, 4 = BRIDGE (IP_TUNNEL_INFO_*); reported as SET { the TUNNEL(16) copy }.
 * SAMPLE(6)                    → SAMPLE(6) { ARG(4) { u32 probability | u32 exec } actions... }
 * CLONE(20)                    → CLONE(20) { EXEC(0) { u32 exec } actions... }
 * CHECK_PKT_LEN(21)            → CHECK_PKT_LEN(21) { ARG(5) { u16 pkt_len | u8 exec_gt | u8 exec_le }
 *                                                    ACTIONS_IF_LESS_EQUAL(3) { actions... }
 *                                                    ACTIONS_IF_GREATER(2)    { actions... } }
 * DEC_TTL(23)                  → DEC_TTL(23) { ACTION(1) { actions... } }   (other attributes dropped)
 * CT(12)                       → CT(12) { the attributes ovs_ct_action_to_attr reports, in its order }
 * </pre>
 *
 * Nested action lists are stored forms too. {@code exec} is nonzero when the nested actions may run
 * without a deferred copy of the key (the kernel's {@code last || !actions_may_change_flow}); all u16 /
 * u32 fields of ARG payloads are in host (little-endian) order. CT keeps the canonical netlink form
 * rather than the kernel's {@code ovs_conntrack_info}: it is what replies carry, and a conntrack
 * implementation parses it once per flow.
 *
 * <h2>Errors and logs</h2>
 *
 * Errors are -errno as the kernel returns them (-EINVAL for nearly everything, -EOVERFLOW for nesting
 * deeper than 16 lists, -ERANGE from the attribute parser, -ENOENT for a missing NAT helper); on error
 * {@code out} is rewound to where it was. The lines the kernel logs go to the {@link KernelLog},
 * including the refusal line of the calling command (see {@link ActionCaller}). The stored form never
 * holds a nested attribute longer than 65535 bytes: where the kernel would silently truncate such an
 * {@code nla_len}, this returns -EMSGSIZE.
 */
public final class ActionCodec {
    /** {@code OVS_COPY_ACTIONS_MAX_DEPTH}: the top level is depth 0. */
    public static final int MAX_DEPTH = 16;

    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_ARP = 0x0806;
    static final int ETH_P_RARP = 0x8035;
    static final int ETH_P_IPV6 = 0x86dd;
    static final int ETH_P_MPLS_UC = 0x8847;
    static final int ETH_P_MPLS_MC = 0x8848;
    static final int ETH_P_8021Q = 0x8100;
    static final int ETH_P_8021AD = 0x88a8;
    static final int ETH_P_TEB = 0x6558;
    static final int ETH_P_NSH = 0x894f;
    static final int VLAN_CFI_MASK = 0x1000;
    static final int ETH_HLEN = 14;

    static final int EINVAL = -Errno.EINVAL;

    private static final int VARIABLE = -1;
    /** {@code action_lens[]} of 6.1: payload length per action type, or VARIABLE. */
    private static final int[] ACTION_LENS = new int[ActionAttr.MAX + 1];

    static {
        ACTION_LENS[ActionAttr.OUTPUT] = 4;
        ACTION_LENS[ActionAttr.RECIRC] = 4;
        ACTION_LENS[ActionAttr.USERSPACE] = VARIABLE;
        ACTION_LENS[ActionAttr.PUSH_MPLS] = ActionPushMpls.LENGTH;
        ACTION_LENS[ActionAttr.POP_MPLS] = 2;
        ACTION_LENS[ActionAttr.PUSH_VLAN] = ActionPushVlan.LENGTH;
        ACTION_LENS[ActionAttr.POP_VLAN] = 0;
        ACTION_LENS[ActionAttr.SET] = VARIABLE;
        ACTION_LENS[ActionAttr.SET_MASKED] = VARIABLE;
        ACTION_LENS[ActionAttr.SAMPLE] = VARIABLE;
        ACTION_LENS[ActionAttr.HASH] = ActionHash.LENGTH;
        ACTION_LENS[ActionAttr.CT] = VARIABLE;
        ACTION_LENS[ActionAttr.CT_CLEAR] = 0;
        ACTION_LENS[ActionAttr.TRUNC] = 4;
        ACTION_LENS[ActionAttr.PUSH_ETH] = 12;
        ACTION_LENS[ActionAttr.POP_ETH] = 0;
        ACTION_LENS[ActionAttr.PUSH_NSH] = VARIABLE;
        ACTION_LENS[ActionAttr.POP_NSH] = 0;
        ACTION_LENS[ActionAttr.METER] = 4;
        ACTION_LENS[ActionAttr.CLONE] = VARIABLE;
        ACTION_LENS[ActionAttr.CHECK_PKT_LEN] = VARIABLE;
        ACTION_LENS[ActionAttr.ADD_MPLS] = ActionAddMpls.LENGTH;
        ACTION_LENS[ActionAttr.DEC_TTL] = VARIABLE;
    }

    private ActionCodec() {
    }

    /**
     * Validates ACTIONS payload {@code buf[off, off+len)} for a flow whose masked key is {@code key};
     * appends the stored form to {@code out}; returns 0 or -errno, logging what the kernel logs for an
     * {@code OVS_FLOW_CMD_NEW} request (see {@link ActionCaller#FLOW_NEW}).
     */
    public static int copyActions(byte[] buf, int off, int len, FlowKey key, NlWriter out, KernelLog log) {
        return copyActions(buf, off, len, key, out, log, ActionCaller.FLOW_NEW);
    }

    /** As {@link #copyActions(byte[], int, int, FlowKey, NlWriter, KernelLog)} for any caller. */
    public static int copyActions(byte[] buf, int off, int len, FlowKey key, NlWriter out, KernelLog klog,
                                  ActionCaller caller) {
        int mark = out.position();
        int ethType = key.ethType();
        int mplsCount = isMpls(ethType) ? Integer.bitCount(key.u32(FlowKey.MPLS_LABELS_MASK_OFFSET)) : 0;
        int err = copyList(buf, off, len, key, out, klog, caller, ethType, key.vlanTci(), mplsCount, 0);
        if (err == 0 && out.overflowed()) {
            err = -Errno.EMSGSIZE;
        }
        if (err != 0) {
            out.rewind(mark);
            if (caller.refusal() != null && caller.log()) {
                klog.nlerr(caller.refusal());
            }
        }
        return err;
    }

    /**
     * Emits the stored form {@code stored[off, off+len)} as the kernel reports it: an
     * {@code OVS_FLOW_ATTR_ACTIONS} nest with the actions. Returns 0, or -EMSGSIZE if a bounded
     * {@code w} overflowed, in which case the nest is cancelled ({@code w} is back where it was).
     */
    public static int putActions(NlWriter w, byte[] stored, int off, int len) {
        return putActions(w, FlowAttr.ACTIONS, stored, off, len);
    }

    /** As {@link #putActions(NlWriter, byte[], int, int)} in a nest of type {@code attrType} (an upcall's). */
    public static int putActions(NlWriter w, int attrType, byte[] stored, int off, int len) {
        int start = w.position();
        int nest = w.beginNest(attrType);
        putList(w, stored, off, len);
        if (nest < 0 || w.overflowed()) {
            w.cancelNest(start);
            return -Errno.EMSGSIZE;
        }
        w.endNest(nest);
        return 0;
    }

    /**
     * The number of bytes {@link #putActions} writes for {@code stored[off, off+len)}, nest included, so a
     * dump can size its batch without a trial write. (The kernel sizes a single-flow reply from the
     * request's ACTIONS length instead; callers that imitate {@code ovs_flow_cmd_msg_size} should keep
     * that length.)
     */
    public static int replySize(byte[] stored, int off, int len) {
        return NlAttr.HEADER_LENGTH + listSize(stored, off, len);
    }

    private static int listSize(byte[] s, int off, int len) {
        int size = 0;
        int p = off;
        int end = off + len;
        while (p + NlAttr.HEADER_LENGTH <= end) {
            int alen = NlAttr.len(s, p);
            int pay = p + NlAttr.HEADER_LENGTH;
            int plen = alen - NlAttr.HEADER_LENGTH;
            size += NlAttr.HEADER_LENGTH;
            switch (NlAttr.type(s, p)) {
                case ActionAttr.SET_TO_MASKED -> size += NlAttr.totalSize((NlAttr.len(s, pay) - 4) / 2);
                case ActionAttr.SET -> size += plen - NlAttr.align(NlAttr.len(s, pay)); // TUNNEL_INFO dropped
                case ActionAttr.SAMPLE, ActionAttr.CLONE -> {
                    int argLen = NlAttr.align(NlAttr.len(s, pay));
                    boolean sample = NlAttr.type(s, p) == ActionAttr.SAMPLE;
                    size += (sample ? NlAttr.totalSize(4) + NlAttr.HEADER_LENGTH : 0)
                            + listSize(s, pay + argLen, plen - argLen);
                }
                case ActionAttr.CHECK_PKT_LEN, ActionAttr.DEC_TTL -> {
                    int a = pay;
                    if (NlAttr.type(s, p) == ActionAttr.CHECK_PKT_LEN) {
                        size += NlAttr.totalSize(2); // PKT_LEN replaces ARG
                        a += NlAttr.align(NlAttr.len(s, pay));
                    }
                    while (a + NlAttr.HEADER_LENGTH <= pay + plen) {
                        int l = NlAttr.len(s, a);
                        size += NlAttr.HEADER_LENGTH + listSize(s, a + NlAttr.HEADER_LENGTH, l - NlAttr.HEADER_LENGTH);
                        a += NlAttr.align(l);
                    }
                }
                default -> size += NlAttr.align(plen);
            }
            p += NlAttr.align(alen);
        }
        return size;
    }

    // ---- validation and copy (__ovs_nla_copy_actions) --------------------------------------------

    static int copyList(byte[] buf, int off, int len, FlowKey key, NlWriter out, KernelLog klog, ActionCaller c,
                        int ethType, int vlanTci, int mplsCount, int depth) {
        if (depth > MAX_DEPTH) {
            return -Errno.EOVERFLOW;
        }
        // The kernel restarts from the key's mac_proto in every (nested) list.
        int macProto = key.macProto() & 0x7f;
        int p = off;
        int rem = len;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(buf, p);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            int type = NlAttr.type(buf, p);
            int pay = p + NlAttr.HEADER_LENGTH;
            int plen = alen - NlAttr.HEADER_LENGTH;
            boolean last = alen == rem; // nla_is_last(): no padding after it either
            p += NlAttr.align(alen);
            rem -= NlAttr.align(alen);

            if (type > ActionAttr.MAX || (ACTION_LENS[type] != VARIABLE && ACTION_LENS[type] != plen)) {
                return EINVAL;
            }
            int err = 0;
            boolean copy = true;
            switch (type) {
                case ActionAttr.UNSPEC:
                    return EINVAL;
                case ActionAttr.USERSPACE:
                    err = validateUserspace(buf, pay, plen, klog, c);
                    break;
                case ActionAttr.OUTPUT:
                    if (Integer.compareUnsigned(Wire.u32(buf, pay), FlowKey.DP_MAX_PORTS) >= 0) {
                        return EINVAL;
                    }
                    break;
                case ActionAttr.TRUNC:
                    if (Integer.compareUnsigned(Wire.u32(buf, pay), ETH_HLEN) < 0) {
                        return EINVAL;
                    }
                    break;
                case ActionAttr.HASH:
                    // 6.1 knows only OVS_HASH_ALG_L4 (the symmetric hash came in 6.5).
                    if (Wire.u32(buf, pay + ActionHash.HASH_ALG_OFFSET) != HashAlg.L4) {
                        return EINVAL;
                    }
                    break;
                case ActionAttr.POP_VLAN:
                    if (macProto != FlowKey.MAC_PROTO_ETHERNET) {
                        return EINVAL;
                    }
                    vlanTci = 0;
                    break;
                case ActionAttr.PUSH_VLAN: {
                    if (macProto != FlowKey.MAC_PROTO_ETHERNET) {
                        return EINVAL;
                    }
                    int tpid = Wire.be16(buf, pay + ActionPushVlan.VLAN_TPID_OFFSET);
                    int tci = Wire.be16(buf, pay + ActionPushVlan.VLAN_TCI_OFFSET);
                    if ((tpid != ETH_P_8021Q && tpid != ETH_P_8021AD) || (tci & VLAN_CFI_MASK) == 0) {
                        return EINVAL;
                    }
                    vlanTci = tci;
                    break;
                }
                case ActionAttr.RECIRC:
                case ActionAttr.CT_CLEAR:
                case ActionAttr.METER: // a meter that does not exist is simply ignored
                    break;
                case ActionAttr.ADD_MPLS: {
                    int ethertype = Wire.be16(buf, pay + ActionAddMpls.MPLS_ETHERTYPE_OFFSET);
                    if (!isMpls(ethertype)) {
                        return EINVAL;
                    }
                    int tunFlags = Wire.u16(buf, pay + ActionAddMpls.TUN_FLAGS_OFFSET);
                    if ((tunFlags & ActionAddMpls.L3_TUNNEL_FLAG_MASK) != 0) {
                        if (!mplsPushAllowed(vlanTci, ethType)) {
                            return EINVAL;
                        }
                        mplsCount++;
                    } else if (macProto == FlowKey.MAC_PROTO_ETHERNET) {
                        mplsCount = 1;
                        macProto = FlowKey.MAC_PROTO_NONE;
                    } else {
                        mplsCount++;
                    }
                    ethType = ethertype;
                    break;
                }
                case ActionAttr.PUSH_MPLS: {
                    int ethertype = Wire.be16(buf, pay + ActionPushMpls.MPLS_ETHERTYPE_OFFSET);
                    if (!isMpls(ethertype) || !mplsPushAllowed(vlanTci, ethType)) {
                        return EINVAL;
                    }
                    ethType = ethertype;
                    mplsCount++;
                    break;
                }
                case ActionAttr.POP_MPLS: {
                    if ((vlanTci & VLAN_CFI_MASK) != 0 || !isMpls(ethType)) {
                        return EINVAL;
                    }
                    int proto = Wire.be16(buf, pay);
                    if (proto == ETH_P_TEB && macProto != FlowKey.MAC_PROTO_NONE) {
                        return EINVAL;
                    }
                    mplsCount--; // a u32 in the kernel: 0 - 1 is not 0
                    // Once the last label is gone, later L2.5+ sets and pops are refused.
                    ethType = (!isMpls(proto) || mplsCount == 0) ? 0 : proto;
                    break;
                }
                case ActionAttr.SET:
                case ActionAttr.SET_MASKED:
                    err = ActionSetCodec.validateSet(buf, pay, plen, key, out, klog, c, macProto, ethType,
                            type == ActionAttr.SET_MASKED);
                    copy = false;
                    break;
                case ActionAttr.SAMPLE:
                    err = copySample(buf, pay, plen, key, out, klog, c, ethType, vlanTci, mplsCount, depth, last);
                    copy = false;
                    break;
                case ActionAttr.CT:
                    err = CtActionCodec.copy(buf, pay, plen, key, out, klog, c);
                    copy = false;
                    break;
                case ActionAttr.PUSH_ETH:
                    if (macProto != FlowKey.MAC_PROTO_NONE) {
                        return EINVAL;
                    }
                    macProto = FlowKey.MAC_PROTO_ETHERNET;
                    break;
                case ActionAttr.POP_ETH:
                    if (macProto != FlowKey.MAC_PROTO_ETHERNET || (vlanTci & VLAN_CFI_MASK) != 0) {
                        return EINVAL;
                    }
                    macProto = FlowKey.MAC_PROTO_NONE;
                    break;
                case ActionAttr.PUSH_NSH:
                    if (macProto != FlowKey.MAC_PROTO_ETHERNET && tunPFromEthP(ethType) == 0) {
                        return EINVAL;
                    }
                    macProto = FlowKey.MAC_PROTO_NONE;
                    if (!ActionSetCodec.validatePushNsh(buf, pay, plen, klog)) {
                        return EINVAL;
                    }
                    break;
                case ActionAttr.POP_NSH: {
                    int np = key.u8(FlowKey.NSH_NP_OFFSET);
                    if (ethType != ETH_P_NSH || tunPToEthP(np) == 0) {
                        return EINVAL;
                    }
                    macProto = np == TUN_P_ETHERNET ? FlowKey.MAC_PROTO_ETHERNET : FlowKey.MAC_PROTO_NONE;
                    break;
                }
                case ActionAttr.CLONE:
                    err = copyClone(buf, pay, plen, key, out, klog, c, ethType, vlanTci, mplsCount, depth, last);
                    copy = false;
                    break;
                case ActionAttr.CHECK_PKT_LEN:
                    err = ActionNestedCodec.copyCheckPktLen(buf, pay, plen, key, out, klog, c, ethType, vlanTci,
                            mplsCount, depth, last);
                    copy = false;
                    break;
                case ActionAttr.DEC_TTL:
                    err = ActionNestedCodec.copyDecTtl(buf, pay, plen, key, out, klog, c, ethType, vlanTci,
                            mplsCount, depth);
                    copy = false;
                    break;
                default:
                    // Unreachable in 6.1: every type up to OVS_ACTION_ATTR_MAX is handled above.
                    if (c.log()) {
                        klog.nlerr("Unknown Action type " + type);
                    }
                    return EINVAL;
            }
            if (err != 0) {
                return err;
            }
            if (copy) {
                out.putBytes(type, buf, pay, plen);
            }
        }
        return rem > 0 ? EINVAL : 0;
    }

    /** {@code validate_and_copy_sample}. */
    private static int copySample(byte[] buf, int pay, int plen, FlowKey key, NlWriter out, KernelLog klog,
                                  ActionCaller c, int ethType, int vlanTci, int mplsCount, int depth, boolean last) {
        int prob = -1;
        int acts = -1;
        int p = pay;
        int rem = plen;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(buf, p);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            int type = NlAttr.type(buf, p);
            if (type == SampleAttr.PROBABILITY && prob < 0) {
                prob = p;
            } else if (type == SampleAttr.ACTIONS && acts < 0) {
                acts = p;
            } else {
                return EINVAL; // unknown, UNSPEC or duplicate
            }
            p += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
        }
        if (rem != 0 || prob < 0 || NlAttr.len(buf, prob) != NlAttr.HEADER_LENGTH + 4 || acts < 0) {
            return EINVAL;
        }
        int actsLen = NlAttr.len(buf, acts) - NlAttr.HEADER_LENGTH;
        if (actsLen != 0 && actsLen < NlAttr.HEADER_LENGTH) {
            return EINVAL;
        }
        int actsPay = acts + NlAttr.HEADER_LENGTH;
        int start = out.beginNest(ActionAttr.SAMPLE);
        int arg = out.reserve(SampleAttr.ARG, 8);
        if (arg >= 0) {
            Wire.putU32(out.buffer(), arg, Wire.u32(buf, prob + NlAttr.HEADER_LENGTH));
            Wire.putU32(out.buffer(), arg + 4, last || !mayChangeFlow(buf, actsPay, actsLen) ? 1 : 0);
        }
        int err = copyList(buf, actsPay, actsLen, key, out, klog, c, ethType, vlanTci, mplsCount, depth + 1);
        return err != 0 ? err : endNest(out, start);
    }

    /** {@code validate_and_copy_clone}: the clone's payload is the nested action list itself. */
    private static int copyClone(byte[] buf, int pay, int plen, FlowKey key, NlWriter out, KernelLog klog,
                                 ActionCaller c, int ethType, int vlanTci, int mplsCount, int depth, boolean last) {
        if (plen != 0 && plen < NlAttr.HEADER_LENGTH) {
            return EINVAL;
        }
        int start = out.beginNest(ActionAttr.CLONE);
        out.putU32(CloneAttr.EXEC, last || !mayChangeFlow(buf, pay, plen) ? 1 : 0);
        int err = copyList(buf, pay, plen, key, out, klog, c, ethType, vlanTci, mplsCount, depth + 1);
        return err != 0 ? err : endNest(out, start);
    }

    /** {@code validate_userspace}: a liberal {@code nla_parse_nested} with the userspace policy. */
    private static int validateUserspace(byte[] buf, int pay, int plen, KernelLog klog, ActionCaller c) {
        int err = ActionNestedCodec.nlaParse(buf, pay, plen, ActionNestedCodec.USERSPACE_POLICY, false, klog, c);
        if (err != 0) {
            return err;
        }
        int pid = ActionNestedCodec.lastOf(buf, pay, plen, UserspaceAttr.PID);
        return pid < 0 || Wire.u32(buf, pid + NlAttr.HEADER_LENGTH) == 0 ? EINVAL : 0;
    }

    /**
     * {@code actions_may_change_flow}: false only if every action in the list leaves the key alone
     * (output, recirc, trunc, userspace).
     */
    static boolean mayChangeFlow(byte[] buf, int off, int len) {
        int p = off;
        int rem = len;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(buf, p);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            switch (NlAttr.type(buf, p)) {
                case ActionAttr.OUTPUT, ActionAttr.RECIRC, ActionAttr.TRUNC, ActionAttr.USERSPACE -> {
                }
                default -> {
                    return true;
                }
            }
            p += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
        }
        return false;
    }

    /** {@code add_nested_action_end}, refusing lengths that do not fit {@code nla_len}. */
    static int endNest(NlWriter out, int start) {
        if (start >= 0 && !out.overflowed() && out.position() - start > 0xffff) {
            return -Errno.EMSGSIZE;
        }
        out.endNest(start);
        return 0;
    }

    static boolean isMpls(int ethType) {
        return ethType == ETH_P_MPLS_UC || ethType == ETH_P_MPLS_MC;
    }

    /** MPLS may be pushed only onto untagged IP, ARP or MPLS packets (a known tag order). */
    private static boolean mplsPushAllowed(int vlanTci, int ethType) {
        return (vlanTci & VLAN_CFI_MASK) == 0
                && (ethType == ETH_P_IP || ethType == ETH_P_IPV6 || ethType == ETH_P_ARP
                || ethType == ETH_P_RARP || isMpls(ethType));
    }

    static final int TUN_P_IPV4 = 1;
    static final int TUN_P_IPV6 = 2;
    static final int TUN_P_ETHERNET = 3;
    static final int TUN_P_NSH = 4;
    static final int TUN_P_MPLS_UC = 5;

    /** {@code tun_p_from_eth_p}. */
    static int tunPFromEthP(int ethType) {
        return switch (ethType) {
            case ETH_P_IP -> TUN_P_IPV4;
            case ETH_P_IPV6 -> TUN_P_IPV6;
            case ETH_P_TEB -> TUN_P_ETHERNET;
            case ETH_P_NSH -> TUN_P_NSH;
            case ETH_P_MPLS_UC -> TUN_P_MPLS_UC;
            default -> 0;
        };
    }

    /** {@code tun_p_to_eth_p}. */
    static int tunPToEthP(int np) {
        return switch (np) {
            case TUN_P_IPV4 -> ETH_P_IP;
            case TUN_P_IPV6 -> ETH_P_IPV6;
            case TUN_P_ETHERNET -> ETH_P_TEB;
            case TUN_P_NSH -> ETH_P_NSH;
            case TUN_P_MPLS_UC -> ETH_P_MPLS_UC;
            default -> 0;
        };
    }

    // ---- reply form (ovs_nla_put_actions) --------------------------------------------------------

    /** Writes the reply form of the stored list {@code s[off, off+len)}; overflow shows in {@code w}. */
    static void putList(NlWriter w, byte[] s, int off, int len) {
        int p = off;
        int rem = len;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(s, p);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            int type = NlAttr.type(s, p);
            int pay = p + NlAttr.HEADER_LENGTH;
            int plen = alen - NlAttr.HEADER_LENGTH;
            switch (type) {
                case ActionAttr.SET_TO_MASKED -> {
                    // Back to the SET the user sent: the key attribute with the value half only.
                    int nest = w.beginNest(ActionAttr.SET);
                    w.putBytes(NlAttr.type(s, pay), s, pay + NlAttr.HEADER_LENGTH,
                            (NlAttr.len(s, pay) - NlAttr.HEADER_LENGTH) / 2);
                    w.endNest(nest);
                }
                case ActionAttr.SET -> ActionSetCodec.putSetTunnel(w, s, pay, plen);
                case ActionAttr.SAMPLE -> {
                    int nest = w.beginNest(ActionAttr.SAMPLE);
                    int argLen = NlAttr.align(NlAttr.len(s, pay));
                    w.putU32(SampleAttr.PROBABILITY, Wire.u32(s, pay + NlAttr.HEADER_LENGTH));
                    int acts = w.beginNest(SampleAttr.ACTIONS);
                    putList(w, s, pay + argLen, plen - argLen);
                    w.endNest(acts);
                    w.endNest(nest);
                }
                case ActionAttr.CLONE -> {
                    int nest = w.beginNest(ActionAttr.CLONE);
                    int execLen = NlAttr.align(NlAttr.len(s, pay));
                    putList(w, s, pay + execLen, plen - execLen);
                    w.endNest(nest);
                }
                case ActionAttr.CHECK_PKT_LEN -> ActionNestedCodec.putCheckPktLen(w, s, pay, plen);
                case ActionAttr.DEC_TTL -> ActionNestedCodec.putDecTtl(w, s, pay, plen);
                default -> w.putBytes(type, s, pay, plen); // CT is stored in its reply form already
            }
            p += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
        }
    }
}
