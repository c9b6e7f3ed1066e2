package ovsj.odp.text;

import static ovsj.odp.text.Fmt.Style.ALT_HEX;
import static ovsj.odp.text.Fmt.Style.DEC;

import ovsj.netlink.Wire;
import ovsj.odp.uapi.KeyArp;
import ovsj.odp.uapi.KeyCtTupleIpv4;
import ovsj.odp.uapi.KeyCtTupleIpv6;
import ovsj.odp.uapi.KeyEthernet;
import ovsj.odp.uapi.KeyIpv4;
import ovsj.odp.uapi.KeyIpv6;
import ovsj.odp.uapi.KeyNd;

/**
 * The struct-valued key attributes of {@code format_odp_key_attr__}: Ethernet, VLAN TCI, MPLS, IPv4,
 * IPv6, TCP/UDP/SCTP ports, ICMP, ICMPv6, ARP, ND, ND extensions, conntrack original tuples and packet
 * type. Key payload at {@code kb[ko]}, mask payload at {@code mb[mo]} ({@code mb == null}: no mask).
 */
final class KeyFormat {
    private KeyFormat() {
    }

    static final int VLAN_CFI = 0x1000;

    static void ethernet(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        Fmt.eth(ds, "src", kb, ko + KeyEthernet.ETH_SRC_OFFSET, mb, mo + KeyEthernet.ETH_SRC_OFFSET, verbose);
        Fmt.eth(ds, "dst", kb, ko + KeyEthernet.ETH_DST_OFFSET, mb, mo + KeyEthernet.ETH_DST_OFFSET, verbose);
        Fmt.chomp(ds, ',');
    }

    /** {@code format_vlan_tci}: vid, pcp (masked when partial) and "cfi=0" when the CFI bit is clear. */
    static void vlanTci(StringBuilder ds, int tci, int mask, boolean verbose) {
        int vid = tci & 0xfff;
        int vidMask = mask & 0xfff;
        int pcp = (tci >> 13) & 7;
        int pcpMask = (mask >> 13) & 7;
        if (verbose || vid != 0 || vidMask != 0) {
            ds.append("vid=").append(vid);
            if (vidMask != 0xfff) {
                ds.append("/0x").append(Integer.toHexString(vidMask));
            }
            ds.append(',');
        }
        if (verbose || pcp != 0 || pcpMask != 0) {
            ds.append("pcp=").append(pcp);
            if (pcpMask != 7) {
                ds.append("/0x").append(Integer.toHexString(pcpMask));
            }
            ds.append(',');
        }
        if ((tci & VLAN_CFI) == 0) {
            ds.append("cfi=0,");
        }
        Fmt.chomp(ds, ',');
    }

    static void mplsLse(StringBuilder ds, int lse) {
        ds.append("label=").append(lse >>> 12).append(",tc=").append((lse >> 9) & 7)
                .append(",ttl=").append(lse & 0xff).append(",bos=").append((lse >> 8) & 1);
    }

    /** {@code format_mpls}: every label stack entry, each with its mask when the attribute is not exact. */
    static void mpls(StringBuilder ds, byte[] kb, int ko, int len, byte[] mb, int mo, int mlen, boolean exact) {
        if (len == 0 || len % 4 != 0) {
            ds.append("(bad key length ").append(len).append(')');
            return;
        }
        if (!exact && len != mlen) {
            ds.append("(key length ").append(len).append(" != mask length ").append(mlen).append(')');
            return;
        }
        for (int i = 0; i < len / 4; i++) {
            int key = Wire.be32(kb, ko + 4 * i);
            if (exact) {
                mplsLse(ds, key);
            } else {
                int m = Wire.be32(mb, mo + 4 * i);
                ds.append("label=").append(key >>> 12).append("/0x").append(Integer.toHexString(m >>> 12))
                        .append(",tc=").append((key >> 9) & 7).append('/').append(Integer.toHexString((m >> 9) & 7))
                        .append(",ttl=").append(key & 0xff).append("/0x").append(Integer.toHexString(m & 0xff))
                        .append(",bos=").append((key >> 8) & 1).append('/').append(Integer.toHexString((m >> 8) & 1));
            }
            ds.append(',');
        }
        Fmt.chomp(ds, ',');
    }

    static void ipv4(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        Fmt.ipv4(ds, "src", kb, ko + KeyIpv4.IPV4_SRC_OFFSET, mb, mo + KeyIpv4.IPV4_SRC_OFFSET, verbose);
        Fmt.ipv4(ds, "dst", kb, ko + KeyIpv4.IPV4_DST_OFFSET, mb, mo + KeyIpv4.IPV4_DST_OFFSET, verbose);
        Fmt.num(ds, "proto", kb, ko + KeyIpv4.IPV4_PROTO_OFFSET, mb, mo + KeyIpv4.IPV4_PROTO_OFFSET, 1, DEC, verbose);
        Fmt.num(ds, "tos", kb, ko + KeyIpv4.IPV4_TOS_OFFSET, mb, mo + KeyIpv4.IPV4_TOS_OFFSET, 1, ALT_HEX, verbose);
        Fmt.num(ds, "ttl", kb, ko + KeyIpv4.IPV4_TTL_OFFSET, mb, mo + KeyIpv4.IPV4_TTL_OFFSET, 1, DEC, verbose);
        Fmt.frag(ds, "frag", kb, ko + KeyIpv4.IPV4_FRAG_OFFSET, mb, mo + KeyIpv4.IPV4_FRAG_OFFSET);
        Fmt.chomp(ds, ',');
    }

    static void ipv6(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        Fmt.in6(ds, "src", kb, ko + KeyIpv6.IPV6_SRC_OFFSET, mb, mo + KeyIpv6.IPV6_SRC_OFFSET, verbose);
        Fmt.in6(ds, "dst", kb, ko + KeyIpv6.IPV6_DST_OFFSET, mb, mo + KeyIpv6.IPV6_DST_OFFSET, verbose);
        Fmt.ipv6Label(ds, "label", kb, ko + KeyIpv6.IPV6_LABEL_OFFSET, mb, mo + KeyIpv6.IPV6_LABEL_OFFSET, verbose);
        Fmt.num(ds, "proto", kb, ko + KeyIpv6.IPV6_PROTO_OFFSET, mb, mo + KeyIpv6.IPV6_PROTO_OFFSET, 1, DEC, verbose);
        Fmt.num(ds, "tclass", kb, ko + KeyIpv6.IPV6_TCLASS_OFFSET, mb, mo + KeyIpv6.IPV6_TCLASS_OFFSET, 1, ALT_HEX,
                verbose);
        Fmt.num(ds, "hlimit", kb, ko + KeyIpv6.IPV6_HLIMIT_OFFSET, mb, mo + KeyIpv6.IPV6_HLIMIT_OFFSET, 1, DEC,
                verbose);
        Fmt.frag(ds, "frag", kb, ko + KeyIpv6.IPV6_FRAG_OFFSET, mb, mo + KeyIpv6.IPV6_FRAG_OFFSET);
        Fmt.chomp(ds, ',');
    }

    /** TCP, UDP and SCTP share {@code src} and {@code dst} big-endian ports. */
    static void ports(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        Fmt.num(ds, "src", kb, ko, mb, mo, 2, DEC, verbose);
        Fmt.num(ds, "dst", kb, ko + 2, mb, mo + 2, 2, DEC, verbose);
        Fmt.chomp(ds, ',');
    }

    /** ICMP and ICMPv6: type and code. */
    static void icmp(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        Fmt.num(ds, "type", kb, ko, mb, mo, 1, DEC, verbose);
        Fmt.num(ds, "code", kb, ko + 1, mb, mo + 1, 1, DEC, verbose);
        Fmt.chomp(ds, ',');
    }

    static void arp(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        Fmt.ipv4(ds, "sip", kb, ko + KeyArp.ARP_SIP_OFFSET, mb, mo + KeyArp.ARP_SIP_OFFSET, verbose);
        Fmt.ipv4(ds, "tip", kb, ko + KeyArp.ARP_TIP_OFFSET, mb, mo + KeyArp.ARP_TIP_OFFSET, verbose);
        Fmt.num(ds, "op", kb, ko + KeyArp.ARP_OP_OFFSET, mb, mo + KeyArp.ARP_OP_OFFSET, 2, DEC, verbose);
        Fmt.eth(ds, "sha", kb, ko + KeyArp.ARP_SHA_OFFSET, mb, mo + KeyArp.ARP_SHA_OFFSET, verbose);
        Fmt.eth(ds, "tha", kb, ko + KeyArp.ARP_THA_OFFSET, mb, mo + KeyArp.ARP_THA_OFFSET, verbose);
        Fmt.chomp(ds, ',');
    }

    static void nd(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        Fmt.in6(ds, "target", kb, ko + KeyNd.ND_TARGET_OFFSET, mb, mo + KeyNd.ND_TARGET_OFFSET, verbose);
        Fmt.eth(ds, "sll", kb, ko + KeyNd.ND_SLL_OFFSET, mb, mo + KeyNd.ND_SLL_OFFSET, verbose);
        Fmt.eth(ds, "tll", kb, ko + KeyNd.ND_TLL_OFFSET, mb, mo + KeyNd.ND_TLL_OFFSET, verbose);
        Fmt.chomp(ds, ',');
    }

    /** OVS userspace's {@code struct ovs_key_nd_extensions}: be32 nd_reserved, u8 nd_options_type. */
    static void ndExtensions(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        ds.append("nd_reserved=").append(Fmt.hex0x(Wire.be32(kb, ko) & 0xffffffffL)).append(',');
        Fmt.num(ds, "nd_options_type", kb, ko + 4, mb, mo + 4, 1, DEC, verbose);
        Fmt.chomp(ds, ',');
    }

    static void ctTuple4(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        Fmt.ipv4(ds, "src", kb, ko + KeyCtTupleIpv4.IPV4_SRC_OFFSET, mb, mo + KeyCtTupleIpv4.IPV4_SRC_OFFSET, verbose);
        Fmt.ipv4(ds, "dst", kb, ko + KeyCtTupleIpv4.IPV4_DST_OFFSET, mb, mo + KeyCtTupleIpv4.IPV4_DST_OFFSET, verbose);
        Fmt.num(ds, "proto", kb, ko + KeyCtTupleIpv4.IPV4_PROTO_OFFSET, mb, mo + KeyCtTupleIpv4.IPV4_PROTO_OFFSET, 1,
                DEC, verbose);
        Fmt.num(ds, "tp_src", kb, ko + KeyCtTupleIpv4.SRC_PORT_OFFSET, mb, mo + KeyCtTupleIpv4.SRC_PORT_OFFSET, 2,
                DEC, verbose);
        Fmt.num(ds, "tp_dst", kb, ko + KeyCtTupleIpv4.DST_PORT_OFFSET, mb, mo + KeyCtTupleIpv4.DST_PORT_OFFSET, 2,
                DEC, verbose);
        Fmt.chomp(ds, ',');
    }

    /** As OVS prints it: {@code src_port}/{@code dst_port} (the parser reads {@code tp_src}/{@code tp_dst}). */
    static void ctTuple6(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        Fmt.in6(ds, "src", kb, ko + KeyCtTupleIpv6.IPV6_SRC_OFFSET, mb, mo + KeyCtTupleIpv6.IPV6_SRC_OFFSET, verbose);
        Fmt.in6(ds, "dst", kb, ko + KeyCtTupleIpv6.IPV6_DST_OFFSET, mb, mo + KeyCtTupleIpv6.IPV6_DST_OFFSET, verbose);
        Fmt.num(ds, "proto", kb, ko + KeyCtTupleIpv6.IPV6_PROTO_OFFSET, mb, mo + KeyCtTupleIpv6.IPV6_PROTO_OFFSET, 1,
                DEC, verbose);
        Fmt.num(ds, "src_port", kb, ko + KeyCtTupleIpv6.SRC_PORT_OFFSET, mb, mo + KeyCtTupleIpv6.SRC_PORT_OFFSET, 2,
                DEC, verbose);
        Fmt.num(ds, "dst_port", kb, ko + KeyCtTupleIpv6.DST_PORT_OFFSET, mb, mo + KeyCtTupleIpv6.DST_PORT_OFFSET, 2,
                DEC, verbose);
        Fmt.chomp(ds, ',');
    }

    /** OVS userspace's packet type (be32: namespace, type); its mask is always printed when present. */
    static void packetType(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        byte[] mask = mb != null ? mb : new byte[] {-1, -1, -1, -1};
        int moff = mb != null ? mo : 0;
        Fmt.num(ds, "ns", kb, ko, mask, moff, 2, DEC, verbose);
        Fmt.num(ds, "id", kb, ko + 2, mask, moff + 2, 2, ALT_HEX, verbose);
        Fmt.chomp(ds, ',');
    }
}
