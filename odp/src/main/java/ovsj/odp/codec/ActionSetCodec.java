package ovsj.odp.codec;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.KeyIpv4;
import ovsj.odp.uapi.KeyIpv6;
import ovsj.odp.uapi.TunnelKeyAttr;

/**
 * SET, SET_MASKED and PUSH_NSH for {@link ActionCodec}: the kernel's {@code validate_set},
 * {@code validate_and_copy_set_tun}, {@code validate_nsh} and {@code set_action_to_attr}.
 */
final class ActionSetCodec {
    static final int EINVAL = ActionCodec.EINVAL;

    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_SCTP = 132;

    /** {@code IP_TUNNEL_INFO_*} bits of the stored tunnel mode. */
    static final int TUNNEL_INFO_TX = 0x01;
    static final int TUNNEL_INFO_IPV6 = 0x02;
    static final int TUNNEL_INFO_BRIDGE = 0x04;
    /** The tunnel part of a FlowKey: words 0..39 (options, then the tunnel key). */
    static final int TUNNEL_KEY_BYTES = FlowKey.PRIORITY_OFFSET;
    static final int GENEVE_CRIT_OPT_TYPE = 0x80;

    /** Scratch keys for the tunnel and NSH parsers, which fill a FlowKey (flow setup only). */
    private static final ThreadLocal<FlowKey> SCRATCH = ThreadLocal.withInitial(FlowKey::new);

    private ActionSetCodec() {
    }

    /**
     * {@code validate_set} for the SET / SET_MASKED payload {@code buf[pay, pay+plen)}; writes the stored
     * form (see {@link ActionCodec}) to {@code out}.
     */
    static int validateSet(byte[] buf, int pay, int plen, FlowKey flowKey, NlWriter out, KernelLog klog,
                           ActionCaller c, int macProto, int ethType, boolean masked) {
        // Exactly one key attribute, filling the payload up to its padding.
        if (plen < NlAttr.HEADER_LENGTH) {
            return EINVAL;
        }
        int klen = NlAttr.len(buf, pay);
        if (klen < NlAttr.HEADER_LENGTH || klen > plen || NlAttr.align(klen) != plen) {
            return EINVAL;
        }
        int keyType = NlAttr.type(buf, pay);
        int data = pay + NlAttr.HEADER_LENGTH;
        int keyLen = klen - NlAttr.HEADER_LENGTH;
        if (masked) {
            keyLen /= 2;
        }
        if (keyType > KeyAttr.MAX || !KeyAttr.lengthAccepted(keyType, keyLen)) {
            return EINVAL;
        }
        if (masked && !validateMasked(buf, data, keyLen)) {
            return EINVAL;
        }
        int mask = data + keyLen;
        switch (keyType) {
            case KeyAttr.PRIORITY, KeyAttr.SKB_MARK, KeyAttr.CT_MARK, KeyAttr.CT_LABELS -> {
            }
            case KeyAttr.ETHERNET -> {
                if (macProto != FlowKey.MAC_PROTO_ETHERNET) {
                    return EINVAL;
                }
            }
            case KeyAttr.TUNNEL -> {
                if (masked) {
                    return EINVAL; // masked tunnel set is not supported
                }
                return copySetTunnel(buf, pay, klen, out, klog, c);
            }
            case KeyAttr.IPV4 -> {
                if (ethType != ActionCodec.ETH_P_IP) {
                    return EINVAL;
                }
                if (masked) {
                    // proto and frag are not writeable
                    if (Wire.u8(buf, mask + KeyIpv4.IPV4_PROTO_OFFSET) != 0
                            || Wire.u8(buf, mask + KeyIpv4.IPV4_FRAG_OFFSET) != 0) {
                        return EINVAL;
                    }
                } else if (Wire.u8(buf, data + KeyIpv4.IPV4_PROTO_OFFSET) != flowKey.ipProto()
                        || Wire.u8(buf, data + KeyIpv4.IPV4_FRAG_OFFSET) != flowKey.ipFrag()) {
                    return EINVAL;
                }
            }
            case KeyAttr.IPV6 -> {
                if (ethType != ActionCodec.ETH_P_IPV6) {
                    return EINVAL;
                }
                if (masked) {
                    if (Wire.u8(buf, mask + KeyIpv6.IPV6_PROTO_OFFSET) != 0
                            || Wire.u8(buf, mask + KeyIpv6.IPV6_FRAG_OFFSET) != 0
                            || (Wire.be32(buf, mask + KeyIpv6.IPV6_LABEL_OFFSET) & 0xfff00000) != 0) {
                        return EINVAL;
                    }
                } else if (Wire.u8(buf, data + KeyIpv6.IPV6_PROTO_OFFSET) != flowKey.ipProto()
                        || Wire.u8(buf, data + KeyIpv6.IPV6_FRAG_OFFSET) != flowKey.ipFrag()) {
                    return EINVAL;
                }
                if ((Wire.be32(buf, data + KeyIpv6.IPV6_LABEL_OFFSET) & 0xfff00000) != 0) {
                    return EINVAL;
                }
            }
            case KeyAttr.TCP -> {
                if (!l4Settable(ethType, flowKey, IPPROTO_TCP)) {
                    return EINVAL;
                }
            }
            case KeyAttr.UDP -> {
                if (!l4Settable(ethType, flowKey, IPPROTO_UDP)) {
                    return EINVAL;
                }
            }
            case KeyAttr.SCTP -> {
                if (!l4Settable(ethType, flowKey, IPPROTO_SCTP)) {
                    return EINVAL;
                }
            }
            case KeyAttr.MPLS -> {
                if (!ActionCodec.isMpls(ethType)) {
                    return EINVAL;
                }
            }
            case KeyAttr.NSH -> {
                if (ethType != ActionCodec.ETH_P_NSH) {
                    return EINVAL;
                }
                FlowKey scratch = SCRATCH.get();
                scratch.clear();
                if (NshCodec.parse(buf, pay, scratch, masked, false, c.log() ? klog : KernelLog.NONE) != 0) {
                    return EINVAL;
                }
            }
            default -> {
                return EINVAL; // IN_PORT, ARP, ICMP, ... are not settable
            }
        }
        if (masked) {
            out.putBytes(ActionAttr.SET_MASKED, buf, pay, plen);
            return 0;
        }
        // A plain set becomes a masked set with an all-ones mask, so execution has one path.
        int start = out.beginNest(ActionAttr.SET_TO_MASKED);
        int p = out.reserve(keyType, 2 * keyLen);
        if (p >= 0) {
            byte[] o = out.buffer();
            System.arraycopy(buf, data, o, p, keyLen);
            java.util.Arrays.fill(o, p + keyLen, p + 2 * keyLen, (byte) 0xff);
            if (keyType == KeyAttr.IPV6) {
                // The flow label is 20 bits: the upper 12 are not writeable.
                Wire.putBe32(o, p + keyLen + KeyIpv6.IPV6_LABEL_OFFSET, 0x000fffff);
            }
        }
        return ActionCodec.endNest(out, start);
    }

    /** {@code validate_masked}: no value bit may be set outside the mask (which follows the value). */
    private static boolean validateMasked(byte[] buf, int data, int len) {
        for (int i = 0; i < len; i++) {
            if ((buf[data + i] & ~buf[data + len + i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean l4Settable(int ethType, FlowKey flowKey, int proto) {
        return (ethType == ActionCodec.ETH_P_IP || ethType == ActionCodec.ETH_P_IPV6) && flowKey.ipProto() == proto;
    }

    /**
     * {@code validate_and_copy_set_tun}: parses the TUNNEL key attribute at {@code buf[attr]} (length
     * {@code alen}) and stores both the tunnel key for execution and its reply form.
     */
    private static int copySetTunnel(byte[] buf, int attr, int alen, NlWriter out, KernelLog klog, ActionCaller c) {
        FlowKey k = SCRATCH.get();
        k.clear();
        int optsType = TunnelCodec.parse(buf, attr + NlAttr.HEADER_LENGTH, alen - NlAttr.HEADER_LENGTH, k, k, false,
                c.log() ? klog : KernelLog.NONE);
        if (optsType < 0) {
            return optsType;
        }
        int optsLen = k.u8(FlowKey.TUN_OPTS_LEN_OFFSET);
        if (optsLen != 0 && optsType == TunnelKeyAttr.GENEVE_OPTS) {
            int err = validateGeneveOpts(k, optsLen);
            if (err != 0) {
                return err;
            }
        }
        int mode = TUNNEL_INFO_TX;
        if (k.tunProto() == TunnelCodec.AF_INET6) {
            mode |= TUNNEL_INFO_IPV6;
        } else if (k.tunProto() == TunnelCodec.AF_INET && k.u32(FlowKey.TUN_IPV4_DST_OFFSET) == 0) {
            mode |= TUNNEL_INFO_BRIDGE;
        }
        int start = out.beginNest(ActionAttr.SET);
        int p = out.reserve(KeyAttr.TUNNEL_INFO, 4 + TUNNEL_KEY_BYTES);
        if (p >= 0) {
            byte[] o = out.buffer();
            Wire.putU32(o, p, mode);
            for (int w = 0; w < TUNNEL_KEY_BYTES / 8; w++) {
                Wire.putU64(o, p + 4 + 8 * w, k.word(w));
            }
        }
        int nest = out.beginNest(KeyAttr.TUNNEL);
        TunnelCodec.putFields(out, k, (mode & TUNNEL_INFO_IPV6) != 0 ? TunnelCodec.AF_INET6 : TunnelCodec.AF_INET,
                optsLen, (mode & TUNNEL_INFO_BRIDGE) != 0);
        out.endNest(nest);
        return ActionCodec.endNest(out, start);
    }

    /** {@code validate_geneve_opts}: whole options only; remembers whether one is critical. */
    private static int validateGeneveOpts(FlowKey k, int optsLen) {
        int at = TunnelCodec.optsOffset(optsLen);
        int rem = optsLen;
        boolean crit = false;
        while (rem > 0) {
            if (rem < 4) {
                return EINVAL;
            }
            int len = 4 + 4 * (k.u8(at + 3) & 0x1f);
            if (len > rem) {
                return EINVAL;
            }
            crit |= (k.u8(at + 2) & GENEVE_CRIT_OPT_TYPE) != 0;
            at += len;
            rem -= len;
        }
        if (crit) {
            k.u16(FlowKey.TUN_FLAGS_OFFSET, k.u16(FlowKey.TUN_FLAGS_OFFSET) | TunnelCodec.TUNNEL_CRIT_OPT);
        }
        return 0;
    }

    /** {@code set_action_to_attr} for the stored SET (only tunnels are stored as SET). */
    static void putSetTunnel(NlWriter w, byte[] s, int pay, int plen) {
        int nest = w.beginNest(ActionAttr.SET);
        int p = pay;
        int end = pay + plen;
        while (p + NlAttr.HEADER_LENGTH <= end) {
            int alen = NlAttr.len(s, p);
            if (NlAttr.type(s, p) == KeyAttr.TUNNEL) {
                w.putBytes(KeyAttr.TUNNEL, s, p + NlAttr.HEADER_LENGTH, alen - NlAttr.HEADER_LENGTH);
            }
            p += NlAttr.align(alen);
        }
        w.endNest(nest);
    }

    /**
     * {@code validate_nsh(nla_data(a), false, true, true)} for PUSH_NSH: the payload starts with an NSH
     * key attribute. Where the kernel would read past the payload (no room for that attribute, or an
     * {@code nla_len} beyond it) this refuses the action instead.
     */
    static boolean validatePushNsh(byte[] buf, int pay, int plen, KernelLog klog) {
        if (plen < NlAttr.HEADER_LENGTH || NlAttr.len(buf, pay) > plen) {
            return false;
        }
        if (NlAttr.len(buf, pay) < NlAttr.HEADER_LENGTH) {
            // The kernel walks nothing, then misses the base: logged whatever the log flag.
            klog.nlerr("push_nsh: missing base or metadata attributes");
            return false;
        }
        FlowKey scratch = SCRATCH.get();
        scratch.clear();
        return NshCodec.parse(buf, pay, scratch, false, true, klog) == 0;
    }
}
