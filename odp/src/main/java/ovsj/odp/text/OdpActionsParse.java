package ovsj.odp.text;

import static ovsj.odp.text.OdpParseException.E2BIG;
import static ovsj.odp.text.OdpParseException.EINVAL;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.CheckPktLenAttr;
import ovsj.odp.uapi.SampleAttr;

/**
 * Datapath action text to netlink, the twin of OVS 3.1's {@code odp_actions_from_string}: the ACTIONS
 * attribute payload {@code ovs-dpctl add-flow} sends. Like 3.1 it cannot parse {@code push_mpls},
 * {@code pop_mpls}, {@code hash}, {@code push_eth}, {@code pop_eth} or {@code dec_ttl} (they only come
 * back from the kernel), and it encodes {@code drop}, {@code tnl_pop(N)}, {@code lb_output(N)} and
 * {@code tnl_push(...)} with OVS's userspace-only action numbers (25, 24, 26, 23), which the Linux
 * datapath refuses. {@code userspace(pid=N)} without userdata carries a zeroed 48-byte cookie.
 */
public final class OdpActionsParse {
    static final int EFBIG = 27;

    final String s;
    private final PortNames names;
    final OdpFlowParse keys;

    private OdpActionsParse(String s, PortNames names) {
        this.s = s;
        this.names = names;
        this.keys = new OdpFlowParse(s, names);
    }

    /**
     * Parses {@code actions} and appends the action attributes to {@code out}; on error nothing is
     * appended.
     *
     * @return 0
     * @throws OdpParseException with the errno OVS returns ({@code EINVAL}, {@code E2BIG}, {@code EFBIG})
     */
    public static int parse(String actions, PortNames names, NlWriter out) throws OdpParseException {
        if (actions.equalsIgnoreCase("drop")) {
            out.putU32(OdpActionsFormat.OVS_DROP, 0);
            return 0;
        }
        OdpActionsParse p = new OdpActionsParse(actions, names);
        int start = out.position();
        int pos = 0;
        for (;;) {
            pos += OvsScan.span(actions, pos, OvsScan.DELIMITERS);
            if (pos >= actions.length()) {
                return 0;
            }
            int r = p.action(pos, out);
            if (r >= 0 && out.position() - start - NlAttr.HEADER_LENGTH > 0xffff - NlAttr.HEADER_LENGTH) {
                r = -E2BIG;
            }
            if (r < 0 || (pos + r < actions.length() && OvsScan.DELIMITERS.indexOf(actions.charAt(pos + r)) < 0)) {
                out.rewind(start);
                throw new OdpParseException("syntax error in actions at " + actions.substring(pos),
                        r < 0 ? -r : EINVAL);
            }
            pos += r;
        }
    }

    /** {@code parse_action_list}: actions up to (not including) ')'; consumed length or -errno. */
    int list(int pos, NlWriter out) {
        int n = 0;
        for (;;) {
            n += OvsScan.span(s, pos + n, OvsScan.DELIMITERS);
            if (OvsScan.at(s, pos + n) == ')') {
                break;
            }
            int r = action(pos + n, out);
            if (r < 0) {
                return r;
            }
            n += r;
        }
        return out.position() > 0xffff ? -EFBIG : n;
    }

    /** {@code parse_odp_action}: one action at {@code s[pos]}; consumed length or -errno. */
    int action(int pos, NlWriter out) {
        keys.depth++;
        try {
            return keys.depth == OdpFlowParse.MAX_NESTED ? -EINVAL : action0(pos, out);
        } finally {
            keys.depth--;
        }
    }

    private OvsScan.Result scan(int pos, String fmt) {
        return OvsScan.scan(s, pos, fmt);
    }

    private int action0(int pos, NlWriter out) {
        OvsScan.Result r;
        if ((r = scan(pos, "%i%n")) != null) {
            out.putU32(ActionAttr.OUTPUT, r.i(0));
            return r.i(1);
        }
        if ((r = scan(pos, "lb_output(%u)%n")) != null) {
            out.putU32(OdpActionsFormat.OVS_LB_OUTPUT, r.i(0));
            return r.i(1);
        }
        if ((r = scan(pos, "trunc(%i)%n")) != null) {
            out.putU32(ActionAttr.TRUNC, r.i(0));
            return r.i(1);
        }
        if (names != null) {
            int len = OvsScan.cspan(s, pos, OvsScan.DELIMITERS);
            Integer port = names.number(s.substring(pos, pos + len));
            if (port != null) {
                out.putU32(ActionAttr.OUTPUT, port);
                return len;
            }
        }
        if ((r = scan(pos, "recirc(%u)%n")) != null) {
            out.putU32(ActionAttr.RECIRC, r.i(0));
            return r.i(1);
        }
        if (OvsScan.startsWith(s, pos, "userspace(")) {
            return ActionScan.userspace(s, pos, out);
        }
        if (OvsScan.startsWith(s, pos, "set(")) {
            return set(pos, out);
        }
        int n = pushVlan(pos, out);
        if (n != 0) {
            return n;
        }
        if (OvsScan.startsWith(s, pos, "pop_vlan")) {
            out.putFlag(ActionAttr.POP_VLAN);
            return 8;
        }
        if ((r = scan(pos, "meter(%lli)%n")) != null) {
            out.putU32(ActionAttr.METER, (int) r.l(0));
            return r.i(1);
        }
        if ((r = scan(pos, "sample(sample=%lf%%,actions(%n")) != null && r.d(0) >= 0.0 && r.d(0) <= 100.0) {
            double probability = Math.floor(4294967295.0 * (r.d(0) / 100.0) + 0.5);
            int sample = out.beginNest(ActionAttr.SAMPLE);
            out.putU32(SampleAttr.PROBABILITY, probability <= 0 ? 0
                    : probability >= 4294967295.0 ? -1 : (int) (long) probability);
            int acts = out.beginNest(SampleAttr.ACTIONS);
            int len = list(pos + r.i(1), out);
            if (len < 0) {
                return len;
            }
            n = r.i(1) + len;
            out.endNest(acts);
            out.endNest(sample);
            return OvsScan.at(s, pos + n + 1) == ')' ? n + 2 : -EINVAL;
        }
        if (OvsScan.startsWith(s, pos, "clone(")) {
            int clone = out.beginNest(ActionAttr.CLONE);
            int len = list(pos + 6, out);
            if (len < 0) {
                return len;
            }
            out.endNest(clone);
            return 6 + len + 1;
        }
        if (OvsScan.startsWith(s, pos, "push_nsh(")) {
            int len = ActionScan.pushNsh(s, pos, out);
            return len < 0 ? len : len + 1;
        }
        if ((r = scan(pos, "pop_nsh()%n")) != null) {
            out.putFlag(ActionAttr.POP_NSH);
            return r.i(0);
        }
        if ((r = scan(pos, "tnl_pop(%i)%n")) != null) {
            out.putU32(OdpActionsFormat.OVS_TUNNEL_POP, r.i(0));
            return r.i(1);
        }
        if (OvsScan.startsWith(s, pos, "ct_clear")) {
            out.putFlag(ActionAttr.CT_CLEAR);
            return 8;
        }
        if ((r = scan(pos, "check_pkt_len(size=%hi,gt(%n")) != null) {
            return checkPktLen(pos, r.i(0), r.i(1), out);
        }
        if ((r = scan(pos, "add_mpls(label=%i,tc=%hhd,ttl=%hhd,bos=%hhd,eth_type=0x%hx)%n")) != null) {
            int p = out.reserve(ActionAttr.ADD_MPLS, 8);
            if (p >= 0) {
                Wire.putBe32(out.buffer(), p, (r.i(0) << 12) | (r.i(1) << 9) | r.i(2) | (r.i(3) << 8));
                Wire.putBe16(out.buffer(), p + 4, r.i(4));
            }
            return r.i(5);
        }
        n = ActionScan.conntrack(s, pos, out);
        if (n != 0) {
            return n;
        }
        n = TnlPushParse.parse(s, pos, out);
        if (n != 0) {
            return n;
        }
        return -EINVAL;
    }

    private int pushVlan(int pos, NlWriter out) {
        OvsScan.Result r;
        int tpid = 0x8100;
        int vid;
        int pcp;
        int cfi = 1;
        int n;
        if ((r = scan(pos, "push_vlan(vid=%i,pcp=%i)%n")) != null) {
            vid = r.i(0);
            pcp = r.i(1);
            n = r.i(2);
        } else if ((r = scan(pos, "push_vlan(vid=%i,pcp=%i,cfi=%i)%n")) != null) {
            vid = r.i(0);
            pcp = r.i(1);
            cfi = r.i(2);
            n = r.i(3);
        } else if ((r = scan(pos, "push_vlan(tpid=%i,vid=%i,pcp=%i)%n")) != null) {
            tpid = r.i(0);
            vid = r.i(1);
            pcp = r.i(2);
            n = r.i(3);
        } else if ((r = scan(pos, "push_vlan(tpid=%i,vid=%i,pcp=%i,cfi=%i)%n")) != null) {
            tpid = r.i(0);
            vid = r.i(1);
            pcp = r.i(2);
            cfi = r.i(3);
            n = r.i(4);
        } else {
            return 0;
        }
        if ((vid & ~0xfff) != 0 || (pcp & ~7) != 0) {
            return -EINVAL;
        }
        int p = out.reserve(ActionAttr.PUSH_VLAN, 4);
        if (p >= 0) {
            Wire.putBe16(out.buffer(), p, tpid);
            Wire.putBe16(out.buffer(), p + 2, vid | (pcp << 13) | (cfi != 0 ? 0x1000 : 0));
        }
        return n;
    }

    /**
     * {@code set(ATTR)}: a SET of the key attribute, or a SET_MASKED (value then mask) when the parsed
     * mask has the key's size but is not all ones.
     */
    private int set(int pos, NlWriter out) {
        int start = out.position();
        int nest = out.beginNest(ActionAttr.SET);
        NlWriter mask = new NlWriter(64);
        int r = keys.attr(pos + 4, out, mask);
        if (r < 0) {
            return r;
        }
        if (OvsScan.at(s, pos + 4 + r) != ')') {
            return -EINVAL;
        }
        byte[] b = out.buffer();
        int key = nest + NlAttr.HEADER_LENGTH;
        int size = NlAttr.len(mask.buffer(), 0) - NlAttr.HEADER_LENGTH;
        int keySize = NlAttr.len(b, key) - NlAttr.HEADER_LENGTH;
        if (size == keySize && !Fmt.allBytes(mask.buffer(), NlAttr.HEADER_LENGTH, size, 0xff)) {
            byte[] value = java.util.Arrays.copyOfRange(b, key + NlAttr.HEADER_LENGTH, key + NlAttr.HEADER_LENGTH + size);
            int type = NlAttr.type(b, key);
            out.rewind(start);
            nest = out.beginNest(ActionAttr.SET_MASKED);
            int p = out.reserve(type, 2 * size);
            if (p >= 0) {
                System.arraycopy(value, 0, out.buffer(), p, size);
                System.arraycopy(mask.buffer(), NlAttr.HEADER_LENGTH, out.buffer(), p + size, size);
            }
        }
        out.endNest(nest);
        return r + 5;
    }

    private int checkPktLen(int pos, int pktLen, int n, NlWriter out) {
        int cpl = out.beginNest(ActionAttr.CHECK_PKT_LEN);
        out.putU16(CheckPktLenAttr.PKT_LEN, pktLen);
        for (int branch = 0; branch < 2; branch++) {
            int acts = out.beginNest(branch == 0 ? CheckPktLenAttr.ACTIONS_IF_GREATER
                    : CheckPktLenAttr.ACTIONS_IF_LESS_EQUAL);
            if (s.regionMatches(true, pos + n, "drop", 0, 4)) {
                n += 4;
            } else {
                int len = list(pos + n, out);
                if (len < 0) {
                    return len;
                }
                n += len;
            }
            out.endNest(acts);
            if (branch == 0) {
                OvsScan.Result r = scan(pos + n, "),le(%n");
                if (r == null) {
                    return -EINVAL;
                }
                n += r.i(0);
            }
        }
        out.endNest(cpl);
        return OvsScan.at(s, pos + n + 1) == ')' ? n + 2 : -EINVAL;
    }
}
