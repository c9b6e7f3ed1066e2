package ovsj.odp.uapi;

/** Tunnel vport options nested in {@link VportAttr#OPTIONS} (anonymous enum {@code OVS_TUNNEL_ATTR_*}). */
public final class TunnelAttr {

    private TunnelAttr() {
    }

    /** {@code OVS_TUNNEL_ATTR_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** u16 UDP destination port of UDP-based tunnels (VXLAN, Geneve). */
    public static final int DST_PORT = 1;
    /** Nested {@link VxlanExtAttr} extensions enabled on a VXLAN port. */
    public static final int EXTENSION = 2;

    /** {@code OVS_TUNNEL_ATTR_MAX}. */
    public static final int MAX = EXTENSION;

    private static final String[] NAMES = UapiNames.table("OVS_TUNNEL_ATTR_",
            "UNSPEC", "DST_PORT", "EXTENSION");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
