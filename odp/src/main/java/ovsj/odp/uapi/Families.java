package ovsj.odp.uapi;

/**
 * Generic Netlink family names, multicast group names and family versions of the Open vSwitch
 * datapath (Linux 6.1), plus the few top-level {@code #define}s of the header that belong to no
 * enum.
 */
public final class Families {

    private Families() {
    }

    /** Family that creates, deletes and queries datapaths ({@code OVS_DATAPATH_FAMILY}). */
    public static final String DATAPATH_FAMILY = "ovs_datapath";
    /** Multicast group of the datapath family ({@code OVS_DATAPATH_MCGROUP}). */
    public static final String DATAPATH_MCGROUP = "ovs_datapath";
    /**
     * Version to put in the genl header of datapath requests ({@code OVS_DATAPATH_VERSION}).
     * Version 2 means the caller sends {@link DpAttr#USER_FEATURES} when creating a datapath.
     */
    public static final int DATAPATH_VERSION = 2;
    /** First datapath family version that understands user features ({@code OVS_DP_VER_FEATURES}). */
    public static final int DP_VER_FEATURES = 2;

    /** Family carrying upcalls and packet execution ({@code OVS_PACKET_FAMILY}); it has no multicast group. */
    public static final String PACKET_FAMILY = "ovs_packet";
    /** {@code OVS_PACKET_VERSION}. */
    public static final int PACKET_VERSION = 1;

    /** Family that manages datapath ports ({@code OVS_VPORT_FAMILY}). */
    public static final String VPORT_FAMILY = "ovs_vport";
    /** {@code OVS_VPORT_MCGROUP}. */
    public static final String VPORT_MCGROUP = "ovs_vport";
    /** {@code OVS_VPORT_VERSION}. */
    public static final int VPORT_VERSION = 1;

    /** Family that manages the flow table ({@code OVS_FLOW_FAMILY}). */
    public static final String FLOW_FAMILY = "ovs_flow";
    /** {@code OVS_FLOW_MCGROUP}. */
    public static final String FLOW_MCGROUP = "ovs_flow";
    /** {@code OVS_FLOW_VERSION}. */
    public static final int FLOW_VERSION = 1;

    /** Family that manages meters ({@code OVS_METER_FAMILY}). */
    public static final String METER_FAMILY = "ovs_meter";
    /** {@code OVS_METER_MCGROUP}. */
    public static final String METER_MCGROUP = "ovs_meter";
    /** {@code OVS_METER_VERSION}. */
    public static final int METER_VERSION = 1;

    /** Family that manages per-zone conntrack limits ({@code OVS_CT_LIMIT_FAMILY}). */
    public static final String CT_LIMIT_FAMILY = "ovs_ct_limit";
    /** {@code OVS_CT_LIMIT_MCGROUP}. */
    public static final String CT_LIMIT_MCGROUP = "ovs_ct_limit";
    /** {@code OVS_CT_LIMIT_VERSION}. */
    public static final int CT_LIMIT_VERSION = 1;

    /**
     * Port number of the datapath's own local port ({@code OVSP_LOCAL}); the internal device that
     * bears the datapath's name always sits at this number.
     */
    public static final int OVSP_LOCAL = 0;
}
