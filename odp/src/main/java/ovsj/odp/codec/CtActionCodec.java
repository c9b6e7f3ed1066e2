package ovsj.odp.codec;

import java.nio.charset.StandardCharsets;
import ovsj.netlink.Errno;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.CtAttr;
import ovsj.odp.uapi.NatAttr;

/**
 * The CT action for {@link ActionCodec}: the twin of Linux 6.1 {@code ovs_ct_copy_action} (with
 * {@code parse_ct}, {@code parse_nat}, {@code ovs_ct_add_helper}) and {@code ovs_ct_action_to_attr}
 * in {@code net/openvswitch/conntrack.c}.
 *
 * <p>The stored form is the reply form: {@code CT { COMMIT | FORCE_COMMIT, ZONE (always), MARK, LABELS,
 * HELPER, EVENTMASK, TIMEOUT, NAT { SRC | DST, IP_MIN, IP_MAX, PROTO_MIN, PROTO_MAX, PERSISTENT,
 * PROTO_HASH, PROTO_RANDOM } }}, each present only as {@code ovs_ct_action_to_attr} would emit it.
 *
 * <p>conntrack.c has no {@code pr_fmt}, so its {@code OVS_NLERR} lines read "netlink: ..." without the
 * "openvswitch: " prefix of flow_netlink.c.
 */
final class CtActionCodec {
    static final int EINVAL = ActionCodec.EINVAL;

    static final int NFPROTO_IPV4 = 2;
    static final int NFPROTO_IPV6 = 10;
    static final int NF_CT_HELPER_NAME_LEN = 16;
    static final int CTNL_TIMEOUT_NAME_MAX = 32;

    // ovs_conntrack_info.nat bits
    private static final int CT_NAT = 1;
    private static final int CT_SRC_NAT = 2;
    private static final int CT_DST_NAT = 4;
    // nf_nat_range.flags
    private static final int RANGE_MAP_IPS = 1;
    private static final int RANGE_PROTO_SPECIFIED = 2;
    private static final int RANGE_PROTO_RANDOM = 4;
    private static final int RANGE_PERSISTENT = 8;
    private static final int RANGE_PROTO_RANDOM_FULLY = 16;

    /** {@code ovs_ct_attr_lens}: {min, max} payload length per CT attribute. */
    private static final int[][] CT_LENS = new int[CtAttr.MAX + 1][2];

    static {
        CT_LENS[CtAttr.ZONE] = new int[] {2, 2};
        CT_LENS[CtAttr.MARK] = new int[] {8, 8};
        CT_LENS[CtAttr.LABELS] = new int[] {32, 32};
        CT_LENS[CtAttr.HELPER] = new int[] {1, NF_CT_HELPER_NAME_LEN};
        CT_LENS[CtAttr.NAT] = new int[] {0, Integer.MAX_VALUE}; // checked attribute by attribute
        CT_LENS[CtAttr.EVENTMASK] = new int[] {4, 4};
        CT_LENS[CtAttr.TIMEOUT] = new int[] {1, CTNL_TIMEOUT_NAME_MAX};
    }

    /**
     * The conntrack helpers a stock Debian 6.1 kernel can load by name (nf_conntrack_*), with the L4
     * protocols they register for, whether they exist for IPv4 only, and whether a NAT helper exists.
     * The kernel asks its module loader; this is the list it would find.
     */
    private record Helper(String name, boolean tcp, boolean udp, boolean ipv4Only, boolean nat) {
    }

    private static final Helper[] HELPERS = {
        new Helper("ftp", true, false, false, true),
        new Helper("tftp", false, true, false, true),
        new Helper("sip", true, true, false, true),
        new Helper("irc", true, false, true, true),
        new Helper("amanda", false, true, false, true),
        new Helper("pptp", true, false, true, true),
        new Helper("sane", true, false, false, false),
        new Helper("netbios-ns", false, true, true, false),
        new Helper("snmp", false, true, true, false),
        new Helper("RAS", false, true, false, true),
        new Helper("Q.931", true, false, false, true),
    };

    /** Parse state ({@code struct ovs_conntrack_info}); buffers are referred to by offset. */
    private static final class Info {
        int family;
        boolean commit;
        boolean force;
        int zone;
        int mark = -1;
        int labels = -1;
        int helper = -1;
        boolean haveEventmask;
        int eventmask;
        int timeout = -1;
        int timeoutLen;
        int nat;
        int rangeFlags;
        int minAddr = -1;
        int maxAddr = -1;
        int minProto;
        int maxProto;

        void reset(int fam) {
            family = fam;
            commit = false;
            force = false;
            zone = 0;
            mark = -1;
            labels = -1;
            helper = -1;
            haveEventmask = false;
            eventmask = 0;
            timeout = -1;
            timeoutLen = 0;
            nat = 0;
            rangeFlags = 0;
            minAddr = -1;
            maxAddr = -1;
            minProto = 0;
            maxProto = 0;
        }
    }

    private static final ThreadLocal<Info> SCRATCH = ThreadLocal.withInitial(Info::new);

    private CtActionCodec() {
    }

    /** {@code ovs_ct_copy_action} for the CT payload {@code buf[pay, pay+plen)}. */
    static int copy(byte[] buf, int pay, int plen, FlowKey key, NlWriter out, KernelLog klog, ActionCaller c) {
        int family = switch (key.ethType()) {
            case ActionCodec.ETH_P_IP -> NFPROTO_IPV4;
            case ActionCodec.ETH_P_IPV6 -> NFPROTO_IPV6;
            default -> 0;
        };
        if (family == 0) {
            return err(klog, c, "ct family unspecified", EINVAL);
        }
        Info info = SCRATCH.get();
        info.reset(family);
        int err = parseCt(buf, pay, plen, info, klog, c);
        if (err != 0) {
            return err;
        }
        if (info.timeout >= 0 && buf[info.timeout] != 0) {
            // No timeout policy exists here (as on a kernel without nfnetlink_cttimeout loaded): the
            // kernel logs the failure and keeps the name, which it reports back.
            klog.log("Timeout policy base is empty");
            klog.log("Failed to associated timeout policy `" + cString(buf, info.timeout, info.timeoutLen) + "'");
        }
        if (info.helper >= 0) {
            int hlen = strlen(buf, info.helper, NlAttr.len(buf, info.helper - NlAttr.HEADER_LENGTH)
                    - NlAttr.HEADER_LENGTH);
            Helper h = findHelper(buf, info.helper, hlen, family, key.ipProto());
            if (h == null) {
                return err(klog, c, "Unknown helper \"" + cString(buf, info.helper, hlen) + "\"", EINVAL);
            }
            if (info.nat != 0 && !h.nat()) {
                return err(klog, c, "Failed to load \"" + h.name() + "\" NAT helper, error: " + (-Errno.ENOENT),
                        -Errno.ENOENT);
            }
        }
        emit(buf, info, out);
        return 0;
    }

    /** {@code parse_ct}. */
    private static int parseCt(byte[] buf, int pay, int plen, Info info, KernelLog klog, ActionCaller c) {
        int p = pay;
        int rem = plen;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(buf, p);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            int type = NlAttr.type(buf, p);
            int a = p + NlAttr.HEADER_LENGTH;
            int len = alen - NlAttr.HEADER_LENGTH;
            p += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
            if (type > CtAttr.MAX) {
                return err(klog, c, "Unknown conntrack attr (type=" + type + ", max=" + CtAttr.MAX + ")", EINVAL);
            }
            int min = CT_LENS[type][0];
            int max = CT_LENS[type][1];
            if (len < min || len > max) {
                return err(klog, c, "Conntrack attr type has unexpected length (type=" + type + ", length=" + len
                        + ", expected=" + max + ")", EINVAL);
            }
            switch (type) {
                case CtAttr.FORCE_COMMIT -> {
                    info.force = true;
                    info.commit = true;
                }
                case CtAttr.COMMIT -> info.commit = true;
                case CtAttr.ZONE -> info.zone = Wire.u16(buf, a);
                case CtAttr.MARK -> {
                    if (Wire.u32(buf, a + 4) == 0) {
                        return err(klog, c, "ct_mark mask cannot be 0", EINVAL);
                    }
                    info.mark = a;
                }
                case CtAttr.LABELS -> {
                    if (isZero(buf, a + 16, 16)) {
                        return err(klog, c, "ct_labels mask cannot be 0", EINVAL);
                    }
                    info.labels = a;
                }
                case CtAttr.HELPER -> {
                    if (strlen(buf, a, len) == len) {
                        return err(klog, c, "Invalid conntrack helper", EINVAL);
                    }
                    info.helper = a;
                }
                case CtAttr.NAT -> {
                    int e = parseNat(buf, a, len, info, klog, c);
                    if (e != 0) {
                        return e;
                    }
                }
                case CtAttr.EVENTMASK -> {
                    info.haveEventmask = true;
                    info.eventmask = Wire.u32(buf, a);
                }
                case CtAttr.TIMEOUT -> {
                    if (strlen(buf, a, len) == len) {
                        return err(klog, c, "Invalid conntrack timeout", EINVAL);
                    }
                    info.timeout = a;
                    info.timeoutLen = len;
                }
                default -> {
                    return err(klog, c, "Unknown conntrack attr (" + type + ")", EINVAL);
                }
            }
        }
        if (!info.commit && info.mark >= 0) {
            return err(klog, c, "Setting conntrack mark requires 'commit' flag.", EINVAL);
        }
        if (!info.commit && info.labels >= 0) {
            return err(klog, c, "Setting conntrack labels requires 'commit' flag.", EINVAL);
        }
        if (rem > 0) {
            return err(klog, c, "Conntrack attr has " + rem + " unknown bytes", EINVAL);
        }
        return 0;
    }

    /** {@code parse_nat}: may be called more than once, accumulating into the same range. */
    private static int parseNat(byte[] buf, int pay, int plen, Info info, KernelLog klog, ActionCaller c) {
        boolean haveIpMax = false;
        boolean haveProtoMax = false;
        int addrLen = info.family == NFPROTO_IPV6 ? 16 : 4;
        int p = pay;
        int rem = plen;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(buf, p);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            int type = NlAttr.type(buf, p);
            int a = p + NlAttr.HEADER_LENGTH;
            int len = alen - NlAttr.HEADER_LENGTH;
            p += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
            if (type > NatAttr.MAX) {
                return err(klog, c, "Unknown NAT attribute (type=" + type + ", max=" + NatAttr.MAX + ")", EINVAL);
            }
            int expected = switch (type) {
                case NatAttr.IP_MIN, NatAttr.IP_MAX -> addrLen;
                case NatAttr.PROTO_MIN, NatAttr.PROTO_MAX -> 2;
                default -> 0;
            };
            if (len != expected) {
                return err(klog, c, "NAT attribute type " + type + " has unexpected length (" + len + " != "
                        + expected + ")", EINVAL);
            }
            switch (type) {
                case NatAttr.SRC, NatAttr.DST -> {
                    if (info.nat != 0) {
                        return err(klog, c, "Only one type of NAT may be specified", -Errno.ERANGE);
                    }
                    info.nat = CT_NAT | (type == NatAttr.SRC ? CT_SRC_NAT : CT_DST_NAT);
                }
                case NatAttr.IP_MIN -> {
                    info.minAddr = a;
                    info.rangeFlags |= RANGE_MAP_IPS;
                }
                case NatAttr.IP_MAX -> {
                    haveIpMax = true;
                    info.maxAddr = a;
                    info.rangeFlags |= RANGE_MAP_IPS;
                }
                case NatAttr.PROTO_MIN -> {
                    info.minProto = Wire.u16(buf, a);
                    info.rangeFlags |= RANGE_PROTO_SPECIFIED;
                }
                case NatAttr.PROTO_MAX -> {
                    haveProtoMax = true;
                    info.maxProto = Wire.u16(buf, a);
                    info.rangeFlags |= RANGE_PROTO_SPECIFIED;
                }
                case NatAttr.PERSISTENT -> info.rangeFlags |= RANGE_PERSISTENT;
                case NatAttr.PROTO_HASH -> info.rangeFlags |= RANGE_PROTO_RANDOM;
                case NatAttr.PROTO_RANDOM -> info.rangeFlags |= RANGE_PROTO_RANDOM_FULLY;
                default -> {
                    return err(klog, c, "Unknown nat attribute (" + type + ")", EINVAL);
                }
            }
        }
        if (rem > 0) {
            return err(klog, c, "NAT attribute has " + rem + " unknown bytes", EINVAL);
        }
        if (info.nat == 0) {
            if (info.rangeFlags != 0) {
                return err(klog, c, "NAT flags may be given only when NAT range (SRC or DST) is also specified.",
                        EINVAL);
            }
            info.nat = CT_NAT; // NAT existing connections
        } else if (!info.commit) {
            return err(klog, c, "NAT attributes may be specified only when CT COMMIT flag is also specified.",
                    EINVAL);
        }
        if ((info.rangeFlags & RANGE_MAP_IPS) != 0 && !haveIpMax) {
            info.maxAddr = info.minAddr;
        }
        if ((info.rangeFlags & RANGE_PROTO_SPECIFIED) != 0 && !haveProtoMax) {
            info.maxProto = info.minProto;
        }
        return 0;
    }

    /** {@code ovs_ct_action_to_attr}, done once at copy time. */
    private static void emit(byte[] buf, Info info, NlWriter out) {
        int start = out.beginNest(ActionAttr.CT);
        if (info.commit) {
            out.putFlag(info.force ? CtAttr.FORCE_COMMIT : CtAttr.COMMIT);
        }
        out.putU16(CtAttr.ZONE, info.zone);
        if (info.mark >= 0) {
            out.putBytes(CtAttr.MARK, buf, info.mark, 8);
        }
        if (info.labels >= 0) {
            out.putBytes(CtAttr.LABELS, buf, info.labels, 32);
        }
        if (info.helper >= 0) {
            int len = strlen(buf, info.helper, NlAttr.len(buf, info.helper - NlAttr.HEADER_LENGTH)
                    - NlAttr.HEADER_LENGTH);
            putString(out, CtAttr.HELPER, buf, info.helper, len);
        }
        if (info.haveEventmask) {
            out.putU32(CtAttr.EVENTMASK, info.eventmask);
        }
        if (info.timeout >= 0 && buf[info.timeout] != 0) {
            putString(out, CtAttr.TIMEOUT, buf, info.timeout, strlen(buf, info.timeout, info.timeoutLen));
        }
        if (info.nat != 0) {
            emitNat(buf, info, out);
        }
        out.endNest(start);
    }

    /** {@code ovs_ct_nat_to_attr}: a max equal to its min is left out. */
    private static void emitNat(byte[] buf, Info info, NlWriter out) {
        int start = out.beginNest(CtAttr.NAT);
        if ((info.nat & (CT_SRC_NAT | CT_DST_NAT)) != 0) {
            out.putFlag((info.nat & CT_SRC_NAT) != 0 ? NatAttr.SRC : NatAttr.DST);
            if ((info.rangeFlags & RANGE_MAP_IPS) != 0) {
                int addrLen = info.family == NFPROTO_IPV6 ? 16 : 4;
                putAddr(out, NatAttr.IP_MIN, buf, info.minAddr, addrLen);
                if (!sameAddr(buf, info.minAddr, info.maxAddr, addrLen)) {
                    putAddr(out, NatAttr.IP_MAX, buf, info.maxAddr, addrLen);
                }
            }
            if ((info.rangeFlags & RANGE_PROTO_SPECIFIED) != 0) {
                out.putU16(NatAttr.PROTO_MIN, info.minProto);
                if (info.maxProto != info.minProto) {
                    out.putU16(NatAttr.PROTO_MAX, info.maxProto);
                }
            }
            if ((info.rangeFlags & RANGE_PERSISTENT) != 0) {
                out.putFlag(NatAttr.PERSISTENT);
            }
            if ((info.rangeFlags & RANGE_PROTO_RANDOM) != 0) {
                out.putFlag(NatAttr.PROTO_HASH);
            }
            if ((info.rangeFlags & RANGE_PROTO_RANDOM_FULLY) != 0) {
                out.putFlag(NatAttr.PROTO_RANDOM);
            }
        }
        out.endNest(start);
    }

    /** An address given by offset, or all zeros when never given ({@code -1}). */
    private static void putAddr(NlWriter out, int type, byte[] buf, int off, int len) {
        int p = out.reserve(type, len);
        if (p >= 0 && off >= 0) {
            System.arraycopy(buf, off, out.buffer(), p, len);
        }
    }

    private static boolean sameAddr(byte[] buf, int a, int b, int len) {
        for (int i = 0; i < len; i++) {
            int x = a < 0 ? 0 : buf[a + i];
            int y = b < 0 ? 0 : buf[b + i];
            if (x != y) {
                return false;
            }
        }
        return true;
    }

    private static Helper findHelper(byte[] buf, int off, int len, int family, int ipProto) {
        for (Helper h : HELPERS) {
            String n = h.name();
            if (n.length() != len || (h.ipv4Only() && family != NFPROTO_IPV4)
                    || !(ipProto == ActionSetCodec.IPPROTO_TCP && h.tcp()
                    || ipProto == ActionSetCodec.IPPROTO_UDP && h.udp())) {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < len && same; i++) {
                same = buf[off + i] == n.charAt(i);
            }
            if (same) {
                return h;
            }
        }
        return null;
    }

    /** {@code nla_put_string}: the characters before the first NUL, and a NUL. */
    private static void putString(NlWriter out, int type, byte[] buf, int off, int len) {
        int p = out.reserve(type, len + 1);
        if (p >= 0) {
            System.arraycopy(buf, off, out.buffer(), p, len);
        }
    }

    /** Length before the first NUL within {@code max} bytes ({@code max} if there is none). */
    private static int strlen(byte[] buf, int off, int max) {
        for (int i = 0; i < max; i++) {
            if (buf[off + i] == 0) {
                return i;
            }
        }
        return max;
    }

    private static String cString(byte[] buf, int off, int max) {
        return new String(buf, off, strlen(buf, off, max), StandardCharsets.ISO_8859_1);
    }

    private static boolean isZero(byte[] buf, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (buf[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code OVS_NLERR} from conntrack.c (no module prefix). */
    private static int err(KernelLog klog, ActionCaller c, String msg, int errno) {
        if (c.log()) {
            klog.log("netlink: " + msg);
        }
        return errno;
    }
}
