package ovsj.odp.codec;

import java.util.Arrays;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.uapi.CtState;
import ovsj.odp.uapi.FragType;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.TunnelKeyAttr;

/**
 * Parses {@code OVS_FLOW_ATTR_KEY} / {@code OVS_FLOW_ATTR_MASK} into a {@link FlowKey} and its mask
 * with the semantics of the Linux 6.1 {@code flow_netlink.c} ({@code ovs_nla_get_match}): the length
 * table, duplicate / unknown / trailing-byte checks, all-zero mask attributes treated as absent, an
 * exact mask synthesised from the key when MASK is absent, VLAN/ENCAP nesting, and the prerequisite
 * rules of {@code match_validate}. Every refusal returns the kernel's negative errno and logs the
 * kernel's text.
 *
 * <p>Not thread-safe: one parser per thread, reused across requests.
 */
public final class KeyParser {
    static final int ETH_P_802_3_MIN = 0x0600;
    static final int ETH_P_802_2 = 0x0004;
    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_ARP = 0x0806;
    static final int ETH_P_RARP = 0x8035;
    static final int ETH_P_IPV6 = 0x86dd;
    static final int ETH_P_8021Q = 0x8100;
    static final int ETH_P_8021AD = 0x88a8;
    static final int ETH_P_MPLS_UC = 0x8847;
    static final int ETH_P_MPLS_MC = 0x8848;
    static final int ETH_P_NSH = 0x894f;
    static final int VLAN_CFI_MASK = 0x1000;
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_ICMPV6 = 58;
    static final int IPPROTO_SCTP = 132;
    static final int NDISC_NEIGHBOUR_SOLICITATION = 135;
    static final int NDISC_NEIGHBOUR_ADVERTISEMENT = 136;
    static final int NSH_M_TYPE1 = 1;
    static final int NSH_M_TYPE2 = 2;
    static final int EINVAL = 22;

    // The kernel's `a[]`: one slot per key attribute, shared by the key and the mask passes (as in
    // ovs_nla_get_match, a mask pass leaves the key's pointer in slots the mask does not fill).
    private final byte[][] aBuf = new byte[KeyAttr.MAX + 1][];
    private final int[] aOff = new int[KeyAttr.MAX + 1];
    private byte[] newmask = new byte[256];

    private FlowKey key;
    private FlowKey mask;
    private KernelLog log;

    /** Attribute bits of the last parsed key and mask (for tests and diagnostics). */
    private long keyAttrs;
    private long maskAttrs;
    private int maskRange;

    /**
     * {@code ovs_nla_get_match}: parses the KEY nest whose header is at {@code buf[keyAttr]} and, if
     * {@code mask} is not null, the MASK nest at {@code buf[maskAttr]} (or an exact mask when
     * {@code maskAttr < 0}). Both targets are cleared first.
     *
     * @return 0, or a negative errno (the kernel's)
     */
    public int parseMatch(byte[] buf, int keyAttr, int maskAttr, FlowKey key, FlowKey mask, KernelLog log) {
        this.key = key;
        this.mask = mask;
        this.log = log;
        key.clear();
        if (mask != null) {
            mask.clear();
        }
        Arrays.fill(aBuf, null);
        keyAttrs = 0;
        maskAttrs = 0;

        long[] attrs = {0};
        int err = parseNlattrs(buf, keyAttr, attrs, false);
        if (err != 0) {
            return err;
        }
        err = parseVlan(attrs, false);
        if (err != 0) {
            return err;
        }
        err = keyFromNlattrs(attrs[0], false);
        if (err != 0) {
            return err;
        }
        keyAttrs = attrs[0];
        long[] mattrs = {0};
        if (mask != null) {
            byte[] mbuf = buf;
            int moff = maskAttr;
            if (maskAttr < 0) {
                // An exact mask: the key's own attributes with every payload byte set (nlattr_set),
                // and the whole tunnel key exact if there is a tunnel.
                int total = NlAttr.align(NlAttr.len(buf, keyAttr));
                if (newmask.length < total) {
                    newmask = new byte[total];
                }
                System.arraycopy(buf, keyAttr, newmask, 0, NlAttr.len(buf, keyAttr));
                setAll(newmask, NlAttr.HEADER_LENGTH, NlAttr.len(newmask, 0) - NlAttr.HEADER_LENGTH,
                        Table.KEY);
                if (key.tunProto() != 0) {
                    for (int o = FlowKey.TUN_ID_OFFSET; o <= FlowKey.TUN_TTL_OFFSET; o++) {
                        mask.u8(o, 0xff);
                    }
                }
                mbuf = newmask;
                moff = 0;
            }
            err = parseNlattrs(mbuf, moff, mattrs, true);
            if (err != 0) {
                return err;
            }
            // Always match on the TCIs.
            mask.u16(FlowKey.VLAN_TCI_OFFSET, 0xffff);
            mask.u16(FlowKey.CVLAN_TCI_OFFSET, 0xffff);
            err = parseVlan(mattrs, true);
            if (err != 0) {
                return err;
            }
            err = keyFromNlattrs(mattrs[0], true);
            if (err != 0) {
                return err;
            }
        }
        maskAttrs = mattrs[0];
        maskRange = mask == null ? 0 : MaskRange.of(maskAttrs, mask, maskAttr < 0 && key.tunProto() != 0);
        return MatchValidator.validate(key, mask, keyAttrs, maskAttrs, log) ? 0 : -EINVAL;
    }

    public long keyAttrs() {
        return keyAttrs;
    }

    public long maskAttrs() {
        return maskAttrs;
    }

    /** The last parsed mask's range in the kernel's {@code sw_flow_key}, packed as {@link MaskRange#of}. */
    public int maskRange() {
        return maskRange;
    }

    // ---- __parse_flow_nlattrs ---------------------------------------------------------------

    private int parseNlattrs(byte[] buf, int nest, long[] attrsp, boolean nz) {
        return parseNested(buf, nest + NlAttr.HEADER_LENGTH, NlAttr.len(buf, nest) - NlAttr.HEADER_LENGTH,
                attrsp, nz);
    }

    private int parseNested(byte[] buf, int off, int len, long[] attrsp, boolean nz) {
        long attrs = attrsp[0];
        NlAttrReader r = new NlAttrReader().wrap(buf, off, len);
        while (r.next()) {
            int type = r.type();
            if (type > KeyAttr.MAX) {
                log.nlerr("Key type " + type + " is out of range max " + KeyAttr.MAX);
                return -EINVAL;
            }
            if (type == KeyAttr.PACKET_TYPE || type == KeyAttr.ND_EXTENSIONS || type == KeyAttr.TUNNEL_INFO) {
                log.nlerr("Key type " + type + " is not supported");
                return -EINVAL;
            }
            if ((attrs & (1L << type)) != 0) {
                log.nlerr("Duplicate key (type " + type + ").");
                return -EINVAL;
            }
            int plen = r.payloadLength();
            if (!KeyAttr.lengthAccepted(type, plen)) {
                log.nlerr("Key " + type + " has unexpected len " + plen + " expected " + KeyAttr.expectedLength(type));
                return -EINVAL;
            }
            if (!nz || !allZero(buf, r.payloadOffset(), plen)) {
                attrs |= 1L << type;
                aBuf[type] = buf;
                aOff[type] = r.offset();
            }
        }
        if (r.remaining() != 0) {
            log.nlerr("Message has " + r.remaining() + " unknown bytes.");
            return -EINVAL;
        }
        attrsp[0] = attrs;
        return 0;
    }

    private static boolean allZero(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (b[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Which length table {@link #setAll} follows (the kernel's {@code ovs_len_tbl.next} chain). */
    private enum Table { KEY, TUNNEL, VXLAN, NSH }

    /** The table a nested attribute's contents follow, or null if it is not nested in {@code tbl}. */
    private static Table nestedTable(Table tbl, int type) {
        return switch (tbl) {
            case KEY -> type == KeyAttr.TUNNEL ? Table.TUNNEL
                    : type == KeyAttr.NSH ? Table.NSH
                    : type == KeyAttr.ENCAP ? Table.KEY : null;
            case TUNNEL -> type == TunnelKeyAttr.VXLAN_OPTS ? Table.VXLAN : null;
            case VXLAN, NSH -> null;
        };
    }

    /** {@code nlattr_set(attr, 0xff, tbl)}: sets every payload byte, recursing into nests. */
    private static void setAll(byte[] b, int off, int len, Table tbl) {
        NlAttrReader r = new NlAttrReader().wrap(b, off, len);
        while (r.next()) {
            int type = r.type();
            Table next = nestedTable(tbl, type);
            if (next != null) {
                setAll(b, r.payloadOffset(), r.payloadLength(), next);
            } else {
                Arrays.fill(b, r.payloadOffset(), r.payloadOffset() + r.payloadLength(), (byte) 0xff);
            }
            if (tbl == Table.KEY && type == KeyAttr.CT_STATE) {
                int p = r.payloadOffset();
                Wire.putU32(b, p, Wire.u32(b, p) & CtState.SUPPORTED_MASK);
            }
        }
    }

    // ---- VLAN ---------------------------------------------------------------------------------

    private int u16be(int type) {
        return Wire.be16(aBuf[type], aOff[type] + NlAttr.HEADER_LENGTH);
    }

    private int payloadLen(int type) {
        return NlAttr.len(aBuf[type], aOff[type]) - NlAttr.HEADER_LENGTH;
    }

    private static boolean ethTypeVlan(int t) {
        return t == ETH_P_8021Q || t == ETH_P_8021AD;
    }

    private static boolean has(long attrs, int type) {
        return (attrs & (1L << type)) != 0;
    }

    /** {@code validate_vlan_from_nlattrs}: 1 if a VLAN to parse, 0 if none, or -errno. */
    private int validateVlan(long attrs, boolean inner) {
        String what = inner ? "C-VLAN" : "VLAN";
        if (!(has(attrs, KeyAttr.ETHERNET) && has(attrs, KeyAttr.ETHERTYPE)
                && ethTypeVlan(u16be(KeyAttr.ETHERTYPE)))) {
            return 0;
        }
        if (!(has(attrs, KeyAttr.VLAN) && has(attrs, KeyAttr.ENCAP))) {
            log.nlerr("Invalid " + what + " frame");
            return -EINVAL;
        }
        int tci = aBuf[KeyAttr.VLAN] != null ? u16be(KeyAttr.VLAN) : 0;
        if ((tci & VLAN_CFI_MASK) == 0) {
            if (tci != 0) {
                log.nlerr(what + " TCI does not have VLAN_CFI_MASK bit set.");
                return -EINVAL;
            } else if (payloadLen(KeyAttr.ENCAP) != 0) {
                log.nlerr("Truncated " + what + " header has non-zero encap attribute.");
                return -EINVAL;
            }
        }
        return 1;
    }

    /** {@code validate_vlan_mask_from_nlattrs}. */
    private int validateVlanMask(long attrs, boolean inner) {
        String what = inner ? "C-VLAN" : "VLAN";
        boolean encapValid = (key.vlanTci() & VLAN_CFI_MASK) != 0;
        boolean innerEncapValid = (key.cvlanTci() & VLAN_CFI_MASK) != 0;
        if (!has(attrs, KeyAttr.ENCAP)) {
            return 0;
        }
        if ((!inner && !encapValid) || (inner && !innerEncapValid)) {
            log.nlerr("Encap mask attribute is set for non-" + what + " frame.");
            return -EINVAL;
        }
        int tci = aBuf[KeyAttr.VLAN] != null ? u16be(KeyAttr.VLAN) : 0;
        int tpid = aBuf[KeyAttr.ETHERTYPE] != null ? u16be(KeyAttr.ETHERTYPE) : 0;
        if (tpid != 0xffff) {
            log.nlerr("Must have an exact match on " + what + " TPID (mask=" + Integer.toHexString(tpid) + ").");
            return -EINVAL;
        }
        if ((tci & VLAN_CFI_MASK) == 0) {
            log.nlerr(what + " TCI mask does not have exact match for VLAN_CFI_MASK bit.");
            return -EINVAL;
        }
        return 1;
    }

    private int parseVlanOne(long[] attrs, boolean inner, boolean isMask) {
        int err = isMask ? validateVlanMask(attrs[0], inner) : validateVlan(attrs[0], inner);
        if (err <= 0) {
            return err;
        }
        FlowKey target = isMask ? mask : key;
        int tci = aBuf[KeyAttr.VLAN] != null ? u16be(KeyAttr.VLAN) : 0;
        int tpid = aBuf[KeyAttr.ETHERTYPE] != null ? u16be(KeyAttr.ETHERTYPE) : 0;
        target.u16(inner ? FlowKey.CVLAN_TPID_OFFSET : FlowKey.VLAN_TPID_OFFSET, tpid);
        target.u16(inner ? FlowKey.CVLAN_TCI_OFFSET : FlowKey.VLAN_TCI_OFFSET, tci);
        attrs[0] &= ~((1L << KeyAttr.ENCAP) | (1L << KeyAttr.VLAN) | (1L << KeyAttr.ETHERTYPE));
        byte[] eb = aBuf[KeyAttr.ENCAP];
        int eo = aOff[KeyAttr.ENCAP];
        return parseNested(eb, eo + NlAttr.HEADER_LENGTH, NlAttr.len(eb, eo) - NlAttr.HEADER_LENGTH, attrs, isMask);
    }

    /** {@code parse_vlan_from_nlattrs}. */
    private int parseVlan(long[] attrs, boolean isMask) {
        int err = parseVlanOne(attrs, false, isMask);
        if (err != 0) {
            return err;
        }
        if ((key.vlanTci() & VLAN_CFI_MASK) != 0) {
            return parseVlanOne(attrs, true, isMask);
        }
        return 0;
    }

    // ---- metadata and packet fields -------------------------------------------------------------

    private int payload(int type) {
        return aOff[type] + NlAttr.HEADER_LENGTH;
    }

    private int ethTypeFromNlattrs(long[] attrs, boolean isMask) {
        int ethType = u16be(KeyAttr.ETHERTYPE);
        if (isMask) {
            ethType = 0xffff;
        } else if (ethType < ETH_P_802_3_MIN) {
            log.nlerr("EtherType " + Integer.toHexString(ethType) + " is less than min "
                    + Integer.toHexString(ETH_P_802_3_MIN));
            return -EINVAL;
        }
        (isMask ? mask : key).u16(FlowKey.ETH_TYPE_OFFSET, ethType);
        attrs[0] &= ~(1L << KeyAttr.ETHERTYPE);
        return 0;
    }

    /** {@code metadata_from_nlattrs}. */
    private int metadataFromNlattrs(long[] attrsp, boolean isMask) {
        FlowKey t = isMask ? mask : key;
        long attrs = attrsp[0];
        if (has(attrs, KeyAttr.DP_HASH)) {
            t.u32(FlowKey.DP_HASH_OFFSET, Wire.u32(aBuf[KeyAttr.DP_HASH], payload(KeyAttr.DP_HASH)));
            attrs &= ~(1L << KeyAttr.DP_HASH);
        }
        if (has(attrs, KeyAttr.RECIRC_ID)) {
            t.u32(FlowKey.RECIRC_ID_OFFSET, Wire.u32(aBuf[KeyAttr.RECIRC_ID], payload(KeyAttr.RECIRC_ID)));
            attrs &= ~(1L << KeyAttr.RECIRC_ID);
        }
        if (has(attrs, KeyAttr.PRIORITY)) {
            t.u32(FlowKey.PRIORITY_OFFSET, Wire.u32(aBuf[KeyAttr.PRIORITY], payload(KeyAttr.PRIORITY)));
            attrs &= ~(1L << KeyAttr.PRIORITY);
        }
        if (has(attrs, KeyAttr.IN_PORT)) {
            long inPort = Wire.u32(aBuf[KeyAttr.IN_PORT], payload(KeyAttr.IN_PORT)) & 0xffffffffL;
            if (isMask) {
                inPort = 0xffffffffL; // in_port is always matched exactly
            } else if (inPort >= FlowKey.DP_MAX_PORTS) {
                log.nlerr("Port " + (int) inPort + " exceeds max allowable " + FlowKey.DP_MAX_PORTS);
                return -EINVAL;
            }
            t.u16(FlowKey.IN_PORT_OFFSET, (int) inPort);
            attrs &= ~(1L << KeyAttr.IN_PORT);
        } else if (!isMask) {
            t.u16(FlowKey.IN_PORT_OFFSET, FlowKey.DP_MAX_PORTS);
        }
        if (has(attrs, KeyAttr.SKB_MARK)) {
            t.u32(FlowKey.SKB_MARK_OFFSET, Wire.u32(aBuf[KeyAttr.SKB_MARK], payload(KeyAttr.SKB_MARK)));
            attrs &= ~(1L << KeyAttr.SKB_MARK);
        }
        if (has(attrs, KeyAttr.TUNNEL)) {
            int p = aOff[KeyAttr.TUNNEL];
            if (TunnelCodec.parse(aBuf[KeyAttr.TUNNEL], p + NlAttr.HEADER_LENGTH, payloadLen(KeyAttr.TUNNEL),
                    t, key, isMask, log) < 0) {
                return -EINVAL;
            }
            attrs &= ~(1L << KeyAttr.TUNNEL);
        }
        if (has(attrs, KeyAttr.CT_STATE)) {
            int ctState = Wire.u32(aBuf[KeyAttr.CT_STATE], payload(KeyAttr.CT_STATE));
            if ((ctState & ~CtState.SUPPORTED_MASK) != 0) {
                log.nlerr("ct_state flags " + String.format("%08x", ctState) + " unsupported");
                return -EINVAL;
            }
            t.u8(FlowKey.CT_STATE_OFFSET, ctState);
            attrs &= ~(1L << KeyAttr.CT_STATE);
        }
        if (has(attrs, KeyAttr.CT_ZONE)) {
            t.u16(FlowKey.CT_ZONE_OFFSET, Wire.u16(aBuf[KeyAttr.CT_ZONE], payload(KeyAttr.CT_ZONE)));
            attrs &= ~(1L << KeyAttr.CT_ZONE);
        }
        if (has(attrs, KeyAttr.CT_MARK)) {
            t.u32(FlowKey.CT_MARK_OFFSET, Wire.u32(aBuf[KeyAttr.CT_MARK], payload(KeyAttr.CT_MARK)));
            attrs &= ~(1L << KeyAttr.CT_MARK);
        }
        if (has(attrs, KeyAttr.CT_LABELS)) {
            t.putBytes(FlowKey.CT_LABELS_OFFSET, aBuf[KeyAttr.CT_LABELS], payload(KeyAttr.CT_LABELS),
                    FlowKey.CT_LABELS_LENGTH);
            attrs &= ~(1L << KeyAttr.CT_LABELS);
        }
        if (has(attrs, KeyAttr.CT_ORIG_TUPLE_IPV4)) {
            byte[] b = aBuf[KeyAttr.CT_ORIG_TUPLE_IPV4];
            int p = payload(KeyAttr.CT_ORIG_TUPLE_IPV4);
            t.u32(FlowKey.CT_IPV4_SRC_OFFSET, Wire.be32(b, p));
            t.u32(FlowKey.CT_IPV4_DST_OFFSET, Wire.be32(b, p + 4));
            t.u16(FlowKey.CT_TP_SRC_OFFSET, Wire.be16(b, p + 8));
            t.u16(FlowKey.CT_TP_DST_OFFSET, Wire.be16(b, p + 10));
            t.u8(FlowKey.CT_ORIG_PROTO_OFFSET, Wire.u8(b, p + 12));
            attrs &= ~(1L << KeyAttr.CT_ORIG_TUPLE_IPV4);
        }
        if (has(attrs, KeyAttr.CT_ORIG_TUPLE_IPV6)) {
            byte[] b = aBuf[KeyAttr.CT_ORIG_TUPLE_IPV6];
            int p = payload(KeyAttr.CT_ORIG_TUPLE_IPV6);
            putIpv6(t, FlowKey.CT_IPV6_SRC_OFFSET, b, p);
            putIpv6(t, FlowKey.CT_IPV6_DST_OFFSET, b, p + 16);
            t.u16(FlowKey.CT_TP_SRC_OFFSET, Wire.be16(b, p + 32));
            t.u16(FlowKey.CT_TP_DST_OFFSET, Wire.be16(b, p + 34));
            t.u8(FlowKey.CT_ORIG_PROTO_OFFSET, Wire.u8(b, p + 36));
            attrs &= ~(1L << KeyAttr.CT_ORIG_TUPLE_IPV6);
        }
        // A layer-3 packet gives an EtherType but no Ethernet header.
        int macProto = FlowKey.MAC_PROTO_ETHERNET;
        if (!has(attrs, KeyAttr.ETHERNET) && has(attrs, KeyAttr.ETHERTYPE)) {
            macProto = FlowKey.MAC_PROTO_NONE;
        }
        t.u8(FlowKey.MAC_PROTO_OFFSET, isMask ? 0xff : macProto);
        attrsp[0] = attrs;
        if (macProto == FlowKey.MAC_PROTO_NONE) {
            return ethTypeFromNlattrs(attrsp, isMask);
        }
        return 0;
    }

    static void putIpv6(FlowKey t, int off, byte[] b, int p) {
        t.u64(off, Wire.be64(b, p));
        t.u64(off + 8, Wire.be64(b, p + 8));
    }

    static void putMac(FlowKey t, int off, byte[] b, int p) {
        t.u64(off, Wire.be48(b, p));
    }

    /** {@code ovs_key_from_nlattrs}. */
    private int keyFromNlattrs(long attrsIn, boolean isMask) {
        long[] attrsp = {attrsIn};
        int err = metadataFromNlattrs(attrsp, isMask);
        if (err != 0) {
            return err;
        }
        long attrs = attrsp[0];
        FlowKey t = isMask ? mask : key;
        if (has(attrs, KeyAttr.ETHERNET)) {
            byte[] b = aBuf[KeyAttr.ETHERNET];
            int p = payload(KeyAttr.ETHERNET);
            putMac(t, FlowKey.ETH_SRC_OFFSET, b, p);
            putMac(t, FlowKey.ETH_DST_OFFSET, b, p + 6);
            attrs &= ~(1L << KeyAttr.ETHERNET);
            if (has(attrs, KeyAttr.VLAN)) {
                // VLANs are parsed before: one here is out of place.
                log.nlerr("VLAN attribute unexpected.");
                return -EINVAL;
            }
            if (has(attrs, KeyAttr.ETHERTYPE)) {
                attrsp[0] = attrs;
                err = ethTypeFromNlattrs(attrsp, isMask);
                if (err != 0) {
                    return err;
                }
                attrs = attrsp[0];
            } else if (!isMask) {
                t.u16(FlowKey.ETH_TYPE_OFFSET, ETH_P_802_2);
            }
        } else if (key.ethType() == 0) {
            log.nlerr("Either Ethernet header or EtherType is required.");
            return -EINVAL;
        }
        err = l3FromNlattrs(attrs, t, isMask);
        return err;
    }

    private int l3FromNlattrs(long attrs, FlowKey t, boolean isMask) {
        if (has(attrs, KeyAttr.IPV4)) {
            byte[] b = aBuf[KeyAttr.IPV4];
            int p = payload(KeyAttr.IPV4);
            int frag = Wire.u8(b, p + 11);
            if (!isMask && frag > FragType.MAX) {
                log.nlerr("IPv4 frag type " + frag + " is out of range max " + FragType.MAX);
                return -EINVAL;
            }
            t.u8(FlowKey.IP_PROTO_OFFSET, Wire.u8(b, p + 8));
            t.u8(FlowKey.IP_TOS_OFFSET, Wire.u8(b, p + 9));
            t.u8(FlowKey.IP_TTL_OFFSET, Wire.u8(b, p + 10));
            t.u8(FlowKey.IP_FRAG_OFFSET, frag);
            t.u32(FlowKey.IPV4_SRC_OFFSET, Wire.be32(b, p));
            t.u32(FlowKey.IPV4_DST_OFFSET, Wire.be32(b, p + 4));
            attrs &= ~(1L << KeyAttr.IPV4);
        }
        if (has(attrs, KeyAttr.IPV6)) {
            byte[] b = aBuf[KeyAttr.IPV6];
            int p = payload(KeyAttr.IPV6);
            int label = Wire.be32(b, p + 32);
            int frag = Wire.u8(b, p + 39);
            if (!isMask && frag > FragType.MAX) {
                log.nlerr("IPv6 frag type " + frag + " is out of range max " + FragType.MAX);
                return -EINVAL;
            }
            if (!isMask && (label & 0xfff00000) != 0) {
                log.nlerr("IPv6 flow label " + Integer.toHexString(label) + " is out of range (max="
                        + Integer.toHexString((1 << 20) - 1) + ")");
                return -EINVAL;
            }
            t.u32(FlowKey.IPV6_LABEL_OFFSET, label);
            t.u8(FlowKey.IP_PROTO_OFFSET, Wire.u8(b, p + 36));
            t.u8(FlowKey.IP_TOS_OFFSET, Wire.u8(b, p + 37));
            t.u8(FlowKey.IP_TTL_OFFSET, Wire.u8(b, p + 38));
            t.u8(FlowKey.IP_FRAG_OFFSET, frag);
            putIpv6(t, FlowKey.IPV6_SRC_OFFSET, b, p);
            putIpv6(t, FlowKey.IPV6_DST_OFFSET, b, p + 16);
            attrs &= ~(1L << KeyAttr.IPV6);
        }
        if (has(attrs, KeyAttr.IPV6_EXTHDRS)) {
            t.u16(FlowKey.IPV6_EXTHDRS_OFFSET, Wire.u16(aBuf[KeyAttr.IPV6_EXTHDRS], payload(KeyAttr.IPV6_EXTHDRS)));
            attrs &= ~(1L << KeyAttr.IPV6_EXTHDRS);
        }
        if (has(attrs, KeyAttr.ARP)) {
            byte[] b = aBuf[KeyAttr.ARP];
            int p = payload(KeyAttr.ARP);
            int op = Wire.be16(b, p + 8);
            if (!isMask && (op & 0xff00) != 0) {
                // The kernel prints the raw __be16 as a host-order int.
                log.nlerr("Unknown ARP opcode (opcode=" + Wire.u16(b, p + 8) + ").");
                return -EINVAL;
            }
            t.u32(FlowKey.IPV4_SRC_OFFSET, Wire.be32(b, p));
            t.u32(FlowKey.IPV4_DST_OFFSET, Wire.be32(b, p + 4));
            t.u8(FlowKey.IP_PROTO_OFFSET, op);
            putMac(t, FlowKey.ARP_SHA_OFFSET, b, p + 10);
            putMac(t, FlowKey.ARP_THA_OFFSET, b, p + 16);
            attrs &= ~(1L << KeyAttr.ARP);
        }
        if (has(attrs, KeyAttr.NSH)) {
            if (NshCodec.parse(aBuf[KeyAttr.NSH], aOff[KeyAttr.NSH], t, isMask, false, log) < 0) {
                return -EINVAL;
            }
            attrs &= ~(1L << KeyAttr.NSH);
        }
        if (has(attrs, KeyAttr.MPLS)) {
            byte[] b = aBuf[KeyAttr.MPLS];
            int p = payload(KeyAttr.MPLS);
            int hdrLen = payloadLen(KeyAttr.MPLS);
            int count = hdrLen / 4;
            if (count == 0 || count > FlowKey.MPLS_LABEL_DEPTH || hdrLen % 4 != 0) {
                return -EINVAL;
            }
            for (int i = 0; i < count; i++) {
                t.u32(FlowKey.MPLS_LSE_OFFSET + 4 * i, Wire.be32(b, p + 4 * i));
            }
            t.u32(FlowKey.MPLS_LABELS_MASK_OFFSET, (1 << count) - 1);
            attrs &= ~(1L << KeyAttr.MPLS);
        }
        return l4FromNlattrs(attrs, t);
    }

    private int l4FromNlattrs(long attrs, FlowKey t) {
        if (has(attrs, KeyAttr.TCP)) {
            portsFrom(KeyAttr.TCP, t);
            attrs &= ~(1L << KeyAttr.TCP);
        }
        if (has(attrs, KeyAttr.TCP_FLAGS)) {
            t.u16(FlowKey.TCP_FLAGS_OFFSET, u16be(KeyAttr.TCP_FLAGS));
            attrs &= ~(1L << KeyAttr.TCP_FLAGS);
        }
        if (has(attrs, KeyAttr.UDP)) {
            portsFrom(KeyAttr.UDP, t);
            attrs &= ~(1L << KeyAttr.UDP);
        }
        if (has(attrs, KeyAttr.SCTP)) {
            portsFrom(KeyAttr.SCTP, t);
            attrs &= ~(1L << KeyAttr.SCTP);
        }
        if (has(attrs, KeyAttr.ICMP)) {
            typeCodeFrom(KeyAttr.ICMP, t);
            attrs &= ~(1L << KeyAttr.ICMP);
        }
        if (has(attrs, KeyAttr.ICMPV6)) {
            typeCodeFrom(KeyAttr.ICMPV6, t);
            attrs &= ~(1L << KeyAttr.ICMPV6);
        }
        if (has(attrs, KeyAttr.ND)) {
            byte[] b = aBuf[KeyAttr.ND];
            int p = payload(KeyAttr.ND);
            putIpv6(t, FlowKey.ND_TARGET_OFFSET, b, p);
            putMac(t, FlowKey.ND_SLL_OFFSET, b, p + 16);
            putMac(t, FlowKey.ND_TLL_OFFSET, b, p + 22);
            attrs &= ~(1L << KeyAttr.ND);
        }
        if (attrs != 0) {
            log.nlerr("Unknown key attributes " + Long.toHexString(attrs));
            return -EINVAL;
        }
        return 0;
    }

    private void portsFrom(int type, FlowKey t) {
        byte[] b = aBuf[type];
        int p = payload(type);
        t.u16(FlowKey.TP_SRC_OFFSET, Wire.be16(b, p));
        t.u16(FlowKey.TP_DST_OFFSET, Wire.be16(b, p + 2));
    }

    private void typeCodeFrom(int type, FlowKey t) {
        byte[] b = aBuf[type];
        int p = payload(type);
        t.u16(FlowKey.TP_SRC_OFFSET, Wire.u8(b, p));
        t.u16(FlowKey.TP_DST_OFFSET, Wire.u8(b, p + 1));
    }
}
