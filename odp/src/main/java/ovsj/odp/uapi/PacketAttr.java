package ovsj.odp.uapi;

/**
 * Attributes of packet family messages ({@code enum ovs_packet_attr}); they follow the
 * {@link OvsHeader}.
 */
public final class PacketAttr {

    private PacketAttr() {
    }

    /** {@code OVS_PACKET_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** The whole packet from the Ethernet header on (for ACTION upcalls: as modified so far). */
    public static final int PACKET = 1;
    /** Nested {@link KeyAttr} attributes of the flow key extracted on receive. */
    public static final int KEY = 2;
    /** Nested {@link ActionAttr} list: what to run on EXECUTE, or the actions sent with an upcall. */
    public static final int ACTIONS = 3;
    /** Opaque cookie copied from {@link UserspaceAttr#USERDATA}. */
    public static final int USERDATA = 4;
    /** Nested {@link TunnelKeyAttr} attributes describing the egress tunnel. */
    public static final int EGRESS_TUN_KEY = 5;
    /** Reserved, unused slot. */
    public static final int UNUSED1 = 6;
    /** Reserved, unused slot. */
    public static final int UNUSED2 = 7;
    /** Flag: the EXECUTE is a feature probe, failures should not be logged. */
    public static final int PROBE = 8;
    /** u16 largest IP fragment received, for reassembled packets. */
    public static final int MRU = 9;
    /** u32 original packet length before truncation. */
    public static final int LEN = 10;
    /** u64 skb hash information (hash value plus software/L4 hash bits). */
    public static final int HASH = 11;

    /** {@code OVS_PACKET_ATTR_MAX}. */
    public static final int MAX = HASH;

    private static final String[] NAMES = UapiNames.table("OVS_PACKET_ATTR_",
            "UNSPEC", "PACKET", "KEY", "ACTIONS", "USERDATA", "EGRESS_TUN_KEY", "UNUSED1",
            "UNUSED2", "PROBE", "MRU", "LEN", "HASH");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
