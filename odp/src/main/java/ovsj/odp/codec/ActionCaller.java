package ovsj.odp.codec;

/**
 * Who asks {@link ActionCodec} to validate an action list, which decides what the kernel logs around it.
 *
 * <ul>
 *   <li>{@code refusal}: the line the calling command logs (with {@code OVS_NLERR}) when the actions are
 *       refused, or null if it logs none. {@code ovs_flow_cmd_new} logs "Flow actions may not be safe on
 *       all matching packets.", {@code ovs_flow_cmd_set} (through {@code get_flow_actions}) logs
 *       "Actions may not be safe on all matching packets" (no period), {@code ovs_packet_cmd_execute}
 *       logs nothing.</li>
 *   <li>{@code log}: the kernel's {@code log} flag, false for requests carrying
 *       {@code OVS_FLOW_ATTR_PROBE} / {@code OVS_PACKET_ATTR_PROBE}. It silences {@code OVS_NLERR}
 *       lines only: the generic netlink attribute parser's warnings ({@code pr_warn_ratelimited} in
 *       {@code lib/nlattr.c}) and a few unconditional lines are logged even for probes.</li>
 *   <li>{@code comm}: the requesting process's name ({@code current->comm}), which the attribute
 *       parser's warnings quote, e.g. {@code "netlink: 'nlreplay': attribute type 1 has an invalid
 *       length."}. It belongs to the request, not to the codec, so it travels here rather than in a
 *       static field. The default is {@link #DEFAULT_COMM}, the name of the tool that recorded the
 *       kernel vectors; a datapath that knows its client's name (e.g. from {@code SO_PEERCRED}) passes
 *       it with {@link #withComm(String)}.</li>
 * </ul>
 *
 * <p>Instances are immutable; callers cache the few they need.
 */
public record ActionCaller(String refusal, boolean log, String comm) {
    /** The process name in the recorded vectors ({@code nlreplay}, the replay tool). */
    public static final String DEFAULT_COMM = "nlreplay";

    /** {@code OVS_FLOW_CMD_NEW}. */
    public static final ActionCaller FLOW_NEW =
            new ActionCaller("Flow actions may not be safe on all matching packets.", true, DEFAULT_COMM);
    /** {@code OVS_FLOW_CMD_SET}. */
    public static final ActionCaller FLOW_SET =
            new ActionCaller("Actions may not be safe on all matching packets", true, DEFAULT_COMM);
    /** {@code OVS_PACKET_CMD_EXECUTE}. */
    public static final ActionCaller PACKET_EXECUTE = new ActionCaller(null, true, DEFAULT_COMM);

    public ActionCaller {
        if (comm == null) {
            throw new IllegalArgumentException("comm");
        }
    }

    /** The same caller for a probe request (no {@code OVS_NLERR} lines). */
    public ActionCaller probe() {
        return new ActionCaller(refusal, false, comm);
    }

    /** The same caller for a request from process {@code name}. */
    public ActionCaller withComm(String name) {
        return new ActionCaller(refusal, log, name);
    }
}
