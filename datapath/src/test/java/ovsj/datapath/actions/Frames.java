package ovsj.datapath.actions;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32C;

import ovsj.datapath.Packet;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;

/**
 * Hand-built frames for the action tests, checksums computed from scratch, and a small key extractor
 * (the parts of {@code key_extract} the actions depend on: header offsets, L2/L3/L4 fields).
 */
final class Frames {
    static final byte[] MAC_A = {2, 0, 0, 0, 0, 1};
    static final byte[] MAC_B = {2, 0, 0, 0, 0, 2};
    static final int IP_A = 0x0a000001;
    static final int IP_B = 0x0a000002;
    static final byte[] IP6_A = Wire.unhex("20010db8000000000000000000000001");
    static final byte[] IP6_B = Wire.unhex("20010db8000000000000000000000002");

    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMPV6 = 58;
    static final int SCTP = 132;

    private Frames() {
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] be16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] ethHeader(int type) {
        return cat(MAC_B, MAC_A, be16(type));
    }

    static byte[] vlanTag(int tpid, int tci) {
        return cat(be16(tpid), be16(tci));
    }

    static byte[] payload(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    /** An L4 header with a zero checksum, then {@code data}. */
    static byte[] l4(int proto, int sport, int dport, byte[] data) {
        byte[] h = switch (proto) {
            case TCP -> new byte[20];
            case UDP -> new byte[8];
            case SCTP -> new byte[12];
            default -> new byte[8]; // ICMP / ICMPv6: type, code, checksum, 4 more bytes
        };
        if (proto == TCP || proto == UDP || proto == SCTP) {
            Wire.putBe16(h, 0, sport);
            Wire.putBe16(h, 2, dport);
        } else {
            h[0] = (byte) sport;
            h[1] = (byte) dport;
        }
        if (proto == TCP) {
            Wire.putBe32(h, 4, 0x01020304);
            h[12] = 0x50;
            h[13] = 0x02; // SYN
            Wire.putBe16(h, 14, 0xffff);
        } else if (proto == UDP) {
            Wire.putBe16(h, 4, 8 + data.length);
        } else if (proto == SCTP) {
            Wire.putBe32(h, 4, 0xcafef00d);
        }
        return cat(h, data);
    }

    /** An IPv4 header (checksum filled in) then {@code l4}. */
    static byte[] ipv4(int src, int dst, int proto, int tos, int ttl, byte[] l4) {
        byte[] h = new byte[20];
        h[0] = 0x45;
        h[1] = (byte) tos;
        Wire.putBe16(h, 2, 20 + l4.length);
        Wire.putBe16(h, 4, 0x1234);
        Wire.putBe16(h, 6, 0x4000);
        h[8] = (byte) ttl;
        h[9] = (byte) proto;
        Wire.putBe32(h, 12, src);
        Wire.putBe32(h, 16, dst);
        Wire.putBe16(h, 10, ipv4HeaderChecksum(h, 0));
        return cat(h, l4);
    }

    /** An IPv6 header, optional extension headers (already encoded), then {@code l4}. */
    static byte[] ipv6(byte[] src, byte[] dst, int nexthdr, int tclass, int label, int hlim, byte[] rest) {
        byte[] h = new byte[40];
        Wire.putBe32(h, 0, (6 << 28) | (tclass << 20) | label);
        Wire.putBe16(h, 4, rest.length);
        h[6] = (byte) nexthdr;
        h[7] = (byte) hlim;
        System.arraycopy(src, 0, h, 8, 16);
        System.arraycopy(dst, 0, h, 24, 16);
        return cat(h, rest);
    }

    /** Ethernet + IPv4 + L4 with every checksum right. */
    static byte[] eth4(int proto, int sport, int dport, int payloadLen) {
        return fixChecksums(cat(ethHeader(0x0800),
                ipv4(IP_A, IP_B, proto, 0x28, 64, l4(proto, sport, dport, payload(payloadLen)))));
    }

    /** Ethernet + IPv6 + L4 with every checksum right. */
    static byte[] eth6(int proto, int sport, int dport, int payloadLen) {
        return fixChecksums(cat(ethHeader(0x86dd),
                ipv6(IP6_A, IP6_B, proto, 0x28, 0x12345, 64, l4(proto, sport, dport, payload(payloadLen)))));
    }

    // ---- checksums from scratch -----------------------------------------------------------------

    static long sum16(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += Wire.be16(b, off + i);
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xff) << 8;
        }
        return s;
    }

    static int finish(long s) {
        return ~ChecksumUtil.fold(s) & 0xffff;
    }

    /** The IPv4 header checksum of {@code b[nh...]} computed with the checksum field as zero. */
    static int ipv4HeaderChecksum(byte[] b, int nh) {
        int ihl = (b[nh] & 0x0f) * 4;
        return finish(sum16(b, nh, ihl) - Wire.be16(b, nh + 10));
    }

    /**
     * The TCP / UDP / ICMPv6 checksum of the L4 segment {@code b[t, end)} (pseudo-header from the IP header
     * at {@code nh}) with its checksum field as zero; UDP's 0 becomes 0xffff. ICMPv4 has no pseudo-header.
     */
    static int l4Checksum(byte[] b, int nh, int t, int end, int proto, boolean v6) {
        int len = end - t;
        int field = checksumOffset(proto);
        long s = sum16(b, t, len) - Wire.be16(b, t + field);
        if (proto != ICMP) {
            s += v6 ? sum16(b, nh + 8, 32) : sum16(b, nh + 12, 8);
            s += proto + len;
        }
        int c = finish(s);
        return proto == UDP && c == 0 ? 0xffff : c;
    }

    static int checksumOffset(int proto) {
        return switch (proto) {
            case TCP -> 16;
            case UDP -> 6;
            default -> 2;
        };
    }

    static int sctpCrc(byte[] b, int t, int end) {
        CRC32C crc = new CRC32C();
        byte[] copy = java.util.Arrays.copyOfRange(b, t, end);
        Wire.putU32(copy, 8, 0);
        crc.update(copy);
        return (int) crc.getValue();
    }

    /** Recomputes the IPv4 header and L4 checksums of an Ethernet frame. */
    static byte[] fixChecksums(byte[] frame) {
        Packet p = new Packet().wrap(frame, 0, frame.length, 1);
        extract(p, p.key, true, 0);
        byte[] b = p.buf;
        int nh = p.networkOff;
        int t = p.transportOff;
        int end = p.off + p.len;
        int type = p.key.ethType();
        if (type == 0x0800) {
            Wire.putBe16(b, nh + 10, ipv4HeaderChecksum(b, nh));
        }
        if ((type == 0x0800 || type == 0x86dd) && t >= 0) {
            int proto = p.key.ipProto();
            if (proto == SCTP) {
                Wire.putU32(b, t + 8, sctpCrc(b, t, end));
            } else if (proto == TCP || proto == UDP || proto == ICMPV6 || proto == ICMP) {
                Wire.putBe16(b, t + checksumOffset(proto), l4Checksum(b, nh, t, end, proto, type == 0x86dd));
            }
        }
        return p.frame();
    }

    // ---- a small key_extract ----------------------------------------------------------------------

    /**
     * Sets {@code p}'s header offsets and {@code key}'s packet fields from the frame (metadata words are
     * kept): Ethernet with up to two VLAN tags (or an L3 packet of type {@code l3Type}), IPv4, IPv6 with
     * extension headers, MPLS, and TCP / UDP / SCTP / ICMP ports. Clears {@link ActionExecutor#KEY_INVALID}.
     */
    static void extract(Packet p, FlowKey key, boolean ethernet, int l3Type) {
        for (int o = FlowKey.ETH_SRC_OFFSET; o < FlowKey.BYTES; o += 8) {
            key.u64(o, 0);
        }
        key.u8(FlowKey.MAC_PROTO_OFFSET, ethernet ? FlowKey.MAC_PROTO_ETHERNET : FlowKey.MAC_PROTO_NONE);
        byte[] b = p.buf;
        int end = p.off + p.len;
        p.macOff = p.off;
        p.networkOff = -1;
        p.transportOff = -1;
        int nh;
        int type;
        if (ethernet) {
            if (p.len < 14) {
                return;
            }
            key.u64(FlowKey.ETH_DST_OFFSET, Wire.be48(b, p.off));
            key.u64(FlowKey.ETH_SRC_OFFSET, Wire.be48(b, p.off + 6));
            int pos = p.off + 12;
            type = Wire.be16(b, pos);
            if (VlanMplsEth.isVlan(type) && pos + 6 <= end) {
                key.u16(FlowKey.VLAN_TPID_OFFSET, type);
                key.u16(FlowKey.VLAN_TCI_OFFSET, Wire.be16(b, pos + 2) | 0x1000);
                pos += 4;
                type = Wire.be16(b, pos);
                if (VlanMplsEth.isVlan(type) && pos + 6 <= end) {
                    key.u16(FlowKey.CVLAN_TPID_OFFSET, type);
                    key.u16(FlowKey.CVLAN_TCI_OFFSET, Wire.be16(b, pos + 2) | 0x1000);
                    pos += 4;
                    type = Wire.be16(b, pos);
                }
            }
            if (type < 0x600) {
                type = 0x0004;
            }
            nh = pos + 2;
        } else {
            nh = p.off;
            type = l3Type;
        }
        key.u16(FlowKey.ETH_TYPE_OFFSET, type);
        p.networkOff = nh;
        if (type == 0x0800 && nh + 20 <= end && (b[nh] & 0xf0) == 0x40) {
            int ihl = (b[nh] & 0x0f) * 4;
            if (ihl < 20 || nh + ihl > end) {
                return;
            }
            int proto = b[nh + 9] & 0xff;
            key.u8(FlowKey.IP_PROTO_OFFSET, proto);
            key.u8(FlowKey.IP_TOS_OFFSET, b[nh + 1]);
            key.u8(FlowKey.IP_TTL_OFFSET, b[nh + 8]);
            key.u32(FlowKey.IPV4_SRC_OFFSET, Wire.be32(b, nh + 12));
            key.u32(FlowKey.IPV4_DST_OFFSET, Wire.be32(b, nh + 16));
            int frag = Wire.be16(b, nh + 6);
            p.transportOff = nh + ihl;
            if ((frag & 0x1fff) != 0) {
                key.u8(FlowKey.IP_FRAG_OFFSET, 2);
                return;
            }
            if ((frag & 0x2000) != 0) {
                key.u8(FlowKey.IP_FRAG_OFFSET, 1);
            }
            ports(p, key, proto, nh + ihl, end);
        } else if (type == 0x86dd && nh + 40 <= end) {
            key.u32(FlowKey.IPV6_LABEL_OFFSET, Wire.be32(b, nh) & 0xfffff);
            key.u8(FlowKey.IP_TOS_OFFSET, (Wire.be16(b, nh) >> 4) & 0xff);
            key.u8(FlowKey.IP_TTL_OFFSET, b[nh + 7]);
            key.u64(FlowKey.IPV6_SRC_OFFSET, Wire.be64(b, nh + 8));
            key.u64(FlowKey.IPV6_SRC_OFFSET + 8, Wire.be64(b, nh + 16));
            key.u64(FlowKey.IPV6_DST_OFFSET, Wire.be64(b, nh + 24));
            key.u64(FlowKey.IPV6_DST_OFFSET + 8, Wire.be64(b, nh + 32));
            int next = b[nh + 6] & 0xff;
            int pos = nh + 40;
            while (SetActions.isIpv6ExtHdr(next) && next != SetActions.NEXTHDR_NONE && pos + 8 <= end) {
                int len;
                if (next == SetActions.NEXTHDR_FRAGMENT) {
                    len = 8;
                    key.u8(FlowKey.IP_FRAG_OFFSET, (Wire.be16(b, pos + 2) & ~7) != 0 ? 2 : 1);
                } else if (next == SetActions.NEXTHDR_AUTH) {
                    len = ((b[pos + 1] & 0xff) + 2) * 4;
                } else {
                    len = ((b[pos + 1] & 0xff) + 1) * 8;
                }
                next = b[pos] & 0xff;
                pos += len;
            }
            key.u8(FlowKey.IP_PROTO_OFFSET, next);
            p.transportOff = pos;
            if (key.ipFrag() != 2) {
                ports(p, key, next, pos, end);
            }
        } else if (VlanMplsEth.isMpls(type)) {
            int count = 0;
            for (int pos = nh; pos + 4 <= end && count < FlowKey.MPLS_LABEL_DEPTH; pos += 4) {
                int lse = Wire.be32(b, pos);
                key.u32(FlowKey.MPLS_LSE_OFFSET + 4 * count, lse);
                count++;
                if ((lse & 0x100) != 0) {
                    break;
                }
            }
            key.u32(FlowKey.MPLS_LABELS_MASK_OFFSET, (1 << count) - 1);
        }
        key.u8(FlowKey.MAC_PROTO_OFFSET, key.macProto() & ~ActionExecutor.KEY_INVALID);
    }

    private static void ports(Packet p, FlowKey key, int proto, int t, int end) {
        byte[] b = p.buf;
        int need = switch (proto) {
            case TCP -> 20;
            case UDP -> 8;
            case SCTP -> 12;
            case ICMP, ICMPV6 -> 4;
            default -> Integer.MAX_VALUE;
        };
        if (need == Integer.MAX_VALUE || t + need > end) {
            return;
        }
        if (proto == ICMP || proto == ICMPV6) {
            key.u16(FlowKey.TP_SRC_OFFSET, b[t] & 0xff);
            key.u16(FlowKey.TP_DST_OFFSET, b[t + 1] & 0xff);
        } else {
            key.u16(FlowKey.TP_SRC_OFFSET, Wire.be16(b, t));
            key.u16(FlowKey.TP_DST_OFFSET, Wire.be16(b, t + 2));
        }
    }

    /** A packet with {@code frame}, its key extracted into {@code p.key}. */
    static Packet packet(byte[] frame) {
        Packet p = new Packet().wrap(frame, 0, frame.length, 1);
        p.key.u16(FlowKey.IN_PORT_OFFSET, 1);
        extract(p, p.key, true, 0);
        return p;
    }

    /** An L3 packet (no Ethernet header) of ethertype {@code type}. */
    static Packet l3Packet(byte[] frame, int type) {
        Packet p = new Packet().wrap(frame, 0, frame.length, 1);
        p.key.u16(FlowKey.IN_PORT_OFFSET, 1);
        extract(p, p.key, false, type);
        return p;
    }

    static String hex(byte[] b) {
        return Wire.hex(b, 0, b.length);
    }
}
