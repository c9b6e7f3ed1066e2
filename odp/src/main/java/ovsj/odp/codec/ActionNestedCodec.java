package ovsj.odp.codec;

import ovsj.netlink.Errno;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.CheckPktLenAttr;
import ovsj.odp.uapi.DecTtlAttr;

/**
 * The parts of {@link ActionCodec} that deal with nested argument attributes: the generic netlink
 * attribute parser as the kernel's {@code nla_parse*} applies a policy, {@code check_pkt_len} and
 * {@code dec_ttl} (validation, stored form, reply form).
 */
final class ActionNestedCodec {
    static final int EINVAL = -Errno.EINVAL;

    // Policy entries (struct nla_policy .type), indexed by attribute type.
    static final byte P_UNSPEC = 0;
    static final byte P_U16 = 1;
    static final byte P_U32 = 2;
    static final byte P_NESTED = 3;

    /** {@code validate_userspace}'s policy: PID and EGRESS_TUN_PORT are NLA_U32. */
    static final byte[] USERSPACE_POLICY = {P_UNSPEC, P_U32, P_UNSPEC, P_U32, P_UNSPEC};
    /** {@code cpl_policy}. */
    static final byte[] CPL_POLICY = {P_UNSPEC, P_U16, P_NESTED, P_NESTED};

    private ActionNestedCodec() {
    }

    /**
     * {@code nla_parse} over {@code buf[off, off+len)} with {@code policy} (its length - 1 is maxtype):
     * liberal ({@code _deprecated}) or {@code _deprecated_strict}. Only the checks, not the table: find
     * the attributes afterwards with {@link #lastOf}. The length warnings are the parser's own
     * {@code pr_warn_ratelimited} lines, logged even for probes.
     */
    static int nlaParse(byte[] buf, int off, int len, byte[] policy, boolean strict, KernelLog klog,
                        ActionCaller c) {
        int maxType = policy.length - 1;
        int p = off;
        int rem = len;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(buf, p);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            int type = NlAttr.type(buf, p);
            int plen = alen - NlAttr.HEADER_LENGTH;
            p += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
            if (type == 0 || type > maxType) {
                if (strict) { // NL_VALIDATE_MAXTYPE
                    return EINVAL;
                }
                continue;
            }
            switch (policy[type]) {
                case P_U16, P_U32 -> {
                    int exact = policy[type] == P_U16 ? 2 : 4;
                    if (plen != exact) {
                        klog.log("netlink: '" + c.comm() + "': attribute type " + type + " has an invalid length.");
                    }
                    if (plen < exact) {
                        return -Errno.ERANGE;
                    }
                }
                case P_NESTED -> {
                    // An empty nest is fine; otherwise it must hold at least one header.
                    if (plen != 0 && plen < NlAttr.HEADER_LENGTH) {
                        return -Errno.ERANGE;
                    }
                }
                default -> {
                }
            }
        }
        if (rem > 0) {
            klog.log("netlink: " + rem + " bytes leftover after parsing attributes in process `" + c.comm() + "'.");
            if (strict) { // NL_VALIDATE_TRAILING
                return EINVAL;
            }
        }
        return 0;
    }

    /** The attribute {@code nla_parse} keeps for {@code type} (the last one), or -1. */
    static int lastOf(byte[] buf, int off, int len, int type) {
        int found = -1;
        int p = off;
        int rem = len;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(buf, p);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            if (NlAttr.type(buf, p) == type) {
                found = p;
            }
            p += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
        }
        return found;
    }

    // ---- check_pkt_len --------------------------------------------------------------------------

    /** {@code validate_and_copy_check_pkt_len}. */
    static int copyCheckPktLen(byte[] buf, int pay, int plen, FlowKey key, NlWriter out, KernelLog klog,
                               ActionCaller c, int ethType, int vlanTci, int mplsCount, int depth, boolean last) {
        int err = nlaParse(buf, pay, plen, CPL_POLICY, true, klog, c);
        if (err != 0) {
            return err;
        }
        int pktLen = lastOf(buf, pay, plen, CheckPktLenAttr.PKT_LEN);
        if (pktLen < 0 || Wire.u16(buf, pktLen + NlAttr.HEADER_LENGTH) == 0) {
            return EINVAL;
        }
        int le = lastOf(buf, pay, plen, CheckPktLenAttr.ACTIONS_IF_LESS_EQUAL);
        int gt = lastOf(buf, pay, plen, CheckPktLenAttr.ACTIONS_IF_GREATER);
        if (le < 0 || gt < 0) {
            return EINVAL;
        }
        int lePay = le + NlAttr.HEADER_LENGTH;
        int leLen = NlAttr.len(buf, le) - NlAttr.HEADER_LENGTH;
        int gtPay = gt + NlAttr.HEADER_LENGTH;
        int gtLen = NlAttr.len(buf, gt) - NlAttr.HEADER_LENGTH;

        int start = out.beginNest(ActionAttr.CHECK_PKT_LEN);
        int arg = out.reserve(CheckPktLenAttr.ARG, 4);
        if (arg >= 0) {
            byte[] o = out.buffer();
            Wire.putU16(o, arg, Wire.u16(buf, pktLen + NlAttr.HEADER_LENGTH));
            Wire.putU8(o, arg + 2, last || !ActionCodec.mayChangeFlow(buf, gtPay, gtLen) ? 1 : 0);
            Wire.putU8(o, arg + 3, last || !ActionCodec.mayChangeFlow(buf, lePay, leLen) ? 1 : 0);
        }
        int nest = out.beginNest(CheckPktLenAttr.ACTIONS_IF_LESS_EQUAL);
        err = ActionCodec.copyList(buf, lePay, leLen, key, out, klog, c, ethType, vlanTci, mplsCount, depth + 1);
        if (err == 0) {
            err = ActionCodec.endNest(out, nest);
        }
        if (err != 0) {
            return err;
        }
        nest = out.beginNest(CheckPktLenAttr.ACTIONS_IF_GREATER);
        err = ActionCodec.copyList(buf, gtPay, gtLen, key, out, klog, c, ethType, vlanTci, mplsCount, depth + 1);
        if (err == 0) {
            err = ActionCodec.endNest(out, nest);
        }
        return err != 0 ? err : ActionCodec.endNest(out, start);
    }

    /** {@code check_pkt_len_action_to_attr}: PKT_LEN, then the less-or-equal list, then the greater one. */
    static void putCheckPktLen(NlWriter w, byte[] s, int pay, int plen) {
        int nest = w.beginNest(ActionAttr.CHECK_PKT_LEN);
        w.putU16(CheckPktLenAttr.PKT_LEN, Wire.u16(s, pay + NlAttr.HEADER_LENGTH));
        int a = pay + NlAttr.align(NlAttr.len(s, pay));
        for (int i = 0; i < 2 && a < pay + plen; i++) {
            int alen = NlAttr.len(s, a);
            int inner = w.beginNest(NlAttr.type(s, a));
            ActionCodec.putList(w, s, a + NlAttr.HEADER_LENGTH, alen - NlAttr.HEADER_LENGTH);
            w.endNest(inner);
            a += NlAttr.align(alen);
        }
        w.endNest(nest);
    }

    // ---- dec_ttl --------------------------------------------------------------------------------

    /** {@code validate_and_copy_dec_ttl}: unknown attributes are ignored, to be future proof. */
    static int copyDecTtl(byte[] buf, int pay, int plen, FlowKey key, NlWriter out, KernelLog klog,
                          ActionCaller c, int ethType, int vlanTci, int mplsCount, int depth) {
        int action = -1;
        int p = pay;
        int rem = plen;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(buf, p);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            int type = NlAttr.type(buf, p);
            if (type <= DecTtlAttr.MAX) {
                if (type == 0 || action >= 0) {
                    if (c.log()) {
                        klog.nlerr("Duplicate or invalid key (type " + type + ").");
                    }
                    return EINVAL;
                }
                action = p;
            }
            p += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
        }
        if (rem != 0) {
            if (c.log()) {
                klog.nlerr("Message has " + rem + " unknown bytes.");
            }
            return EINVAL;
        }
        int actsLen = action < 0 ? -1 : NlAttr.len(buf, action) - NlAttr.HEADER_LENGTH;
        if (action < 0 || (actsLen != 0 && actsLen < NlAttr.HEADER_LENGTH)) {
            if (c.log()) {
                klog.nlerr("Missing valid actions attribute.");
            }
            return EINVAL;
        }
        int start = out.beginNest(ActionAttr.DEC_TTL);
        int nest = out.beginNest(DecTtlAttr.ACTION);
        int err = ActionCodec.copyList(buf, action + NlAttr.HEADER_LENGTH, actsLen, key, out, klog, c, ethType,
                vlanTci, mplsCount, depth + 1);
        if (err == 0) {
            err = ActionCodec.endNest(out, nest);
        }
        return err != 0 ? err : ActionCodec.endNest(out, start);
    }

    /** {@code dec_ttl_action_to_attr}. */
    static void putDecTtl(NlWriter w, byte[] s, int pay, int plen) {
        int nest = w.beginNest(ActionAttr.DEC_TTL);
        int p = pay;
        int rem = plen;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(s, p);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            if (NlAttr.type(s, p) == DecTtlAttr.ACTION) {
                int inner = w.beginNest(DecTtlAttr.ACTION);
                ActionCodec.putList(w, s, p + NlAttr.HEADER_LENGTH, alen - NlAttr.HEADER_LENGTH);
                w.endNest(inner);
            }
            p += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
        }
        w.endNest(nest);
    }
}
