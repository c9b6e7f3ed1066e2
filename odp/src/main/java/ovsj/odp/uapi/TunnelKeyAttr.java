package ovsj.odp.uapi;

/**
 * Tunnel metadata nested in {@link KeyAttr#TUNNEL} and {@link PacketAttr#EGRESS_TUN_KEY}
 * ({@code enum ovs_tunnel_key_attr}), with the kernel's {@code ovs_tunnel_key_lens[]} table.
 *
 * <p>Unlike most OVS enums this one has no UNSPEC: {@link #ID} is 0.
 */
public final class TunnelKeyAttr {

    private TunnelKeyAttr() {
    }

    /** be64 tunnel id (VNI, GRE key...). */
    public static final int ID = 0;
    /** be32 outer IPv4 source. */
    public static final int IPV4_SRC = 1;
    /** be32 outer IPv4 destination. */
    public static final int IPV4_DST = 2;
    /** u8 outer TOS. */
    public static final int TOS = 3;
    /** u8 outer TTL. */
    public static final int TTL = 4;
    /** Flag: set DF on the outer header. */
    public static final int DONT_FRAGMENT = 5;
    /** Flag: compute the tunnel checksum. */
    public static final int CSUM = 6;
    /** Flag: OAM frame. */
    public static final int OAM = 7;
    /** Raw Geneve option TLVs, a multiple of 4 bytes. */
    public static final int GENEVE_OPTS = 8;
    /** be16 outer transport source port. */
    public static final int TP_SRC = 9;
    /** be16 outer transport destination port. */
    public static final int TP_DST = 10;
    /** Nested {@link VxlanExtAttr} options. */
    public static final int VXLAN_OPTS = 11;
    /** 16-byte outer IPv6 source. */
    public static final int IPV6_SRC = 12;
    /** 16-byte outer IPv6 destination. */
    public static final int IPV6_DST = 13;
    /** Padding attribute for 64-bit alignment. */
    public static final int PAD = 14;
    /** ERSPAN metadata ({@code struct erspan_metadata}), variable length. */
    public static final int ERSPAN_OPTS = 15;
    /** Flag: IPv4 "info bridge" mode, which carries only the tunnel id. */
    public static final int IPV4_INFO_BRIDGE = 16;

    /** {@code OVS_TUNNEL_KEY_ATTR_MAX}. */
    public static final int MAX = IPV4_INFO_BRIDGE;

    /** Length-table marker of a nested attribute. */
    public static final int NESTED = LengthTable.NESTED;
    /** Length-table marker of a variable-length attribute. */
    public static final int VARIABLE = LengthTable.VARIABLE;

    private static final String[] NAMES = UapiNames.table("OVS_TUNNEL_KEY_ATTR_",
            "ID", "IPV4_SRC", "IPV4_DST", "TOS", "TTL", "DONT_FRAGMENT", "CSUM", "OAM",
            "GENEVE_OPTS", "TP_SRC", "TP_DST", "VXLAN_OPTS", "IPV6_SRC", "IPV6_DST", "PAD",
            "ERSPAN_OPTS", "IPV4_INFO_BRIDGE");

    /** Twin of {@code ovs_tunnel_key_lens[]} (Linux 6.1); only {@link #PAD} has no entry. */
    private static final LengthTable LENGTHS = LengthTable.builder(MAX)
            .put(ID, 8)
            .put(IPV4_SRC, 4)
            .put(IPV4_DST, 4)
            .put(TOS, 1)
            .put(TTL, 1)
            .put(DONT_FRAGMENT, 0)
            .put(CSUM, 0)
            .put(TP_SRC, 2)
            .put(TP_DST, 2)
            .put(OAM, 0)
            .put(GENEVE_OPTS, VARIABLE)
            .put(VXLAN_OPTS, NESTED)
            .put(IPV6_SRC, 16)
            .put(IPV6_DST, 16)
            .put(ERSPAN_OPTS, VARIABLE)
            .put(IPV4_INFO_BRIDGE, 0)
            .build();

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }

    /**
     * The kernel's {@code ovs_tunnel_key_lens[type].len} (0 where there is no entry).
     *
     * @throws IllegalArgumentException if {@code type} is outside {@code 0..MAX}
     */
    public static int expectedLength(int type) {
        return LENGTHS.length(type);
    }

    /** Whether {@code ovs_tunnel_key_lens[]} has an explicit entry for {@code type}. */
    public static boolean hasLengthEntry(int type) {
        return LENGTHS.has(type);
    }

    /** The kernel's {@code check_attr_len()} applied to this table. */
    public static boolean lengthAccepted(int type, int payloadLength) {
        return LENGTHS.accepts(type, payloadLength);
    }
}
