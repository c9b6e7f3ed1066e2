package ovsj.odp.text;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.TunnelKeyAttr;

/**
 * A datapath flow's key and mask as text, the twin of OVS's {@code odp_flow_format}: what
 * {@code ovs-dpctl dump-flows} prints from the KEY and MASK attributes of a kernel reply. Attributes come
 * out in the order given; by default attributes whose mask is all zeros and zero-mask fields are left out
 * (an all-wildcarded {@code eth()} is still shown); verbose mode ({@code -m}) prints every attribute, with
 * {@code /mask} where it is not exact.
 *
 * <p>Where OVS 3.1 prints something wrong, this prints what a correct OVS prints:
 * <ul>
 *   <li>{@code OVS_KEY_ATTR_IPV6_EXTHDRS} (32), unknown to OVS 3.1 (which shows {@code key32(00 00/00 00)}),
 *       prints as {@code ipv6_exthdrs(HDRS[/MASK])}, the {@code hdrs} bitmap of
 *       {@code struct ovs_key_ipv6_exthdrs} in {@code %#x} notation; like any other attribute it is left
 *       out by default when its mask is zero, and shows as {@code ipv6_exthdrs(0/0)} with {@code -m};</li>
 *   <li>an all-wildcarded {@code eth()} that is the first field is followed by a comma
 *       ({@code eth(),eth_type(0x1234)}, where 3.1 prints {@code eth()eth_type(0x1234)}).</li>
 * </ul>
 */
public final class OdpFlowFormat {
    private OdpFlowFormat() {
    }

    /**
     * Appends the key attributes {@code keyBuf[keyOff, keyOff+keyLen)} with the mask attributes
     * {@code maskBuf[maskOff, maskOff+maskLen)} (none if {@code maskBuf} is null or {@code maskLen} is 0),
     * naming ports from {@code names} (nullable) and, if {@code verbose}, printing every attribute.
     */
    public static void format(StringBuilder out, byte[] keyBuf, int keyOff, int keyLen, byte[] maskBuf, int maskOff,
                              int maskLen, PortNames names, boolean verbose) {
        boolean hasMask = maskBuf != null && maskLen > 0;
        flow(out, keyBuf, keyOff, keyLen, hasMask ? maskBuf : null, maskOff, hasMask ? maskLen : 0, names, verbose);
    }

    /** As {@link #format} into a new string. */
    public static String format(byte[] keyBuf, int keyOff, int keyLen, byte[] maskBuf, int maskOff, int maskLen,
                                PortNames names, boolean verbose) {
        StringBuilder sb = new StringBuilder();
        format(sb, keyBuf, keyOff, keyLen, maskBuf, maskOff, maskLen, names, verbose);
        return sb.toString();
    }

    /** {@code ovs_flow_key_attr_lens}: fixed payload sizes; -1 for variable, -2 for nested, -3 unknown. */
    static int keyAttrLen(int type) {
        return switch (type) {
            case KeyAttr.ENCAP, KeyAttr.TUNNEL, KeyAttr.NSH -> -2;
            case KeyAttr.MPLS -> -1;
            case KeyAttr.PACKET_TYPE -> 4;
            case KeyAttr.ND_EXTENSIONS -> 8;
            case KeyAttr.UNSPEC, KeyAttr.TUNNEL_INFO -> -3;
            default -> type > KeyAttr.MAX ? -3 : KeyAttr.expectedLength(type);
        };
    }

    static void flow(StringBuilder ds, byte[] kb, int ko, int kl, byte[] mb, int mo, int ml, PortNames names,
                     boolean verbose) {
        if (kl == 0) {
            ds.append("<empty>");
            return;
        }
        boolean hasEthType = false;
        boolean hasPacketType = false;
        boolean first = true;
        NlAttrReader a = new NlAttrReader().wrap(kb, ko, kl);
        while (a.next()) {
            int type = a.type();
            int ma = mb == null ? -1 : NlAttrReader.find(mb, mo, ml, type);
            int expected = keyAttrLen(type);
            if (expected >= 0 && (a.payloadLength() != expected
                    || (ma >= 0 && NlAttr.len(mb, ma) - 4 != expected))) {
                if (!first) {
                    ds.append(',');
                }
                TunnelFormat.checkLen(ds, a, mb, ma, expected);
                first = false;
                continue;
            }
            if (type == KeyAttr.ETHERTYPE) {
                hasEthType = true;
            } else if (type == KeyAttr.PACKET_TYPE) {
                hasPacketType = true;
            }
            boolean nested = expected == -2;
            boolean wildcard = false;
            if (mb != null) {
                wildcard = ma < 0 || maskIsConstant(type, mb, ma + 4, NlAttr.len(mb, ma) - 4, 0);
            }
            if (verbose || !wildcard || nested) {
                byte[] mbuf = mb;
                if (wildcard && ma < 0) {
                    mbuf = wildcard(kb, a.offset(), wildcardKind(type));
                    ma = 0;
                }
                if (!first) {
                    ds.append(',');
                }
                attr(ds, a, mbuf, ma, names, verbose);
                first = false;
            } else if (type == KeyAttr.ETHERNET && !hasPacketType) {
                // The kernel has no packet type: an ETHERNET attribute, even all wildcarded, says the
                // packet is Ethernet, so it is always shown.
                if (!first) {
                    ds.append(',');
                }
                ds.append("eth()");
                first = false;
            }
        }
        if (a.remaining() > 0) {
            int left = a.remaining();
            if (left == kl) {
                ds.append("<empty>");
            }
            ds.append(",***").append(left).append(" leftover bytes*** (");
            Fmt.hex(ds, kb, ko + kl - left, left);
            ds.append(')');
        }
        if (!hasEthType && mb != null) {
            int ma = NlAttrReader.find(mb, mo, ml, KeyAttr.ETHERTYPE);
            if (ma >= 0) {
                ds.append(",eth_type(0/0x").append(String.format("%04x", Wire.be16(mb, ma + 4))).append(')');
            }
        }
    }

    /**
     * {@code odp_mask_is_constant__}: whether the mask payload is all zeros ({@code constant} 0, a
     * wildcard) or all ones (-1, exact), field by field where padding or unused bits must be ignored.
     */
    static boolean maskIsConstant(int type, byte[] m, int off, int len, int constant) {
        int u8 = constant & 0xff;
        switch (type) {
            case KeyAttr.PRIORITY, KeyAttr.IN_PORT, KeyAttr.ETHERNET, KeyAttr.VLAN, KeyAttr.ETHERTYPE, KeyAttr.IPV4,
                 KeyAttr.TCP, KeyAttr.UDP, KeyAttr.ICMP, KeyAttr.ICMPV6, KeyAttr.ND, KeyAttr.ND_EXTENSIONS,
                 KeyAttr.SKB_MARK, KeyAttr.TUNNEL, KeyAttr.SCTP, KeyAttr.DP_HASH, KeyAttr.RECIRC_ID, KeyAttr.MPLS,
                 KeyAttr.CT_STATE, KeyAttr.CT_ZONE, KeyAttr.CT_MARK, KeyAttr.CT_LABELS, KeyAttr.PACKET_TYPE,
                 KeyAttr.NSH, KeyAttr.IPV6_EXTHDRS:
                return Fmt.allBytes(m, off, len, u8);
            case KeyAttr.TCP_FLAGS:
                return (Wire.be16(m, off) & Flags.TCP_FLAGS_MASK) == (constant & Flags.TCP_FLAGS_MASK);
            case KeyAttr.IPV6:
                return (Wire.be32(m, off + 32) & 0xfffff) == (constant & 0xfffff)
                        && Fmt.allBytes(m, off + 36, 4, u8) && Fmt.allBytes(m, off, 32, u8);
            case KeyAttr.ARP:
                return Fmt.allBytes(m, off, 22, u8);
            case KeyAttr.CT_ORIG_TUPLE_IPV4:
                return Fmt.allBytes(m, off, 13, u8);
            case KeyAttr.CT_ORIG_TUPLE_IPV6:
                return Fmt.allBytes(m, off, 37, u8);
            default:
                return false;
        }
    }

    /**
     * {@code generate_all_wildcard_mask}: a copy of the attribute at {@code buf[attr]} with every leaf
     * payload zeroed, as an attribute at offset 0. {@code kind}: 0 a leaf, 1 a list of key attributes,
     * 2 a tunnel key (whose VXLAN options are nested), 3 a list of leaves.
     */
    static byte[] wildcard(byte[] buf, int attr, int kind) {
        byte[] out = java.util.Arrays.copyOfRange(buf, attr, attr + NlAttr.align(NlAttr.len(buf, attr)));
        zero(out, 0, kind);
        return out;
    }

    /** The {@link #wildcard} kind of a key attribute. */
    static int wildcardKind(int keyType) {
        return switch (keyType) {
            case KeyAttr.ENCAP -> 1;
            case KeyAttr.TUNNEL -> 2;
            case KeyAttr.NSH -> 3;
            default -> 0;
        };
    }

    private static void zero(byte[] b, int attr, int kind) {
        int len = NlAttr.len(b, attr);
        if (kind == 0) {
            java.util.Arrays.fill(b, attr + 4, attr + len, (byte) 0);
            return;
        }
        NlAttrReader r = new NlAttrReader().wrap(b, attr + 4, len - 4);
        while (r.next()) {
            int t = r.type();
            int sub = switch (kind) {
                case 1 -> wildcardKind(t);
                case 2 -> t == TunnelKeyAttr.VXLAN_OPTS ? 3 : 0;
                default -> 0;
            };
            zero(b, r.offset(), sub);
        }
    }

    /** {@code format_odp_key_attr__}: {@code name(value)} of the key attribute {@code a}, mask at {@code mb[ma]}. */
    static void attr(StringBuilder ds, NlAttrReader a, byte[] mb, int ma, PortNames names, boolean verbose) {
        int type = a.type();
        byte[] kb = a.buffer();
        int p = a.payloadOffset();
        int len = a.payloadLength();
        int mp = ma + 4;
        int mlen = ma >= 0 ? NlAttr.len(mb, ma) - 4 : 0;
        byte[] m = ma >= 0 ? mb : null;
        boolean exact = m == null || maskIsConstant(type, m, mp, mlen, -1);
        ds.append(name(type)).append('(');
        switch (type) {
            case KeyAttr.ENCAP -> {
                if (m != null && mlen > 0 && len > 0) {
                    flow(ds, kb, p, len, m, mp, mlen, null, verbose);
                } else if (len > 0) {
                    flow(ds, kb, p, len, null, 0, 0, null, verbose);
                }
            }
            case KeyAttr.PRIORITY, KeyAttr.SKB_MARK, KeyAttr.DP_HASH, KeyAttr.RECIRC_ID -> {
                ds.append(Fmt.altHex(Wire.u32(kb, p) & 0xffffffffL));
                if (!exact) {
                    ds.append('/').append(Fmt.altHex(Wire.u32(m, mp) & 0xffffffffL));
                }
            }
            case KeyAttr.CT_MARK -> {
                if (verbose || !maskEmpty(m, mp, mlen)) {
                    ds.append(Fmt.altHex(Wire.u32(kb, p) & 0xffffffffL));
                    if (!exact) {
                        ds.append('/').append(Fmt.altHex(Wire.u32(m, mp) & 0xffffffffL));
                    }
                }
            }
            case KeyAttr.CT_STATE -> {
                int key = Wire.u32(kb, p);
                int mask = maskEmpty(m, mp, mlen) ? 0 : Wire.u32(m, mp);
                if (verbose) {
                    ds.append(Fmt.altHex(key & 0xffffffffL));
                    if (!exact) {
                        ds.append('/').append(Fmt.altHex(mask & 0xffffffffL));
                    }
                } else if (!exact) {
                    Flags.formatMasked(ds, Flags::ctState, key, mask, -1);
                } else {
                    Flags.format(ds, Flags::ctState, key, '|');
                }
            }
            case KeyAttr.CT_ZONE -> {
                if (verbose || !maskEmpty(m, mp, mlen)) {
                    ds.append(Fmt.altHex(Wire.u16(kb, p)));
                    if (!exact) {
                        ds.append('/').append(Fmt.altHex(Wire.u16(m, mp)));
                    }
                }
            }
            case KeyAttr.CT_LABELS -> Fmt.u128(ds, kb, p, m, mp, verbose);
            case KeyAttr.CT_ORIG_TUPLE_IPV4 -> KeyFormat.ctTuple4(ds, kb, p, m, mp, verbose);
            case KeyAttr.CT_ORIG_TUPLE_IPV6 -> KeyFormat.ctTuple6(ds, kb, p, m, mp, verbose);
            case KeyAttr.TUNNEL -> TunnelFormat.tunnel(ds, kb, p, len, m, mp, mlen, verbose);
            case KeyAttr.IN_PORT -> {
                if (exact) {
                    PortNames.format(ds, names, Wire.u32(kb, p));
                } else {
                    ds.append(Fmt.u32(Wire.u32(kb, p))).append('/').append(Fmt.altHex(Wire.u32(m, mp) & 0xffffffffL));
                }
            }
            case KeyAttr.PACKET_TYPE -> KeyFormat.packetType(ds, kb, p, m, mp, verbose);
            case KeyAttr.ETHERNET -> KeyFormat.ethernet(ds, kb, p, m, mp, verbose);
            case KeyAttr.VLAN -> KeyFormat.vlanTci(ds, Wire.be16(kb, p), m == null ? 0xffff : Wire.be16(m, mp), verbose);
            case KeyAttr.MPLS -> KeyFormat.mpls(ds, kb, p, len, m, mp, mlen, exact);
            case KeyAttr.ETHERTYPE -> {
                ds.append(String.format("0x%04x", Wire.be16(kb, p)));
                if (!exact) {
                    ds.append(String.format("/0x%04x", Wire.be16(m, mp)));
                }
            }
            case KeyAttr.IPV4 -> KeyFormat.ipv4(ds, kb, p, m, mp, verbose);
            case KeyAttr.IPV6 -> KeyFormat.ipv6(ds, kb, p, m, mp, verbose);
            case KeyAttr.TCP, KeyAttr.UDP, KeyAttr.SCTP -> KeyFormat.ports(ds, kb, p, m, mp, verbose);
            case KeyAttr.TCP_FLAGS -> {
                if (!exact) {
                    Flags.formatMasked(ds, Flags::tcpFlag, Wire.be16(kb, p), Wire.be16(m, mp) & Flags.TCP_FLAGS_MASK,
                            Flags.TCP_FLAGS_MASK);
                } else {
                    Flags.format(ds, Flags::tcpFlag, Wire.be16(kb, p), '|');
                }
            }
            case KeyAttr.ICMP, KeyAttr.ICMPV6 -> KeyFormat.icmp(ds, kb, p, m, mp, verbose);
            case KeyAttr.ARP -> KeyFormat.arp(ds, kb, p, m, mp, verbose);
            case KeyAttr.ND -> KeyFormat.nd(ds, kb, p, m, mp, verbose);
            case KeyAttr.ND_EXTENSIONS -> KeyFormat.ndExtensions(ds, kb, p, m, mp, verbose);
            case KeyAttr.NSH -> TunnelFormat.nsh(ds, kb, p, len, m, mp, mlen);
            case KeyAttr.IPV6_EXTHDRS -> {
                if (verbose || !maskEmpty(m, mp, mlen)) {
                    ds.append(Fmt.altHex(Wire.u16(kb, p)));
                    if (!exact) {
                        ds.append('/').append(Fmt.altHex(Wire.u16(m, mp)));
                    }
                }
            }
            default -> {
                Fmt.generic(ds, kb, p, len);
                if (!exact) {
                    ds.append('/');
                    Fmt.generic(ds, m, mp, mlen);
                }
            }
        }
        ds.append(')');
    }

    private static boolean maskEmpty(byte[] m, int off, int len) {
        return m == null || Fmt.allBytes(m, off, len, 0);
    }

    /** {@code ovs_key_attr_to_string}. */
    static String name(int type) {
        return switch (type) {
            case KeyAttr.UNSPEC -> "unspec";
            case KeyAttr.ENCAP -> "encap";
            case KeyAttr.PRIORITY -> "skb_priority";
            case KeyAttr.SKB_MARK -> "skb_mark";
            case KeyAttr.CT_STATE -> "ct_state";
            case KeyAttr.CT_ZONE -> "ct_zone";
            case KeyAttr.CT_MARK -> "ct_mark";
            case KeyAttr.CT_LABELS -> "ct_label";
            case KeyAttr.CT_ORIG_TUPLE_IPV4 -> "ct_tuple4";
            case KeyAttr.CT_ORIG_TUPLE_IPV6 -> "ct_tuple6";
            case KeyAttr.TUNNEL -> "tunnel";
            case KeyAttr.IN_PORT -> "in_port";
            case KeyAttr.ETHERNET -> "eth";
            case KeyAttr.VLAN -> "vlan";
            case KeyAttr.ETHERTYPE -> "eth_type";
            case KeyAttr.IPV4 -> "ipv4";
            case KeyAttr.IPV6 -> "ipv6";
            case KeyAttr.TCP -> "tcp";
            case KeyAttr.TCP_FLAGS -> "tcp_flags";
            case KeyAttr.UDP -> "udp";
            case KeyAttr.SCTP -> "sctp";
            case KeyAttr.ICMP -> "icmp";
            case KeyAttr.ICMPV6 -> "icmpv6";
            case KeyAttr.ARP -> "arp";
            case KeyAttr.ND -> "nd";
            case KeyAttr.ND_EXTENSIONS -> "nd_ext";
            case KeyAttr.MPLS -> "mpls";
            case KeyAttr.DP_HASH -> "dp_hash";
            case KeyAttr.RECIRC_ID -> "recirc_id";
            case KeyAttr.PACKET_TYPE -> "packet_type";
            case KeyAttr.NSH -> "nsh";
            case KeyAttr.IPV6_EXTHDRS -> "ipv6_exthdrs";
            default -> "key" + type;
        };
    }
}
