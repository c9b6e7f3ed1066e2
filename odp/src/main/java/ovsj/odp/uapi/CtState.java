package ovsj.odp.uapi;

/** Bits of the u32 {@link KeyAttr#CT_STATE} value ({@code OVS_CS_F_*}). */
public final class CtState {

    private CtState() {
    }

    /** Start of a new connection. */
    public static final int NEW = 0x01;
    /** Part of an established connection. */
    public static final int ESTABLISHED = 0x02;
    /** Related to an established connection (e.g. an ICMP error, an FTP data channel). */
    public static final int RELATED = 0x04;
    /** Packet travels in the reply direction. */
    public static final int REPLY_DIR = 0x08;
    /** Conntrack could not track the packet. */
    public static final int INVALID = 0x10;
    /** The packet went through conntrack. */
    public static final int TRACKED = 0x20;
    /** Source address or port was rewritten by NAT. */
    public static final int SRC_NAT = 0x40;
    /** Destination address or port was rewritten by NAT. */
    public static final int DST_NAT = 0x80;

    /** {@code OVS_CS_F_NAT_MASK}: both NAT bits. */
    public static final int NAT_MASK = SRC_NAT | DST_NAT;

    /**
     * Every bit a 6.1 kernel built with conntrack accepts in keys and masks
     * ({@code CT_SUPPORTED_MASK} in {@code net/openvswitch/conntrack.h}); a kernel built without
     * conntrack supports none.
     */
    public static final int SUPPORTED_MASK = NEW | ESTABLISHED | RELATED | REPLY_DIR | INVALID
            | TRACKED | SRC_NAT | DST_NAT;

    /** Highest bit defined in 6.1 (not a kernel constant). */
    public static final int MAX = DST_NAT;

    private static final String[] BITS = UapiNames.table("OVS_CS_F_",
            "NEW", "ESTABLISHED", "RELATED", "REPLY_DIR", "INVALID", "TRACKED", "SRC_NAT", "DST_NAT");

    /** Kernel name of a single bit, e.g. {@code "OVS_CS_F_TRACKED"}, or {@code "unknown(N)"}. */
    public static String name(int flag) {
        return UapiNames.flag(BITS, flag);
    }

    /** Renders a state word, e.g. {@code "OVS_CS_F_NEW|OVS_CS_F_TRACKED"}. */
    public static String describe(int state) {
        return UapiNames.describeFlags(BITS, state);
    }
}
