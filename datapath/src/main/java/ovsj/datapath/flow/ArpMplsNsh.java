package ovsj.datapath.flow;

import static ovsj.datapath.flow.KeyExtractor.EINVAL;
import static ovsj.datapath.flow.KeyExtractor.be16;
import static ovsj.datapath.flow.KeyExtractor.be32;
import static ovsj.datapath.flow.KeyExtractor.be48;

import ovsj.odp.FlowKey;

/**
 * The non-IP branches of {@code key_extract_l3l4}: ARP/RARP ({@code arphdr_ok}), the MPLS label
 * stack and NSH ({@code parse_nsh}).
 */
final class ArpMplsNsh {
    /** {@code sizeof(struct arp_eth_header)}. */
    static final int ARP_ETH_LEN = 28;
    static final int ARPHRD_ETHER = 1;
    static final int MPLS_HLEN = 4;
    static final int MPLS_LS_S_MASK = 0x100;
    /** {@code NSH_BASE_HDR_LEN}. */
    static final int NSH_BASE_HDR_LEN = 8;
    static final int NSH_M_TYPE1 = 1;
    static final int NSH_M_TYPE2 = 2;
    /** {@code NSH_M_TYPE1_LEN}: base header + 4 context words. */
    static final int NSH_M_TYPE1_LEN = 24;

    private ArpMplsNsh() {
    }

    /**
     * An Ethernet/IPv4 ARP (or RARP) header of 28 bytes gives op (its low byte, or 0 for opcodes above
     * 255), sender and target addresses; any other hardware or protocol type, address length or a short
     * header leaves them all zero.
     */
    static void parseArp(FlowKey k, byte[] b, int nh, int end) {
        if (end - nh < ARP_ETH_LEN || be16(b, nh) != ARPHRD_ETHER || be16(b, nh + 2) != KeyExtractor.ETH_P_IP
                || (b[nh + 4] & 0xff) != 6 || (b[nh + 5] & 0xff) != 4) {
            return;
        }
        int op = be16(b, nh + 6);
        k.u8(FlowKey.IP_PROTO_OFFSET, op <= 0xff ? op : 0);
        k.u64(FlowKey.ARP_SHA_OFFSET, be48(b, nh + 8));
        k.u32(FlowKey.IPV4_SRC_OFFSET, be32(b, nh + 14));
        k.u64(FlowKey.ARP_THA_OFFSET, be48(b, nh + 18));
        k.u32(FlowKey.IPV4_DST_OFFSET, be32(b, nh + 24));
    }

    /**
     * The label stack up to its bottom-of-stack entry; the first three entries are kept and
     * {@code num_labels_mask} tells how many. A stack that runs off the frame before a BOS entry keeps
     * the entries read but a mask of 0 (the kernel returns before setting it).
     */
    static void parseMpls(FlowKey k, byte[] b, int nh, int end) {
        int count = 1;
        while (true) {
            if (end - nh < count * MPLS_HLEN) {
                return;
            }
            int lse = be32(b, nh + (count - 1) * MPLS_HLEN);
            if (count <= FlowKey.MPLS_LABEL_DEPTH) {
                k.u32(FlowKey.MPLS_LSE_OFFSET + (count - 1) * MPLS_HLEN, lse);
            }
            if ((lse & MPLS_LS_S_MASK) != 0) {
                break;
            }
            count++;
        }
        k.u32(FlowKey.MPLS_LABELS_MASK_OFFSET, (1 << Math.min(count, FlowKey.MPLS_LABEL_DEPTH)) - 1);
    }

    /**
     * The NSH base header and, for MD type 1, the four context words. Returns -EINVAL (the kernel drops
     * the packet) for a version other than 0, a header longer than the frame, an MD type 1 header whose
     * length is not 24, or an MD type other than 1 and 2; the fields read so far stay in the key.
     */
    static int parseNsh(FlowKey k, byte[] b, int nh, int end) {
        if (end - nh < NSH_BASE_HDR_LEN) {
            return -EINVAL;
        }
        int v = be16(b, nh);
        int length = (v & 0x3f) << 2;
        if ((v >>> 14) != 0 || end - nh < length) {
            return -EINVAL;
        }
        int mdtype = b[nh + 2] & 0xff;
        k.u8(FlowKey.NSH_FLAGS_OFFSET, (v & 0x3000) >>> 12);
        k.u8(FlowKey.NSH_TTL_OFFSET, (v & 0x0fc0) >>> 6);
        k.u8(FlowKey.NSH_MDTYPE_OFFSET, mdtype);
        k.u8(FlowKey.NSH_NP_OFFSET, b[nh + 3]);
        k.u32(FlowKey.NSH_PATH_HDR_OFFSET, be32(b, nh + 4));
        if (mdtype == NSH_M_TYPE1) {
            if (length != NSH_M_TYPE1_LEN) {
                return -EINVAL;
            }
            for (int i = 0; i < 4; i++) {
                k.u32(FlowKey.NSH_CONTEXT_OFFSET + 4 * i, be32(b, nh + NSH_BASE_HDR_LEN + 4 * i));
            }
            return 0;
        }
        return mdtype == NSH_M_TYPE2 ? 0 : -EINVAL;
    }
}
