package ovsj.odp.codec;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.uapi.TunnelKeyAttr;
import ovsj.odp.uapi.VxlanExtAttr;

/**
 * The tunnel part of a flow key ({@code OVS_KEY_ATTR_TUNNEL}): the twin of the kernel's
 * {@code ip_tun_from_nlattr} and {@code __ip_tun_to_nlattr}.
 *
 * <p>Tunnel options (Geneve, VXLAN-GBP, ERSPAN) sit at the <em>end</em> of the 255-byte option area,
 * as the kernel's {@code TUN_METADATA_OFFSET} places them, and {@link FlowKey#TUN_OPTS_LEN_OFFSET}
 * records their length so that packets with more options do not match.
 */
public final class TunnelCodec {
    // The kernel's TUNNEL_* flags (include/net/ip_tunnels.h, 6.1), kept in FlowKey.TUN_FLAGS.
    public static final int TUNNEL_CSUM = 0x01;
    public static final int TUNNEL_KEY = 0x04;
    public static final int TUNNEL_DONT_FRAGMENT = 0x0100;
    public static final int TUNNEL_OAM = 0x0200;
    public static final int TUNNEL_CRIT_OPT = 0x0400;
    public static final int TUNNEL_GENEVE_OPT = 0x0800;
    public static final int TUNNEL_VXLAN_OPT = 0x1000;
    public static final int TUNNEL_ERSPAN_OPT = 0x4000;
    public static final int TUNNEL_GTP_OPT = 0x8000;
    public static final int TUNNEL_OPTIONS_PRESENT =
            TUNNEL_GENEVE_OPT | TUNNEL_VXLAN_OPT | TUNNEL_ERSPAN_OPT | TUNNEL_GTP_OPT;

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    /** {@code IP_TUNNEL_OPTS_MAX}: the option area's size. */
    public static final int OPTS_MAX = FlowKey.TUN_OPTS_MAX;
    /** Size of {@code struct vxlan_metadata} (one u32, the group policy id). */
    static final int VXLAN_OPTS_LENGTH = 4;
    /** Size of {@code struct erspan_metadata}: an int version and a union of the v1 index / v2 fields. */
    static final int ERSPAN_OPTS_LENGTH = 12;

    private TunnelCodec() {
    }

    /** {@code TUN_METADATA_OFFSET}: where options of {@code len} bytes start in the key. */
    public static int optsOffset(int len) {
        return FlowKey.TUN_OPTS_OFFSET + OPTS_MAX - len;
    }

    /**
     * Parses the nested tunnel attributes {@code buf[off, off+len)} into {@code target} (the key, or
     * the mask when {@code isMask}); {@code key} is the already-parsed key, consulted for the option
     * length while parsing a mask. Returns the option attribute type seen (0 if none) or -errno.
     */
    public static int parse(byte[] buf, int off, int len, FlowKey target, FlowKey key, boolean isMask,
                            KernelLog log) {
        boolean ttl = false;
        boolean ipv4 = false;
        boolean ipv6 = false;
        boolean infoBridge = false;
        int tunFlags = 0;
        int optsType = 0;
        NlAttrReader r = new NlAttrReader().wrap(buf, off, len);
        while (r.next()) {
            int type = r.type();
            int plen = r.payloadLength();
            if (type > TunnelKeyAttr.MAX) {
                log.nlerr("Tunnel attr " + type + " out of range max " + TunnelKeyAttr.MAX);
                return -22;
            }
            if (!TunnelKeyAttr.lengthAccepted(type, plen)) {
                log.nlerr("Tunnel attr " + type + " has unexpected len " + plen + " expected "
                        + TunnelKeyAttr.expectedLength(type));
                return -22;
            }
            int p = r.payloadOffset();
            switch (type) {
                case TunnelKeyAttr.ID -> {
                    target.u64(FlowKey.TUN_ID_OFFSET, Wire.be64(buf, p));
                    tunFlags |= TUNNEL_KEY;
                }
                case TunnelKeyAttr.IPV4_SRC -> {
                    target.u32(FlowKey.TUN_IPV4_SRC_OFFSET, Wire.be32(buf, p));
                    ipv4 = true;
                }
                case TunnelKeyAttr.IPV4_DST -> {
                    target.u32(FlowKey.TUN_IPV4_DST_OFFSET, Wire.be32(buf, p));
                    ipv4 = true;
                }
                case TunnelKeyAttr.IPV6_SRC -> {
                    target.u64(FlowKey.TUN_IPV6_SRC_OFFSET, Wire.be64(buf, p));
                    target.u64(FlowKey.TUN_IPV6_SRC_OFFSET + 8, Wire.be64(buf, p + 8));
                    ipv6 = true;
                }
                case TunnelKeyAttr.IPV6_DST -> {
                    target.u64(FlowKey.TUN_IPV6_DST_OFFSET, Wire.be64(buf, p));
                    target.u64(FlowKey.TUN_IPV6_DST_OFFSET + 8, Wire.be64(buf, p + 8));
                    ipv6 = true;
                }
                case TunnelKeyAttr.TOS -> target.u8(FlowKey.TUN_TOS_OFFSET, Wire.u8(buf, p));
                case TunnelKeyAttr.TTL -> {
                    target.u8(FlowKey.TUN_TTL_OFFSET, Wire.u8(buf, p));
                    ttl = true;
                }
                case TunnelKeyAttr.DONT_FRAGMENT -> tunFlags |= TUNNEL_DONT_FRAGMENT;
                case TunnelKeyAttr.CSUM -> tunFlags |= TUNNEL_CSUM;
                case TunnelKeyAttr.TP_SRC -> target.u16(FlowKey.TUN_TP_SRC_OFFSET, Wire.be16(buf, p));
                case TunnelKeyAttr.TP_DST -> target.u16(FlowKey.TUN_TP_DST_OFFSET, Wire.be16(buf, p));
                case TunnelKeyAttr.OAM -> tunFlags |= TUNNEL_OAM;
                case TunnelKeyAttr.GENEVE_OPTS, TunnelKeyAttr.VXLAN_OPTS, TunnelKeyAttr.ERSPAN_OPTS -> {
                    if (optsType != 0) {
                        log.nlerr("Multiple metadata blocks provided");
                        return -22;
                    }
                    int err = switch (type) {
                        case TunnelKeyAttr.GENEVE_OPTS -> geneveOpts(buf, p, plen, target, key, isMask, log);
                        case TunnelKeyAttr.VXLAN_OPTS -> vxlanOpts(buf, p, plen, target, isMask, log);
                        default -> erspanOpts(buf, p, plen, target, isMask, log);
                    };
                    if (err != 0) {
                        return err;
                    }
                    tunFlags |= switch (type) {
                        case TunnelKeyAttr.GENEVE_OPTS -> TUNNEL_GENEVE_OPT;
                        case TunnelKeyAttr.VXLAN_OPTS -> TUNNEL_VXLAN_OPT;
                        default -> TUNNEL_ERSPAN_OPT;
                    };
                    optsType = type;
                }
                case TunnelKeyAttr.PAD -> {
                }
                case TunnelKeyAttr.IPV4_INFO_BRIDGE -> {
                    infoBridge = true;
                    ipv4 = true;
                }
                default -> {
                    log.nlerr("Unknown IP tunnel attribute " + type);
                    return -22;
                }
            }
        }
        target.u16(FlowKey.TUN_FLAGS_OFFSET, tunFlags);
        target.u8(FlowKey.TUN_PROTO_OFFSET, isMask ? 0xff : (ipv6 ? AF_INET6 : AF_INET));
        if (r.remaining() > 0) {
            log.nlerr("IP tunnel attribute has " + r.remaining() + " unknown bytes.");
            return -22;
        }
        if (ipv4 && ipv6) {
            log.nlerr("Mixed IPv4 and IPv6 tunnel attributes");
            return -22;
        }
        if (!isMask) {
            if (!ipv4 && !ipv6) {
                log.nlerr("IP tunnel dst address not specified");
                return -22;
            }
            if (ipv4) {
                if (infoBridge) {
                    if (target.u32(FlowKey.TUN_IPV4_SRC_OFFSET) != 0 || target.u32(FlowKey.TUN_IPV4_DST_OFFSET) != 0
                            || target.u16(FlowKey.TUN_TP_SRC_OFFSET) != 0 || target.u16(FlowKey.TUN_TP_DST_OFFSET) != 0
                            || target.u8(FlowKey.TUN_TTL_OFFSET) != 0 || target.u8(FlowKey.TUN_TOS_OFFSET) != 0
                            || (tunFlags & ~TUNNEL_KEY) != 0) {
                        log.nlerr("IPv4 tun info is not correct");
                        return -22;
                    }
                } else if (target.u32(FlowKey.TUN_IPV4_DST_OFFSET) == 0) {
                    log.nlerr("IPv4 tunnel dst address is zero");
                    return -22;
                }
            }
            if (ipv6 && target.u64(FlowKey.TUN_IPV6_DST_OFFSET) == 0
                    && target.u64(FlowKey.TUN_IPV6_DST_OFFSET + 8) == 0) {
                log.nlerr("IPv6 tunnel dst address is zero");
                return -22;
            }
            if (!ttl && !infoBridge) {
                log.nlerr("IP tunnel TTL not specified.");
                return -22;
            }
        }
        return optsType;
    }

    private static int geneveOpts(byte[] buf, int p, int len, FlowKey target, FlowKey key, boolean isMask,
                                  KernelLog log) {
        if (len > OPTS_MAX) {
            log.nlerr("Geneve option length err (len " + len + ", max " + OPTS_MAX + ").");
            return -22;
        }
        if (len % 4 != 0) {
            log.nlerr("Geneve opt len " + len + " is not a multiple of 4.");
            return -22;
        }
        if (!isMask) {
            target.u8(FlowKey.TUN_OPTS_LEN_OFFSET, len);
        } else {
            // The key was parsed first: its option length must equal the mask's.
            int keyLen = key.u8(FlowKey.TUN_OPTS_LEN_OFFSET);
            if (keyLen != len) {
                log.nlerr("Geneve option len " + keyLen + " != mask len " + len);
                return -22;
            }
            target.u8(FlowKey.TUN_OPTS_LEN_OFFSET, 0xff);
        }
        target.putBytes(optsOffset(len), buf, p, len);
        return 0;
    }

    private static int vxlanOpts(byte[] buf, int p, int len, FlowKey target, boolean isMask, KernelLog log) {
        int gbp = 0;
        NlAttrReader r = new NlAttrReader().wrap(buf, p, len);
        while (r.next()) {
            int type = r.type();
            if (type > VxlanExtAttr.MAX) {
                log.nlerr("VXLAN extension " + type + " out of range max " + VxlanExtAttr.MAX);
                return -22;
            }
            int expected = type == VxlanExtAttr.GBP ? 4 : 0;
            if (r.payloadLength() != expected) {
                log.nlerr("VXLAN extension " + type + " has unexpected len " + r.payloadLength()
                        + " expected " + expected);
                return -22;
            }
            if (type != VxlanExtAttr.GBP) {
                log.nlerr("Unknown VXLAN extension attribute " + type);
                return -22;
            }
            gbp = r.u32();
        }
        if (r.remaining() != 0) {
            log.nlerr("VXLAN extension message has " + r.remaining() + " unknown bytes.");
            return -22;
        }
        target.u8(FlowKey.TUN_OPTS_LEN_OFFSET, isMask ? 0xff : VXLAN_OPTS_LENGTH);
        byte[] opts = new byte[VXLAN_OPTS_LENGTH];
        Wire.putU32(opts, 0, gbp);
        target.putBytes(optsOffset(VXLAN_OPTS_LENGTH), opts, 0, VXLAN_OPTS_LENGTH);
        return 0;
    }

    private static int erspanOpts(byte[] buf, int p, int len, FlowKey target, boolean isMask, KernelLog log) {
        if (len > OPTS_MAX) {
            log.nlerr("ERSPAN option length err (len " + len + ", max " + OPTS_MAX + ").");
            return -22;
        }
        target.u8(FlowKey.TUN_OPTS_LEN_OFFSET, isMask ? 0xff : ERSPAN_OPTS_LENGTH);
        target.putBytes(optsOffset(len), buf, p, len);
        return 0;
    }

    /**
     * {@code ip_tun_to_nlattr}: writes an {@code attrType} nest with the tunnel fields of
     * {@code output}; {@code swkey} supplies the tunnel protocol and option length.
     */
    public static void put(NlWriter w, int attrType, FlowKey swkey, FlowKey output) {
        int nest = w.beginNest(attrType);
        putFields(w, output, swkey.tunProto(), swkey.u8(FlowKey.TUN_OPTS_LEN_OFFSET), false);
        w.endNest(nest);
    }

    /** {@code __ip_tun_to_nlattr}, without the nest; {@code bridge} is IP_TUNNEL_INFO_BRIDGE mode. */
    public static void putFields(NlWriter w, FlowKey output, int tunProto, int optsLen, boolean bridge) {
        int flags = output.u16(FlowKey.TUN_FLAGS_OFFSET);
        if ((flags & TUNNEL_KEY) != 0) {
            w.putBe64(TunnelKeyAttr.ID, output.u64(FlowKey.TUN_ID_OFFSET));
        }
        if (bridge) {
            w.putFlag(TunnelKeyAttr.IPV4_INFO_BRIDGE);
            return;
        }
        if (tunProto == AF_INET) {
            int src = output.u32(FlowKey.TUN_IPV4_SRC_OFFSET);
            int dst = output.u32(FlowKey.TUN_IPV4_DST_OFFSET);
            if (src != 0) {
                w.putBe32(TunnelKeyAttr.IPV4_SRC, src);
            }
            if (dst != 0) {
                w.putBe32(TunnelKeyAttr.IPV4_DST, dst);
            }
        } else if (tunProto == AF_INET6) {
            putIpv6IfSet(w, TunnelKeyAttr.IPV6_SRC, output, FlowKey.TUN_IPV6_SRC_OFFSET);
            putIpv6IfSet(w, TunnelKeyAttr.IPV6_DST, output, FlowKey.TUN_IPV6_DST_OFFSET);
        }
        int tos = output.u8(FlowKey.TUN_TOS_OFFSET);
        if (tos != 0) {
            w.putU8(TunnelKeyAttr.TOS, tos);
        }
        w.putU8(TunnelKeyAttr.TTL, output.u8(FlowKey.TUN_TTL_OFFSET));
        if ((flags & TUNNEL_DONT_FRAGMENT) != 0) {
            w.putFlag(TunnelKeyAttr.DONT_FRAGMENT);
        }
        if ((flags & TUNNEL_CSUM) != 0) {
            w.putFlag(TunnelKeyAttr.CSUM);
        }
        int tpSrc = output.u16(FlowKey.TUN_TP_SRC_OFFSET);
        if (tpSrc != 0) {
            w.putBe16(TunnelKeyAttr.TP_SRC, tpSrc);
        }
        int tpDst = output.u16(FlowKey.TUN_TP_DST_OFFSET);
        if (tpDst != 0) {
            w.putBe16(TunnelKeyAttr.TP_DST, tpDst);
        }
        if ((flags & TUNNEL_OAM) != 0) {
            w.putFlag(TunnelKeyAttr.OAM);
        }
        if (optsLen != 0 && (flags & TUNNEL_OPTIONS_PRESENT) != 0) {
            int at = optsOffset(optsLen);
            if ((flags & TUNNEL_GENEVE_OPT) != 0) {
                putKeyBytes(w, TunnelKeyAttr.GENEVE_OPTS, output, at, optsLen);
            } else if ((flags & TUNNEL_VXLAN_OPT) != 0) {
                int nest = w.beginNest(TunnelKeyAttr.VXLAN_OPTS);
                byte[] b = new byte[4];
                output.getBytes(at, b, 0, 4);
                w.putU32(VxlanExtAttr.GBP, Wire.u32(b, 0));
                w.endNest(nest);
            } else if ((flags & TUNNEL_ERSPAN_OPT) != 0) {
                putKeyBytes(w, TunnelKeyAttr.ERSPAN_OPTS, output, at, optsLen);
            }
        }
    }

    private static void putIpv6IfSet(NlWriter w, int type, FlowKey k, int off) {
        long hi = k.u64(off);
        long lo = k.u64(off + 8);
        if (hi != 0 || lo != 0) {
            int p = w.reserve(type, 16);
            if (p >= 0) {
                Wire.putBe64(w.buffer(), p, hi);
                Wire.putBe64(w.buffer(), p + 8, lo);
            }
        }
    }

    private static void putKeyBytes(NlWriter w, int type, FlowKey k, int off, int len) {
        int p = w.reserve(type, len);
        if (p >= 0) {
            k.getBytes(off, w.buffer(), p, len);
        }
    }

    /** Size of a tunnel nest at most ({@code ovs_tun_key_attr_size}). */
    public static int maxAttrSize() {
        return NlAttr.totalSize(8) + 2 * NlAttr.totalSize(16) + 2 * NlAttr.totalSize(1)
                + 3 * NlAttr.totalSize(0) + NlAttr.totalSize(256) + 2 * NlAttr.totalSize(2);
    }
}
