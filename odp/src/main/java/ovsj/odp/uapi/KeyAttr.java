package ovsj.odp.uapi;

/**
 * Flow key attributes nested in {@link FlowAttr#KEY}, {@link FlowAttr#MASK} and
 * {@link PacketAttr#KEY} ({@code enum ovs_key_attr}), together with the kernel's
 * {@code ovs_key_lens[]} table from {@code net/openvswitch/flow_netlink.c}.
 *
 * <p>Types 29 and 30 were first claimed by userspace OVS; 6.1 defines them for both sides but the
 * kernel refuses them in keys, as it does the in-kernel {@link #TUNNEL_INFO}.
 */
public final class KeyAttr {

    private KeyAttr() {
    }

    /** {@code OVS_KEY_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Nested key attributes of the frame inside a VLAN tag. */
    public static final int ENCAP = 1;
    /** u32 skb priority. */
    public static final int PRIORITY = 2;
    /** u32 datapath port number the packet came in on. */
    public static final int IN_PORT = 3;
    /** {@link KeyEthernet}. */
    public static final int ETHERNET = 4;
    /** be16 VLAN TCI. */
    public static final int VLAN = 5;
    /** be16 Ethernet type. */
    public static final int ETHERTYPE = 6;
    /** {@link KeyIpv4}. */
    public static final int IPV4 = 7;
    /** {@link KeyIpv6}. */
    public static final int IPV6 = 8;
    /** {@link KeyTcp}. */
    public static final int TCP = 9;
    /** {@link KeyUdp}. */
    public static final int UDP = 10;
    /** {@link KeyIcmp}. */
    public static final int ICMP = 11;
    /** {@link KeyIcmpv6}. */
    public static final int ICMPV6 = 12;
    /** {@link KeyArp}. */
    public static final int ARP = 13;
    /** {@link KeyNd}. */
    public static final int ND = 14;
    /** u32 skb mark. */
    public static final int SKB_MARK = 15;
    /** Nested {@link TunnelKeyAttr} attributes. */
    public static final int TUNNEL = 16;
    /** {@link KeySctp}. */
    public static final int SCTP = 17;
    /** be16 TCP flags. */
    public static final int TCP_FLAGS = 18;
    /** u32 datapath hash; 0 means not computed. */
    public static final int DP_HASH = 19;
    /** u32 recirculation id. */
    public static final int RECIRC_ID = 20;
    /** Array of {@link KeyMpls} label stack entries (the datapath caps the depth). */
    public static final int MPLS = 21;
    /** u32 bit set of {@link CtState}. */
    public static final int CT_STATE = 22;
    /** u16 conntrack zone. */
    public static final int CT_ZONE = 23;
    /** u32 conntrack mark. */
    public static final int CT_MARK = 24;
    /** {@link KeyCtLabels}, 16 bytes. */
    public static final int CT_LABELS = 25;
    /** {@link KeyCtTupleIpv4} original-direction tuple. */
    public static final int CT_ORIG_TUPLE_IPV4 = 26;
    /** {@link KeyCtTupleIpv6} original-direction tuple. */
    public static final int CT_ORIG_TUPLE_IPV6 = 27;
    /** Nested {@link NshKeyAttr} attributes. */
    public static final int NSH = 28;
    /** be32 packet type; userspace only, rejected by the 6.1 kernel. */
    public static final int PACKET_TYPE = 29;
    /** IPv6 neighbour discovery extensions; userspace only, rejected by the 6.1 kernel. */
    public static final int ND_EXTENSIONS = 30;
    /** In-kernel tunnel metadata ({@code struct ip_tunnel_info}); never valid on the wire. */
    public static final int TUNNEL_INFO = 31;
    /** {@link KeyIpv6Exthdrs}. */
    public static final int IPV6_EXTHDRS = 32;

    /** {@code OVS_KEY_ATTR_MAX}; the kernel build-asserts that it is 32. */
    public static final int MAX = IPV6_EXTHDRS;

    /** Length-table marker of a nested attribute ({@code OVS_ATTR_NESTED}). */
    public static final int NESTED = LengthTable.NESTED;
    /** Length-table marker of a variable-length attribute ({@code OVS_ATTR_VARIABLE}). */
    public static final int VARIABLE = LengthTable.VARIABLE;

    private static final String[] NAMES = UapiNames.table("OVS_KEY_ATTR_",
            "UNSPEC", "ENCAP", "PRIORITY", "IN_PORT", "ETHERNET", "VLAN", "ETHERTYPE", "IPV4",
            "IPV6", "TCP", "UDP", "ICMP", "ICMPV6", "ARP", "ND", "SKB_MARK", "TUNNEL", "SCTP",
            "TCP_FLAGS", "DP_HASH", "RECIRC_ID", "MPLS", "CT_STATE", "CT_ZONE", "CT_MARK",
            "CT_LABELS", "CT_ORIG_TUPLE_IPV4", "CT_ORIG_TUPLE_IPV6", "NSH", "PACKET_TYPE",
            "ND_EXTENSIONS", "TUNNEL_INFO", "IPV6_EXTHDRS");

    /** Twin of {@code ovs_key_lens[]} (Linux 6.1); UNSPEC, 29, 30 and 31 have no entry. */
    private static final LengthTable LENGTHS = LengthTable.builder(MAX)
            .put(ENCAP, NESTED)
            .put(PRIORITY, 4)
            .put(IN_PORT, 4)
            .put(SKB_MARK, 4)
            .put(ETHERNET, KeyEthernet.LENGTH)
            .put(VLAN, 2)
            .put(ETHERTYPE, 2)
            .put(IPV4, KeyIpv4.LENGTH)
            .put(IPV6, KeyIpv6.LENGTH)
            .put(TCP, KeyTcp.LENGTH)
            .put(TCP_FLAGS, 2)
            .put(UDP, KeyUdp.LENGTH)
            .put(SCTP, KeySctp.LENGTH)
            .put(ICMP, KeyIcmp.LENGTH)
            .put(ICMPV6, KeyIcmpv6.LENGTH)
            .put(ARP, KeyArp.LENGTH)
            .put(ND, KeyNd.LENGTH)
            .put(RECIRC_ID, 4)
            .put(DP_HASH, 4)
            .put(TUNNEL, NESTED)
            .put(MPLS, VARIABLE)
            .put(CT_STATE, 4)
            .put(CT_ZONE, 2)
            .put(CT_MARK, 4)
            .put(CT_LABELS, KeyCtLabels.LENGTH)
            .put(CT_ORIG_TUPLE_IPV4, KeyCtTupleIpv4.LENGTH)
            .put(CT_ORIG_TUPLE_IPV6, KeyCtTupleIpv6.LENGTH)
            .put(NSH, NESTED)
            .put(IPV6_EXTHDRS, KeyIpv6Exthdrs.LENGTH)
            .build();

    /** Kernel name of {@code type}, e.g. {@code "OVS_KEY_ATTR_IPV4"}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }

    /**
     * The kernel's {@code ovs_key_lens[type].len}: a byte count, {@link #NESTED}, {@link #VARIABLE},
     * or 0 where the table has no entry (see {@link #hasLengthEntry}).
     *
     * @throws IllegalArgumentException if {@code type} is outside {@code 0..MAX}
     */
    public static int expectedLength(int type) {
        return LENGTHS.length(type);
    }

    /** Whether {@code ovs_key_lens[]} has an explicit entry for {@code type}. */
    public static boolean hasLengthEntry(int type) {
        return LENGTHS.has(type);
    }

    /**
     * The kernel's {@code check_attr_len()}: true when {@code payloadLength} equals the table
     * entry, or the entry is {@link #NESTED} or {@link #VARIABLE}.
     */
    public static boolean lengthAccepted(int type, int payloadLength) {
        return LENGTHS.accepts(type, payloadLength);
    }

    /**
     * Types that 6.1's key parser refuses outright ("not supported"): {@link #PACKET_TYPE},
     * {@link #ND_EXTENSIONS} and {@link #TUNNEL_INFO}. They are exactly the non-UNSPEC types
     * without a length entry.
     */
    public static boolean rejectedByKernel(int type) {
        return type == PACKET_TYPE || type == ND_EXTENSIONS || type == TUNNEL_INFO;
    }
}
