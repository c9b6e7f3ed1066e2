package ovsj.cli.dpctl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ovsj.netlink.NlAttrReader;
import ovsj.netlink.Wire;
import ovsj.odp.dpif.FlowMessage;
import ovsj.odp.text.PortNames;
import ovsj.odp.uapi.KeyAttr;

/**
 * The {@code filter=} of {@code dump-flows}: an OpenFlow-syntax exact match ({@code parse_ofp_exact_flow}:
 * {@code udp}, {@code in_port=p1,tcp}, {@code ip,nw_dst=10.0.0.2}) checked against each flow as OVS does:
 * a field passes when the flow's key and the filter agree on every bit that both the filter and the
 * flow's mask care about, so a filter on a field the flow wildcards always passes.
 *
 * <p>Fields: {@code in_port}, {@code dl_src/dl_dst/dl_type} (and {@code eth_*}), {@code dl_vlan},
 * {@code vlan_tci}, {@code nw_src/nw_dst/nw_proto/nw_tos/nw_ttl/nw_ecn/ip_dscp} (ARP addresses and opcode
 * for ARP flows), {@code ipv6_src/ipv6_dst}, {@code tcp_/udp_/sctp_src/dst} ({@code tp_src/tp_dst} are
 * {@code tcp_*}), {@code tcp_flags}, {@code icmp_type/icmp_code}, {@code icmpv6_type/icmpv6_code},
 * {@code arp_op/arp_spa/arp_tpa/arp_sha/arp_tha}, {@code recirc_id}, {@code dp_hash},
 * {@code skb_priority}, {@code pkt_mark}, {@code ct_zone}, {@code ct_mark}; protocols {@code ip ipv6 icmp
 * icmp6 tcp tcp6 udp udp6 sctp sctp6 arp rarp mpls mplsm}.
 */
final class FlowFilter {
    private enum Prereq { NONE, IPV4, IPV6, IP_ANY, ARP, TCP, UDP, SCTP, ICMP4, ICMP6 }

    /** One field: where it lives in a key, how wide it is. */
    private record Field(String name, Prereq prereq, int width) {
    }

    private static final List<Field> FIELDS = List.of(
            new Field("in_port", Prereq.NONE, 32), new Field("dl_src", Prereq.NONE, 48),
            new Field("dl_dst", Prereq.NONE, 48), new Field("dl_type", Prereq.NONE, 16),
            new Field("dl_vlan", Prereq.NONE, 12), new Field("vlan_tci", Prereq.NONE, 16),
            new Field("nw_src", Prereq.IPV4, 32), new Field("nw_dst", Prereq.IPV4, 32),
            new Field("nw_proto", Prereq.IP_ANY, 8), new Field("nw_tos", Prereq.IP_ANY, 8),
            new Field("nw_ttl", Prereq.IP_ANY, 8), new Field("nw_ecn", Prereq.IP_ANY, 8),
            new Field("ip_dscp", Prereq.IP_ANY, 8), new Field("ipv6_src", Prereq.IPV6, 128),
            new Field("ipv6_dst", Prereq.IPV6, 128), new Field("tcp_src", Prereq.TCP, 16),
            new Field("tcp_dst", Prereq.TCP, 16), new Field("udp_src", Prereq.UDP, 16),
            new Field("udp_dst", Prereq.UDP, 16), new Field("sctp_src", Prereq.SCTP, 16),
            new Field("sctp_dst", Prereq.SCTP, 16), new Field("tcp_flags", Prereq.TCP, 12),
            new Field("icmp_type", Prereq.ICMP4, 8), new Field("icmp_code", Prereq.ICMP4, 8),
            new Field("icmpv6_type", Prereq.ICMP6, 8), new Field("icmpv6_code", Prereq.ICMP6, 8),
            new Field("arp_op", Prereq.ARP, 16), new Field("arp_spa", Prereq.ARP, 32),
            new Field("arp_tpa", Prereq.ARP, 32), new Field("arp_sha", Prereq.ARP, 48),
            new Field("arp_tha", Prereq.ARP, 48), new Field("recirc_id", Prereq.NONE, 32),
            new Field("dp_hash", Prereq.NONE, 32), new Field("skb_priority", Prereq.NONE, 32),
            new Field("pkt_mark", Prereq.NONE, 32), new Field("ct_zone", Prereq.NONE, 16),
            new Field("ct_mark", Prereq.NONE, 32));

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("eth_src", "dl_src"), Map.entry("eth_dst", "dl_dst"), Map.entry("eth_type", "dl_type"),
            Map.entry("ip_src", "nw_src"), Map.entry("ip_dst", "nw_dst"), Map.entry("ip_proto", "nw_proto"),
            Map.entry("tp_src", "tcp_src"), Map.entry("tp_dst", "tcp_dst"), Map.entry("skb_mark", "pkt_mark"),
            Map.entry("ip_ecn", "nw_ecn"));

    /** {@code ofp_parse_protocol}: name, ether type, IP protocol. */
    private static final Map<String, int[]> PROTOCOLS = Map.ofEntries(
            Map.entry("ip", new int[] {0x0800, 0}), Map.entry("ipv4", new int[] {0x0800, 0}),
            Map.entry("ip4", new int[] {0x0800, 0}), Map.entry("ipv6", new int[] {0x86dd, 0}),
            Map.entry("ip6", new int[] {0x86dd, 0}), Map.entry("icmp", new int[] {0x0800, 1}),
            Map.entry("icmp4", new int[] {0x0800, 1}), Map.entry("icmp6", new int[] {0x86dd, 58}),
            Map.entry("tcp", new int[] {0x0800, 6}), Map.entry("tcp4", new int[] {0x0800, 6}),
            Map.entry("tcp6", new int[] {0x86dd, 6}), Map.entry("udp", new int[] {0x0800, 17}),
            Map.entry("udp4", new int[] {0x0800, 17}), Map.entry("udp6", new int[] {0x86dd, 17}),
            Map.entry("sctp", new int[] {0x0800, 132}), Map.entry("sctp4", new int[] {0x0800, 132}),
            Map.entry("sctp6", new int[] {0x86dd, 132}), Map.entry("arp", new int[] {0x0806, 0}),
            Map.entry("rarp", new int[] {0x8035, 0}), Map.entry("mpls", new int[] {0x8847, 0}),
            Map.entry("mplsm", new int[] {0x8848, 0}));

    /** A filter term: field and value (IPv6 addresses as two longs). */
    private record Term(String field, long value, long value2) {
    }

    private final List<Term> terms;

    private FlowFilter(List<Term> terms) {
        this.terms = terms;
    }

    /** Parses a filter; throws with OVS's error text ("bogus: unknown field bogus"). */
    static FlowFilter parse(String s, PortNames ports) {
        List<Term> terms = new ArrayList<>();
        Set<String> set = new HashSet<>();
        int dlType = 0;
        int nwProto = 0;
        for (String tok : s.split("[, ]+")) {
            if (tok.isEmpty()) {
                continue;
            }
            int eq = tok.indexOf('=');
            String key = eq < 0 ? tok : tok.substring(0, eq);
            String value = eq < 0 ? null : tok.substring(eq + 1);
            int[] proto = value == null ? PROTOCOLS.get(key) : null;
            if (proto != null) {
                if (set.contains("dl_type")) {
                    throw new IllegalArgumentException(s + ": Ethernet type set multiple times");
                }
                set.add("dl_type");
                dlType = proto[0];
                terms.add(new Term("dl_type", proto[0], 0));
                if (proto[1] != 0) {
                    if (set.contains("nw_proto")) {
                        throw new IllegalArgumentException(s + ": network protocol set multiple times");
                    }
                    set.add("nw_proto");
                    nwProto = proto[1];
                    terms.add(new Term("nw_proto", proto[1], 0));
                }
                continue;
            }
            String name = ALIASES.getOrDefault(key, key);
            Field f = FIELDS.stream().filter(x -> x.name.equals(name)).findFirst().orElse(null);
            if (f == null) {
                throw new IllegalArgumentException(s + ": unknown field " + key);
            }
            if (value == null) {
                throw new IllegalArgumentException(s + ": field " + key + " missing value");
            }
            if (!prereqsOk(f.prereq, dlType, nwProto)) {
                throw new IllegalArgumentException(s + ": prerequisites not met for setting " + key);
            }
            if (!set.add(name)) {
                throw new IllegalArgumentException(s + ": field " + key + " set multiple times");
            }
            Term t = term(f, value, ports);
            if (t == null) {
                throw new IllegalArgumentException(s + ": bad value for " + key + " (" + value + ")");
            }
            if (name.equals("dl_type")) {
                dlType = (int) t.value;
            } else if (name.equals("nw_proto")) {
                nwProto = (int) t.value;
            }
            terms.add(t);
        }
        return new FlowFilter(terms);
    }

    private static boolean prereqsOk(Prereq p, int dlType, int nwProto) {
        boolean ip = dlType == 0x0800 || dlType == 0x86dd;
        return switch (p) {
            case NONE -> true;
            case IPV4 -> dlType == 0x0800;
            case IPV6 -> dlType == 0x86dd;
            case IP_ANY -> ip;
            case ARP -> dlType == 0x0806 || dlType == 0x8035;
            case TCP -> ip && nwProto == 6;
            case UDP -> ip && nwProto == 17;
            case SCTP -> ip && nwProto == 132;
            case ICMP4 -> dlType == 0x0800 && nwProto == 1;
            case ICMP6 -> dlType == 0x86dd && nwProto == 58;
        };
    }

    private static Term term(Field f, String v, PortNames ports) {
        try {
            if (f.name.equals("in_port")) {
                Integer n = ports == null ? null : ports.number(v);
                if (n != null) {
                    return new Term(f.name, Integer.toUnsignedLong(n), 0);
                }
                return switch (v) {
                    case "LOCAL" -> new Term(f.name, 0, 0);
                    default -> new Term(f.name, number(v, 32), 0);
                };
            }
            if (f.width == 128) {
                byte[] a = InetAddress.getByName(v.contains(":") ? v : "invalid:" + v).getAddress();
                return new Term(f.name, Wire.be64(a, 0), Wire.be64(a, 8));
            }
            if (f.width == 48) {
                String[] p = v.split(":");
                if (p.length != 6) {
                    return null;
                }
                long m = 0;
                for (String x : p) {
                    m = (m << 8) | Integer.parseInt(x, 16);
                }
                return new Term(f.name, m, 0);
            }
            if (f.width == 32 && v.indexOf('.') > 0) {
                byte[] a = InetAddress.getByName(v.matches("[0-9.]+") ? v : "invalid").getAddress();
                return a.length == 4 ? new Term(f.name, Integer.toUnsignedLong(Wire.be32(a, 0)), 0) : null;
            }
            return new Term(f.name, number(v, f.width), 0);
        } catch (NumberFormatException | UnknownHostException e) {
            return null;
        }
    }

    private static long number(String v, int width) {
        long n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseUnsignedLong(v.substring(2), 16)
                : Long.parseUnsignedLong(v);
        if (width < 64 && Long.compareUnsigned(n, (1L << width) - 1) > 0) {
            throw new NumberFormatException(v);
        }
        return n;
    }

    // ---- matching -------------------------------------------------------------------------------

    /** Payload offsets of a key's (or mask's) attributes by type, inner (ENCAP) ones over outer ones. */
    private static int[] index(byte[] b, int off, int len) {
        int[] at = new int[KeyAttr.MAX + 1];
        java.util.Arrays.fill(at, -1);
        if (off < 0) {
            return at;
        }
        fill(at, b, off, len);
        return at;
    }

    private static void fill(int[] at, byte[] b, int off, int len) {
        NlAttrReader r = new NlAttrReader().wrap(b, off, len);
        while (r.next()) {
            int t = r.type();
            if (t == KeyAttr.ENCAP) {
                fill(at, b, r.payloadOffset(), r.payloadLength());
            } else if (t <= KeyAttr.MAX) {
                at[t] = r.payloadOffset();
            }
        }
    }

    /** The value of field {@code name} in a key (or a mask); 0 when its attribute is absent. */
    private static long get(String name, byte[] b, int[] at, boolean arp, int half) {
        return switch (name) {
            case "in_port" -> u32(b, at[KeyAttr.IN_PORT], 0);
            case "dl_src" -> at[KeyAttr.ETHERNET] < 0 ? 0 : Wire.be48(b, at[KeyAttr.ETHERNET]);
            case "dl_dst" -> at[KeyAttr.ETHERNET] < 0 ? 0 : Wire.be48(b, at[KeyAttr.ETHERNET] + 6);
            case "dl_type" -> be16(b, at[KeyAttr.ETHERTYPE], 0);
            case "dl_vlan" -> be16(b, at[KeyAttr.VLAN], 0) & 0xfff;
            case "vlan_tci" -> be16(b, at[KeyAttr.VLAN], 0);
            case "nw_src", "arp_spa" -> arp || name.startsWith("arp") ? be32(b, at[KeyAttr.ARP], 0)
                    : be32(b, at[KeyAttr.IPV4], 0);
            case "nw_dst", "arp_tpa" -> arp || name.startsWith("arp") ? be32(b, at[KeyAttr.ARP], 4)
                    : be32(b, at[KeyAttr.IPV4], 4);
            case "nw_proto" -> arp ? be16(b, at[KeyAttr.ARP], 8) & 0xff
                    : at[KeyAttr.IPV4] >= 0 ? u8(b, at[KeyAttr.IPV4], 8) : u8(b, at[KeyAttr.IPV6], 36);
            case "nw_tos" -> tos(b, at) & 0xfc;
            case "ip_dscp" -> (tos(b, at) & 0xfc) >> 2;
            case "nw_ecn" -> tos(b, at) & 3;
            case "nw_ttl" -> at[KeyAttr.IPV4] >= 0 ? u8(b, at[KeyAttr.IPV4], 10) : u8(b, at[KeyAttr.IPV6], 38);
            case "ipv6_src" -> at[KeyAttr.IPV6] < 0 ? 0 : Wire.be64(b, at[KeyAttr.IPV6] + 8 * half);
            case "ipv6_dst" -> at[KeyAttr.IPV6] < 0 ? 0 : Wire.be64(b, at[KeyAttr.IPV6] + 16 + 8 * half);
            case "tcp_src" -> be16(b, at[KeyAttr.TCP], 0);
            case "tcp_dst" -> be16(b, at[KeyAttr.TCP], 2);
            case "udp_src" -> be16(b, at[KeyAttr.UDP], 0);
            case "udp_dst" -> be16(b, at[KeyAttr.UDP], 2);
            case "sctp_src" -> be16(b, at[KeyAttr.SCTP], 0);
            case "sctp_dst" -> be16(b, at[KeyAttr.SCTP], 2);
            case "tcp_flags" -> be16(b, at[KeyAttr.TCP_FLAGS], 0) & 0xfff;
            case "icmp_type" -> u8(b, at[KeyAttr.ICMP], 0);
            case "icmp_code" -> u8(b, at[KeyAttr.ICMP], 1);
            case "icmpv6_type" -> u8(b, at[KeyAttr.ICMPV6], 0);
            case "icmpv6_code" -> u8(b, at[KeyAttr.ICMPV6], 1);
            case "arp_op" -> be16(b, at[KeyAttr.ARP], 8);
            case "arp_sha" -> at[KeyAttr.ARP] < 0 ? 0 : Wire.be48(b, at[KeyAttr.ARP] + 10);
            case "arp_tha" -> at[KeyAttr.ARP] < 0 ? 0 : Wire.be48(b, at[KeyAttr.ARP] + 16);
            case "recirc_id" -> u32(b, at[KeyAttr.RECIRC_ID], 0);
            case "dp_hash" -> u32(b, at[KeyAttr.DP_HASH], 0);
            case "skb_priority" -> u32(b, at[KeyAttr.PRIORITY], 0);
            case "pkt_mark" -> u32(b, at[KeyAttr.SKB_MARK], 0);
            case "ct_zone" -> at[KeyAttr.CT_ZONE] < 0 ? 0 : Wire.u16(b, at[KeyAttr.CT_ZONE]);
            case "ct_mark" -> u32(b, at[KeyAttr.CT_MARK], 0);
            default -> 0;
        };
    }

    private static long tos(byte[] b, int[] at) {
        return at[KeyAttr.IPV4] >= 0 ? u8(b, at[KeyAttr.IPV4], 9) : u8(b, at[KeyAttr.IPV6], 37);
    }

    private static long u8(byte[] b, int p, int off) {
        return p < 0 ? 0 : b[p + off] & 0xff;
    }

    private static long be16(byte[] b, int p, int off) {
        return p < 0 ? 0 : Wire.be16(b, p + off);
    }

    private static long be32(byte[] b, int p, int off) {
        return p < 0 ? 0 : Integer.toUnsignedLong(Wire.be32(b, p + off));
    }

    private static long u32(byte[] b, int p, int off) {
        return p < 0 ? 0 : Integer.toUnsignedLong(Wire.u32(b, p + off));
    }

    /** Whether the flow passes: for every term, key and filter agree wherever the flow's mask is set. */
    boolean matches(FlowMessage f) {
        byte[] b = f.buffer();
        int[] key = index(b, f.keyOffset(), f.keyLength());
        int[] mask = index(b, f.maskOffset(), f.maskLength());
        long dlType = get("dl_type", b, key, false, 0);
        boolean arp = dlType == 0x0806 || dlType == 0x8035;
        for (Term t : terms) {
            if (t.field.equals("ipv6_src") || t.field.equals("ipv6_dst")) {
                for (int h = 0; h < 2; h++) {
                    long want = h == 0 ? t.value : t.value2;
                    if (((get(t.field, b, key, arp, h) ^ want) & get(t.field, b, mask, arp, h)) != 0) {
                        return false;
                    }
                }
                continue;
            }
            long k = get(t.field, b, key, arp, 0);
            long m = f.maskOffset() < 0 ? -1L : get(t.field, b, mask, arp, 0);
            if (((k ^ t.value) & m) != 0) {
                return false;
            }
        }
        return true;
    }
}
