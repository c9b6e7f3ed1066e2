package ovsj.odp.codec;

import ovsj.odp.FlowKey;
import ovsj.odp.uapi.KeyAttr;

/**
 * The byte range a mask covers in the Linux 6.1 {@code struct sw_flow_key} ({@code match->mask->range}),
 * which the kernel makes part of a mask's identity: {@code mask_equal} compares the range before the
 * bits, so two masks with the same bits but different ranges are two masks (two entries in the mask
 * array, two probes per miss, counted in {@code ovs-dpctl show}'s {@code masks: total}).
 *
 * <p>The kernel widens the range over every field a mask attribute writes ({@code update_range},
 * rounded to longs), zero-valued fields included — an {@code arp(op=…)} mask reaches past the ARP
 * hardware addresses while an {@code ipv4(proto=…)} mask stops after the IPv4 addresses, although
 * both set the same bits. ovsj lays its {@link FlowKey} out differently, so this class keeps the
 * kernel's offsets for the fields each mask attribute writes and computes the range from the mask's
 * attributes. Offsets are relative to {@code phy} ({@link #PHY}), the first field after the tunnel key:
 *
 * <pre>
 *   0 tun_opts[255]  255 tun_opts_len  256 tun_key (id 0, addrs 8, flags 40, tos 42, ttl 43, tp 48)
 * PHY+0 priority  +4 skb_mark  +8 in_port  +10 mac_proto  +11 tun_proto  +12 ovs_flow_hash  +16 recirc_id
 *    +20 eth.src  +26 eth.dst  +32 vlan  +36 cvlan  +40 eth.type  +42 ct_state  +43 ct_orig_proto
 *    +44 ip.proto/tos/ttl/frag  +48 ct_zone  +50 tp.src  +52 tp.dst  +54 tp.flags
 *    +56 union: ipv4 addr (8), ct_orig / arp sha,tha (+64..+76); ipv6 addr (32), label +88,
 *               exthdrs +92, ct_orig / nd (+96..+128); mpls mask +56, lse +60; nsh base +56, md1 +64
 *   +128 ct.orig_tp  +132 ct.mark  +136 ct.labels (16)  = 464 bytes
 * </pre>
 *
 * Tunnel sub-attributes are counted by the bits they set (a present but all-zero sub-attribute does not
 * widen the range here, unlike the kernel); the tunnel flags, always written, are counted.
 */
public final class MaskRange {
    /** Offset of {@code phy} in {@code sw_flow_key}: 255 options, their length, a 56-byte tunnel key. */
    public static final int PHY = 312;
    /** {@code sizeof(struct sw_flow_key)} in 6.1 on 64-bit. */
    public static final int SIZE = PHY + 152;
    static final int TUN_KEY = 256;

    // [start, end) of what each key attribute's mask writes, relative to PHY; {0, 0} = nothing.
    private static final int[][] WRITES = new int[KeyAttr.MAX + 1][];

    static {
        w(KeyAttr.PRIORITY, 0, 4);
        w(KeyAttr.SKB_MARK, 4, 8);
        w(KeyAttr.IN_PORT, 8, 10);
        w(KeyAttr.DP_HASH, 12, 16);
        w(KeyAttr.RECIRC_ID, 16, 20);
        w(KeyAttr.ETHERNET, 20, 32);
        w(KeyAttr.VLAN, 32, 40);
        w(KeyAttr.ETHERTYPE, 40, 42);
        w(KeyAttr.PACKET_TYPE, 40, 42);
        w(KeyAttr.CT_STATE, 42, 43);
        w(KeyAttr.IPV4, 44, 64);   // ip.* and ipv4.addr (ct_zone/tp lie between: the range is one span)
        w(KeyAttr.IPV6, 44, 92);   // ip.*, addrs, label
        w(KeyAttr.IPV6_EXTHDRS, 92, 94);
        w(KeyAttr.ARP, 44, 76);    // ip.proto (op), addrs, sha, tha
        w(KeyAttr.CT_ZONE, 48, 50);
        w(KeyAttr.TCP, 50, 54);
        w(KeyAttr.UDP, 50, 54);
        w(KeyAttr.SCTP, 50, 54);
        w(KeyAttr.ICMP, 50, 54);
        w(KeyAttr.ICMPV6, 50, 54);
        w(KeyAttr.TCP_FLAGS, 54, 56);
        w(KeyAttr.MPLS, 56, 72);   // refined by the label count below
        w(KeyAttr.NSH, 56, 64);    // base; MD1 context widens to +80
        w(KeyAttr.ND, 96, 124);
        w(KeyAttr.CT_ORIG_TUPLE_IPV4, 43, 132); // ct_orig_proto, ipv4.ct_orig, ct.orig_tp
        w(KeyAttr.CT_ORIG_TUPLE_IPV6, 43, 132);
        w(KeyAttr.CT_MARK, 132, 136);
        w(KeyAttr.CT_LABELS, 136, 152);
    }

    private static void w(int attr, int start, int end) {
        WRITES[attr] = new int[] {start, end};
    }

    private MaskRange() {
    }

    /**
     * The kernel's mask range for a mask whose effective attributes (all-zero ones dropped, VLAN
     * encapsulation flattened) are {@code maskAttrs}, packed as {@code start << 16 | end} in bytes.
     *
     * @param mask the parsed mask bits (for the tunnel, MPLS depth and NSH metadata)
     * @param exactTunnel the mask was synthesised for a key with a tunnel (the whole tunnel key is set)
     */
    public static int of(long maskAttrs, FlowKey mask, boolean exactTunnel) {
        // Always written in mask mode: mac_proto (exact), both VLAN TCIs.
        int start = PHY + 8;
        int end = PHY + 40;
        for (int a = 0; a <= KeyAttr.MAX; a++) {
            if ((maskAttrs & (1L << a)) == 0 || WRITES[a] == null) {
                continue;
            }
            int s = PHY + WRITES[a][0];
            int e = PHY + WRITES[a][1];
            if (a == KeyAttr.MPLS) {
                int labels = Integer.bitCount(mask.u32(FlowKey.MPLS_LABELS_MASK_OFFSET));
                e = PHY + 60 + 4 * Math.max(1, labels);
            } else if (a == KeyAttr.NSH && hasNshContext(mask)) {
                e = PHY + 80;
            }
            start = Math.min(start, s);
            end = Math.max(end, e);
        }
        if (exactTunnel) {
            start = Math.min(start, TUN_KEY);
        }
        if ((maskAttrs & (1L << KeyAttr.TUNNEL)) != 0) {
            start = Math.min(start, TUN_KEY + 40); // tun_flags, always written
            int first = firstTunnelByte(mask);
            if (first >= 0) {
                start = Math.min(start, first);
            }
        }
        return (start & ~7) << 16 | ((end + 7) & ~7);
    }

    public static int start(int packed) {
        return packed >>> 16;
    }

    public static int end(int packed) {
        return packed & 0xffff;
    }

    private static boolean hasNshContext(FlowKey mask) {
        for (int i = 0; i < 16; i++) {
            if (mask.u8(FlowKey.NSH_CONTEXT_OFFSET + i) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The lowest kernel offset of a set tunnel mask byte (ovsj's tunnel layout mapped), or -1. */
    private static int firstTunnelByte(FlowKey mask) {
        int low = Integer.MAX_VALUE;
        for (int o = FlowKey.TUN_OPTS_OFFSET; o <= FlowKey.TUN_OPTS_LEN_OFFSET; o++) {
            if (mask.u8(o) != 0) {
                low = Math.min(low, kernelTunnelOffset(o));
            }
        }
        return low == Integer.MAX_VALUE ? -1 : low;
    }

    private static int kernelTunnelOffset(int o) {
        if (o < FlowKey.TUN_ID_OFFSET) {
            return o; // options sit at the end of tun_opts in both layouts
        }
        if (o < FlowKey.TUN_IPV6_SRC_OFFSET) {
            return o; // tun_id, IPv4 addresses: same offsets
        }
        if (o < FlowKey.TUN_FLAGS_OFFSET) {
            return o - 8; // the kernel's IPv6 addresses share the IPv4 union slot
        }
        return switch (o) {
            case FlowKey.TUN_FLAGS_OFFSET, FlowKey.TUN_FLAGS_OFFSET + 1 -> TUN_KEY + 40;
            case FlowKey.TUN_TOS_OFFSET -> TUN_KEY + 42;
            case FlowKey.TUN_TTL_OFFSET -> TUN_KEY + 43;
            case FlowKey.TUN_OPTS_LEN_OFFSET -> 255;
            default -> TUN_KEY + 48; // tp_src, tp_dst
        };
    }
}
