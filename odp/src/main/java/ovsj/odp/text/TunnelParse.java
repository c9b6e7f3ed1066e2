package ovsj.odp.text;

import static ovsj.odp.text.OdpParseException.E2BIG;
import static ovsj.odp.text.OdpParseException.EINVAL;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.NshKeyAttr;
import ovsj.odp.uapi.TunnelKeyAttr;
import ovsj.odp.uapi.VxlanExtAttr;

/**
 * The nested key attributes of the parser: {@code tunnel(...)} ({@code SCAN_BEGIN_NESTED} with
 * {@code scan_erspan_metadata}, {@code scan_vxlan_gbp}, {@code scan_geneve}, {@code scan_gtpu_metadata}
 * and {@code scan_tun_flags}) and {@code nsh(...)} ({@code parse_odp_nsh_key_mask_attr}). Every tunnel
 * field becomes a sub-attribute of the key and of the mask, in input order.
 */
final class TunnelParse {
    private TunnelParse() {
    }

    /** A tunnel field: scans into {@code k} and {@code m} (the mask starts all ones), then emits both. */
    private interface Nested {
        int scan(String s, int p, byte[] k, byte[] m);
    }

    private interface Emit {
        void put(NlWriter w, byte[] v, int len);
    }

    private record Sub(String name, int size, Nested scan, Emit emit) {
    }

    private static Sub plain(String name, int type, int size, KeyScan.Scanner sc) {
        return new Sub(name, size, (s, p, k, m) -> sc.scan(s, p, k, m, 0), (w, v, len) -> w.putBytes(type, v, 0, size));
    }

    private static final Sub[] TUNNEL_FIELDS = {
        plain("tun_id=", TunnelKeyAttr.ID, 8, KeyScan.BE64),
        plain("src=", TunnelKeyAttr.IPV4_SRC, 4, KeyScan.IPV4),
        plain("dst=", TunnelKeyAttr.IPV4_DST, 4, KeyScan.IPV4),
        plain("ipv6_src=", TunnelKeyAttr.IPV6_SRC, 16, KeyScan.IN6),
        plain("ipv6_dst=", TunnelKeyAttr.IPV6_DST, 16, KeyScan.IN6),
        plain("tos=", TunnelKeyAttr.TOS, 1, KeyScan.U8),
        plain("ttl=", TunnelKeyAttr.TTL, 1, KeyScan.U8),
        plain("tp_src=", TunnelKeyAttr.TP_SRC, 2, KeyScan.BE16),
        plain("tp_dst=", TunnelKeyAttr.TP_DST, 2, KeyScan.BE16),
        new Sub("erspan(", 12, TunnelParse::erspan, (w, v, len) -> w.putBytes(TunnelKeyAttr.ERSPAN_OPTS, v, 0, 12)),
        new Sub("vxlan(gbp(", 4, TunnelParse::vxlanGbp, TunnelParse::putGbp),
        new Sub("geneve(", 253, TunnelParse::geneve, (w, v, len) -> w.putBytes(TunnelKeyAttr.GENEVE_OPTS, v, 0,
                v[252] & 0xff)),
        new Sub("gtpu(", 2, TunnelParse::gtpu, (w, v, len) -> w.putBytes(TunnelFormat.GTPU_OPTS, v, 0, 2)),
        new Sub("flags(", 2, TunnelParse::tunFlags, TunnelParse::putFlags),
    };

    static int tunnel(OdpFlowParse parser, String s, int pos, NlWriter key, NlWriter mask) {
        if (!OvsScan.startsWith(s, pos, "tunnel(")) {
            return 0;
        }
        int kn = key.beginNest(KeyAttr.TUNNEL);
        int mn = mask.beginNest(KeyAttr.TUNNEL);
        int p = pos + 7;
        int len;
        do {
            len = 0;
            for (Sub f : TUNNEL_FIELDS) {
                if (OvsScan.startsWith(s, p, f.name())) {
                    byte[] k = new byte[f.size()];
                    byte[] m = new byte[f.size()];
                    java.util.Arrays.fill(m, (byte) 0xff);
                    p += f.name().length();
                    len = f.scan().scan(s, p, k, m);
                    if (len == 0) {
                        return -EINVAL;
                    }
                    p += len;
                    f.emit().put(key, k, f.size());
                    f.emit().put(mask, m, f.size());
                    break;
                }
            }
        } while (OvsScan.at(s, p++) == ',' && len != 0);
        if (OvsScan.at(s, p - 1) != ')') {
            return -EINVAL;
        }
        if (key.position() - kn - NlAttr.HEADER_LENGTH > 0xffff - NlAttr.HEADER_LENGTH) {
            return -E2BIG;
        }
        key.endNest(kn);
        mask.endNest(mn);
        return p - pos;
    }

    /** {@code scan_erspan_metadata}: host-order version, then the v1 index or the v2 direction and hwid. */
    private static int erspan(String s, int pos, byte[] k, byte[] m) {
        int p = pos;
        byte[] v = new byte[1];
        byte[] vm = new byte[1];
        if (OvsScan.startsWith(s, p, "ver=")) {
            p += 4;
            int len = KeyScan.U8.scan(s, p, v, vm, 0);
            if (len == 0) {
                return 0;
            }
            p += len;
        }
        if (OvsScan.at(s, p) == ',') {
            p++;
        }
        int ver = v[0] & 0xff;
        if (ver == 1) {
            byte[] idx = new byte[4];
            byte[] idxMask = new byte[4];
            if (OvsScan.startsWith(s, p, "idx=")) {
                p += 4;
                int len = KeyScan.U32.scan(s, p, idx, idxMask, 0);
                if (len == 0) {
                    return 0;
                }
                p += len;
            }
            if (OvsScan.at(s, p) == ')') {
                p++;
                Wire.putU32(k, 0, ver);
                Wire.putBe32(k, 4, Wire.u32(idx, 0));
                Wire.putBe32(m, 4, Wire.u32(idxMask, 0));
            }
            return p - pos;
        } else if (ver == 2) {
            byte[] dir = new byte[1];
            byte[] dirMask = new byte[1];
            byte[] hwid = new byte[1];
            byte[] hwidMask = new byte[1];
            if (OvsScan.startsWith(s, p, "dir=")) {
                p += 4;
                int len = KeyScan.U8.scan(s, p, dir, dirMask, 0);
                if (len == 0) {
                    return 0;
                }
                p += len;
            }
            if (OvsScan.at(s, p) == ',') {
                p++;
            }
            if (OvsScan.startsWith(s, p, "hwid=")) {
                p += 5;
                int len = KeyScan.U8.scan(s, p, hwid, hwidMask, 0);
                if (len == 0) {
                    return 0;
                }
                p += len;
            }
            if (OvsScan.at(s, p) == ')') {
                p++;
                // struct erspan_md2 ends with the byte o:1, gra:2, dir:1, hwid:4 (little-endian bit fields).
                Wire.putU32(k, 0, ver);
                k[11] = (byte) ((k[11] & 0x07) | ((dir[0] & 1) << 3) | ((hwid[0] & 0xf) << 4));
                m[11] = (byte) ((m[11] & 0x07) | ((dirMask[0] & 1) << 3) | ((hwidMask[0] & 0xf) << 4));
            }
            return p - pos;
        }
        return 0;
    }

    /**
     * An optional {@code name=value} field: the position after it, {@code p} itself when the field is
     * absent, -1 when its value does not scan.
     */
    private static int field(String s, int p, String name, KeyScan.Scanner scan, byte[] v, byte[] m) {
        if (!OvsScan.startsWith(s, p, name)) {
            return p;
        }
        int len = scan.scan(s, p + name.length(), v, m, 0);
        return len == 0 ? -1 : p + name.length() + len;
    }

    /** {@code scan_vxlan_gbp}: {@code id=ID,flags=FLAGS))} as the host-order word {@code flags << 16 | id}. */
    private static int vxlanGbp(String s, int pos, byte[] k, byte[] m) {
        int p = pos;
        byte[] id = new byte[2];
        byte[] idMask = new byte[2];
        byte[] flags = new byte[1];
        byte[] flagsMask = new byte[1];
        p = field(s, p, "id=", KeyScan.BE16, id, idMask);
        if (p < 0) {
            return 0;
        }
        if (OvsScan.at(s, p) == ',') {
            p++;
        }
        p = field(s, p, "flags=", KeyScan.U8, flags, flagsMask);
        if (p < 0) {
            return 0;
        }
        if (!OvsScan.startsWith(s, p, "))")) {
            return 0;
        }
        Wire.putU32(k, 0, ((flags[0] & 0xff) << 16) | Wire.be16(id, 0));
        Wire.putU32(m, 0, ((flagsMask[0] & 0xff) << 16) | Wire.be16(idMask, 0));
        return p + 2 - pos;
    }

    private static void putGbp(NlWriter w, byte[] v, int len) {
        int gbp = Wire.u32(v, 0);
        if (gbp != 0) {
            int n = w.beginNest(TunnelKeyAttr.VXLAN_OPTS);
            w.putU32(VxlanExtAttr.GBP, gbp);
            w.endNest(n);
        }
    }

    /**
     * {@code scan_geneve}: {@code {class=,type=,len=,DATA[/MASK]}...)} into at most 252 option bytes;
     * their length goes to byte 252.
     */
    static int geneve(String s, int pos, byte[] k, byte[] m) {
        int p = pos;
        int remain = 252;
        int o = 0;
        while (OvsScan.at(s, p) == '{' && remain >= 4) {
            int dataLen = 0;
            p++;
            remain -= 4;
            if (OvsScan.startsWith(s, p, "class=")) {
                p += 6;
                int len = KeyScan.BE16.scan(s, p, k, m, o);
                if (len == 0) {
                    return 0;
                }
                p += len;
            } else {
                m[o] = 0;
                m[o + 1] = 0;
            }
            if (OvsScan.at(s, p) == ',') {
                p++;
            }
            if (OvsScan.startsWith(s, p, "type=")) {
                p += 5;
                int len = KeyScan.U8.scan(s, p, k, m, o + 2);
                if (len == 0) {
                    return 0;
                }
                p += len;
            } else {
                m[o + 2] = 0;
            }
            if (OvsScan.at(s, p) == ',') {
                p++;
            }
            if (OvsScan.startsWith(s, p, "len=")) {
                p += 4;
                byte[] ol = new byte[1];
                byte[] olMask = new byte[1];
                int len = KeyScan.U8.scan(s, p, ol, olMask, 0);
                if (len == 0) {
                    return 0;
                }
                p += len;
                int optLen = ol[0] & 0xff;
                if (optLen > 124 || optLen % 4 != 0 || optLen > remain) {
                    return 0;
                }
                k[o + 3] = (byte) ((k[o + 3] & 0xe0) | (optLen / 4));
                m[o + 3] = (byte) ((m[o + 3] & 0xe0) | (olMask[0] & 0x1f));
                dataLen = optLen;
            } else {
                m[o + 2] = 0; // OVS clears the type's mask here, not the length's
            }
            if (OvsScan.at(s, p) == ',') {
                p++;
                byte[] data = new byte[dataLen];
                int end = OvsScan.parseIntString(s, p, data);
                if (end < 0) {
                    return 0;
                }
                System.arraycopy(data, 0, k, o + 4, dataLen);
                p = end;
            }
            if (OvsScan.at(s, p) == '/') {
                p++;
                byte[] data = new byte[dataLen];
                int end = OvsScan.parseIntString(s, p, data);
                if (end < 0) {
                    return 0;
                }
                System.arraycopy(data, 0, m, o + 4, dataLen);
                p = end;
            }
            m[o + 3] &= 0x1f;
            if (OvsScan.at(s, p) != '}') {
                return 0;
            }
            p++;
            o += 4 + dataLen;
            remain -= dataLen;
        }
        if (OvsScan.at(s, p) != ')') {
            return 0;
        }
        k[252] = (byte) (252 - remain);
        m[252] = (byte) (252 - remain);
        return p + 1 - pos;
    }

    /** {@code scan_gtpu_metadata}: {@code flags=,msgtype=)}. */
    private static int gtpu(String s, int pos, byte[] k, byte[] m) {
        int p = pos;
        byte[] flags = new byte[1];
        byte[] flagsMask = new byte[1];
        byte[] type = new byte[1];
        byte[] typeMask = new byte[1];
        p = field(s, p, "flags=", KeyScan.U8, flags, flagsMask);
        if (p < 0) {
            return 0;
        }
        if (OvsScan.at(s, p) == ',') {
            p++;
        }
        p = field(s, p, "msgtype=", KeyScan.U8, type, typeMask);
        if (p < 0) {
            return 0;
        }
        if (OvsScan.at(s, p) == ')') {
            p++;
            k[0] = flags[0];
            k[1] = type[0];
            m[0] = flagsMask[0];
            m[1] = typeMask[0];
        }
        return p - pos;
    }

    /** {@code scan_tun_flags}: masked or unmasked tunnel flags and the closing ')'. */
    private static int tunFlags(String s, int pos, byte[] k, byte[] m) {
        long[] res = new long[2];
        int n = Flags.parse(s, pos, Flags::tunFlag, ')', Flags.TUN_F_MASK, res, true);
        if (n < 0 || OvsScan.at(s, pos + n) != ')') {
            return 0;
        }
        Wire.putU16(k, 0, (int) res[0]);
        Wire.putU16(m, 0, (int) res[1]);
        return n + 1;
    }

    /** {@code tun_flags_to_attr}: a flag attribute per set flag (the key flag is implied by tun_id). */
    private static void putFlags(NlWriter w, byte[] v, int len) {
        int flags = Wire.u16(v, 0);
        if ((flags & Flags.TUN_F_DONT_FRAGMENT) != 0) {
            w.putFlag(TunnelKeyAttr.DONT_FRAGMENT);
        }
        if ((flags & Flags.TUN_F_CSUM) != 0) {
            w.putFlag(TunnelKeyAttr.CSUM);
        }
        if ((flags & Flags.TUN_F_OAM) != 0) {
            w.putFlag(TunnelKeyAttr.OAM);
        }
    }

    /** {@code nsh(...)}: base fields, path header from spi and si, MD1 contexts. */
    static int nsh(OdpFlowParse parser, String s, int pos, NlWriter key, NlWriter mask) {
        if (!OvsScan.startsWith(s, pos, "nsh(")) {
            return 0;
        }
        // flags, ttl, mdtype, np at 0..3; spi (host u32) at 4; si at 8; contexts (be32) at 12..28.
        byte[] k = new byte[28];
        byte[] m = new byte[28];
        int end = parser.fields(pos + 4, k, m,
                new OdpFlowParse.Field("flags=", 0, KeyScan.U8), new OdpFlowParse.Field("ttl=", 1, KeyScan.U8),
                new OdpFlowParse.Field("mdtype=", 2, KeyScan.U8), new OdpFlowParse.Field("np=", 3, KeyScan.U8),
                new OdpFlowParse.Field("spi=", 4, KeyScan.U32), new OdpFlowParse.Field("si=", 8, KeyScan.U8),
                new OdpFlowParse.Field("c1=", 12, KeyScan.BE32), new OdpFlowParse.Field("c2=", 16, KeyScan.BE32),
                new OdpFlowParse.Field("c3=", 20, KeyScan.BE32), new OdpFlowParse.Field("c4=", 24, KeyScan.BE32));
        if (end < 0) {
            return -EINVAL;
        }
        putNsh(key, k, false);
        putNsh(mask, m, true);
        return end - pos;
    }

    /** {@code nsh_key_to_attr}: BASE, and MD1 for a mask or an MD type 1 key. */
    static void putNsh(NlWriter w, byte[] f, boolean isMask) {
        int n = w.beginNest(KeyAttr.NSH);
        int b = w.reserve(NshKeyAttr.BASE, 8);
        if (b >= 0) {
            System.arraycopy(f, 0, w.buffer(), b, 4);
            Wire.putBe32(w.buffer(), b + 4, (Wire.u32(f, 4) << 8) | (f[8] & 0xff));
        }
        if (isMask || f[2] == 1) {
            w.putBytes(NshKeyAttr.MD1, f, 12, 16);
        }
        w.endNest(n);
    }
}
