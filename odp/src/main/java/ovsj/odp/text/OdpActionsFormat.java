package ovsj.odp.text;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.CheckPktLenAttr;
import ovsj.odp.uapi.DecTtlAttr;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.SampleAttr;

/**
 * A datapath action list as text, the twin of OVS's {@code format_odp_actions}: what
 * {@code ovs-dpctl dump-flows} prints after {@code actions:}. Action numbers are the Linux 6.1 module's;
 * an empty list prints {@code drop}.
 *
 * <p>OVS 3.1 numbers its userspace-only actions 23 ({@code tnl_push}), 24 ({@code tnl_pop}), 25
 * ({@code drop}) and 26 ({@code lb_output}), so it prints the kernel's {@code OVS_ACTION_ATTR_DEC_TTL}
 * (23) as a garbled {@code tnl_push(...)}. Here 23 is {@code dec_ttl(le_1(ACTIONS))}, as newer OVS prints
 * it; 24 to 26 keep OVS's userspace meaning (they never come back from the kernel, but
 * {@link OdpActionsParse} produces them, as {@code ovs-dpctl} does).
 */
public final class OdpActionsFormat {
    private OdpActionsFormat() {
    }

    /** OVS 3.1's userspace-only action numbers (above the Linux 6.1 range). */
    static final int OVS_TUNNEL_PUSH = 23;
    static final int OVS_TUNNEL_POP = 24;
    static final int OVS_DROP = 25;
    static final int OVS_LB_OUTPUT = 26;

    /** Appends the actions {@code buf[off, off+len)}, naming output ports from {@code names} (nullable). */
    public static void format(StringBuilder out, byte[] buf, int off, int len, PortNames names) {
        if (len == 0) {
            out.append("drop");
            return;
        }
        NlAttrReader a = new NlAttrReader().wrap(buf, off, len);
        boolean first = true;
        while (a.next()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            action(out, a, names);
        }
        int left = a.remaining();
        if (left > 0) {
            if (left == len) {
                out.append("<empty>");
            }
            out.append(",***").append(left).append(" leftover bytes*** (");
            Fmt.hex(out, buf, off + len - left, left);
            out.append(')');
        }
    }

    /** As {@link #format(StringBuilder, byte[], int, int, PortNames)} into a new string. */
    public static String format(byte[] buf, int off, int len, PortNames names) {
        StringBuilder sb = new StringBuilder();
        format(sb, buf, off, len, names);
        return sb.toString();
    }

    /** {@code odp_action_len}: fixed payload sizes; -1 for variable, -2 for unknown. */
    static int actionLen(int type) {
        return switch (type) {
            case ActionAttr.OUTPUT, ActionAttr.TRUNC, ActionAttr.METER, ActionAttr.RECIRC, ActionAttr.PUSH_VLAN,
                 OVS_TUNNEL_POP, OVS_DROP, OVS_LB_OUTPUT -> 4;
            case ActionAttr.POP_VLAN, ActionAttr.CT_CLEAR, ActionAttr.POP_ETH, ActionAttr.POP_NSH -> 0;
            case ActionAttr.PUSH_MPLS, ActionAttr.HASH, ActionAttr.ADD_MPLS -> 8;
            case ActionAttr.POP_MPLS -> 2;
            case ActionAttr.PUSH_ETH -> 12;
            case ActionAttr.USERSPACE, ActionAttr.SET, ActionAttr.SET_MASKED, ActionAttr.SAMPLE, ActionAttr.CT,
                 ActionAttr.CLONE, ActionAttr.PUSH_NSH, ActionAttr.CHECK_PKT_LEN, ActionAttr.DEC_TTL -> -1;
            default -> -2;
        };
    }

    private static void generic(StringBuilder ds, NlAttrReader a) {
        ds.append("action").append(a.type());
        if (a.payloadLength() > 0) {
            ds.append('(');
            Fmt.generic(ds, a.buffer(), a.payloadOffset(), a.payloadLength());
            ds.append(')');
        }
    }

    /** {@code format_odp_action}. */
    static void action(StringBuilder ds, NlAttrReader a, PortNames names) {
        int type = a.type();
        int expected = actionLen(type);
        if (expected >= 0 && a.payloadLength() != expected) {
            ds.append("bad length ").append(a.payloadLength()).append(", expected ").append(expected).append(" for: ");
            generic(ds, a);
            return;
        }
        byte[] b = a.buffer();
        int p = a.payloadOffset();
        switch (type) {
            case ActionAttr.METER -> ds.append("meter(").append(Fmt.u32(a.u32())).append(')');
            case ActionAttr.OUTPUT -> PortNames.format(ds, names, a.u32());
            case OVS_LB_OUTPUT -> ds.append("lb_output(").append(Fmt.u32(a.u32())).append(')');
            case ActionAttr.TRUNC -> ds.append("trunc(").append(Fmt.u32(a.u32())).append(')');
            case OVS_TUNNEL_POP -> {
                ds.append("tnl_pop(");
                PortNames.format(ds, names, a.u32());
                ds.append(')');
            }
            case ActionAttr.USERSPACE -> ActionParts.userspace(ds, a, names);
            case ActionAttr.RECIRC -> ds.append("recirc(").append(Fmt.altHex(a.u32() & 0xffffffffL)).append(')');
            case ActionAttr.HASH -> {
                int alg = Wire.u32(b, p);
                String basis = Fmt.u32(Wire.u32(b, p + 4));
                ds.append("hash(");
                if (alg == 0) {
                    ds.append("l4(").append(basis).append(')');
                } else if (alg == 1) {
                    ds.append("sym_l4(").append(basis).append(')');
                } else {
                    ds.append("Unknown hash algorithm(").append(Fmt.u32(alg)).append(')');
                }
                ds.append(')');
            }
            case ActionAttr.SET_MASKED -> ActionParts.setMasked(ds, b, p, a.payloadLength());
            case ActionAttr.SET -> {
                ds.append("set(");
                ActionParts.keyAttr(ds, b, p, null, -1, true);
                ds.append(')');
            }
            case ActionAttr.PUSH_ETH -> {
                ds.append("push_eth(src=");
                Inet.mac(ds, b, p);
                ds.append(",dst=");
                Inet.mac(ds, b, p + 6);
                ds.append(')');
            }
            case ActionAttr.POP_ETH -> ds.append("pop_eth");
            case ActionAttr.PUSH_VLAN -> {
                int tpid = Wire.be16(b, p);
                ds.append("push_vlan(");
                if (tpid != 0x8100) {
                    ds.append(String.format("tpid=0x%04x,", tpid));
                }
                KeyFormat.vlanTci(ds, Wire.be16(b, p + 2), 0xffff, false);
                ds.append(')');
            }
            case ActionAttr.POP_VLAN -> ds.append("pop_vlan");
            case ActionAttr.PUSH_MPLS, ActionAttr.ADD_MPLS -> {
                ds.append(type == ActionAttr.PUSH_MPLS ? "push_mpls(" : "add_mpls(");
                KeyFormat.mplsLse(ds, Wire.be32(b, p));
                ds.append(",eth_type=0x").append(Integer.toHexString(Wire.be16(b, p + 4))).append(')');
            }
            case ActionAttr.POP_MPLS -> ds.append("pop_mpls(eth_type=0x").append(Integer.toHexString(a.be16()))
                    .append(')');
            case ActionAttr.SAMPLE -> sample(ds, a, names);
            case ActionAttr.CT -> ActionParts.conntrack(ds, a);
            case ActionAttr.CT_CLEAR -> ds.append("ct_clear");
            case ActionAttr.CLONE -> {
                ds.append("clone(");
                format(ds, b, p, a.payloadLength(), names);
                ds.append(')');
            }
            case ActionAttr.PUSH_NSH -> {
                int nsh = NlAttrReader.find(b, p, a.payloadLength(), KeyAttr.NSH);
                if (nsh >= 0) {
                    TunnelFormat.pushNsh(ds, b, nsh);
                } else {
                    ds.append("push_nsh(error)");
                }
            }
            case ActionAttr.POP_NSH -> ds.append("pop_nsh()");
            case ActionAttr.CHECK_PKT_LEN -> checkPktLen(ds, a, names);
            case ActionAttr.DEC_TTL -> {
                ds.append("dec_ttl(le_1(");
                int acts = NlAttrReader.find(b, p, a.payloadLength(), DecTtlAttr.ACTION);
                if (acts >= 0) {
                    format(ds, b, acts + 4, NlAttr.len(b, acts) - 4, names);
                }
                ds.append("))");
            }
            case OVS_DROP -> ds.append("drop");
            default -> generic(ds, a);
        }
    }

    private static void sample(StringBuilder ds, NlAttrReader a, PortNames names) {
        byte[] b = a.buffer();
        int prob = NlAttrReader.find(b, a.payloadOffset(), a.payloadLength(), SampleAttr.PROBABILITY);
        int acts = NlAttrReader.find(b, a.payloadOffset(), a.payloadLength(), SampleAttr.ACTIONS);
        ds.append("sample");
        if (prob < 0 || acts < 0 || NlAttr.len(b, prob) != 8) {
            ds.append("(error)");
            return;
        }
        double percentage = 100.0 * (Wire.u32(b, prob + 4) & 0xffffffffL) / 4294967295.0;
        ds.append("(sample=").append(Fmt.fixed1(percentage)).append("%,actions(");
        format(ds, b, acts + 4, NlAttr.len(b, acts) - 4, names);
        ds.append("))");
    }

    private static void checkPktLen(StringBuilder ds, NlAttrReader a, PortNames names) {
        byte[] b = a.buffer();
        int len = NlAttrReader.find(b, a.payloadOffset(), a.payloadLength(), CheckPktLenAttr.PKT_LEN);
        int gt = NlAttrReader.find(b, a.payloadOffset(), a.payloadLength(), CheckPktLenAttr.ACTIONS_IF_GREATER);
        int le = NlAttrReader.find(b, a.payloadOffset(), a.payloadLength(), CheckPktLenAttr.ACTIONS_IF_LESS_EQUAL);
        ds.append("check_pkt_len");
        if (len < 0 || gt < 0 || le < 0 || NlAttr.len(b, len) != 6) {
            ds.append("(error)");
            return;
        }
        ds.append("(size=").append(Wire.u16(b, len + 4)).append(",gt(");
        format(ds, b, gt + 4, NlAttr.len(b, gt) - 4, names);
        ds.append("),le(");
        format(ds, b, le + 4, NlAttr.len(b, le) - 4, names);
        ds.append("))");
    }
}
