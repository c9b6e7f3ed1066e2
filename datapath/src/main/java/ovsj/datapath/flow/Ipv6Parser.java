package ovsj.datapath.flow;

import static ovsj.datapath.flow.KeyExtractor.be16;
import static ovsj.datapath.flow.KeyExtractor.be32;
import static ovsj.datapath.flow.KeyExtractor.be48;
import static ovsj.datapath.flow.KeyExtractor.be64;

import ovsj.datapath.Packet;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.FragType;

/**
 * The IPv6 branch of {@code key_extract_l3l4}: {@code parse_ipv6hdr} with the kernel's
 * {@code ipv6_find_hdr} walk over the extension headers, the OVS extension-header bitmap
 * ({@code get_ipv6_ext_hdrs}) and {@code parse_icmpv6} (neighbour discovery).
 *
 * <p>Kernel behaviours kept on purpose (OVS userspace differs in each):
 * <ul>
 * <li>An extension header that does not fit the frame is not an error of the whole header: the
 * addresses, tclass, hop limit and label stay, proto is 59 (no next header), the transport header
 * is the network header ({@code -EPROTO}, turned into success).</li>
 * <li>A fragment header makes the packet a fragment even when offset and M are 0 ("atomic"
 * fragment → {@code frag=first}).</li>
 * <li>The payload length is never checked; the frame's end is the limit.</li>
 * <li>The bitmap walk treats AH's length like the others ({@code ipv6_optlen}), and its ordering
 * checks for AH use {@code IPPROTO_FRAGMENT} (44) where a bit was meant, so AH after a fragment
 * header sets UNSEQ. ESP is not an extension header for {@code ipv6_ext_hdr}, so the ESP bit is
 * never set.</li>
 * </ul>
 */
final class Ipv6Parser {
    static final int NEXTHDR_HOP = 0;
    static final int NEXTHDR_ROUTING = 43;
    static final int NEXTHDR_FRAGMENT = 44;
    static final int NEXTHDR_ESP = 50;
    static final int NEXTHDR_AUTH = 51;
    static final int NEXTHDR_ICMP = 58;
    static final int NEXTHDR_NONE = 59;
    static final int NEXTHDR_DEST = 60;

    /** {@code enum ofp12_ipv6exthdr_flags}. */
    static final int OFPIEH12_NONEXT = 1;
    static final int OFPIEH12_ESP = 1 << 1;
    static final int OFPIEH12_AUTH = 1 << 2;
    static final int OFPIEH12_DEST = 1 << 3;
    static final int OFPIEH12_FRAG = 1 << 4;
    static final int OFPIEH12_ROUTER = 1 << 5;
    static final int OFPIEH12_HOP = 1 << 6;
    static final int OFPIEH12_UNREP = 1 << 7;
    static final int OFPIEH12_UNSEQ = 1 << 8;

    static final int IPV6_HLEN = 40;
    static final int IPV6_FLOWLABEL_MASK = 0x000fffff;
    static final int NDISC_NEIGHBOUR_SOLICITATION = 135;
    static final int NDISC_NEIGHBOUR_ADVERTISEMENT = 136;
    static final int ND_OPT_SOURCE_LL_ADDR = 1;
    static final int ND_OPT_TARGET_LL_ADDR = 2;
    /** {@code sizeof(struct nd_msg)}: ICMPv6 header + target. */
    static final int ND_MSG_LEN = 24;
    static final int ICMP6_HLEN = 8;

    /** {@code ipv6_find_hdr} failures: a truncated extension header; a non-first fragment followed by one. */
    private static final int EBADMSG = -74;
    private static final int ENOENT = -2;

    private Ipv6Parser() {
    }

    /** {@code ipv6_ext_hdr}. */
    static boolean isExtHdr(int nexthdr) {
        return nexthdr == NEXTHDR_HOP || nexthdr == NEXTHDR_ROUTING || nexthdr == NEXTHDR_FRAGMENT
                || nexthdr == NEXTHDR_AUTH || nexthdr == NEXTHDR_NONE || nexthdr == NEXTHDR_DEST;
    }

    static void parse(Packet p, FlowKey k, byte[] b, int nh, int end) {
        if (end - nh < IPV6_HLEN) {
            // check_header's -EINVAL: ip and the addresses zero (they are), transport = network.
            p.transportOff = nh;
            return;
        }
        k.u16(FlowKey.IPV6_EXTHDRS_OFFSET, extHdrs(b, nh, end));
        int first = be32(b, nh);
        k.u8(FlowKey.IP_PROTO_OFFSET, NEXTHDR_NONE);
        k.u8(FlowKey.IP_TOS_OFFSET, first >>> 20);
        k.u8(FlowKey.IP_TTL_OFFSET, b[nh + 7]);
        k.u32(FlowKey.IPV6_LABEL_OFFSET, first & IPV6_FLOWLABEL_MASK);
        k.u64(FlowKey.IPV6_SRC_OFFSET, be64(b, nh + 8));
        k.u64(FlowKey.IPV6_SRC_OFFSET + 8, be64(b, nh + 16));
        k.u64(FlowKey.IPV6_DST_OFFSET, be64(b, nh + 24));
        k.u64(FlowKey.IPV6_DST_OFFSET + 8, be64(b, nh + 32));

        // ipv6_find_hdr(skb, &payload_ofs, -1, &frag_off, &flags)
        int start = nh + IPV6_HLEN;
        int next = b[nh + 6] & 0xff;
        boolean fragment = false;
        int fragOff = 0;
        int result;
        while (true) {
            if (!isExtHdr(next) || next == NEXTHDR_NONE) {
                result = next;
                break;
            }
            if (end - start < 2) {
                result = EBADMSG;
                break;
            }
            int hdrLen;
            if (next == NEXTHDR_ROUTING && end - start < 4) {
                result = EBADMSG;
                break;
            }
            if (next == NEXTHDR_FRAGMENT) {
                fragment = true;
                if (end - start < 4) {
                    result = EBADMSG;
                    break;
                }
                int off = be16(b, start + 2) & ~0x7;
                if (off != 0) {
                    int hpNext = b[start] & 0xff;
                    if (!isExtHdr(hpNext) || hpNext == NEXTHDR_NONE) {
                        fragOff = off;
                        result = hpNext;
                    } else {
                        result = ENOENT;
                    }
                    break;
                }
                hdrLen = 8;
            } else if (next == NEXTHDR_AUTH) {
                hdrLen = ((b[start + 1] & 0xff) + 2) << 2;
            } else {
                hdrLen = ((b[start + 1] & 0xff) + 1) << 3;
            }
            next = b[start] & 0xff;
            start += hdrLen;
        }

        if (fragment) {
            if (fragOff != 0) {
                k.u8(FlowKey.IP_FRAG_OFFSET, FragType.LATER);
                k.u8(FlowKey.IP_PROTO_OFFSET, NEXTHDR_FRAGMENT);
                return;
            }
            k.u8(FlowKey.IP_FRAG_OFFSET, FragType.FIRST);
        }
        if (result < 0) {
            p.transportOff = nh;
            return;
        }
        p.transportOff = start;
        k.u8(FlowKey.IP_PROTO_OFFSET, result);
        if (result == NEXTHDR_ICMP) {
            if (end - start >= ICMP6_HLEN) {
                icmpv6(k, b, start, end);
            }
        } else {
            Ipv4Parser.transport(k, b, start, end, result);
        }
    }

    /** {@code parse_icmpv6}: type and code, and for NS/NA with code 0 the target and link-layer options. */
    private static void icmpv6(FlowKey k, byte[] b, int th, int end) {
        int type = b[th] & 0xff;
        int code = b[th + 1] & 0xff;
        k.u16(FlowKey.TP_SRC_OFFSET, type);
        k.u16(FlowKey.TP_DST_OFFSET, code);
        if (code != 0 || (type != NDISC_NEIGHBOUR_SOLICITATION && type != NDISC_NEIGHBOUR_ADVERTISEMENT)) {
            return;
        }
        int icmpLen = end - th;
        if (icmpLen < ND_MSG_LEN) {
            return;
        }
        k.u64(FlowKey.ND_TARGET_OFFSET, be64(b, th + 8));
        k.u64(FlowKey.ND_TARGET_OFFSET + 8, be64(b, th + 16));
        icmpLen -= ND_MSG_LEN;
        int opt = th + ND_MSG_LEN;
        while (icmpLen >= 8) {
            int optLen = (b[opt + 1] & 0xff) << 3;
            if (optLen == 0 || optLen > icmpLen) {
                return;
            }
            int optType = b[opt] & 0xff;
            if (optLen == 8 && optType == ND_OPT_SOURCE_LL_ADDR) {
                if (k.u64(FlowKey.ND_SLL_OFFSET) != 0) {
                    invalidNd(k);
                    return;
                }
                k.u64(FlowKey.ND_SLL_OFFSET, be48(b, opt + 2));
            } else if (optLen == 8 && optType == ND_OPT_TARGET_LL_ADDR) {
                if (k.u64(FlowKey.ND_TLL_OFFSET) != 0) {
                    invalidNd(k);
                    return;
                }
                k.u64(FlowKey.ND_TLL_OFFSET, be48(b, opt + 2));
            }
            icmpLen -= optLen;
            opt += optLen;
        }
    }

    /** A repeated link-layer address option: the whole ND part of the key is zeroed. */
    private static void invalidNd(FlowKey k) {
        k.u64(FlowKey.ND_TARGET_OFFSET, 0);
        k.u64(FlowKey.ND_TARGET_OFFSET + 8, 0);
        k.u64(FlowKey.ND_SLL_OFFSET, 0);
        k.u64(FlowKey.ND_TLL_OFFSET, 0);
    }

    /** {@code get_ipv6_ext_hdrs}: the OVS bitmap of the extension headers seen, and their order. */
    static int extHdrs(byte[] b, int nh, int end) {
        int next = b[nh + 6] & 0xff;
        int start = nh + IPV6_HLEN;
        int destCount = 0;
        int ext = 0;
        while (isExtHdr(next)) {
            switch (next) {
                case NEXTHDR_NONE -> {
                    return ext | OFPIEH12_NONEXT;
                }
                case NEXTHDR_AUTH -> {
                    if ((ext & OFPIEH12_AUTH) != 0) {
                        ext |= OFPIEH12_UNREP;
                    }
                    // The kernel's mask names IPPROTO_FRAGMENT (44 = AUTH|DEST|ROUTER) for a bit.
                    int allowed = OFPIEH12_HOP | OFPIEH12_DEST | OFPIEH12_ROUTER | NEXTHDR_FRAGMENT | OFPIEH12_UNREP;
                    if ((ext & ~allowed) != 0 || destCount >= 2) {
                        ext |= OFPIEH12_UNSEQ;
                    }
                    ext |= OFPIEH12_AUTH;
                }
                case NEXTHDR_DEST -> {
                    if (destCount == 0) {
                        if ((ext & ~(OFPIEH12_HOP | OFPIEH12_UNREP)) != 0) {
                            ext |= OFPIEH12_UNSEQ;
                        }
                        ext |= OFPIEH12_DEST;
                    } else if (destCount == 1) {
                        int allowed = OFPIEH12_HOP | OFPIEH12_DEST | OFPIEH12_ROUTER | OFPIEH12_FRAG
                                | OFPIEH12_AUTH | OFPIEH12_ESP | OFPIEH12_UNREP;
                        if ((ext & ~allowed) != 0) {
                            ext |= OFPIEH12_UNSEQ;
                        }
                    } else {
                        ext |= OFPIEH12_UNREP;
                    }
                    destCount++;
                }
                case NEXTHDR_FRAGMENT -> {
                    if ((ext & OFPIEH12_FRAG) != 0) {
                        ext |= OFPIEH12_UNREP;
                    }
                    if ((ext & ~(OFPIEH12_HOP | OFPIEH12_DEST | OFPIEH12_ROUTER | OFPIEH12_UNREP)) != 0
                            || destCount >= 2) {
                        ext |= OFPIEH12_UNSEQ;
                    }
                    ext |= OFPIEH12_FRAG;
                }
                case NEXTHDR_ROUTING -> {
                    if ((ext & OFPIEH12_ROUTER) != 0) {
                        ext |= OFPIEH12_UNREP;
                    }
                    if ((ext & ~(OFPIEH12_HOP | OFPIEH12_DEST | OFPIEH12_UNREP)) != 0 || destCount >= 2) {
                        ext |= OFPIEH12_UNSEQ;
                    }
                    ext |= OFPIEH12_ROUTER;
                }
                default -> { // NEXTHDR_HOP
                    if ((ext & OFPIEH12_HOP) != 0) {
                        ext |= OFPIEH12_UNREP;
                    }
                    ext |= ext == 0 ? OFPIEH12_HOP : OFPIEH12_UNSEQ;
                }
            }
            if (end - start < 2) {
                break;
            }
            next = b[start] & 0xff;
            start += ((b[start + 1] & 0xff) + 1) << 3;
        }
        return ext;
    }
}
