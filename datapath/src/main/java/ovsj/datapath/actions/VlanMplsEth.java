package ovsj.datapath.actions;

import ovsj.datapath.Packet;
import ovsj.netlink.Errno;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;

/**
 * The actions that push and pop L2 and L2.5 headers: {@code push_vlan} / {@code pop_vlan},
 * {@code push_mpls} (also for add_mpls) / {@code pop_mpls} / {@code set_mpls}, {@code push_eth} /
 * {@code pop_eth}, with the {@code skb_vlan_*}, {@code skb_mpls_*} and {@code skb_eth_*} helpers of
 * {@code net/core/skbuff.c} they rely on.
 *
 * <h2>The frame model</h2>
 *
 * Linux keeps a packet's outermost VLAN tag out of the frame ({@code skb->vlan_tci}, "hwaccel"): key
 * extraction moves it there and the VLAN actions keep it there. Here every tag stays in the frame. The
 * two are equivalent where it shows (what is sent, what userspace sees), provided the lengths Linux
 * measures without that tag are measured the same way: see {@link #hwTagLen} and {@link #skbLen}.
 *
 * <p>{@code skb->protocol} has no field in {@link Packet}: for an Ethernet packet it is the ethertype after
 * the outer tag, read from the frame; for a packet without L2 header it is the key's {@code ETH_TYPE},
 * which these actions therefore keep up to date for such packets even when they invalidate the key (the
 * kernel would leave the stale value in the invalid key; only a userspace upcall of the invalid key could
 * tell the difference).
 */
final class VlanMplsEth {
    static final int ETH_HLEN = 14;
    static final int ETH_ALEN = 6;
    static final int VLAN_HLEN = 4;
    static final int MPLS_HLEN = 4;
    static final int VLAN_CFI_MASK = 0x1000;

    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_IPV6 = 0x86dd;
    static final int ETH_P_8021Q = 0x8100;
    static final int ETH_P_8021AD = 0x88a8;
    static final int ETH_P_MPLS_UC = 0x8847;
    static final int ETH_P_MPLS_MC = 0x8848;
    static final int ETH_P_TEB = 0x6558;
    static final int ETH_P_NSH = 0x894f;

    static final int ENOMEM = -Errno.ENOMEM;
    static final int EINVAL = -Errno.EINVAL;
    static final int EPROTO = -Errno.EPROTO;

    private VlanMplsEth() {
    }

    static boolean isVlan(int ethType) {
        return ethType == ETH_P_8021Q || ethType == ETH_P_8021AD;
    }

    static boolean isMpls(int ethType) {
        return ethType == ETH_P_MPLS_UC || ethType == ETH_P_MPLS_MC;
    }

    static int end(Packet p) {
        return p.off + p.len;
    }

    /** 4 when the frame carries the VLAN tag Linux would hold outside it ({@code skb_vlan_tag_present}). */
    static int hwTagLen(Packet p, FlowKey key) {
        int m = p.macOff;
        return ActionExecutor.macProto(key) == FlowKey.MAC_PROTO_ETHERNET && m >= p.off
                && m + ETH_HLEN + VLAN_HLEN <= end(p) && isVlan(Wire.be16(p.buf, m + 12)) ? VLAN_HLEN : 0;
    }

    /** {@code skb->len}: the frame length without the outer VLAN tag. */
    static int skbLen(Packet p, FlowKey key) {
        return p.len - hwTagLen(p, key);
    }

    /** {@code skb->mac_len}: the L2 header length without the outer VLAN tag, 0 without a network header. */
    static int skbMacLen(Packet p, FlowKey key) {
        return p.networkOff < 0 || p.macOff < 0 ? 0 : Math.max(0, p.networkOff - p.macOff - hwTagLen(p, key));
    }

    /** {@code skb->protocol} (see the class comment). */
    static int protocol(Packet p, FlowKey key) {
        int m = p.macOff;
        if (ActionExecutor.macProto(key) != FlowKey.MAC_PROTO_ETHERNET || m < p.off || m + ETH_HLEN > end(p)) {
            return key.ethType();
        }
        int t = Wire.be16(p.buf, m + 12);
        if (isVlan(t) && m + ETH_HLEN + VLAN_HLEN <= end(p)) {
            t = Wire.be16(p.buf, m + 16);
        }
        return t;
    }

    // ---- VLAN -----------------------------------------------------------------------------------

    /** {@code push_vlan} + {@code skb_vlan_push}: the new tag becomes the outermost. */
    static int pushVlan(Packet p, FlowKey key, int tpid, int tci) {
        if (p.macOff < p.off || p.macOff + 2 * ETH_ALEN > end(p)) {
            return ENOMEM;
        }
        if (hwTagLen(p, key) != 0) {
            ActionExecutor.invalidate(key);
        } else {
            key.u16(FlowKey.VLAN_TCI_OFFSET, tci);
            key.u16(FlowKey.VLAN_TPID_OFFSET, tpid);
        }
        int rel = p.macOff + 2 * ETH_ALEN - p.off;
        p.insertGap(p.off + rel, VLAN_HLEN);
        int tag = p.off + rel; // the gap (insertGap may have moved the frame)
        Wire.putBe16(p.buf, tag, tpid);
        Wire.putBe16(p.buf, tag + 2, tci & ~VLAN_CFI_MASK);
        return 0;
    }

    /** {@code pop_vlan} + {@code skb_vlan_pop}: removes the outer tag; an inner one becomes the outer. */
    static int popVlan(Packet p, FlowKey key) {
        if (hwTagLen(p, key) != 0) {
            p.removeBytes(p.macOff + 2 * ETH_ALEN, VLAN_HLEN);
        }
        if (hwTagLen(p, key) != 0) {
            ActionExecutor.invalidate(key);
        } else {
            key.u16(FlowKey.VLAN_TCI_OFFSET, 0);
            key.u16(FlowKey.VLAN_TPID_OFFSET, 0);
        }
        return 0;
    }

    // ---- MPLS -----------------------------------------------------------------------------------

    /**
     * {@code push_mpls} + {@code skb_mpls_push}: a label stack entry after the L2 header when
     * {@code afterL2} (push_mpls, add_mpls with the L3 tunnel flag, packets with an L2 header), else at the
     * very start of the packet, which then has no L2 header.
     */
    static int pushMpls(Packet p, FlowKey key, int lse, int ethertype, boolean afterL2) {
        if (!isMpls(ethertype)) {
            return EINVAL;
        }
        int nh = p.networkOff;
        if (nh < p.off || nh > end(p) || p.macOff < p.off) {
            return EINVAL;
        }
        int macLen = afterL2 ? nh - p.macOff : 0;
        boolean ethernet = macLen > 0; // skb_mpls_push(..., mac_len, !!mac_len)
        int rel = macLen > 0 ? nh - p.off : 0;
        p.insertGap(p.off + rel, MPLS_HLEN);
        int label = p.off + rel; // the gap (insertGap may have moved the frame)
        Wire.putBe32(p.buf, label, lse);
        p.networkOff = label;
        if (macLen == 0) {
            p.macOff = label;
        }
        if (ethernet && macLen >= ETH_HLEN) {
            Wire.putBe16(p.buf, label - 2, ethertype); // the ethertype before the label (after any tags)
        }
        if (macLen == 0) {
            key.u8(FlowKey.MAC_PROTO_OFFSET, FlowKey.MAC_PROTO_NONE);
        }
        ActionExecutor.invalidate(key);
        setL3Protocol(key, ethertype);
        return 0;
    }

    /** {@code pop_mpls} + {@code skb_mpls_pop}: removes the top label stack entry. */
    static int popMpls(Packet p, FlowKey key, int nextProto) {
        if (!isMpls(protocol(p, key))) {
            return 0;
        }
        int nh = p.networkOff;
        if (nh < p.off || p.macOff < p.off || nh < p.macOff || nh + MPLS_HLEN > end(p)) {
            return ENOMEM;
        }
        boolean ethernet = ActionExecutor.macProto(key) == FlowKey.MAC_PROTO_ETHERNET;
        int macLen = nh - p.macOff;
        p.removeBytes(nh, MPLS_HLEN);
        p.networkOff = nh + MPLS_HLEN;
        if (macLen == 0) {
            p.macOff = p.networkOff;
        }
        if (ethernet && macLen >= ETH_HLEN) {
            Wire.putBe16(p.buf, p.networkOff - 2, nextProto);
        }
        if (nextProto == ETH_P_TEB) {
            key.u8(FlowKey.MAC_PROTO_OFFSET, FlowKey.MAC_PROTO_ETHERNET);
        }
        ActionExecutor.invalidate(key);
        setL3Protocol(key, nextProto);
        return 0;
    }

    /** {@code set_mpls}: a masked write of the top label stack entry. */
    static int setMpls(Packet p, FlowKey key, int value, int mask) {
        int nh = p.networkOff;
        if (nh < p.off || nh + MPLS_HLEN > end(p)) {
            return ENOMEM;
        }
        int lse = value | (Wire.be32(p.buf, nh) & ~mask);
        if (!isMpls(protocol(p, key))) { // skb_mpls_update_lse
            return EINVAL;
        }
        Wire.putBe32(p.buf, nh, lse);
        key.u32(FlowKey.MPLS_LSE_OFFSET, lse);
        return 0;
    }

    // ---- Ethernet -------------------------------------------------------------------------------

    /** {@code push_eth} + {@code skb_eth_push}: an Ethernet header in front of an L3 packet. */
    static int pushEth(Packet p, FlowKey key, byte[] a, int srcOff, int dstOff) {
        if (p.networkOff != p.off || hwTagLen(p, key) != 0) {
            return EPROTO;
        }
        int proto = protocol(p, key);
        p.insertGap(p.off, ETH_HLEN);
        p.macOff = p.off;
        System.arraycopy(a, dstOff, p.buf, p.off, ETH_ALEN);
        System.arraycopy(a, srcOff, p.buf, p.off + ETH_ALEN, ETH_ALEN);
        Wire.putBe16(p.buf, p.off + 2 * ETH_ALEN, proto);
        key.u8(FlowKey.MAC_PROTO_OFFSET, FlowKey.MAC_PROTO_ETHERNET);
        ActionExecutor.invalidate(key);
        return 0;
    }

    /** {@code pop_eth} + {@code skb_eth_pop}: removes the Ethernet header of an untagged packet. */
    static int popEth(Packet p, FlowKey key) {
        int m = p.macOff;
        if (m < p.off || m + ETH_HLEN > end(p) || hwTagLen(p, key) != 0 || p.networkOff - m < ETH_HLEN) {
            return EPROTO;
        }
        int proto = protocol(p, key);
        int drop = m + ETH_HLEN - p.off;
        p.off += drop;
        p.len -= drop;
        p.macOff = p.off;
        key.u8(FlowKey.MAC_PROTO_OFFSET, FlowKey.MAC_PROTO_NONE);
        ActionExecutor.invalidate(key);
        setL3Protocol(key, proto);
        return 0;
    }

    /** Keeps {@code skb->protocol} of a packet without L2 header in the key (see the class comment). */
    static void setL3Protocol(FlowKey key, int proto) {
        if (ActionExecutor.macProto(key) != FlowKey.MAC_PROTO_ETHERNET) {
            key.u16(FlowKey.ETH_TYPE_OFFSET, proto);
        }
    }
}
