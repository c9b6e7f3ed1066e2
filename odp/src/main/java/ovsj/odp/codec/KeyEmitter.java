package ovsj.odp.codec;

import static ovsj.odp.codec.KeyParser.ETH_P_802_2;
import static ovsj.odp.codec.KeyParser.ETH_P_8021AD;
import static ovsj.odp.codec.KeyParser.ETH_P_8021Q;
import static ovsj.odp.codec.KeyParser.ETH_P_ARP;
import static ovsj.odp.codec.KeyParser.ETH_P_IP;
import static ovsj.odp.codec.KeyParser.ETH_P_IPV6;
import static ovsj.odp.codec.KeyParser.ETH_P_MPLS_MC;
import static ovsj.odp.codec.KeyParser.ETH_P_MPLS_UC;
import static ovsj.odp.codec.KeyParser.ETH_P_NSH;
import static ovsj.odp.codec.KeyParser.ETH_P_RARP;
import static ovsj.odp.codec.KeyParser.IPPROTO_ICMP;
import static ovsj.odp.codec.KeyParser.IPPROTO_ICMPV6;
import static ovsj.odp.codec.KeyParser.IPPROTO_SCTP;
import static ovsj.odp.codec.KeyParser.IPPROTO_TCP;
import static ovsj.odp.codec.KeyParser.IPPROTO_UDP;
import static ovsj.odp.codec.KeyParser.NDISC_NEIGHBOUR_ADVERTISEMENT;
import static ovsj.odp.codec.KeyParser.NDISC_NEIGHBOUR_SOLICITATION;

import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FragType;
import ovsj.odp.uapi.KeyAttr;

/**
 * Writes flow keys and masks as the Linux 6.1 module reports them ({@code ovs_nla_put_key}): the
 * attributes are chosen by the flow's key ({@code swkey}) and their values taken from
 * {@code output} — the key itself, or the mask. Order: RECIRC_ID, DP_HASH, PRIORITY, [TUNNEL],
 * [IN_PORT], SKB_MARK, CT_* [+orig tuple], ETHERNET, [VLAN/ENCAP], ETHERTYPE, L3, L4.
 *
 * <p>Stateless and allocation-free; a bounded writer that runs out of room reports it through
 * {@link NlWriter#overflowed()}.
 */
public final class KeyEmitter {
    private KeyEmitter() {
    }

    /** {@code ovs_nla_put_masked_key} / the unmasked-key identifier: a KEY nest of {@code key}. */
    public static void putKey(NlWriter w, FlowKey key) {
        put(w, key, key, FlowAttr.KEY, false);
    }

    /** {@code ovs_nla_put_mask}: a MASK nest, attributes chosen by the flow's masked key. */
    public static void putMask(NlWriter w, FlowKey maskedKey, FlowMask mask) {
        put(w, maskedKey, mask.key(), FlowAttr.MASK, true);
    }

    /** {@code ovs_nla_put_key}: a nest of type {@code attrType}. */
    public static void put(NlWriter w, FlowKey swkey, FlowKey output, int attrType, boolean isMask) {
        int nest = w.beginNest(attrType);
        putFields(w, swkey, output, isMask);
        w.endNest(nest);
    }

    private static boolean ethTypeVlan(int t) {
        return t == ETH_P_8021Q || t == ETH_P_8021AD;
    }

    /** {@code __ovs_nla_put_key}. */
    public static void putFields(NlWriter w, FlowKey swkey, FlowKey output, boolean isMask) {
        w.putU32(KeyAttr.RECIRC_ID, output.u32(FlowKey.RECIRC_ID_OFFSET));
        w.putU32(KeyAttr.DP_HASH, output.u32(FlowKey.DP_HASH_OFFSET));
        w.putU32(KeyAttr.PRIORITY, output.u32(FlowKey.PRIORITY_OFFSET));
        if (swkey.tunProto() != 0 || isMask) {
            TunnelCodec.put(w, KeyAttr.TUNNEL, swkey, output);
        }
        if (swkey.inPort() == FlowKey.DP_MAX_PORTS) {
            if (isMask && output.inPort() == 0xffff) {
                w.putU32(KeyAttr.IN_PORT, 0xffffffff);
            }
        } else {
            // The mask's upper 16 bits are always reported set: in_port is a u16 in the key.
            int upper = isMask ? 0xffff : 0;
            w.putU32(KeyAttr.IN_PORT, (upper << 16) | output.inPort());
        }
        w.putU32(KeyAttr.SKB_MARK, output.u32(FlowKey.SKB_MARK_OFFSET));
        putCt(w, swkey, output);

        int ethType = swkey.ethType();
        int encap = -1;
        int inEncap = -1;
        if (swkey.macProto() == FlowKey.MAC_PROTO_ETHERNET) {
            int p = w.reserve(KeyAttr.ETHERNET, 12);
            if (p >= 0) {
                Wire.putBe48(w.buffer(), p, output.u64(FlowKey.ETH_SRC_OFFSET));
                Wire.putBe48(w.buffer(), p + 6, output.u64(FlowKey.ETH_DST_OFFSET));
            }
            if (swkey.vlanTci() != 0 || ethTypeVlan(ethType)) {
                putVlan(w, output, FlowKey.VLAN_TPID_OFFSET, FlowKey.VLAN_TCI_OFFSET, isMask);
                encap = w.beginNest(KeyAttr.ENCAP);
                if (swkey.vlanTci() == 0) {
                    endNests(w, encap, inEncap);
                    return;
                }
                if (swkey.cvlanTci() != 0 || ethTypeVlan(ethType)) {
                    putVlan(w, output, FlowKey.CVLAN_TPID_OFFSET, FlowKey.CVLAN_TCI_OFFSET, isMask);
                    inEncap = w.beginNest(KeyAttr.ENCAP);
                    if (swkey.cvlanTci() == 0) {
                        endNests(w, encap, inEncap);
                        return;
                    }
                }
            }
            if (ethType == ETH_P_802_2) {
                // 802.2 frames: no ETHERTYPE in the key, 0xffff in the mask (unless wildcarded).
                if (isMask && output.ethType() != 0) {
                    w.putBe16(KeyAttr.ETHERTYPE, output.ethType());
                }
                endNests(w, encap, inEncap);
                return;
            }
        }
        w.putBe16(KeyAttr.ETHERTYPE, output.ethType());
        if (ethTypeVlan(ethType)) {
            // A third tag: nothing is known of the rest of the packet.
            endNests(w, encap, inEncap);
            return;
        }
        putL3(w, swkey, output, isMask, ethType);
        putL4(w, swkey, output, ethType);
        endNests(w, encap, inEncap);
    }

    private static void endNests(NlWriter w, int encap, int inEncap) {
        if (inEncap >= 0) {
            w.endNest(inEncap);
        }
        if (encap >= 0) {
            w.endNest(encap);
        }
    }

    private static void putVlan(NlWriter w, FlowKey output, int tpidOff, int tciOff, boolean isMask) {
        w.putBe16(KeyAttr.ETHERTYPE, isMask ? 0xffff : output.u16(tpidOff));
        w.putBe16(KeyAttr.VLAN, output.u16(tciOff));
    }

    /** {@code ovs_ct_put_key}. */
    private static void putCt(NlWriter w, FlowKey swkey, FlowKey output) {
        w.putU32(KeyAttr.CT_STATE, output.u8(FlowKey.CT_STATE_OFFSET));
        w.putU16(KeyAttr.CT_ZONE, output.u16(FlowKey.CT_ZONE_OFFSET));
        w.putU32(KeyAttr.CT_MARK, output.u32(FlowKey.CT_MARK_OFFSET));
        int p = w.reserve(KeyAttr.CT_LABELS, FlowKey.CT_LABELS_LENGTH);
        if (p >= 0) {
            output.getBytes(FlowKey.CT_LABELS_OFFSET, w.buffer(), p, FlowKey.CT_LABELS_LENGTH);
        }
        if (swkey.u8(FlowKey.CT_ORIG_PROTO_OFFSET) != 0) {
            if (swkey.ethType() == ETH_P_IP) {
                int q = w.reserve(KeyAttr.CT_ORIG_TUPLE_IPV4, 16);
                if (q >= 0) {
                    byte[] b = w.buffer();
                    Wire.putBe32(b, q, output.u32(FlowKey.CT_IPV4_SRC_OFFSET));
                    Wire.putBe32(b, q + 4, output.u32(FlowKey.CT_IPV4_DST_OFFSET));
                    Wire.putBe16(b, q + 8, output.u16(FlowKey.CT_TP_SRC_OFFSET));
                    Wire.putBe16(b, q + 10, output.u16(FlowKey.CT_TP_DST_OFFSET));
                    b[q + 12] = (byte) output.u8(FlowKey.CT_ORIG_PROTO_OFFSET);
                }
            } else if (swkey.ethType() == ETH_P_IPV6) {
                int q = w.reserve(KeyAttr.CT_ORIG_TUPLE_IPV6, 40);
                if (q >= 0) {
                    byte[] b = w.buffer();
                    putIpv6(b, q, output, FlowKey.CT_IPV6_SRC_OFFSET);
                    putIpv6(b, q + 16, output, FlowKey.CT_IPV6_DST_OFFSET);
                    Wire.putBe16(b, q + 32, output.u16(FlowKey.CT_TP_SRC_OFFSET));
                    Wire.putBe16(b, q + 34, output.u16(FlowKey.CT_TP_DST_OFFSET));
                    b[q + 36] = (byte) output.u8(FlowKey.CT_ORIG_PROTO_OFFSET);
                }
            }
        }
    }

    static void putIpv6(byte[] b, int p, FlowKey k, int off) {
        Wire.putBe64(b, p, k.u64(off));
        Wire.putBe64(b, p + 8, k.u64(off + 8));
    }

    private static void putL3(NlWriter w, FlowKey swkey, FlowKey output, boolean isMask, int ethType) {
        if (ethType == ETH_P_IP) {
            int p = w.reserve(KeyAttr.IPV4, 12);
            if (p >= 0) {
                byte[] b = w.buffer();
                Wire.putBe32(b, p, output.u32(FlowKey.IPV4_SRC_OFFSET));
                Wire.putBe32(b, p + 4, output.u32(FlowKey.IPV4_DST_OFFSET));
                b[p + 8] = (byte) output.ipProto();
                b[p + 9] = (byte) output.u8(FlowKey.IP_TOS_OFFSET);
                b[p + 10] = (byte) output.u8(FlowKey.IP_TTL_OFFSET);
                b[p + 11] = (byte) output.ipFrag();
            }
        } else if (ethType == ETH_P_IPV6) {
            int p = w.reserve(KeyAttr.IPV6, 40);
            if (p >= 0) {
                byte[] b = w.buffer();
                putIpv6(b, p, output, FlowKey.IPV6_SRC_OFFSET);
                putIpv6(b, p + 16, output, FlowKey.IPV6_DST_OFFSET);
                Wire.putBe32(b, p + 32, output.u32(FlowKey.IPV6_LABEL_OFFSET));
                b[p + 36] = (byte) output.ipProto();
                b[p + 37] = (byte) output.u8(FlowKey.IP_TOS_OFFSET);
                b[p + 38] = (byte) output.u8(FlowKey.IP_TTL_OFFSET);
                b[p + 39] = (byte) output.ipFrag();
            }
            w.putU16(KeyAttr.IPV6_EXTHDRS, output.u16(FlowKey.IPV6_EXTHDRS_OFFSET));
        } else if (ethType == ETH_P_NSH) {
            NshCodec.put(w, output, isMask);
        } else if (ethType == ETH_P_ARP || ethType == ETH_P_RARP) {
            int p = w.reserve(KeyAttr.ARP, 24);
            if (p >= 0) {
                byte[] b = w.buffer();
                Wire.putBe32(b, p, output.u32(FlowKey.IPV4_SRC_OFFSET));
                Wire.putBe32(b, p + 4, output.u32(FlowKey.IPV4_DST_OFFSET));
                Wire.putBe16(b, p + 8, output.ipProto());
                Wire.putBe48(b, p + 10, output.u64(FlowKey.ARP_SHA_OFFSET));
                Wire.putBe48(b, p + 16, output.u64(FlowKey.ARP_THA_OFFSET));
            }
        } else if (ethType == ETH_P_MPLS_UC || ethType == ETH_P_MPLS_MC) {
            int n = Integer.bitCount(output.u32(FlowKey.MPLS_LABELS_MASK_OFFSET));
            int p = w.reserve(KeyAttr.MPLS, 4 * n);
            if (p >= 0) {
                for (int i = 0; i < n; i++) {
                    Wire.putBe32(w.buffer(), p + 4 * i, output.u32(FlowKey.MPLS_LSE_OFFSET + 4 * i));
                }
            }
        }
    }

    private static void putL4(NlWriter w, FlowKey swkey, FlowKey output, int ethType) {
        if ((ethType != ETH_P_IP && ethType != ETH_P_IPV6) || swkey.ipFrag() == FragType.LATER) {
            return;
        }
        int proto = swkey.ipProto();
        if (proto == IPPROTO_TCP) {
            putPorts(w, KeyAttr.TCP, output);
            w.putBe16(KeyAttr.TCP_FLAGS, output.u16(FlowKey.TCP_FLAGS_OFFSET));
        } else if (proto == IPPROTO_UDP) {
            putPorts(w, KeyAttr.UDP, output);
        } else if (proto == IPPROTO_SCTP) {
            putPorts(w, KeyAttr.SCTP, output);
        } else if (ethType == ETH_P_IP && proto == IPPROTO_ICMP) {
            putTypeCode(w, KeyAttr.ICMP, output);
        } else if (ethType == ETH_P_IPV6 && proto == IPPROTO_ICMPV6) {
            putTypeCode(w, KeyAttr.ICMPV6, output);
            int type = swkey.u16(FlowKey.TP_SRC_OFFSET);
            if (type == NDISC_NEIGHBOUR_SOLICITATION || type == NDISC_NEIGHBOUR_ADVERTISEMENT) {
                int p = w.reserve(KeyAttr.ND, 28);
                if (p >= 0) {
                    byte[] b = w.buffer();
                    putIpv6(b, p, output, FlowKey.ND_TARGET_OFFSET);
                    Wire.putBe48(b, p + 16, output.u64(FlowKey.ND_SLL_OFFSET));
                    Wire.putBe48(b, p + 22, output.u64(FlowKey.ND_TLL_OFFSET));
                }
            }
        }
    }

    private static void putPorts(NlWriter w, int type, FlowKey output) {
        int p = w.reserve(type, 4);
        if (p >= 0) {
            Wire.putBe16(w.buffer(), p, output.u16(FlowKey.TP_SRC_OFFSET));
            Wire.putBe16(w.buffer(), p + 2, output.u16(FlowKey.TP_DST_OFFSET));
        }
    }

    private static void putTypeCode(NlWriter w, int type, FlowKey output) {
        int p = w.reserve(type, 2);
        if (p >= 0) {
            w.buffer()[p] = (byte) output.u16(FlowKey.TP_SRC_OFFSET);
            w.buffer()[p + 1] = (byte) output.u16(FlowKey.TP_DST_OFFSET);
        }
    }
}
