package ovsj.odp.text;

import static ovsj.odp.text.OdpParseException.EINVAL;

import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;

/**
 * {@code ovs_parse_tnl_push}: {@code tnl_push(tnl_port(N),header(size=,type=,eth(...),ipv4|ipv6(...),
 * udp(...),vxlan|geneve(...) | gre(...) | gtpu(...)),out_port(N))}, OVS userspace's
 * {@code struct ovs_action_push_tnl} (four host-order words and the header bytes). It is an OVS
 * userspace-only action, number 23 in OVS 3.1, which the Linux datapath reads as {@code dec_ttl} and
 * refuses. OVS's ERSPAN forms have broken scan formats and never match; they are not accepted here
 * either.
 */
final class TnlPushParse {
    private TnlPushParse() {
    }

    static final int VPORT_GRE = 3;
    static final int VPORT_VXLAN = 4;
    static final int VPORT_GENEVE = 5;
    static final int VPORT_IP6GRE = 109;
    static final int VPORT_GTPU = 110;

    /** Characters consumed, 0 if {@code s[pos]} is not a {@code tnl_push}, or -errno. */
    static int parse(String s, int pos, NlWriter out) {
        if (!OvsScan.startsWith(s, pos, "tnl_push(")) {
            return 0;
        }
        Cursor c = new Cursor(s, pos);
        OvsScan.Result r;
        byte[] h = new byte[512];
        if ((r = c.scan("tnl_push(tnl_port(%i),")) == null) {
            return -EINVAL;
        }
        int tnlPort = r.i(0);
        if ((r = c.scan("header(size=%i,type=%i,eth(dst=" + Inet.ETH_SCAN + ",")) == null) {
            return -EINVAL;
        }
        int headerLen = r.i(0);
        int declaredType = r.i(1);
        for (int i = 0; i < 6; i++) {
            h[i] = (byte) r.l(2 + i);
        }
        if ((r = c.scan("src=" + Inet.ETH_SCAN + ",")) == null) {
            return -EINVAL;
        }
        for (int i = 0; i < 6; i++) {
            h[6 + i] = (byte) r.l(i);
        }
        if ((r = c.scan("dl_type=0x%hx),")) == null) {
            return -EINVAL;
        }
        int dlType = r.i(0);
        Wire.putBe16(h, 12, dlType);
        int l3 = 14;
        int ipLen;
        boolean ipv4 = dlType == 0x0800;
        if (ipv4) {
            if ((r = c.scan("ipv4(src=" + Inet.IP_SCAN + ",dst=" + Inet.IP_SCAN
                    + ",proto=%hhi,tos=%hhi,ttl=%hhi,frag=0x%hx),")) == null) {
                return -EINVAL;
            }
            h[l3] = 0x45;
            h[l3 + 1] = (byte) r.l(9);
            Wire.putBe16(h, l3 + 6, r.i(11));
            h[l3 + 8] = (byte) r.l(10);
            h[l3 + 9] = (byte) r.l(8);
            for (int i = 0; i < 8; i++) {
                h[l3 + 12 + i] = (byte) r.l(i);
            }
            Wire.putBe16(h, l3 + 10, checksum(h, l3, 20));
            ipLen = 20;
        } else {
            if ((r = c.scan("ipv6(src=" + Inet.IPV6_SCAN + ",dst=" + Inet.IPV6_SCAN
                    + ",label=%i,proto=%hhi,tclass=0x%hhx,hlimit=%hhi),")) == null
                    || (r.l(2) & ~0xfffffL) != 0 || !Inet.ipv6Pton(r.s(0), h, l3 + 8)
                    || !Inet.ipv6Pton(r.s(1), h, l3 + 24)) {
                return -EINVAL;
            }
            Wire.putBe32(h, l3, (6 << 28) | (r.i(4) << 20) | r.i(2));
            h[l3 + 6] = (byte) r.l(3);
            h[l3 + 7] = (byte) r.l(5);
            ipLen = 40;
        }
        int l4 = l3 + ipLen;
        int tnlType;
        int computedLen;
        if ((r = c.scan("udp(src=%hi,dst=%hi,csum=0x%hx),")) != null) {
            Wire.putBe16(h, l4, r.i(0));
            Wire.putBe16(h, l4 + 2, r.i(1));
            Wire.putBe16(h, l4 + 6, r.i(2));
            int tnl = l4 + 8;
            if ((r = c.scan("vxlan(flags=0x%x,vni=0x%x))")) != null) {
                Wire.putBe32(h, tnl, r.i(0));
                Wire.putBe32(h, tnl + 4, r.i(1) << 8);
                tnlType = VPORT_VXLAN;
                computedLen = 14 + ipLen + 8 + 8;
            } else if (c.scan("geneve(") != null) {
                computedLen = 14 + ipLen + 8 + 8;
                if (c.scan("oam,") != null) {
                    h[tnl + 1] |= (byte) 0x80;
                }
                if (c.scan("crit,") != null) {
                    h[tnl + 1] |= 0x40;
                }
                if ((r = c.scan("vni=%i")) == null) {
                    return -EINVAL;
                }
                int vni = r.i(0);
                if (c.scan(",options(") != null) {
                    byte[] k = new byte[253];
                    byte[] m = new byte[253];
                    int len = TunnelParse.geneve(s, c.p, k, m);
                    if (len == 0) {
                        return -EINVAL;
                    }
                    int optsLen = k[252] & 0xff;
                    System.arraycopy(k, 0, h, tnl + 8, optsLen);
                    h[tnl] = (byte) ((h[tnl] & 0xc0) | (optsLen / 4));
                    computedLen += optsLen;
                    c.p += len;
                }
                if (c.scan("))") == null) {
                    return -EINVAL;
                }
                Wire.putBe16(h, tnl + 2, 0x6558);
                Wire.putBe32(h, tnl + 4, vni << 8);
                tnlType = VPORT_GENEVE;
            } else {
                return -EINVAL;
            }
        } else if ((r = c.scan("gre((flags=0x%hx,proto=0x%hx)")) != null) {
            tnlType = ipv4 ? VPORT_GRE : VPORT_IP6GRE;
            int flags = r.i(0);
            Wire.putBe16(h, l4, flags);
            Wire.putBe16(h, l4 + 2, r.i(1));
            int o = l4 + 4;
            if ((flags & 0x8000) != 0) {
                if ((r = c.scan(",csum=0x%hx")) == null) {
                    return -EINVAL;
                }
                Wire.putBe16(h, o, r.i(0));
                o += 4;
            }
            if ((flags & 0x2000) != 0) {
                if ((r = c.scan(",key=0x%x")) == null) {
                    return -EINVAL;
                }
                Wire.putBe32(h, o, r.i(0));
                o += 4;
            }
            if ((flags & 0x1000) != 0) {
                if ((r = c.scan(",seq=0x%x")) == null) {
                    return -EINVAL;
                }
                Wire.putBe32(h, o, r.i(0));
                o += 4;
            }
            if (c.scan("))") == null) {
                return -EINVAL;
            }
            computedLen = o;
        } else if ((r = c.scan("gtpu(flags=%hhi,msgtype=%hhu,teid=0x%x))")) != null) {
            int g = l4 + 8;
            h[g] = (byte) r.l(0);
            h[g + 1] = (byte) r.l(1);
            Wire.putBe32(h, g + 4, r.i(2));
            tnlType = VPORT_GTPU;
            computedLen = 14 + ipLen + 8 + 8;
        } else {
            return -EINVAL;
        }
        if (declaredType != tnlType || headerLen != computedLen) {
            return -EINVAL;
        }
        if ((r = c.scan(",out_port(%i))")) == null) {
            return -EINVAL;
        }
        int p = out.reserve(OdpActionsFormat.OVS_TUNNEL_PUSH, 16 + headerLen);
        if (p >= 0) {
            Wire.putU32(out.buffer(), p, tnlPort);
            Wire.putU32(out.buffer(), p + 4, r.i(0));
            Wire.putU32(out.buffer(), p + 8, headerLen);
            Wire.putU32(out.buffer(), p + 12, tnlType);
            System.arraycopy(h, 0, out.buffer(), p + 16, headerLen);
        }
        return c.p - pos;
    }

    /** The IPv4 header checksum ({@code csum}). */
    static int checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += Wire.be16(b, off + i);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    /** {@code ovs_scan_len}: scans at the cursor and moves it past what matched. */
    private static final class Cursor {
        final String s;
        int p;

        Cursor(String s, int p) {
            this.s = s;
            this.p = p;
        }

        OvsScan.Result scan(String fmt) {
            OvsScan.Result r = OvsScan.scan(s, p, fmt);
            if (r != null) {
                p = r.end;
            }
            return r;
        }
    }
}
