package ovsj.odp.text;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.CtAttr;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.NatAttr;
import ovsj.odp.uapi.NshKeyAttr;
import ovsj.odp.uapi.UserspaceAttr;

/**
 * The larger action printers: {@code userspace(...)} with its cookie, {@code set(...)} and masked sets,
 * {@code ct(...)} with {@code nat(...)}.
 */
final class ActionParts {
    private ActionParts() {
    }

    /** The last attribute of each type in a nest ({@code nl_parse_nested}); -1 where absent. */
    static int[] attrs(byte[] b, int off, int len, int max) {
        int[] at = new int[max + 1];
        java.util.Arrays.fill(at, -1);
        NlAttrReader r = new NlAttrReader().wrap(b, off, len);
        while (r.next()) {
            if (r.type() <= max) {
                at[r.type()] = r.offset();
            }
        }
        return at;
    }

    static int plen(byte[] b, int attr) {
        return NlAttr.len(b, attr) - 4;
    }

    /** {@code format_odp_key_attr}: one key attribute (header at {@code b[attr]}) with an optional mask. */
    static void keyAttr(StringBuilder ds, byte[] b, int attr, byte[] mb, int mattr, boolean verbose) {
        NlAttrReader a = new NlAttrReader().wrap(b, attr, NlAttr.align(NlAttr.len(b, attr)));
        if (!a.next()) {
            return;
        }
        int expected = OdpFlowFormat.keyAttrLen(a.type());
        if (expected >= 0 && (a.payloadLength() != expected || (mattr >= 0 && plen(mb, mattr) != expected))) {
            TunnelFormat.checkLen(ds, a, mb, mattr, expected);
            return;
        }
        OdpFlowFormat.attr(ds, a, mb, mattr, null, verbose);
    }

    /** {@code OVS_ACTION_ATTR_SET_MASKED}: the key attribute's payload is the value, then the mask. */
    static void setMasked(StringBuilder ds, byte[] b, int p, int len) {
        if (len < 4) {
            ds.append("set()");
            return;
        }
        int type = NlAttr.type(b, p);
        if (type == KeyAttr.NSH) {
            setNsh(ds, b, p);
            return;
        }
        int size = plen(b, p) / 2;
        ds.append("set(");
        if (size <= 40) {
            byte[] key = new byte[NlAttr.align(4 + size)];
            byte[] mask = new byte[NlAttr.align(4 + size)];
            Wire.putU16(key, 0, 4 + size);
            Wire.putU16(key, 2, type);
            Wire.putU16(mask, 0, 4 + size);
            Wire.putU16(mask, 2, type);
            System.arraycopy(b, p + 4, key, 4, size);
            System.arraycopy(b, p + 4 + size, mask, 4, size);
            keyAttr(ds, key, 0, mask, 0, false);
        } else {
            keyAttr(ds, b, p, null, -1, false);
        }
        ds.append(')');
    }

    /** {@code format_odp_set_nsh}: each NSH sub-attribute carries a value and a mask. */
    private static void setNsh(StringBuilder ds, byte[] b, int attr) {
        int[] key = new int[9];
        int[] mask = {0xff, 0xff, 0xff, 0xff, -1, -1, -1, -1, -1};
        NlAttrReader r = new NlAttrReader().wrap(b, attr + 4, plen(b, attr));
        while (r.next()) {
            int t = r.type();
            int p = r.payloadOffset();
            if (t >= NshKeyAttr.MAX) {
                return;
            }
            int expected = t == NshKeyAttr.BASE ? 8 : t == NshKeyAttr.MD1 ? 16 : -1;
            if (expected >= 0 && r.payloadLength() != 2 * expected) {
                return;
            }
            if (t == NshKeyAttr.BASE) {
                for (int i = 0; i < 4; i++) {
                    key[i] = b[p + i] & 0xff;
                    mask[i] = b[p + 8 + i] & 0xff;
                }
                key[4] = Wire.be32(b, p + 4);
                mask[4] = Wire.be32(b, p + 12);
            } else if (t == NshKeyAttr.MD1) {
                for (int i = 0; i < 4; i++) {
                    key[5 + i] = Wire.be32(b, p + 4 * i);
                    mask[5 + i] = Wire.be32(b, p + 16 + 4 * i);
                }
            }
        }
        // Rebuild as key and mask NSH attributes and print them as a masked key.
        byte[] k = nshAttr(key);
        byte[] m = nshAttr(mask);
        ds.append("set(nsh(");
        TunnelFormat.nsh(ds, k, 4, k.length - 4, m, 4, m.length - 4);
        ds.append("))");
    }

    private static byte[] nshAttr(int[] f) {
        byte[] a = new byte[4 + 12 + 20];
        Wire.putU16(a, 0, a.length);
        Wire.putU16(a, 2, KeyAttr.NSH);
        Wire.putU16(a, 4, 12);
        Wire.putU16(a, 6, NshKeyAttr.BASE);
        for (int i = 0; i < 4; i++) {
            a[8 + i] = (byte) f[i];
        }
        Wire.putBe32(a, 12, f[4]);
        Wire.putU16(a, 16, 20);
        Wire.putU16(a, 18, NshKeyAttr.MD1);
        for (int i = 0; i < 4; i++) {
            Wire.putBe32(a, 20 + 4 * i, f[5 + i]);
        }
        return a;
    }

    /** {@code format_odp_userspace_action}. */
    static void userspace(StringBuilder ds, NlAttrReader a, PortNames names) {
        byte[] b = a.buffer();
        int[] at = attrs(b, a.payloadOffset(), a.payloadLength(), UserspaceAttr.MAX);
        int pid = at[UserspaceAttr.PID];
        int tun = at[UserspaceAttr.EGRESS_TUN_PORT];
        if (pid < 0 || plen(b, pid) != 4 || (tun >= 0 && plen(b, tun) != 4)) {
            ds.append("userspace(error)");
            return;
        }
        ds.append("userspace(pid=").append(Fmt.u32(Wire.u32(b, pid + 4)));
        int ud = at[UserspaceAttr.USERDATA];
        if (ud >= 0) {
            int p = ud + 4;
            int len = plen(b, ud);
            if (len != UserspaceCookie.LENGTH || !cookie(ds, b, p, names)) {
                ds.append(",userdata(");
                Fmt.hex(ds, b, p, len);
                ds.append(')');
            }
        }
        if (at[UserspaceAttr.ACTIONS] >= 0) {
            ds.append(",actions");
        }
        if (tun >= 0) {
            ds.append(",tunnel_out_port=");
            PortNames.format(ds, names, Wire.u32(b, tun + 4));
        }
        ds.append(')');
    }

    /** A 48-byte userdata as a known cookie; false if its type is not one. */
    private static boolean cookie(StringBuilder ds, byte[] b, int p, PortNames names) {
        int type = Wire.u16(b, p + UserspaceCookie.TYPE);
        switch (type) {
            case UserspaceCookie.TYPE_SFLOW -> {
                int tci = Wire.be16(b, p + UserspaceCookie.SFLOW_VLAN_TCI);
                ds.append(",sFlow(vid=").append(tci & 0xfff).append(",pcp=").append(tci >> 13).append(",output=")
                        .append(Fmt.u32(Wire.u32(b, p + UserspaceCookie.SFLOW_OUTPUT))).append(')');
            }
            case UserspaceCookie.TYPE_SLOW_PATH -> {
                ds.append(",slow_path(");
                Flags.format(ds, Flags::slowPath, Wire.u32(b, p + UserspaceCookie.SLOW_PATH_REASON), ',');
                ds.append(')');
            }
            case UserspaceCookie.TYPE_FLOW_SAMPLE -> {
                ds.append(",flow_sample(probability=").append(Wire.u16(b, p + UserspaceCookie.FS_PROBABILITY))
                        .append(",collector_set_id=").append(Fmt.u32(Wire.u32(b, p + UserspaceCookie.FS_COLLECTOR_SET_ID)))
                        .append(",obs_domain_id=").append(Fmt.u32(Wire.u32(b, p + UserspaceCookie.FS_OBS_DOMAIN_ID)))
                        .append(",obs_point_id=").append(Fmt.u32(Wire.u32(b, p + UserspaceCookie.FS_OBS_POINT_ID)))
                        .append(",output_port=");
                PortNames.format(ds, names, Wire.u32(b, p + UserspaceCookie.FS_OUTPUT_PORT));
                int dir = Wire.u32(b, p + UserspaceCookie.FS_DIRECTION);
                if (dir == UserspaceCookie.SAMPLE_INGRESS) {
                    ds.append(",ingress");
                } else if (dir == UserspaceCookie.SAMPLE_EGRESS) {
                    ds.append(",egress");
                }
                ds.append(')');
            }
            case UserspaceCookie.TYPE_IPFIX -> {
                ds.append(",ipfix(output_port=");
                PortNames.format(ds, names, Wire.u32(b, p + UserspaceCookie.IPFIX_OUTPUT_PORT));
                ds.append(')');
            }
            case UserspaceCookie.TYPE_CONTROLLER -> ds.append(",controller(reason=")
                    .append(Wire.u16(b, p + UserspaceCookie.CTL_REASON))
                    .append(",dont_send=").append(b[p + UserspaceCookie.CTL_DONT_SEND] != 0 ? 1 : 0)
                    .append(",continuation=").append(b[p + UserspaceCookie.CTL_CONTINUATION] != 0 ? 1 : 0)
                    .append(",recirc_id=").append(Fmt.u32(Wire.u32(b, p + UserspaceCookie.CTL_RECIRC_ID)))
                    .append(",rule_cookie=").append(Fmt.altHex(Wire.be64(b, p + UserspaceCookie.CTL_RULE_COOKIE)))
                    .append(",controller_id=").append(Wire.u16(b, p + UserspaceCookie.CTL_CONTROLLER_ID))
                    .append(",max_len=").append(Wire.u16(b, p + UserspaceCookie.CTL_MAX_LEN)).append(')');
            default -> {
                return false;
            }
        }
        return true;
    }

    /** {@code format_odp_conntrack_action}. */
    static void conntrack(StringBuilder ds, NlAttrReader a) {
        byte[] b = a.buffer();
        int[] at = attrs(b, a.payloadOffset(), a.payloadLength(), CtAttr.MAX);
        int zone = at[CtAttr.ZONE];
        int mark = at[CtAttr.MARK];
        int labels = at[CtAttr.LABELS];
        int helper = at[CtAttr.HELPER];
        int timeout = at[CtAttr.TIMEOUT];
        int nat = at[CtAttr.NAT];
        if ((zone >= 0 && plen(b, zone) != 2) || (mark >= 0 && plen(b, mark) < 8)
                || (labels >= 0 && plen(b, labels) < 32)) {
            ds.append("ct(error)");
            return;
        }
        boolean commit = at[CtAttr.COMMIT] >= 0;
        boolean force = at[CtAttr.FORCE_COMMIT] >= 0;
        int zoneValue = zone >= 0 ? Wire.u16(b, zone + 4) : 0;
        ds.append("ct");
        if (commit || force || zoneValue != 0 || mark >= 0 || labels >= 0 || helper >= 0 || timeout >= 0
                || nat >= 0) {
            ds.append('(');
            if (commit) {
                ds.append("commit,");
            }
            if (force) {
                ds.append("force_commit,");
            }
            if (zoneValue != 0) {
                ds.append("zone=").append(zoneValue).append(',');
            }
            if (mark >= 0) {
                ds.append("mark=").append(Fmt.altHex(Wire.u32(b, mark + 4) & 0xffffffffL)).append('/')
                        .append(Fmt.altHex(Wire.u32(b, mark + 8) & 0xffffffffL)).append(',');
            }
            if (labels >= 0) {
                ds.append("label=");
                Fmt.u128(ds, b, labels + 4, b, labels + 20, true);
                ds.append(',');
            }
            if (helper >= 0) {
                ds.append("helper=").append(cstring(b, helper)).append(',');
            }
            if (timeout >= 0) {
                ds.append("timeout=").append(cstring(b, timeout));
            }
            if (nat >= 0) {
                nat(ds, b, nat);
            }
            Fmt.chomp(ds, ',');
            ds.append(')');
        }
    }

    private static String cstring(byte[] b, int attr) {
        int p = attr + 4;
        int end = p;
        while (end < attr + NlAttr.len(b, attr) && b[end] != 0) {
            end++;
        }
        return new String(b, p, end - p, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code format_odp_ct_nat}. */
    private static void nat(StringBuilder ds, byte[] b, int attr) {
        int[] at = attrs(b, attr + 4, plen(b, attr), NatAttr.MAX);
        boolean src = at[NatAttr.SRC] >= 0;
        boolean dst = at[NatAttr.DST] >= 0;
        int ipMin = at[NatAttr.IP_MIN];
        int ipMax = at[NatAttr.IP_MAX];
        int pMin = at[NatAttr.PROTO_MIN];
        int pMax = at[NatAttr.PROTO_MAX];
        boolean persistent = at[NatAttr.PERSISTENT] >= 0;
        boolean hash = at[NatAttr.PROTO_HASH] >= 0;
        boolean random = at[NatAttr.PROTO_RANDOM] >= 0;
        if (!(src || dst) && (ipMin >= 0 || ipMax >= 0 || pMin >= 0 || pMax >= 0 || persistent || hash || random)) {
            ds.append("nat(error: options allowed only with \"src\" or \"dst\")");
            return;
        }
        if (src && dst) {
            ds.append("nat(error: Only one of \"src\" or \"dst\" may be present.)");
            return;
        }
        if (ipMin < 0 && pMin >= 0) {
            ds.append("nat(error: proto but no IP.)");
            return;
        }
        if ((ipMin < 0 && ipMax >= 0) || (pMin < 0 && pMax >= 0)) {
            ds.append("nat(error: range max without min.)");
            return;
        }
        int addrLen = ipMin >= 0 ? plen(b, ipMin) : 0;
        if ((ipMin >= 0 && addrLen != 4 && addrLen != 16) || (ipMin >= 0 && ipMax >= 0 && plen(b, ipMax) != addrLen)) {
            ds.append("nat(error: IP address sizes do not match)");
            return;
        }
        int protoMin = pMin >= 0 ? Wire.u16(b, pMin + 4) : 0;
        int protoMax = pMax >= 0 ? Wire.u16(b, pMax + 4) : 0;
        byte[] min = new byte[addrLen];
        byte[] max = new byte[addrLen];
        if (ipMin >= 0) {
            System.arraycopy(b, ipMin + 4, min, 0, addrLen);
        }
        if (ipMax >= 0) {
            System.arraycopy(b, ipMax + 4, max, 0, addrLen);
        }
        boolean maxSet = !Fmt.allBytes(max, 0, addrLen, 0);
        if ((addrLen > 0 && maxSet && java.util.Arrays.compareUnsigned(min, max) > 0)
                || (protoMax != 0 && protoMin > protoMax)) {
            ds.append("nat(range error)");
            return;
        }
        ds.append("nat");
        if (src || dst) {
            ds.append('(').append(src ? "src" : "dst");
            if (addrLen > 0) {
                ds.append('=');
                if (addrLen == 4) {
                    Inet.ipv4(ds, min, 0);
                    if (maxSet && !java.util.Arrays.equals(min, max)) {
                        ds.append('-');
                        Inet.ipv4(ds, max, 0);
                    }
                } else {
                    bracket(ds, min, protoMin != 0);
                    if (maxSet && !java.util.Arrays.equals(min, max)) {
                        ds.append('-');
                        bracket(ds, max, protoMin != 0);
                    }
                }
                if (protoMin != 0) {
                    ds.append(':').append(protoMin);
                    if (protoMax != 0 && protoMax != protoMin) {
                        ds.append('-').append(protoMax);
                    }
                }
            }
            ds.append(',');
            if (persistent) {
                ds.append("persistent,");
            }
            if (hash) {
                ds.append("hash,");
            }
            if (random) {
                ds.append("random,");
            }
            Fmt.chomp(ds, ',');
            ds.append(')');
        }
    }

    private static void bracket(StringBuilder ds, byte[] addr, boolean brackets) {
        if (brackets) {
            ds.append('[');
        }
        Inet.ipv6(ds, addr, 0);
        if (brackets) {
            ds.append(']');
        }
    }
}
