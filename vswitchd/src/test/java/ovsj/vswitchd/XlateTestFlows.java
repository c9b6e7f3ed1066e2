package ovsj.vswitchd;

import java.util.Arrays;

import ovsj.netlink.NlAttrReader;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.KeyAttr;

import ovsj.netlink.NlWriter;
import ovsj.odp.FlowKey;
import ovsj.odp.codec.KeyEmitter;

/** Flow keys as the datapath extracts them, and their netlink key attributes, for the tests. */
final class XlateTestFlows {
    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_ARP = 0x0806;
    static final int ETH_P_IPV6 = 0x86dd;

    private XlateTestFlows() {
    }

    /** An untagged Ethernet frame of {@code ethType} (no L3 fields). */
    static FlowKey eth(int inPort, long src, long dst, int ethType) {
        FlowKey k = new FlowKey();
        k.u16(FlowKey.IN_PORT_OFFSET, inPort);
        k.u8(FlowKey.MAC_PROTO_OFFSET, FlowKey.MAC_PROTO_ETHERNET);
        XlateField.DL_SRC.set(k, src);
        XlateField.DL_DST.set(k, dst);
        k.u16(FlowKey.ETH_TYPE_OFFSET, ethType);
        return k;
    }

    /** Adds an 802.1Q tag with {@code vid} (and {@code pcp}). */
    static FlowKey vlan(FlowKey k, int vid, int pcp) {
        k.u16(FlowKey.VLAN_TPID_OFFSET, 0x8100);
        k.u16(FlowKey.VLAN_TCI_OFFSET, XlateField.VLAN_CFI | (pcp << 13) | vid);
        return k;
    }

    /** An IPv4 packet of protocol {@code proto} with ports {@code sport}/{@code dport} (TCP/UDP/SCTP). */
    static FlowKey ipv4(int inPort, long src, long dst, long nwSrc, long nwDst, int proto, int sport, int dport) {
        FlowKey k = eth(inPort, src, dst, ETH_P_IP);
        XlateField.NW_SRC.set(k, nwSrc);
        XlateField.NW_DST.set(k, nwDst);
        k.u8(FlowKey.IP_PROTO_OFFSET, proto);
        k.u8(FlowKey.IP_TTL_OFFSET, 64);
        if (proto == 6 || proto == 17 || proto == 132 || proto == 1) {
            XlateField.TP_SRC.set(k, sport);
            XlateField.TP_DST.set(k, dport);
        }
        return k;
    }

    /** An ARP packet with opcode {@code op}. */
    static FlowKey arp(int inPort, long src, long dst, int op, long spa, long tpa) {
        FlowKey k = eth(inPort, src, dst, ETH_P_ARP);
        k.u8(FlowKey.IP_PROTO_OFFSET, op);
        XlateField.NW_SRC.set(k, spa);
        XlateField.NW_DST.set(k, tpa);
        k.u64(FlowKey.ARP_SHA_OFFSET, src);
        return k;
    }

    /** The key attributes of {@code k} (payload of {@code OVS_PACKET_ATTR_KEY}), as the datapath writes them. */
    static byte[] keyBytes(FlowKey k) {
        NlWriter w = new NlWriter(1024);
        KeyEmitter.putFields(w, k, k, false);
        return Arrays.copyOf(w.buffer(), w.position());
    }

    /** {@code k} as the datapath parses its own key attributes back (canonical). */
    static FlowKey canonical(FlowKey k) {
        byte[] b = keyBytes(k);
        FlowKey out = new FlowKey();
        MegaflowBuilder mb = new MegaflowBuilder(1);
        if (!mb.parseKey(b, 0, b.length, out)) {
            throw new IllegalArgumentException(mb.error());
        }
        return out;
    }

    static long mac(String s) {
        return Long.parseLong(s.replace(":", ""), 16);
    }

    static long ip(String s) {
        long v = 0;
        for (String p : s.split("\\.")) {
            v = (v << 8) | Integer.parseInt(p);
        }
        return v;
    }

    /**
     * The datapath actions as short text: {@code 2,3} for outputs, {@code drop} for none, and
     * {@code set(eth(src=..,dst=..))}, {@code set(ipv4(src=..,dst=..))}, {@code set(tcp(src=..,dst=..))}
     * for masked sets (only the masked parts).
     */
    static String describe(byte[] actions) {
        if (actions.length == 0) {
            return "drop";
        }
        StringBuilder sb = new StringBuilder();
        NlAttrReader r = new NlAttrReader().wrap(actions, 0, actions.length);
        while (r.next()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            switch (r.type()) {
                case ActionAttr.OUTPUT -> sb.append(r.u32());
                case ActionAttr.SET_MASKED -> {
                    NlAttrReader k = new NlAttrReader().wrap(actions, r.payloadOffset(), r.payloadLength());
                    k.next();
                    int p = k.payloadOffset();
                    int half = k.payloadLength() / 2;
                    sb.append("set(");
                    switch (k.type()) {
                        case KeyAttr.ETHERNET -> sb.append("eth(")
                                .append(part("src", MacLearning.formatMac(Wire.be48(actions, p)), Wire.be48(actions, p + half)))
                                .append(part("dst", MacLearning.formatMac(Wire.be48(actions, p + 6)),
                                        Wire.be48(actions, p + half + 6)));
                        case KeyAttr.IPV4 -> sb.append("ipv4(")
                                .append(part("src", RulesParser.formatValue(XlateField.NW_SRC,
                                        Wire.be32(actions, p) & 0xffffffffL), Wire.be32(actions, p + half)))
                                .append(part("dst", RulesParser.formatValue(XlateField.NW_DST,
                                        Wire.be32(actions, p + 4) & 0xffffffffL), Wire.be32(actions, p + half + 4)));
                        default -> sb.append(k.type() == KeyAttr.TCP ? "tcp(" : k.type() == KeyAttr.UDP ? "udp(" : "sctp(")
                                .append(part("src", Integer.toString(Wire.be16(actions, p)), Wire.be16(actions, p + half)))
                                .append(part("dst", Integer.toString(Wire.be16(actions, p + 2)),
                                        Wire.be16(actions, p + half + 2)));
                    }
                    if (sb.charAt(sb.length() - 1) == ',') {
                        sb.setLength(sb.length() - 1);
                    }
                    sb.append("))");
                }
                default -> sb.append("action").append(r.type());
            }
        }
        return sb.toString();
    }

    private static String part(String name, String value, long mask) {
        return mask == 0 ? "" : name + "=" + value + ",";
    }
}
