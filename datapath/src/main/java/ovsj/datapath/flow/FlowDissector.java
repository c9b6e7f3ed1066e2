package ovsj.datapath.flow;

import static ovsj.datapath.flow.KeyExtractor.be16;
import static ovsj.datapath.flow.KeyExtractor.be32;
import static ovsj.datapath.flow.KeyExtractor.be64;

import ovsj.datapath.Packet;
import ovsj.odp.FlowKey;

/**
 * The packet hash: what {@code skb_get_hash} computes in {@code ovs_dp_process_packet}, i.e.
 * {@code __skb_flow_dissect} with the {@code flow_keys} dissector and
 * {@code FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL}, then a hash of the dissected keys.
 *
 * <p>Linux hashes with a random per-boot siphash key, which cannot be reproduced; the value here is a
 * fixed-seed 64-bit multiply-rotate hash (murmur3's finalizer) of the same fields (protocols, flow
 * label, outer VLAN, GRE key, ports and addresses, ports and addresses put in order first so both
 * directions hash alike, never 0). What
 * is reproduced exactly is the <em>walk</em>, because it decides {@code l4_hash}: set when the walk
 * ends with non-zero ports (TCP, UDP, DCCP, SCTP, UDP-Lite; the SPI of ESP and AH) or stops at a
 * non-zero IPv6 flow label. Fragments never get ports.
 *
 * <p>The walk starts where {@code key_extract} leaves the {@code sk_buff}: at the network header, with
 * the protocol it set ({@code skb->protocol} = the inner TPID when there are two tags, else the
 * ethertype) and the outer tag moved out of the frame. As in Linux, a double-tagged frame is therefore
 * read as if its L3 header were one more tag (no ports), and a triple-tagged one gets past its third
 * tag. IPIP, IPv6-in-IP, GRE (version 0 and PPTP), PPPoE sessions and IPv6 hop-by-hop / routing /
 * destination options are walked through, as the kernel does.
 */
final class FlowDissector {
    private static final int RET_CONTINUE = 0;
    private static final int RET_PROTO_AGAIN = 1;
    private static final int RET_IPPROTO_AGAIN = 2;
    private static final int RET_OUT_GOOD = 3;
    private static final int RET_OUT_BAD = 4;

    /** {@code MAX_FLOW_DISSECT_HDRS}. */
    private static final int MAX_HDRS = 15;

    private static final int IPPROTO_IPIP = 4;
    private static final int IPPROTO_DCCP = 33;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPPROTO_GRE = 47;
    private static final int IPPROTO_ESP = 50;
    private static final int IPPROTO_AH = 51;
    private static final int IPPROTO_UDPLITE = 136;
    private static final int IPPROTO_MPLS = 137;

    private static final int GRE_CSUM = 0x8000;
    private static final int GRE_ROUTING = 0x4000;
    private static final int GRE_KEY = 0x2000;
    private static final int GRE_SEQ = 0x1000;
    private static final int GRE_ACK = 0x0080;
    private static final int GRE_VERSION = 0x0007;
    private static final int GRE_PROTO_PPP = 0x880b;
    private static final int PPP_IP = 0x21;
    private static final int PPP_IPV6 = 0x57;
    private static final int PPP_MPLS_UC = 0x281;
    private static final int PPP_MPLS_MC = 0x283;
    /** {@code PPPOE_SES_HLEN}: the 6-byte PPPoE header and the PPP protocol. */
    private static final int PPPOE_SES_HLEN = 8;

    private static final int ADDR_NONE = 0;
    private static final int ADDR_V4 = 1;
    private static final int ADDR_V6 = 2;
    private static final int ADDR_TIPC = 3;

    private static final long SEED = 0x4f56534a2d666c6fL;

    private FlowDissector() {
    }

    /** Computes and sets {@link Packet#hash}, {@link Packet#swHash} and {@link Packet#l4Hash}. */
    static void hash(Packet p) {
        byte[] b = p.buf;
        int hlen = p.off + p.len;
        FlowKey k = p.key;
        int nhoff = p.networkOff;
        int vlanTci = k.vlanTci();
        boolean hwTag = vlanTci != 0 && k.macProto() == FlowKey.MAC_PROTO_ETHERNET;
        int skbProtocol = k.cvlanTci() != 0 ? k.u16(FlowKey.CVLAN_TPID_OFFSET) : k.ethType();
        int proto = hwTag ? k.u16(FlowKey.VLAN_TPID_OFFSET) : skbProtocol;

        int dissectorVlan = 0; // 0 = none yet, 1 = VLAN, 2 = CVLAN
        int vlanKey = 0; // tpid << 16 | prio << 12 | vid, of the first tag
        int vlanEthType = 0;
        int numHdrs = 0;
        int ipProto = 0;
        boolean fragment = false;
        int ports = 0;
        int flowLabel = 0;
        int keyid = 0;
        int addrType = ADDR_NONE;
        int addrOff = 0;

        if (nhoff < 0) {
            proto = 0;
            nhoff = p.off;
        }
        walk:
        while (true) {
            int ret;
            switch (proto) {
                case KeyExtractor.ETH_P_IP -> {
                    if (hlen - nhoff < Ipv4Parser.IPV4_HLEN || (b[nhoff] & 0x0f) < 5) {
                        ret = RET_OUT_BAD;
                        break;
                    }
                    int fragOff = be16(b, nhoff + 6);
                    ipProto = b[nhoff + 9] & 0xff;
                    addrType = ADDR_V4;
                    addrOff = nhoff + 12;
                    nhoff += (b[nhoff] & 0x0f) << 2;
                    ret = RET_CONTINUE;
                    if ((fragOff & (Ipv4Parser.IP_MF | Ipv4Parser.IP_OFFSET)) != 0) {
                        fragment = true;
                        ret = RET_OUT_GOOD; // FLOW_DISSECTOR_F_PARSE_1ST_FRAG is not set
                    }
                }
                case KeyExtractor.ETH_P_IPV6 -> {
                    if (hlen - nhoff < Ipv6Parser.IPV6_HLEN) {
                        ret = RET_OUT_BAD;
                        break;
                    }
                    ipProto = b[nhoff + 6] & 0xff;
                    addrType = ADDR_V6;
                    addrOff = nhoff + 8;
                    int label = be32(b, nhoff) & Ipv6Parser.IPV6_FLOWLABEL_MASK;
                    nhoff += Ipv6Parser.IPV6_HLEN;
                    if (label != 0) {
                        flowLabel = label;
                        ret = RET_OUT_GOOD;
                    } else {
                        ret = RET_CONTINUE;
                    }
                }
                case KeyExtractor.ETH_P_8021Q, KeyExtractor.ETH_P_8021AD -> {
                    int tpid = proto;
                    int tci;
                    if (dissectorVlan == 0 && hwTag) {
                        proto = skbProtocol;
                        tci = vlanTci;
                    } else {
                        if (hlen - nhoff < 4) {
                            ret = RET_OUT_BAD;
                            break;
                        }
                        tci = be16(b, nhoff);
                        proto = be16(b, nhoff + 2);
                        nhoff += 4;
                    }
                    if (dissectorVlan == 0) {
                        dissectorVlan = 1;
                        vlanKey = (tpid << 16) | (tci & 0xefff);
                        vlanEthType = proto;
                    } else if (dissectorVlan == 1) {
                        dissectorVlan = 2; // the flow_keys dissector keeps no CVLAN key
                    }
                    ret = RET_PROTO_AGAIN;
                }
                case KeyExtractor.ETH_P_PPP_SES -> {
                    if (hlen - nhoff < PPPOE_SES_HLEN || (b[nhoff] & 0xff) != 0x11 || b[nhoff + 1] != 0) {
                        ret = RET_OUT_BAD;
                        break;
                    }
                    int ppp = be16(b, nhoff + 6);
                    if ((ppp & 0x0100) != 0) {
                        ppp >>>= 8;
                        nhoff += PPPOE_SES_HLEN - 1;
                    } else {
                        nhoff += PPPOE_SES_HLEN;
                    }
                    ret = RET_PROTO_AGAIN;
                    if (ppp == PPP_IP) {
                        proto = KeyExtractor.ETH_P_IP;
                    } else if (ppp == PPP_IPV6) {
                        proto = KeyExtractor.ETH_P_IPV6;
                    } else if (ppp == PPP_MPLS_UC) {
                        proto = KeyExtractor.ETH_P_MPLS_UC;
                    } else if (ppp == PPP_MPLS_MC) {
                        proto = KeyExtractor.ETH_P_MPLS_MC;
                    } else {
                        ret = (ppp & 0x0101) == 0x0001 ? RET_OUT_GOOD : RET_OUT_BAD;
                    }
                }
                case KeyExtractor.ETH_P_TIPC -> {
                    if (hlen - nhoff < 16) {
                        ret = RET_OUT_BAD;
                        break;
                    }
                    addrType = ADDR_TIPC;
                    addrOff = nhoff + 12;
                    ret = RET_OUT_GOOD;
                }
                // MPLS (no MPLS keys in flow_keys), ARP, FCoE and the like end the walk without ports.
                case KeyExtractor.ETH_P_MPLS_UC, KeyExtractor.ETH_P_MPLS_MC, KeyExtractor.ETH_P_ARP,
                        KeyExtractor.ETH_P_RARP -> ret = RET_OUT_GOOD;
                default -> ret = RET_OUT_BAD;
            }
            if (ret == RET_PROTO_AGAIN) {
                if (++numHdrs <= MAX_HDRS) {
                    continue;
                }
                break;
            }
            if (ret != RET_CONTINUE) {
                break;
            }

            // ip_proto_again
            while (true) {
                ret = RET_CONTINUE;
                switch (ipProto) {
                    case IPPROTO_GRE -> {
                        if (hlen - nhoff < 4) {
                            ret = RET_OUT_BAD;
                            break;
                        }
                        int flags = be16(b, nhoff);
                        int ver = flags & GRE_VERSION;
                        int greProto = be16(b, nhoff + 2);
                        if ((flags & GRE_ROUTING) != 0 || ver > 1
                                || (ver == 1 && !(greProto == GRE_PROTO_PPP && (flags & GRE_KEY) != 0))) {
                            ret = RET_OUT_GOOD;
                            break;
                        }
                        int o = 4;
                        if ((flags & GRE_CSUM) != 0) {
                            o += 4;
                        }
                        if ((flags & GRE_KEY) != 0) {
                            if (hlen - nhoff - o < 4) {
                                ret = RET_OUT_BAD;
                                break;
                            }
                            keyid = be32(b, nhoff + o);
                            if (ver == 1) {
                                keyid &= 0xffff;
                            }
                            o += 4;
                        }
                        if ((flags & GRE_SEQ) != 0) {
                            o += 4;
                        }
                        if (ver == 0) {
                            if (greProto == KeyExtractor.ETH_P_TEB) {
                                if (hlen - nhoff - o < KeyExtractor.ETH_HLEN) {
                                    ret = RET_OUT_BAD;
                                    break;
                                }
                                greProto = be16(b, nhoff + o + 12);
                                o += KeyExtractor.ETH_HLEN;
                            }
                        } else {
                            if ((flags & GRE_ACK) != 0) {
                                o += 4;
                            }
                            if (hlen - nhoff - o < 4) {
                                ret = RET_OUT_BAD;
                                break;
                            }
                            int ppp = be16(b, nhoff + o + 2);
                            if (ppp == PPP_IP) {
                                greProto = KeyExtractor.ETH_P_IP;
                            } else if (ppp == PPP_IPV6) {
                                greProto = KeyExtractor.ETH_P_IPV6;
                            }
                            o += 4;
                        }
                        proto = greProto;
                        nhoff += o;
                        ret = RET_PROTO_AGAIN;
                    }
                    case Ipv6Parser.NEXTHDR_HOP, Ipv6Parser.NEXTHDR_ROUTING, Ipv6Parser.NEXTHDR_DEST -> {
                        if (proto != KeyExtractor.ETH_P_IPV6) {
                            break;
                        }
                        if (hlen - nhoff < 2) {
                            ret = RET_OUT_BAD;
                            break;
                        }
                        ipProto = b[nhoff] & 0xff;
                        nhoff += ((b[nhoff + 1] & 0xff) + 1) << 3;
                        ret = RET_IPPROTO_AGAIN;
                    }
                    case Ipv6Parser.NEXTHDR_FRAGMENT -> {
                        if (proto != KeyExtractor.ETH_P_IPV6) {
                            break;
                        }
                        if (hlen - nhoff < 8) {
                            ret = RET_OUT_BAD;
                            break;
                        }
                        fragment = true;
                        ipProto = b[nhoff] & 0xff;
                        nhoff += 8;
                        ret = RET_OUT_GOOD;
                    }
                    case IPPROTO_IPIP -> {
                        proto = KeyExtractor.ETH_P_IP;
                        ret = RET_PROTO_AGAIN;
                    }
                    case IPPROTO_IPV6 -> {
                        proto = KeyExtractor.ETH_P_IPV6;
                        ret = RET_PROTO_AGAIN;
                    }
                    case IPPROTO_MPLS -> {
                        proto = KeyExtractor.ETH_P_MPLS_UC;
                        ret = RET_PROTO_AGAIN;
                    }
                    default -> {
                    }
                }
                if (!fragment) {
                    ports = ports(b, nhoff, hlen, ipProto);
                }
                if (ret == RET_PROTO_AGAIN) {
                    if (++numHdrs <= MAX_HDRS) {
                        continue walk;
                    }
                    break walk;
                }
                if (ret == RET_IPPROTO_AGAIN) {
                    if (++numHdrs <= MAX_HDRS) {
                        continue;
                    }
                }
                break walk;
            }
        }

        int h = mixKeys(b, proto, ipProto, flowLabel, vlanKey, vlanEthType, keyid, ports, addrType, addrOff);
        p.hash = h == 0 ? 1 : h;
        p.swHash = true;
        p.l4Hash = ports != 0 || flowLabel != 0;
    }

    /** {@code skb_flow_get_ports}: 32 bits at the protocol's port offset, 0 if none or out of the frame. */
    private static int ports(byte[] b, int thoff, int hlen, int ipProto) {
        int poff;
        switch (ipProto) {
            case Ipv4Parser.IPPROTO_TCP, Ipv4Parser.IPPROTO_UDP, IPPROTO_DCCP, IPPROTO_ESP,
                    Ipv4Parser.IPPROTO_SCTP, IPPROTO_UDPLITE -> poff = 0;
            case IPPROTO_AH -> poff = 4;
            default -> {
                return 0;
            }
        }
        int at = thoff + poff;
        return hlen - at >= 4 ? be32(b, at) : 0;
    }

    /** {@code __flow_hash_from_keys} with a fixed-seed hash in place of siphash. */
    private static int mixKeys(byte[] b, int proto, int ipProto, int flowLabel, int vlanKey, int vlanEthType,
                               int keyid, int ports, int addrType, int addrOff) {
        // __flow_hash_consistentify: ports and addresses in order.
        int src = ports >>> 16;
        int dst = ports & 0xffff;
        if (dst < src) {
            ports = (dst << 16) | src;
        }
        long h = SEED;
        h = step(h, ((long) proto << 48) | ((long) ipProto << 40) | flowLabel);
        h = step(h, ((long) vlanKey << 32) | ((long) vlanEthType << 16) | addrType);
        h = step(h, ((long) keyid << 32) | (ports & 0xffffffffL));
        if (addrType == ADDR_V4) {
            long a = be32(b, addrOff) & 0xffffffffL;
            long c = be32(b, addrOff + 4) & 0xffffffffL;
            h = step(h, c < a ? (c << 32) | a : (a << 32) | c);
        } else if (addrType == ADDR_V6) {
            long s0 = be64(b, addrOff);
            long s1 = be64(b, addrOff + 8);
            long d0 = be64(b, addrOff + 16);
            long d1 = be64(b, addrOff + 24);
            int cmp = Long.compareUnsigned(d0, s0);
            if (cmp < 0 || (cmp == 0 && Long.compareUnsigned(d1, s1) < 0)) {
                h = step(step(step(step(h, d0), d1), s0), s1);
            } else {
                h = step(step(step(step(h, s0), s1), d0), d1);
            }
        } else if (addrType == ADDR_TIPC) {
            h = step(h, be32(b, addrOff));
        }
        // murmur3's 64-bit finalizer, folded to 32 bits
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) (h ^ (h >>> 32));
    }

    private static long step(long h, long v) {
        return Long.rotateLeft(h ^ (v * 0x9e3779b97f4a7c15L), 29) * 0xbf58476d1ce4e5b9L;
    }
}
