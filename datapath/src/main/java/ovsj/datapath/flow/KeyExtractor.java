package ovsj.datapath.flow;

import ovsj.datapath.Packet;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;

/**
 * Flow key extraction, the twin of Linux 6.1 {@code net/openvswitch/flow.c}: {@link #extract}
 * ({@code ovs_flow_key_extract}) fills {@link Packet#key} from the frame and the packet's metadata,
 * {@link #keyExtract} ({@code key_extract}) re-reads only the headers, {@link #hash}
 * ({@code skb_get_hash}) gives the packet's flow hash.
 *
 * <p>A truncated or malformed frame gets the partial key Linux extracts; nothing is read outside
 * {@code buf[off, off+len)} and nothing throws. The header offsets are set as the kernel sets the
 * {@code sk_buff}'s: {@link Packet#macOff} at the frame, {@link Packet#networkOff} past the Ethernet
 * header, its tags and any LLC/SNAP header, {@link Packet#transportOff} past the IP header (at the
 * network header when the IP header is bad; -1 for non-IP frames and for IPv6 later fragments, where
 * the kernel leaves it untouched).
 *
 * <p>One difference from the kernel is structural: Linux moves the outer VLAN tag out of the frame into
 * {@code skb->vlan_tci} while parsing; here the frame is left as it is (the tag stays in {@code buf}) and
 * only the key records it. Frames shorter than an Ethernet header, which the kernel never sees (its
 * callers check {@code ETH_HLEN}), get {@code -EINVAL} and a key with only the metadata.
 *
 * <p>Stateless and allocation-free; every method may be called from any thread on a packet it owns.
 */
public final class KeyExtractor {
    public static final int ETH_HLEN = 14;
    public static final int ETH_P_802_3_MIN = 0x0600;
    public static final int ETH_P_802_2 = 0x0004;
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_RARP = 0x8035;
    public static final int ETH_P_IPV6 = 0x86dd;
    public static final int ETH_P_8021Q = 0x8100;
    public static final int ETH_P_8021AD = 0x88a8;
    public static final int ETH_P_MPLS_UC = 0x8847;
    public static final int ETH_P_MPLS_MC = 0x8848;
    public static final int ETH_P_NSH = 0x894f;
    public static final int ETH_P_TEB = 0x6558;
    public static final int ETH_P_PPP_SES = 0x8864;
    public static final int ETH_P_TIPC = 0x88ca;
    /** Set in a key's {@code vlan.tci} / {@code cvlan.tci} to mark the tag present. */
    public static final int VLAN_CFI_MASK = 0x1000;
    /** {@code LLC_SAP_SNAP}. */
    static final int LLC_SAP_SNAP = 0xaa;

    public static final int EINVAL = 22;

    /** {@code sizeof(struct vlan_head)} + the ethertype after it: what a tag needs to be parsed. */
    private static final int VLAN_MIN = 6;
    /** {@code sizeof(struct llc_snap_hdr)}. */
    private static final int LLC_SNAP_LEN = 8;

    /** First word of the L2-L4 part of a key (eth src), cleared by {@link #keyExtract}. */
    private static final int L2_FIRST_WORD = FlowKey.ETH_SRC_OFFSET / 8;

    private KeyExtractor() {
    }

    /**
     * {@code ovs_flow_key_extract} for a packet received on a vport: no tunnel, priority / skb_mark /
     * in_port from the packet, recirc_id and dp_hash 0, mac_proto Ethernet, no conntrack state; then
     * {@link #keyExtract}. Returns 0, or a negative errno where the kernel's {@code key_extract} returns
     * one (the kernel then drops the packet).
     */
    public static int extract(Packet p) {
        FlowKey k = p.key;
        k.clear();
        k.u32(FlowKey.PRIORITY_OFFSET, p.priority);
        k.u32(FlowKey.SKB_MARK_OFFSET, p.mark);
        k.u16(FlowKey.IN_PORT_OFFSET, p.inPort);
        k.u8(FlowKey.MAC_PROTO_OFFSET, FlowKey.MAC_PROTO_ETHERNET);
        return ethernet(p, k);
    }

    /**
     * {@code key_extract}: the L2 to L4 fields of {@link Packet#key} from the frame, keeping the
     * metadata words (tunnel, priority, mark, recirc_id, dp_hash, in_port, mac_proto, conntrack) as they
     * are: the {@code ovs_flow_key_extract_userspace} and {@code ovs_flow_key_update} paths. For a key
     * whose mac_proto is {@link FlowKey#MAC_PROTO_NONE} the frame is an L3 packet of the key's
     * ethertype. Returns 0 or a negative errno.
     */
    public static int keyExtract(Packet p) {
        FlowKey k = p.key;
        long[] w = k.words();
        int presetType = k.ethType();
        for (int i = L2_FIRST_WORD; i < FlowKey.WORDS; i++) {
            w[i] = 0L;
        }
        if (k.macProto() == FlowKey.MAC_PROTO_NONE) {
            p.macOff = p.off;
            p.networkOff = -1;
            p.transportOff = -1;
            if (isVlan(presetType)) {
                return -EINVAL;
            }
            k.u16(FlowKey.ETH_TYPE_OFFSET, presetType);
            p.networkOff = p.off;
            return extractL3L4(p);
        }
        return ethernet(p, k);
    }

    /** The Ethernet branch of {@code key_extract}, on a key whose L2-L4 words are zero. */
    private static int ethernet(Packet p, FlowKey k) {
        byte[] b = p.buf;
        int off = p.off;
        int end = off + p.len;
        p.macOff = off;
        p.networkOff = -1;
        p.transportOff = -1;
        if (p.len < ETH_HLEN) {
            return -EINVAL;
        }
        k.u64(FlowKey.ETH_DST_OFFSET, be48(b, off));
        k.u64(FlowKey.ETH_SRC_OFFSET, be48(b, off + 6));
        int pos = off + 12;

        // parse_vlan: the outer tag, then the inner one (a tag needs its TCI and the next type).
        int tpid = be16(b, pos);
        if (isVlan(tpid) && end - pos >= VLAN_MIN) {
            k.u16(FlowKey.VLAN_TPID_OFFSET, tpid);
            k.u16(FlowKey.VLAN_TCI_OFFSET, be16(b, pos + 2) | VLAN_CFI_MASK);
            pos += 4;
            tpid = be16(b, pos);
            if (isVlan(tpid) && end - pos >= VLAN_MIN) {
                k.u16(FlowKey.CVLAN_TPID_OFFSET, tpid);
                k.u16(FlowKey.CVLAN_TCI_OFFSET, be16(b, pos + 2) | VLAN_CFI_MASK);
                pos += 4;
            }
        }

        // parse_ethertype: an Ethernet II type, or 802.3 with an LLC (and maybe SNAP) header.
        int type = be16(b, pos);
        pos += 2;
        if (type < ETH_P_802_3_MIN) {
            type = ETH_P_802_2;
            if (end - pos >= LLC_SNAP_LEN
                    && (b[pos] & 0xff) == LLC_SAP_SNAP && (b[pos + 1] & 0xff) == LLC_SAP_SNAP
                    && (b[pos + 3] | b[pos + 4] | b[pos + 5]) == 0) {
                int snapType = be16(b, pos + 6);
                pos += LLC_SNAP_LEN;
                if (snapType >= ETH_P_802_3_MIN) {
                    type = snapType;
                }
            }
        }
        k.u16(FlowKey.ETH_TYPE_OFFSET, type);
        p.networkOff = pos;
        return extractL3L4(p);
    }

    /**
     * {@code key_extract_l3l4} ({@code ovs_flow_key_update_l3l4}): the L3 and L4 fields from
     * {@link Packet#networkOff} on, for the key's ethertype.
     */
    public static int extractL3L4(Packet p) {
        FlowKey k = p.key;
        int type = k.ethType();
        int nh = p.networkOff;
        int end = p.off + p.len;
        if (type == ETH_P_IP) {
            Ipv4Parser.parse(p, k, p.buf, nh, end);
            return 0;
        } else if (type == ETH_P_ARP || type == ETH_P_RARP) {
            ArpMplsNsh.parseArp(k, p.buf, nh, end);
            return 0;
        } else if (type == ETH_P_MPLS_UC || type == ETH_P_MPLS_MC) {
            ArpMplsNsh.parseMpls(k, p.buf, nh, end);
            return 0;
        } else if (type == ETH_P_IPV6) {
            Ipv6Parser.parse(p, k, p.buf, nh, end);
            return 0;
        } else if (type == ETH_P_NSH) {
            return ArpMplsNsh.parseNsh(k, p.buf, nh, end);
        }
        return 0;
    }

    /**
     * {@code skb_get_hash}: the packet's flow hash, computed by {@link FlowDissector} on first use
     * (setting {@link Packet#hash}, {@link Packet#swHash} and, when the flow dissector found ports or
     * an IPv6 flow label, {@link Packet#l4Hash}) and returned as is while either flag is set. Code that
     * changes the headers the hash covers clears both flags, as the kernel's {@code skb_clear_hash}.
     * Needs the offsets and key of {@link #extract} / {@link #keyExtract}.
     */
    public static int hash(Packet p) {
        if (!p.swHash && !p.l4Hash) {
            FlowDissector.hash(p);
        }
        return p.hash;
    }

    static boolean isVlan(int type) {
        return type == ETH_P_8021Q || type == ETH_P_8021AD;
    }

    // ---- big-endian reads (callers check the frame bounds) --------------------------------------

    static int be16(byte[] b, int i) {
        return Wire.be16(b, i);
    }

    static int be32(byte[] b, int i) {
        return Wire.be32(b, i);
    }

    static long be48(byte[] b, int i) {
        return Wire.be48(b, i);
    }

    static long be64(byte[] b, int i) {
        return Wire.be64(b, i);
    }
}
