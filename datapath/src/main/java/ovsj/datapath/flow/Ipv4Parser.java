package ovsj.datapath.flow;

import static ovsj.datapath.flow.KeyExtractor.be16;
import static ovsj.datapath.flow.KeyExtractor.be32;

import ovsj.datapath.Packet;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.FragType;

/**
 * The IPv4 branch of {@code key_extract_l3l4} ({@code check_iphdr}, the fragment rules) and the
 * transport-header readers shared with IPv6 ({@code tcphdr_ok}, {@code udphdr_ok},
 * {@code sctphdr_ok}, {@code icmphdr_ok}).
 *
 * <p>As in the kernel, lengths are checked against the frame, not against the IP header's total
 * length: bytes past {@code tot_len} (Ethernet padding) are read as transport header, and a
 * {@code tot_len} that disagrees with the frame is not an error. The version nibble is not checked.
 */
final class Ipv4Parser {
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_SCTP = 132;

    /** {@code sizeof(struct iphdr)}. */
    static final int IPV4_HLEN = 20;
    static final int IP_MF = 0x2000;
    static final int IP_OFFSET = 0x1fff;

    static final int TCP_HLEN = 20;
    static final int UDP_HLEN = 8;
    static final int SCTP_HLEN = 12;
    static final int ICMP_HLEN = 8;

    private Ipv4Parser() {
    }

    /**
     * The IPv4 fields. A header that does not fit the frame, or whose IHL is below 5 or beyond the
     * frame, leaves ip and ipv4 zero with the transport header at the network header (check_iphdr's
     * -EINVAL, which key_extract turns into success).
     */
    static void parse(Packet p, FlowKey k, byte[] b, int nh, int end) {
        if (end - nh < IPV4_HLEN) {
            p.transportOff = nh;
            return;
        }
        int ihl = (b[nh] & 0x0f) << 2;
        if (ihl < IPV4_HLEN || end - nh < ihl) {
            p.transportOff = nh;
            return;
        }
        int th = nh + ihl;
        p.transportOff = th;
        k.u32(FlowKey.IPV4_SRC_OFFSET, be32(b, nh + 12));
        k.u32(FlowKey.IPV4_DST_OFFSET, be32(b, nh + 16));
        int proto = b[nh + 9] & 0xff;
        k.u8(FlowKey.IP_PROTO_OFFSET, proto);
        k.u8(FlowKey.IP_TOS_OFFSET, b[nh + 1]);
        k.u8(FlowKey.IP_TTL_OFFSET, b[nh + 8]);

        int fragOff = be16(b, nh + 6);
        if ((fragOff & IP_OFFSET) != 0) {
            k.u8(FlowKey.IP_FRAG_OFFSET, FragType.LATER);
            return;
        }
        k.u8(FlowKey.IP_FRAG_OFFSET, (fragOff & IP_MF) != 0 ? FragType.FIRST : FragType.NONE);
        if (proto == IPPROTO_ICMP) {
            typeCode(k, b, th, end);
        } else {
            transport(k, b, th, end, proto);
        }
    }

    /**
     * TCP, UDP and SCTP ports (and TCP flags) at {@code th}, the same for IPv4 and IPv6; a header that
     * does not fit leaves them zero. Other protocols leave the transport fields alone.
     */
    static void transport(FlowKey k, byte[] b, int th, int end, int proto) {
        int avail = end - th;
        if (proto == IPPROTO_TCP) {
            if (avail < TCP_HLEN) {
                return;
            }
            int tcpLen = (b[th + 12] & 0xf0) >>> 2;
            if (tcpLen < TCP_HLEN || avail < tcpLen) {
                return;
            }
            ports(k, b, th);
            k.u16(FlowKey.TCP_FLAGS_OFFSET, be16(b, th + 12) & 0x0fff);
        } else if (proto == IPPROTO_UDP) {
            if (avail >= UDP_HLEN) {
                ports(k, b, th);
            }
        } else if (proto == IPPROTO_SCTP) {
            if (avail >= SCTP_HLEN) {
                ports(k, b, th);
            }
        }
    }

    /** ICMP (and ICMPv6) type and code, kept in the 16-bit port fields; zero if 8 bytes don't fit. */
    static void typeCode(FlowKey k, byte[] b, int th, int end) {
        if (end - th >= ICMP_HLEN) {
            k.u16(FlowKey.TP_SRC_OFFSET, b[th] & 0xff);
            k.u16(FlowKey.TP_DST_OFFSET, b[th + 1] & 0xff);
        }
    }

    private static void ports(FlowKey k, byte[] b, int th) {
        k.u16(FlowKey.TP_SRC_OFFSET, be16(b, th));
        k.u16(FlowKey.TP_DST_OFFSET, be16(b, th + 2));
    }
}
