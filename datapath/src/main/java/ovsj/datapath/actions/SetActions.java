package ovsj.datapath.actions;

import java.util.zip.CRC32C;

import ovsj.datapath.Packet;
import ovsj.netlink.Errno;
import ovsj.netlink.NlAttr;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.KeyAttr;

/**
 * {@code execute_masked_set_action} and its helpers: {@code set_eth_addr}, {@code set_ipv4} (with
 * {@code set_ip_addr}, {@code update_ip_l4_checksum}, {@code ipv4_change_dsfield}, {@code set_ip_ttl}),
 * {@code set_ipv6} (addresses with pseudo-header checksum updates, traffic class, flow label, hop limit),
 * {@code set_tcp}, {@code set_udp}, {@code set_sctp}, and the metadata sets. Each writes the frame and the
 * flow key fields Linux writes, and nothing else; OVS_MASKED(old, value, mask) is
 * {@code value | (old & ~mask)} (the value is pre-masked).
 *
 * <p>One instance per executor (it owns a CRC32c and an address buffer); no allocation.
 */
final class SetActions {
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_ICMPV6 = 58;
    private static final int IP_OFFSET = 0x1fff;
    private static final int CSUM_MANGLED_0 = 0xffff;

    static final int NEXTHDR_HOP = 0;
    static final int NEXTHDR_ROUTING = 43;
    static final int NEXTHDR_FRAGMENT = 44;
    static final int NEXTHDR_AUTH = 51;
    static final int NEXTHDR_NONE = 59;
    static final int NEXTHDR_DEST = 60;

    private final CRC32C crc = new CRC32C();
    private final byte[] addr = new byte[16];

    /**
     * Runs the masked set whose key attribute ({@code value | mask}) starts at {@code a[attr]}. Returns 0
     * or -errno.
     */
    int execute(Packet p, FlowKey key, byte[] a, int attr) {
        int d = attr + NlAttr.HEADER_LENGTH;
        int m = d + (NlAttr.len(a, attr) - NlAttr.HEADER_LENGTH) / 2;
        return switch (NlAttr.type(a, attr)) {
            case KeyAttr.PRIORITY -> {
                p.priority = Wire.u32(a, d) | (p.priority & ~Wire.u32(a, m));
                key.u32(FlowKey.PRIORITY_OFFSET, p.priority);
                yield 0;
            }
            case KeyAttr.SKB_MARK -> {
                p.mark = Wire.u32(a, d) | (p.mark & ~Wire.u32(a, m));
                key.u32(FlowKey.SKB_MARK_OFFSET, p.mark);
                yield 0;
            }
            case KeyAttr.ETHERNET -> setEthAddr(p, key, a, d, m);
            case KeyAttr.NSH -> NshActions.setNsh(p, key, a, attr);
            case KeyAttr.IPV4 -> setIpv4(p, key, a, d, m);
            case KeyAttr.IPV6 -> setIpv6(p, key, a, d, m);
            case KeyAttr.TCP -> setTcp(p, key, a, d, m);
            case KeyAttr.UDP -> setUdp(p, key, a, d, m);
            case KeyAttr.SCTP -> setSctp(p, key, a, d, m);
            case KeyAttr.MPLS -> VlanMplsEth.setMpls(p, key, Wire.be32(a, d), Wire.be32(a, m));
            // masked tunnel sets are not supported; conntrack fields are set by the ct action only
            case KeyAttr.TUNNEL_INFO, KeyAttr.CT_STATE, KeyAttr.CT_ZONE, KeyAttr.CT_MARK, KeyAttr.CT_LABELS,
                 KeyAttr.CT_ORIG_TUPLE_IPV4, KeyAttr.CT_ORIG_TUPLE_IPV6 -> -Errno.EINVAL;
            default -> 0;
        };
    }

    private static int end(Packet p) {
        return p.off + p.len;
    }

    /** {@code skb_clear_hash}. */
    static void clearHash(Packet p) {
        p.hash = 0;
        p.swHash = false;
        p.l4Hash = false;
    }

    // ---- Ethernet -------------------------------------------------------------------------------

    private static int setEthAddr(Packet p, FlowKey key, byte[] a, int d, int m) {
        int mh = p.macOff;
        if (mh < p.off || mh + VlanMplsEth.ETH_HLEN > end(p)) {
            return -Errno.ENOMEM;
        }
        byte[] b = p.buf;
        for (int i = 0; i < VlanMplsEth.ETH_ALEN; i++) {
            b[mh + 6 + i] = (byte) (a[d + i] | (b[mh + 6 + i] & ~a[m + i]));         // source
            b[mh + i] = (byte) (a[d + 6 + i] | (b[mh + i] & ~a[m + 6 + i]));         // destination
        }
        key.u64(FlowKey.ETH_SRC_OFFSET, Wire.be48(b, mh + 6));
        key.u64(FlowKey.ETH_DST_OFFSET, Wire.be48(b, mh));
        return 0;
    }

    // ---- IPv4 -----------------------------------------------------------------------------------

    private static int setIpv4(Packet p, FlowKey key, byte[] a, int d, int m) {
        int nh = p.networkOff;
        if (nh < p.off || nh + 20 > end(p)) {
            return -Errno.ENOMEM;
        }
        byte[] b = p.buf;
        int mask = Wire.be32(a, m);
        if (mask != 0) {
            int old = Wire.be32(b, nh + 12);
            int nu = Wire.be32(a, d) | (old & ~mask);
            if (nu != old) {
                setIpAddr(p, nh, nh + 12, old, nu);
                key.u32(FlowKey.IPV4_SRC_OFFSET, nu);
            }
        }
        mask = Wire.be32(a, m + 4);
        if (mask != 0) {
            int old = Wire.be32(b, nh + 16);
            int nu = Wire.be32(a, d + 4) | (old & ~mask);
            if (nu != old) {
                setIpAddr(p, nh, nh + 16, old, nu);
                key.u32(FlowKey.IPV4_DST_OFFSET, nu);
            }
        }
        int tosMask = a[m + 9] & 0xff;
        if (tosMask != 0) {
            ChecksumUtil.ipv4ChangeDsfield(b, nh, ~tosMask & 0xff, a[d + 9] & 0xff);
            key.u8(FlowKey.IP_TOS_OFFSET, b[nh + 1]);
        }
        int ttlMask = a[m + 10] & 0xff;
        if (ttlMask != 0) {
            int ttl = b[nh + 8] & 0xff;
            int nu = ((a[d + 10] & 0xff) | (ttl & ~ttlMask)) & 0xff;
            Wire.putBe16(b, nh + 10, ChecksumUtil.replace2(Wire.be16(b, nh + 10), ttl << 8, nu << 8));
            b[nh + 8] = (byte) nu;
            key.u8(FlowKey.IP_TTL_OFFSET, nu);
        }
        return 0;
    }

    /** {@code set_ip_addr}. */
    private static void setIpAddr(Packet p, int nh, int at, int old, int nu) {
        byte[] b = p.buf;
        updateIpL4Checksum(p, nh, old, nu);
        Wire.putBe16(b, nh + 10, ChecksumUtil.replace4(Wire.be16(b, nh + 10), old, nu));
        clearHash(p);
        Wire.putBe32(b, at, nu);
    }

    /** {@code update_ip_l4_checksum}: the TCP/UDP pseudo-header covers the address. */
    private static void updateIpL4Checksum(Packet p, int nh, int old, int nu) {
        byte[] b = p.buf;
        int t = p.transportOff;
        if ((Wire.be16(b, nh + 6) & IP_OFFSET) != 0 || t < p.off) {
            return;
        }
        int tlen = end(p) - t;
        int proto = b[nh + 9] & 0xff;
        if (proto == IPPROTO_TCP && tlen >= 20) {
            Wire.putBe16(b, t + 16, ChecksumUtil.replace4(Wire.be16(b, t + 16), old, nu));
        } else if (proto == IPPROTO_UDP && tlen >= 8) {
            int check = Wire.be16(b, t + 6);
            if (check != 0) {
                check = ChecksumUtil.replace4(check, old, nu);
                Wire.putBe16(b, t + 6, check == 0 ? CSUM_MANGLED_0 : check);
            }
        }
    }

    // ---- IPv6 -----------------------------------------------------------------------------------

    private int setIpv6(Packet p, FlowKey key, byte[] a, int d, int m) {
        int nh = p.networkOff;
        if (nh < p.off || nh + 40 > end(p)) {
            return -Errno.ENOMEM;
        }
        byte[] b = p.buf;
        if (!isZero(a, m, 16) && masked(b, nh + 8, a, d, m)) {
            setIpv6Addr(p, key.ipProto(), nh + 8, true);
            key.u64(FlowKey.IPV6_SRC_OFFSET, Wire.be64(b, nh + 8));
            key.u64(FlowKey.IPV6_SRC_OFFSET + 8, Wire.be64(b, nh + 16));
        }
        if (!isZero(a, m + 16, 16) && masked(b, nh + 24, a, d + 16, m + 16)) {
            boolean recalc = true;
            if (isIpv6ExtHdr(b[nh + 6] & 0xff)) {
                recalc = !hasRoutingHeader(p, nh);
            }
            setIpv6Addr(p, key.ipProto(), nh + 24, recalc);
            key.u64(FlowKey.IPV6_DST_OFFSET, Wire.be64(b, nh + 24));
            key.u64(FlowKey.IPV6_DST_OFFSET + 8, Wire.be64(b, nh + 32));
        }
        int tcMask = a[m + 37] & 0xff;
        if (tcMask != 0) {
            int w = Wire.be16(b, nh);
            int tc = ((a[d + 37] & 0xff) | (((w >> 4) & 0xff) & ~tcMask)) & 0xff;
            int keep = (((~tcMask) & 0xff) << 4) | 0xf00f;
            Wire.putBe16(b, nh, (w & keep) | (tc << 4));
            key.u8(FlowKey.IP_TOS_OFFSET, (Wire.be16(b, nh) >> 4) & 0xff);
        }
        int flMask = Wire.be32(a, m + 32);
        if (flMask != 0) {
            int ofl = ((b[nh + 1] & 0xff) << 16) | ((b[nh + 2] & 0xff) << 8) | (b[nh + 3] & 0xff);
            int fl = Wire.be32(a, d + 32) | (ofl & ~flMask);
            b[nh + 1] = (byte) (fl >> 16);
            b[nh + 2] = (byte) (fl >> 8);
            b[nh + 3] = (byte) fl;
            key.u32(FlowKey.IPV6_LABEL_OFFSET, Wire.be32(b, nh) & 0x000fffff);
        }
        int hlMask = a[m + 38] & 0xff;
        if (hlMask != 0) {
            int nu = ((a[d + 38] & 0xff) | ((b[nh + 7] & 0xff) & ~hlMask)) & 0xff;
            b[nh + 7] = (byte) nu;
            key.u8(FlowKey.IP_TTL_OFFSET, nu);
        }
        return 0;
    }

    /** Puts the masked address in {@link #addr}; true if it differs from the frame's. */
    private boolean masked(byte[] b, int at, byte[] a, int d, int m) {
        boolean differs = false;
        for (int i = 0; i < 16; i++) {
            addr[i] = (byte) (a[d + i] | (b[at + i] & ~a[m + i]));
            differs |= addr[i] != b[at + i];
        }
        return differs;
    }

    private static boolean isZero(byte[] a, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (a[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code set_ipv6_addr} with {@link #addr} as the new address. */
    private void setIpv6Addr(Packet p, int l4Proto, int at, boolean recalc) {
        if (recalc) {
            updateIpv6Checksum(p, l4Proto, at);
        }
        clearHash(p);
        System.arraycopy(addr, 0, p.buf, at, 16);
    }

    /** {@code update_ipv6_checksum}, with the key's L4 protocol as Linux uses it. */
    private void updateIpv6Checksum(Packet p, int l4Proto, int at) {
        byte[] b = p.buf;
        int t = p.transportOff;
        if (t < p.off) {
            return;
        }
        int tlen = end(p) - t;
        if (l4Proto == IPPROTO_TCP && tlen >= 20) {
            Wire.putBe16(b, t + 16, ChecksumUtil.replace16(Wire.be16(b, t + 16), b, at, addr, 0));
        } else if (l4Proto == IPPROTO_UDP && tlen >= 8) {
            int check = Wire.be16(b, t + 6);
            if (check != 0) {
                check = ChecksumUtil.replace16(check, b, at, addr, 0);
                Wire.putBe16(b, t + 6, check == 0 ? CSUM_MANGLED_0 : check);
            }
        } else if (l4Proto == IPPROTO_ICMPV6 && tlen >= 8) {
            Wire.putBe16(b, t + 2, ChecksumUtil.replace16(Wire.be16(b, t + 2), b, at, addr, 0));
        }
    }

    static boolean isIpv6ExtHdr(int nexthdr) {
        return nexthdr == NEXTHDR_HOP || nexthdr == NEXTHDR_ROUTING || nexthdr == NEXTHDR_FRAGMENT
                || nexthdr == NEXTHDR_AUTH || nexthdr == NEXTHDR_NONE || nexthdr == NEXTHDR_DEST;
    }

    /**
     * {@code ipv6_find_hdr(skb, &offset, NEXTHDR_ROUTING, NULL, IP6_FH_F_SKIP_RH) == NEXTHDR_ROUTING}: the
     * packet has a routing header with segments left, so the pseudo-header's destination is not this one.
     */
    static boolean hasRoutingHeader(Packet p, int nh) {
        byte[] b = p.buf;
        int end = end(p);
        int start = nh + 40;
        int nexthdr = b[nh + 6] & 0xff;
        boolean found;
        do {
            found = nexthdr == NEXTHDR_ROUTING;
            if (!isIpv6ExtHdr(nexthdr) || nexthdr == NEXTHDR_NONE) {
                return found;
            }
            if (start + 2 > end) {
                return false; // -EBADMSG
            }
            if (nexthdr == NEXTHDR_ROUTING) {
                if (start + 4 > end) {
                    return false;
                }
                if (b[start + 3] == 0) { // segments_left
                    found = false;
                }
            }
            int hdrlen;
            if (nexthdr == NEXTHDR_FRAGMENT) {
                if (start + 4 > end) {
                    return false;
                }
                if ((Wire.be16(b, start + 2) & ~0x7) != 0) {
                    return found; // a later fragment: -ENOENT unless found
                }
                hdrlen = 8;
            } else if (nexthdr == NEXTHDR_AUTH) {
                hdrlen = ((b[start + 1] & 0xff) + 2) << 2;
            } else {
                hdrlen = ((b[start + 1] & 0xff) + 1) << 3;
            }
            if (!found) {
                nexthdr = b[start] & 0xff;
                start += hdrlen;
            }
        } while (!found);
        return true;
    }

    // ---- L4 ports -------------------------------------------------------------------------------

    private static int setTcp(Packet p, FlowKey key, byte[] a, int d, int m) {
        int t = p.transportOff;
        if (t < p.off || t + 20 > end(p)) {
            return -Errno.ENOMEM;
        }
        byte[] b = p.buf;
        int old = Wire.be16(b, t);
        int src = (Wire.be16(a, d) | (old & ~Wire.be16(a, m))) & 0xffff;
        if (src != old) {
            Wire.putBe16(b, t + 16, ChecksumUtil.replace4(Wire.be16(b, t + 16), old, src));
            Wire.putBe16(b, t, src);
            key.u16(FlowKey.TP_SRC_OFFSET, src);
        }
        old = Wire.be16(b, t + 2);
        int dst = (Wire.be16(a, d + 2) | (old & ~Wire.be16(a, m + 2))) & 0xffff;
        if (dst != old) {
            Wire.putBe16(b, t + 16, ChecksumUtil.replace4(Wire.be16(b, t + 16), old, dst));
            Wire.putBe16(b, t + 2, dst);
            key.u16(FlowKey.TP_DST_OFFSET, dst);
        }
        clearHash(p);
        return 0;
    }

    private static int setUdp(Packet p, FlowKey key, byte[] a, int d, int m) {
        int t = p.transportOff;
        if (t < p.off || t + 8 > end(p)) {
            return -Errno.ENOMEM;
        }
        byte[] b = p.buf;
        int oldSrc = Wire.be16(b, t);
        int oldDst = Wire.be16(b, t + 2);
        int src = (Wire.be16(a, d) | (oldSrc & ~Wire.be16(a, m))) & 0xffff;
        int dst = (Wire.be16(a, d + 2) | (oldDst & ~Wire.be16(a, m + 2))) & 0xffff;
        int check = Wire.be16(b, t + 6);
        if (check != 0) {
            if (src != oldSrc) {
                check = ChecksumUtil.replace4(check, oldSrc, src);
                Wire.putBe16(b, t, src);
                key.u16(FlowKey.TP_SRC_OFFSET, src);
            }
            if (dst != oldDst) {
                check = ChecksumUtil.replace4(check, oldDst, dst);
                Wire.putBe16(b, t + 2, dst);
                key.u16(FlowKey.TP_DST_OFFSET, dst);
            }
            Wire.putBe16(b, t + 6, check == 0 ? CSUM_MANGLED_0 : check);
        } else {
            Wire.putBe16(b, t, src);
            Wire.putBe16(b, t + 2, dst);
            key.u16(FlowKey.TP_SRC_OFFSET, src);
            key.u16(FlowKey.TP_DST_OFFSET, dst);
        }
        clearHash(p);
        return 0;
    }

    /** {@code set_sctp}: the CRC32c is recomputed, carrying any error the old one had through. */
    private int setSctp(Packet p, FlowKey key, byte[] a, int d, int m) {
        int t = p.transportOff;
        int end = end(p);
        if (t < p.off || t + 12 > end) {
            return -Errno.ENOMEM;
        }
        byte[] b = p.buf;
        int oldCsum = Wire.u32(b, t + 8);
        int oldCorrect = ChecksumUtil.sctpChecksum(crc, b, t, end);
        Wire.putBe16(b, t, Wire.be16(a, d) | (Wire.be16(b, t) & ~Wire.be16(a, m)));
        Wire.putBe16(b, t + 2, Wire.be16(a, d + 2) | (Wire.be16(b, t + 2) & ~Wire.be16(a, m + 2)));
        int newCsum = ChecksumUtil.sctpChecksum(crc, b, t, end);
        Wire.putU32(b, t + 8, oldCsum ^ oldCorrect ^ newCsum);
        clearHash(p);
        key.u16(FlowKey.TP_SRC_OFFSET, Wire.be16(b, t));
        key.u16(FlowKey.TP_DST_OFFSET, Wire.be16(b, t + 2));
        return 0;
    }
}
