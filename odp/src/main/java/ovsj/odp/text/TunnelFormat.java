package ovsj.odp.text;

import static ovsj.odp.text.Fmt.Style.ALT_HEX;
import static ovsj.odp.text.Fmt.Style.DEC;
import static ovsj.odp.text.Fmt.Style.HEX;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.NshKeyAttr;
import ovsj.odp.uapi.TunnelKeyAttr;
import ovsj.odp.uapi.VxlanExtAttr;

/**
 * Nested key attributes: the tunnel key ({@code format_odp_tun_attr} with its VXLAN, Geneve, ERSPAN
 * and GTP-U options) and NSH ({@code format_odp_nsh_attr}, {@code format_odp_push_nsh_action}).
 * Payloads are given as {@code (buf, offset, length)}; a null mask buffer means no mask.
 */
final class TunnelFormat {
    private TunnelFormat() {
    }

    /** OVS userspace's {@code OVS_TUNNEL_KEY_ATTR_GTPU_OPTS}; the Linux 6.1 module has no such attribute. */
    static final int GTPU_OPTS = 17;

    /** {@code ovs_tun_key_attr_lens}: fixed payload sizes, -1 for variable or nested. */
    static int tunnelAttrLen(int type) {
        return switch (type) {
            case TunnelKeyAttr.ID -> 8;
            case TunnelKeyAttr.IPV4_SRC, TunnelKeyAttr.IPV4_DST -> 4;
            case TunnelKeyAttr.TOS, TunnelKeyAttr.TTL -> 1;
            case TunnelKeyAttr.TP_SRC, TunnelKeyAttr.TP_DST -> 2;
            case TunnelKeyAttr.IPV6_SRC, TunnelKeyAttr.IPV6_DST -> 16;
            case TunnelKeyAttr.GENEVE_OPTS, TunnelKeyAttr.VXLAN_OPTS, TunnelKeyAttr.ERSPAN_OPTS, GTPU_OPTS -> -1;
            default -> 0;
        };
    }

    /** Writes a sub-attribute with a bad length as OVS does ({@code check_attr_len}); false if it did. */
    static boolean checkLen(StringBuilder ds, NlAttrReader a, byte[] mb, int ma, int expected) {
        if (expected < 0) {
            return true;
        }
        boolean badKey = a.payloadLength() != expected;
        boolean badMask = ma >= 0 && NlAttr.len(mb, ma) - 4 != expected;
        if (!badKey && !badMask) {
            return true;
        }
        ds.append("key").append(a.type());
        if (badKey) {
            ds.append("(bad key length ").append(a.payloadLength()).append(", expected ").append(expected).append(")(");
        }
        Fmt.generic(ds, a.buffer(), a.payloadOffset(), a.payloadLength());
        if (ma >= 0) {
            ds.append('/');
            if (badMask) {
                ds.append("(bad mask length ").append(NlAttr.len(mb, ma) - 4).append(", expected ").append(expected)
                        .append(")(");
            }
            Fmt.generic(ds, mb, ma + 4, NlAttr.len(mb, ma) - 4);
        }
        ds.append(')');
        return false;
    }

    /** {@code format_odp_tun_attr}: the sub-attributes in key order, then the flags. */
    static void tunnel(StringBuilder ds, byte[] kb, int ko, int kl, byte[] mb, int mo, int ml, boolean verbose) {
        int flags = 0;
        int maskFlags = 0;
        NlAttrReader a = new NlAttrReader().wrap(kb, ko, kl);
        while (a.next()) {
            int type = a.type();
            byte[] mbuf = null;
            int m = -1;
            if (mb != null) {
                m = NlAttrReader.find(mb, mo, ml, type);
                mbuf = mb;
                if (m < 0) {
                    mbuf = OdpFlowFormat.wildcard(a.buffer(), a.offset(), type == TunnelKeyAttr.VXLAN_OPTS ? 3 : 0);
                    m = 0;
                }
            }
            if (!checkLen(ds, a, mbuf, m, tunnelAttrLen(type))) {
                continue;
            }
            int p = a.payloadOffset();
            int mp = m + 4;
            switch (type) {
                case TunnelKeyAttr.ID -> {
                    Fmt.num(ds, "tun_id", kb, p, mbuf, mp, 8, HEX, verbose);
                    flags |= Flags.TUN_F_KEY;
                    if (mbuf != null) {
                        maskFlags |= Flags.TUN_F_KEY;
                    }
                }
                case TunnelKeyAttr.IPV4_SRC -> Fmt.ipv4(ds, "src", kb, p, mbuf, mp, verbose);
                case TunnelKeyAttr.IPV4_DST -> Fmt.ipv4(ds, "dst", kb, p, mbuf, mp, verbose);
                case TunnelKeyAttr.IPV6_SRC -> Fmt.in6(ds, "ipv6_src", kb, p, mbuf, mp, verbose);
                case TunnelKeyAttr.IPV6_DST -> Fmt.in6(ds, "ipv6_dst", kb, p, mbuf, mp, verbose);
                case TunnelKeyAttr.TOS -> Fmt.num(ds, "tos", kb, p, mbuf, mp, 1, ALT_HEX, verbose);
                case TunnelKeyAttr.TTL -> Fmt.num(ds, "ttl", kb, p, mbuf, mp, 1, DEC, verbose);
                case TunnelKeyAttr.DONT_FRAGMENT -> flags |= Flags.TUN_F_DONT_FRAGMENT;
                case TunnelKeyAttr.CSUM -> flags |= Flags.TUN_F_CSUM;
                case TunnelKeyAttr.OAM -> flags |= Flags.TUN_F_OAM;
                case TunnelKeyAttr.TP_SRC -> Fmt.num(ds, "tp_src", kb, p, mbuf, mp, 2, DEC, verbose);
                case TunnelKeyAttr.TP_DST -> Fmt.num(ds, "tp_dst", kb, p, mbuf, mp, 2, DEC, verbose);
                case TunnelKeyAttr.VXLAN_OPTS -> {
                    ds.append("vxlan(");
                    vxlan(ds, kb, p, a.payloadLength(), mbuf, mp, mbuf == null ? 0 : NlAttr.len(mbuf, m) - 4, verbose);
                    ds.append("),");
                }
                case TunnelKeyAttr.GENEVE_OPTS -> {
                    ds.append("geneve(");
                    int mlen = mbuf == null ? 0 : NlAttr.len(mbuf, m) - 4;
                    if (mbuf != null && mlen != a.payloadLength()) {
                        ds.append("value len ").append(a.payloadLength()).append(" different from mask len ")
                                .append(mlen);
                    } else {
                        geneve(ds, kb, p, a.payloadLength(), mbuf, mp, verbose);
                    }
                    ds.append("),");
                }
                case TunnelKeyAttr.PAD -> {
                }
                case TunnelKeyAttr.ERSPAN_OPTS -> {
                    ds.append("erspan(");
                    erspan(ds, kb, p, mbuf, mp, verbose);
                    ds.append("),");
                }
                case GTPU_OPTS -> {
                    ds.append("gtpu(");
                    Fmt.num(ds, "flags", kb, p, mbuf, mp, 1, ALT_HEX, verbose);
                    Fmt.num(ds, "msgtype", kb, p + 1, mbuf, mp + 1, 1, DEC, verbose);
                    Fmt.chomp(ds, ',');
                    ds.append("),");
                }
                default -> unknown(ds, a, mbuf, m);
            }
        }
        if (mb != null) {
            NlAttrReader r = new NlAttrReader().wrap(mb, mo, ml);
            while (r.next()) {
                switch (r.type()) {
                    case TunnelKeyAttr.DONT_FRAGMENT -> maskFlags |= Flags.TUN_F_DONT_FRAGMENT;
                    case TunnelKeyAttr.CSUM -> maskFlags |= Flags.TUN_F_CSUM;
                    case TunnelKeyAttr.OAM -> maskFlags |= Flags.TUN_F_OAM;
                    default -> {
                    }
                }
            }
        }
        if (verbose || mb == null || maskFlags != 0) {
            ds.append("flags(");
            if (mb != null) {
                Flags.formatMasked(ds, Flags::tunFlag, flags, maskFlags & Flags.TUN_F_MASK, Flags.TUN_F_MASK);
            } else {
                Flags.format(ds, Flags::tunFlag, flags, '|');
            }
            ds.append("),");
        }
        Fmt.chomp(ds, ',');
    }

    /** {@code format_unknown_key}: {@code keyN(hex[/hex]),}. */
    static void unknown(StringBuilder ds, NlAttrReader a, byte[] mb, int m) {
        ds.append("key").append(a.type()).append('(');
        Fmt.generic(ds, a.buffer(), a.payloadOffset(), a.payloadLength());
        if (m >= 0 && !Fmt.allBytes(mb, m + 4, NlAttr.len(mb, m) - 4, 0xff)) {
            ds.append('/');
            Fmt.generic(ds, mb, m + 4, NlAttr.len(mb, m) - 4);
        }
        ds.append("),");
    }

    private static void vxlan(StringBuilder ds, byte[] kb, int ko, int kl, byte[] mb, int mo, int ml, boolean verbose) {
        NlAttrReader a = new NlAttrReader().wrap(kb, ko, kl);
        while (a.next()) {
            byte[] mbuf = null;
            int m = -1;
            if (mb != null) {
                m = NlAttrReader.find(mb, mo, ml, a.type());
                mbuf = mb;
                if (m < 0) {
                    mbuf = OdpFlowFormat.wildcard(a.buffer(), a.offset(), 0);
                    m = 0;
                }
            }
            if (!checkLen(ds, a, mbuf, m, a.type() == VxlanExtAttr.GBP ? 4 : 0)) {
                continue;
            }
            if (a.type() == VxlanExtAttr.GBP) {
                int key = a.u32();
                Long idMask = null;
                Long flagsMask = null;
                if (mbuf != null) {
                    int mask = Wire.u32(mbuf, m + 4);
                    idMask = (long) (mask & 0xffff);
                    flagsMask = (long) ((mask >> 16) & 0xff);
                }
                ds.append("gbp(");
                Fmt.numValue(ds, "id", key & 0xffff, idMask, 0xffff, DEC, verbose);
                Fmt.numValue(ds, "flags", (key >> 16) & 0xff, flagsMask, 0xff, ALT_HEX, verbose);
                Fmt.chomp(ds, ',');
                ds.append("),");
            } else {
                unknown(ds, a, mbuf, m);
            }
        }
        Fmt.chomp(ds, ',');
    }

    /** {@code format_geneve_opts}: {@code {class=,type=,len=,data[/mask]}} per option. */
    static void geneve(StringBuilder ds, byte[] kb, int ko, int len, byte[] mb, int mo, boolean verbose) {
        int remain = len;
        int o = 0;
        while (remain > 0) {
            if (remain < 4) {
                ds.append("opt len ").append(remain).append(" less than minimum 4");
                return;
            }
            int dataLen = (kb[ko + o + 3] & 0x1f) * 4;
            Long lenMask = null;
            if (mb != null) {
                int ml = mb[mo + o + 3] & 0x1f;
                lenMask = (long) (ml == 0x1f ? 0xff : ml);
            }
            int optLen = 4 + dataLen;
            if (optLen > remain) {
                ds.append("opt len ").append(optLen).append(" greater than remaining ").append(remain);
                return;
            }
            ds.append('{');
            Fmt.num(ds, "class", kb, ko + o, mb, mo + o, 2, ALT_HEX, verbose);
            Fmt.num(ds, "type", kb, ko + o + 2, mb, mo + o + 2, 1, ALT_HEX, verbose);
            Fmt.numValue(ds, "len", dataLen, lenMask, 0xff, DEC, verbose);
            if (dataLen > 0 && (verbose || mb == null || !Fmt.allBytes(mb, mo + o + 4, dataLen, 0))) {
                Fmt.putHex(ds, kb, ko + o + 4, dataLen);
                if (mb != null && !Fmt.allBytes(mb, mo + o + 4, dataLen, 0xff)) {
                    ds.append('/');
                    Fmt.putHex(ds, mb, mo + o + 4, dataLen);
                }
            } else {
                Fmt.chomp(ds, ',');
            }
            ds.append('}');
            o += optLen;
            remain -= optLen;
        }
    }

    /** {@code format_odp_tun_erspan_opt} of {@code struct erspan_metadata} (host int version, then u). */
    private static void erspan(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        int version = Wire.u32(kb, ko);
        Long verMask = mb == null ? null : (long) (mb[mo] & 0xff);
        Fmt.numValue(ds, "ver", version & 0xff, verMask, 0xff, DEC, verbose);
        if (version == 1) {
            ds.append("idx=").append(Fmt.altHex(Wire.be32(kb, ko + 4) & 0xffffffffL));
            if (mb != null) {
                ds.append('/').append(Fmt.altHex(Wire.be32(mb, mo + 4) & 0xffffffffL));
            }
            ds.append(',');
        } else if (version == 2) {
            int b = kb[ko + 11] & 0xff;
            Long dirMask = null;
            Long hwidMask = null;
            if (mb != null) {
                int mbits = mb[mo + 11] & 0xff;
                dirMask = (long) ((mbits >> 3) & 1);
                hwidMask = (long) (mbits >> 4);
            }
            Fmt.numValue(ds, "dir", (b >> 3) & 1, dirMask, 0xff, DEC, verbose);
            Fmt.numValue(ds, "hwid", b >> 4, hwidMask, 0xff, ALT_HEX, verbose);
        }
        Fmt.chomp(ds, ',');
    }

    /** The NSH fields of a key or mask: flags, ttl, mdtype, np, path header, four contexts. */
    private static int[] nshFields(byte[] b, int off, int len, int fill) {
        int[] f = {fill & 0xff, fill & 0xff, fill & 0xff, fill & 0xff, fill, fill, fill, fill, fill};
        NlAttrReader a = new NlAttrReader().wrap(b, off, len);
        while (a.next()) {
            int p = a.payloadOffset();
            if (a.type() == NshKeyAttr.BASE && a.payloadLength() >= 8) {
                for (int i = 0; i < 4; i++) {
                    f[i] = b[p + i] & 0xff;
                }
                f[4] = Wire.be32(b, p + 4);
            } else if (a.type() == NshKeyAttr.MD1 && a.payloadLength() >= 16) {
                for (int i = 0; i < 4; i++) {
                    f[5 + i] = Wire.be32(b, p + 4 * i);
                }
            }
        }
        return f;
    }

    /** {@code format_odp_nsh_attr}: {@code format_nsh_key} without a mask, {@code format_nsh_key_mask} with. */
    static void nsh(StringBuilder ds, byte[] kb, int ko, int kl, byte[] mb, int mo, int ml) {
        int[] k = nshFields(kb, ko, kl, 0);
        if (mb == null) {
            ds.append("flags=").append(k[0]).append(",ttl=").append(k[1]).append(",mdtype=").append(k[2])
                    .append(",np=").append(k[3]).append(",spi=0x").append(Integer.toHexString(k[4] >>> 8))
                    .append(",si=").append(k[4] & 0xff);
            if (k[2] == 1) {
                for (int i = 0; i < 4; i++) {
                    ds.append(",c").append(i + 1).append("=0x").append(Integer.toHexString(k[5 + i]));
                }
            }
            return;
        }
        int[] m = nshFields(mb, mo, ml, -1);
        int spiMask = m[4] >>> 8;
        boolean[] first = {true};
        u8Masked(ds, first, "flags", k[0], m[0]);
        u8Masked(ds, first, "ttl", k[1], m[1]);
        u8Masked(ds, first, "mdtype", k[2], m[2]);
        u8Masked(ds, first, "np", k[3], m[3]);
        be32Masked(ds, first, "spi", k[4] >>> 8, spiMask == 0xffffff ? -1 : spiMask);
        u8Masked(ds, first, "si", k[4] & 0xff, m[4] & 0xff);
        for (int i = 0; i < 4; i++) {
            be32Masked(ds, first, "c" + (i + 1), k[5 + i], m[5 + i]);
        }
    }

    private static void u8Masked(StringBuilder ds, boolean[] first, String name, int v, int mask) {
        if (mask != 0) {
            if (!first[0]) {
                ds.append(',');
            }
            ds.append(name).append('=');
            if (mask == 0xff) {
                ds.append(v);
            } else {
                ds.append(String.format("0x%02x/0x%02x", v, mask));
            }
            first[0] = false;
        }
    }

    private static void be32Masked(StringBuilder ds, boolean[] first, String name, int v, int mask) {
        if (mask != 0) {
            if (!first[0]) {
                ds.append(',');
            }
            ds.append(name).append("=0x").append(Integer.toHexString(v));
            if (mask != -1) {
                ds.append(String.format("/0x%08x", mask));
            }
            first[0] = false;
        }
    }

    /** {@code format_odp_push_nsh_action}: the NSH key attribute at {@code buf[attr]} as a header. */
    static void pushNsh(StringBuilder ds, byte[] buf, int attr) {
        int off = attr + 4;
        int len = NlAttr.len(buf, attr) - 4;
        int flags = 0;
        int ttl = 63;
        int mdtype = 0;
        int np = 0;
        int path = 0;
        int md1 = -1;
        int md2 = -1;
        int md2Len = 0;
        NlAttrReader a = new NlAttrReader().wrap(buf, off, len);
        while (a.next()) {
            int p = a.payloadOffset();
            if (a.type() == NshKeyAttr.BASE && a.payloadLength() == 8) {
                flags = buf[p] & 0xff;
                ttl = buf[p + 1] & 0xff;
                mdtype = buf[p + 2] & 0xff;
                np = buf[p + 3] & 0xff;
                path = Wire.be32(buf, p + 4);
            } else if (a.type() == NshKeyAttr.MD1) {
                md1 = p;
            } else if (a.type() == NshKeyAttr.MD2) {
                md2 = p;
                md2Len = a.payloadLength();
            }
        }
        ds.append("push_nsh(flags=").append(flags).append(",ttl=").append(ttl).append(",mdtype=").append(mdtype)
                .append(",np=").append(np).append(",spi=0x").append(Integer.toHexString(path >>> 8))
                .append(",si=").append(path & 0xff);
        if (mdtype == 1) {
            for (int i = 0; i < 4; i++) {
                int c = md1 < 0 ? 0 : Wire.be32(buf, md1 + 4 * i);
                ds.append(",c").append(i + 1).append("=0x").append(Integer.toHexString(c));
            }
        } else if (mdtype == 2) {
            ds.append(",md2=");
            if (md2 >= 0) {
                Fmt.putHex(ds, buf, md2, md2Len);
            } else {
                ds.append('0');
            }
        } else {
            ds.append(",<error: unknown mdtype>");
        }
        ds.append(')');
    }
}
