package ovsj.odp.text;

import static ovsj.odp.text.OdpParseException.E2BIG;
import static ovsj.odp.text.OdpParseException.EINVAL;

import java.io.ByteArrayOutputStream;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.CtAttr;
import ovsj.odp.uapi.NatAttr;
import ovsj.odp.uapi.UserspaceAttr;

/**
 * The larger action parsers: {@code parse_odp_userspace_action} (with the {@code user_action_cookie}
 * forms), {@code parse_odp_push_nsh_action} and {@code parse_conntrack_action} with {@code scan_ct_nat}.
 * Each returns the characters consumed or a negative errno.
 */
final class ActionScan {
    private ActionScan() {
    }

    static int userspace(String s, int pos, NlWriter out) {
        OvsScan.Result r = OvsScan.scan(s, pos, "userspace(pid=%i%n");
        if (r == null) {
            return -EINVAL;
        }
        int pid = r.i(0);
        int n = pos + r.i(1);
        byte[] cookie = new byte[UserspaceCookie.LENGTH];
        byte[] userData = cookie;
        if ((r = OvsScan.scan(s, n, ",sFlow(vid=%i,pcp=%i,output=%i)%n")) != null) {
            n += r.i(3);
            int tci = r.i(0) | (r.i(1) << 13);
            if ((tci & 0xffff) != 0) {
                tci |= 0x1000;
            }
            header(cookie, UserspaceCookie.TYPE_SFLOW);
            Wire.putBe16(cookie, UserspaceCookie.SFLOW_VLAN_TCI, tci);
            Wire.putU32(cookie, UserspaceCookie.SFLOW_OUTPUT, r.i(2));
        } else if ((r = OvsScan.scan(s, n, ",slow_path(%n")) != null) {
            n += r.i(0);
            header(cookie, UserspaceCookie.TYPE_SLOW_PATH);
            long[] res = new long[2];
            int len = Flags.parse(s, n, Flags::slowPath, ')', Flags.SLOW_PATH_MASK, res, false);
            if (len < 0 || OvsScan.at(s, n + len) != ')') {
                return -EINVAL;
            }
            Wire.putU32(cookie, UserspaceCookie.SLOW_PATH_REASON, (int) res[0]);
            n += len + 1;
        } else if ((r = OvsScan.scan(s, n, ",flow_sample(probability=%i,collector_set_id=%i,obs_domain_id=%i,"
                + "obs_point_id=%i,output_port=%i%n")) != null) {
            n += r.i(5);
            header(cookie, UserspaceCookie.TYPE_FLOW_SAMPLE);
            Wire.putU16(cookie, UserspaceCookie.FS_PROBABILITY, r.i(0));
            Wire.putU32(cookie, UserspaceCookie.FS_COLLECTOR_SET_ID, r.i(1));
            Wire.putU32(cookie, UserspaceCookie.FS_OBS_DOMAIN_ID, r.i(2));
            Wire.putU32(cookie, UserspaceCookie.FS_OBS_POINT_ID, r.i(3));
            Wire.putU32(cookie, UserspaceCookie.FS_OUTPUT_PORT, r.i(4));
            OvsScan.Result d;
            if ((d = OvsScan.scan(s, n, ",ingress%n")) != null) {
                Wire.putU32(cookie, UserspaceCookie.FS_DIRECTION, UserspaceCookie.SAMPLE_INGRESS);
                n += d.i(0);
            } else if ((d = OvsScan.scan(s, n, ",egress%n")) != null) {
                Wire.putU32(cookie, UserspaceCookie.FS_DIRECTION, UserspaceCookie.SAMPLE_EGRESS);
                n += d.i(0);
            }
            if (OvsScan.at(s, n) != ')') {
                return -EINVAL;
            }
            n++;
        } else if ((r = OvsScan.scan(s, n, ",ipfix(output_port=%i)%n")) != null) {
            n += r.i(1);
            header(cookie, UserspaceCookie.TYPE_IPFIX);
            Wire.putU32(cookie, UserspaceCookie.IPFIX_OUTPUT_PORT, r.i(0));
        } else if ((r = OvsScan.scan(s, n, ",controller(reason=%hu,dont_send=%hhu,continuation=%hhu,recirc_id=%u,"
                + "rule_cookie=%llx,controller_id=%hu,max_len=%hu)%n")) != null) {
            n += r.i(7);
            header(cookie, UserspaceCookie.TYPE_CONTROLLER);
            cookie[UserspaceCookie.CTL_DONT_SEND] = (byte) (r.l(1) != 0 ? 1 : 0);
            cookie[UserspaceCookie.CTL_CONTINUATION] = (byte) (r.l(2) != 0 ? 1 : 0);
            Wire.putU16(cookie, UserspaceCookie.CTL_REASON, r.i(0));
            Wire.putU32(cookie, UserspaceCookie.CTL_RECIRC_ID, r.i(3));
            Wire.putBe64(cookie, UserspaceCookie.CTL_RULE_COOKIE, r.l(4));
            Wire.putU16(cookie, UserspaceCookie.CTL_CONTROLLER_ID, r.i(5));
            Wire.putU16(cookie, UserspaceCookie.CTL_MAX_LEN, r.i(6));
        } else if ((r = OvsScan.scan(s, n, ",userdata(%n")) != null) {
            n += r.i(0);
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            int end = OvsScan.putHex(s, n, data);
            if (OvsScan.at(s, end) != ')') {
                return -EINVAL;
            }
            userData = data.toByteArray();
            n = end + 1;
        }
        boolean includeActions = false;
        if ((r = OvsScan.scan(s, n, ",actions%n")) != null) {
            n += r.i(0);
            includeActions = true;
        }
        int tunnelOutPort = -1;
        if ((r = OvsScan.scan(s, n, ",tunnel_out_port=%i)%n")) != null) {
            tunnelOutPort = r.i(0);
            n += r.i(1);
        } else if (OvsScan.at(s, n) == ')') {
            n++;
        } else {
            return -EINVAL;
        }
        if (userData.length > 0xffff - 4) {
            return -E2BIG;
        }
        int nest = out.beginNest(ActionAttr.USERSPACE);
        out.putU32(UserspaceAttr.PID, pid);
        // Kernels before 3.10 wanted exactly 8 bytes: OVS always sends at least 8.
        int p = out.reserve(UserspaceAttr.USERDATA, Math.max(8, userData.length));
        if (p >= 0) {
            System.arraycopy(userData, 0, out.buffer(), p, userData.length);
        }
        if (tunnelOutPort != -1) {
            out.putU32(UserspaceAttr.EGRESS_TUN_PORT, tunnelOutPort);
        }
        if (includeActions) {
            out.putFlag(UserspaceAttr.ACTIONS);
        }
        out.endNest(nest);
        return n - pos;
    }

    private static void header(byte[] cookie, int type) {
        Wire.putU16(cookie, UserspaceCookie.TYPE, type);
        Wire.putU32(cookie, UserspaceCookie.OFP_IN_PORT, UserspaceCookie.OFPP_NONE);
    }

    /** {@code parse_odp_push_nsh_action}: up to (not including) the closing ')'. */
    static int pushNsh(String s, int pos, NlWriter out) {
        int n = pos + 9;
        // flags, ttl, mdtype, np, spi (host u32), si, contexts as in TunnelParse.putNsh.
        byte[] f = new byte[28];
        f[1] = 63;
        f[2] = 1;
        f[3] = 3;
        int spi = 0;
        int si = 255;
        byte[] md2 = null;
        for (;;) {
            n += OvsScan.span(s, n, OvsScan.DELIMITERS);
            if (OvsScan.at(s, n) == ')') {
                break;
            }
            OvsScan.Result r;
            if ((r = OvsScan.scan(s, n, "flags=%hhi%n")) != null) {
                f[0] = (byte) r.l(0);
            } else if ((r = OvsScan.scan(s, n, "ttl=%hhi%n")) != null) {
                f[1] = (byte) r.l(0);
            } else if ((r = OvsScan.scan(s, n, "mdtype=%hhi%n")) != null) {
                f[2] = (byte) r.l(0);
                if (f[2] == 2) {
                    md2 = null;
                } else if (f[2] != 1) {
                    return -EINVAL;
                }
            } else if ((r = OvsScan.scan(s, n, "np=%hhi%n")) != null) {
                f[3] = (byte) r.l(0);
            } else if ((r = OvsScan.scan(s, n, "spi=0x%x%n")) != null) {
                spi = r.i(0);
            } else if ((r = OvsScan.scan(s, n, "si=%hhi%n")) != null) {
                si = r.i(0);
            } else if (f[2] == 1 && (r = contextScan(s, n, f)) != null) {
                // stored by contextScan
            } else if (f[2] == 2 && (r = OvsScan.scan(s, n, "md2=0x%511[0-9a-fA-F]%n")) != null
                    && (n - pos + r.i(1)) / 2 <= 248) {
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                OvsScan.putHex(r.s(0), 0, data);
                while (data.size() % 4 != 0) {
                    data.write(0);
                }
                md2 = data.toByteArray();
            } else {
                return -EINVAL;
            }
            n += r.last();
        }
        Wire.putU32(f, 4, spi);
        f[8] = (byte) si;
        int nest = out.beginNest(ActionAttr.PUSH_NSH);
        if (f[2] == 2 && md2 != null) {
            int k = out.beginNest(ovsj.odp.uapi.KeyAttr.NSH);
            int b = out.reserve(ovsj.odp.uapi.NshKeyAttr.BASE, 8);
            if (b >= 0) {
                System.arraycopy(f, 0, out.buffer(), b, 4);
                Wire.putBe32(out.buffer(), b + 4, (spi << 8) | si);
            }
            out.putBytes(ovsj.odp.uapi.NshKeyAttr.MD2, md2);
            out.endNest(k);
        } else {
            TunnelParse.putNsh(out, f, false);
        }
        out.endNest(nest);
        return n - pos;
    }

    private static OvsScan.Result contextScan(String s, int n, byte[] f) {
        for (int i = 0; i < 4; i++) {
            OvsScan.Result r = OvsScan.scan(s, n, "c" + (i + 1) + "=0x%x%n");
            if (r != null) {
                Wire.putBe32(f, 12 + 4 * i, r.i(0));
                return r;
            }
        }
        return null;
    }

    /** {@code parse_conntrack_action}: 0 if {@code s[pos]} does not start with "ct". */
    static int conntrack(String s, int pos, NlWriter out) {
        if (!OvsScan.startsWith(s, pos, "ct")) {
            return 0;
        }
        int p = pos + 2;
        boolean commit = false;
        boolean force = false;
        int zone = 0;
        long markValue = 0;
        long markMask = 0;
        byte[] label = new byte[16];
        byte[] labelMask = new byte[16];
        String helper = null;
        String timeout = null;
        Nat nat = null;
        if (OvsScan.at(s, p) == '(') {
            p++;
            int end = s.indexOf(')', p);
            if (end < 0) {
                return -EINVAL;
            }
            while (p != end) {
                p += OvsScan.span(s, p, OvsScan.DELIMITERS);
                OvsScan.Result r;
                if ((r = OvsScan.scan(s, p, "commit%n")) != null) {
                    commit = true;
                    p += r.i(0);
                } else if ((r = OvsScan.scan(s, p, "force_commit%n")) != null) {
                    force = true;
                    p += r.i(0);
                } else if ((r = OvsScan.scan(s, p, "zone=%hu%n")) != null) {
                    zone = r.i(0);
                    p += r.i(1);
                } else if ((r = OvsScan.scan(s, p, "mark=%x%n")) != null) {
                    markValue = r.l(0);
                    p += r.i(1);
                    OvsScan.Result m = OvsScan.scan(s, p, "/%x%n");
                    if (m != null) {
                        markMask = m.l(0);
                        p += m.i(1);
                    } else {
                        markMask = 0xffffffffL;
                    }
                } else if (OvsScan.startsWith(s, p, "label=")) {
                    p += 6;
                    int len = KeyScan.U128.scan(s, p, label, labelMask, 0);
                    if (len == 0) {
                        return -EINVAL;
                    }
                    p += len;
                } else if (OvsScan.startsWith(s, p, "helper=")) {
                    p += 7;
                    int len = OvsScan.cspan(s, p, OvsScan.DELIMITERS_END);
                    if (len == 0 || len > 15) {
                        return -EINVAL;
                    }
                    helper = s.substring(p, p + len);
                    p += len;
                } else if (OvsScan.startsWith(s, p, "timeout=")) {
                    p += 8;
                    int len = OvsScan.cspan(s, p, OvsScan.DELIMITERS_END);
                    if (len == 0 || len > 31) {
                        return -EINVAL;
                    }
                    timeout = s.substring(p, p + len);
                    p += len;
                } else {
                    Nat parsed = new Nat();
                    int len = parsed.scan(s, p);
                    if (len > 0) {
                        p += len;
                        nat = parsed;
                        // The nat(...) held the first ')': look for the real end again.
                        end = s.indexOf(')', p);
                        if (end < 0) {
                            return -EINVAL;
                        }
                        continue;
                    }
                    return -EINVAL;
                }
            }
            p++;
        }
        if (commit && force) {
            return -EINVAL;
        }
        int nest = out.beginNest(ActionAttr.CT);
        if (commit) {
            out.putFlag(CtAttr.COMMIT);
        } else if (force) {
            out.putFlag(CtAttr.FORCE_COMMIT);
        }
        if (zone != 0) {
            out.putU16(CtAttr.ZONE, zone);
        }
        if (markMask != 0) {
            int m = out.reserve(CtAttr.MARK, 8);
            if (m >= 0) {
                Wire.putU32(out.buffer(), m, (int) markValue);
                Wire.putU32(out.buffer(), m + 4, (int) markMask);
            }
        }
        if (!Fmt.allBytes(labelMask, 0, 16, 0)) {
            int l = out.reserve(CtAttr.LABELS, 32);
            if (l >= 0) {
                System.arraycopy(label, 0, out.buffer(), l, 16);
                System.arraycopy(labelMask, 0, out.buffer(), l + 16, 16);
            }
        }
        if (helper != null) {
            out.putString(CtAttr.HELPER, helper);
        }
        if (timeout != null) {
            out.putString(CtAttr.TIMEOUT, timeout);
        }
        if (nat != null) {
            nat.put(out);
        }
        out.endNest(nest);
        return p - pos;
    }

    /** {@code struct ct_nat_params} with {@code scan_ct_nat} and {@code nl_msg_put_ct_nat}. */
    static final class Nat {
        boolean snat;
        boolean dnat;
        int addrLen;
        byte[] min = new byte[16];
        byte[] max = new byte[16];
        int protoMin;
        int protoMax;
        boolean persistent;
        boolean hash;
        boolean random;

        /** Characters consumed (0 if not "nat"), or -errno. */
        int scan(String s, int pos) {
            if (!OvsScan.startsWith(s, pos, "nat")) {
                return 0;
            }
            int n = pos + 3;
            if (OvsScan.at(s, n) == '(') {
                n++;
                int end = s.indexOf(')', n);
                if (end < 0) {
                    return -EINVAL;
                }
                while (n < end) {
                    n += OvsScan.span(s, n, OvsScan.DELIMITERS);
                    if (OvsScan.startsWith(s, n, "src")) {
                        n = range(s, n + 3);
                        snat = true;
                    } else if (OvsScan.startsWith(s, n, "dst")) {
                        n = range(s, n + 3);
                        dnat = true;
                    } else if (OvsScan.startsWith(s, n, "persistent")) {
                        n += 10;
                        persistent = true;
                    } else if (OvsScan.startsWith(s, n, "hash")) {
                        n += 4;
                        hash = true;
                    } else if (OvsScan.startsWith(s, n, "random")) {
                        n += 6;
                        random = true;
                    } else {
                        return -EINVAL;
                    }
                    if (n < 0) {
                        return -EINVAL;
                    }
                }
                if (snat && dnat) {
                    return -EINVAL;
                }
                if ((addrLen != 0 && !Fmt.allBytes(max, 0, addrLen, 0)
                        && java.util.Arrays.compareUnsigned(max, 0, addrLen, min, 0, addrLen) < 0)
                        || (protoMax != 0 && protoMax < protoMin)) {
                    return -EINVAL;
                }
                if (hash && random) {
                    return -EINVAL;
                }
                n++;
            }
            return n - pos;
        }

        /** {@code scan_ct_nat_range}: {@code =ADDR[-ADDR][:PORT[-PORT]]}; the index after it or -1. */
        private int range(String s, int n) {
            if (OvsScan.at(s, n) != '=') {
                return n;
            }
            n++;
            int e = Inet.scanIpv4(s, n, min, 0);
            if (e >= 0) {
                addrLen = 4;
                n = e;
                if (OvsScan.at(s, n) == '-') {
                    n = Inet.scanIpv4(s, n + 1, max, 0);
                    if (n < 0) {
                        return -1;
                    }
                }
            } else if ((e = ipv6(s, n, min)) >= 0) {
                addrLen = 16;
                n = e;
                if (OvsScan.at(s, n) == '-') {
                    n = ipv6(s, n + 1, max);
                    if (n < 0) {
                        return -1;
                    }
                }
            } else {
                return -1;
            }
            OvsScan.Result r = OvsScan.scan(s, n, ":%hu%n");
            if (r != null) {
                protoMin = r.i(0);
                n += r.i(1);
                if (OvsScan.at(s, n) == '-') {
                    r = OvsScan.scan(s, n + 1, "%hu%n");
                    if (r == null) {
                        return -1;
                    }
                    protoMax = r.i(0);
                    n += 1 + r.i(1);
                }
            }
            return n;
        }

        /** An IPv6 address, bare or in brackets. */
        private static int ipv6(String s, int n, byte[] dst) {
            OvsScan.Result r = OvsScan.scan(s, n, Inet.IPV6_SCAN);
            if (r == null) {
                r = OvsScan.scan(s, n, "[" + Inet.IPV6_SCAN + "]");
            }
            if (r == null || !Inet.ipv6Pton(r.s(0), dst, 0)) {
                return -1;
            }
            return r.end;
        }

        void put(NlWriter out) {
            int nest = out.beginNest(CtAttr.NAT);
            if (snat || dnat) {
                out.putFlag(snat ? NatAttr.SRC : NatAttr.DST);
                if (addrLen != 0) {
                    out.putBytes(NatAttr.IP_MIN, min, 0, addrLen);
                    if (java.util.Arrays.compareUnsigned(max, 0, addrLen, min, 0, addrLen) > 0) {
                        out.putBytes(NatAttr.IP_MAX, max, 0, addrLen);
                    }
                    if (protoMin != 0) {
                        out.putU16(NatAttr.PROTO_MIN, protoMin);
                        if (protoMax != 0 && protoMax > protoMin) {
                            out.putU16(NatAttr.PROTO_MAX, protoMax);
                        }
                    }
                    if (persistent) {
                        out.putFlag(NatAttr.PERSISTENT);
                    }
                    if (hash) {
                        out.putFlag(NatAttr.PROTO_HASH);
                    }
                    if (random) {
                        out.putFlag(NatAttr.PROTO_RANDOM);
                    }
                }
            }
            out.endNest(nest);
        }
    }
}
