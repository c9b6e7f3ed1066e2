package ovsj.odp.text;

/**
 * The layout of OVS's {@code struct user_action_cookie} (48 bytes, host byte order except the sFlow
 * TCI): the userdata of the {@code userspace()} actions that ofproto-dpif installs, which
 * {@code ovs-dpctl} decodes as {@code sFlow(...)}, {@code slow_path(...)}, {@code flow_sample(...)},
 * {@code ipfix(...)} or {@code controller(...)}. {@code ofp_in_port} is a 32-bit {@code ofp_port_t}, so
 * the union starts at byte 24.
 */
final class UserspaceCookie {
    private UserspaceCookie() {
    }

    static final int LENGTH = 48;
    static final int TYPE = 0;
    static final int OFP_IN_PORT = 4;
    static final int UNION = 24;

    static final int TYPE_UNSPEC = 0;
    static final int TYPE_SFLOW = 1;
    static final int TYPE_SLOW_PATH = 2;
    static final int TYPE_FLOW_SAMPLE = 3;
    static final int TYPE_IPFIX = 4;
    static final int TYPE_CONTROLLER = 5;

    /** {@code OFPP_NONE}, the in port of every cookie the parser builds. */
    static final int OFPP_NONE = 0xffff;

    static final int SFLOW_VLAN_TCI = UNION;
    static final int SFLOW_OUTPUT = UNION + 4;
    static final int SLOW_PATH_REASON = UNION + 4;
    static final int FS_PROBABILITY = UNION;
    static final int FS_COLLECTOR_SET_ID = UNION + 4;
    static final int FS_OBS_DOMAIN_ID = UNION + 8;
    static final int FS_OBS_POINT_ID = UNION + 12;
    static final int FS_OUTPUT_PORT = UNION + 16;
    static final int FS_DIRECTION = UNION + 20;
    static final int IPFIX_OUTPUT_PORT = UNION;
    static final int CTL_DONT_SEND = UNION;
    static final int CTL_CONTINUATION = UNION + 1;
    static final int CTL_REASON = UNION + 2;
    static final int CTL_RECIRC_ID = UNION + 4;
    static final int CTL_RULE_COOKIE = UNION + 8;
    static final int CTL_CONTROLLER_ID = UNION + 16;
    static final int CTL_MAX_LEN = UNION + 18;

    /** {@code enum nx_action_sample_direction}. */
    static final int SAMPLE_INGRESS = 1;
    static final int SAMPLE_EGRESS = 2;
}
