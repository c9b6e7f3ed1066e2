package ovsj.odp.uapi;

/** Kinds of datapath port, the u32 value of {@link VportAttr#TYPE} ({@code enum ovs_vport_type}). */
public final class VportType {

    private VportType() {
    }

    /** {@code OVS_VPORT_TYPE_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** An existing network device attached to the datapath. */
    public static final int NETDEV = 1;
    /** A network device created and owned by the datapath. */
    public static final int INTERNAL = 2;
    /** GRE tunnel port. */
    public static final int GRE = 3;
    /** VXLAN tunnel port. */
    public static final int VXLAN = 4;
    /** Geneve tunnel port. */
    public static final int GENEVE = 5;

    /** {@code OVS_VPORT_TYPE_MAX}. */
    public static final int MAX = GENEVE;

    private static final String[] NAMES = UapiNames.table("OVS_VPORT_TYPE_",
            "UNSPEC", "NETDEV", "INTERNAL", "GRE", "VXLAN", "GENEVE");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
