package ovsj.datapath.actions;

import java.util.concurrent.ThreadLocalRandom;

import ovsj.datapath.Packet;
import ovsj.odp.FlowKey;

/**
 * What the {@link ActionExecutor} needs from the datapath: the parts of {@code struct datapath} and the
 * vport layer that {@code net/openvswitch/actions.c} calls into. The datapath implements it (one instance
 * may serve every thread: the executor keeps its per-thread state itself).
 *
 * <p>Packets handed to {@link #output} and {@link #recirc} are the callee's: the executor copies a packet
 * before it gives one away when more actions follow ({@code skb_clone}). Packets and keys passed to
 * {@link #userspace}, {@link #flowKeyUpdate}, {@link #meter} and {@link #setTunnelInfo} stay the
 * executor's: copy what you keep.
 *
 * <p>The {@link FlowKey} passed along is the key the executor works on, which is not always
 * {@code p.key} (clone, sample and recirculation work on copies, as the kernel's per-CPU
 * {@code flow_keys} are). Its {@code MAC_PROTO} byte may carry {@link ActionExecutor#KEY_INVALID} after
 * actions that changed the headers without updating the key ({@code invalidate_flow_key}); mask it off
 * ({@link ActionExecutor#macProto}) to get the packet's L2 type.
 */
public interface ActionContext {
    /**
     * {@code do_output} → {@code ovs_vport_send}: send {@code p} out of port {@code portNo}. A pending
     * truncation (trunc action) has been applied already and {@code p.cutlen} is 0. The datapath does the
     * rest of {@code do_output} and {@code ovs_vport_send}: drop when the port does not exist or is down,
     * fragment or drop when {@code p.mru} says the packet was reassembled and is too long, drop when the
     * L2 type ({@link ActionExecutor#macProto}{@code (key)}) does not suit the port, drop over-MTU packets.
     */
    void output(Packet p, int portNo, FlowKey key);

    /**
     * {@code ovs_dp_upcall} for a userspace action ({@code output_userspace}): queue an
     * {@code OVS_PACKET_CMD_ACTION} upcall with the packet (its first {@code p.len - info.cutlen()} bytes),
     * the key, the hash ({@code p.hash} with the sw/l4 bits) and what {@code info} holds. Returns 0 or
     * -errno; the executor ignores it, as {@code do_execute_actions} does.
     */
    int userspace(Packet p, FlowKey key, UpcallInfo info);

    /**
     * {@code ovs_dp_process_packet} for a recirculated packet: {@code key} is valid and its
     * {@code RECIRC_ID} is {@code recircId}. Look the flow up and run its actions through the same thread's
     * executor ({@link ActionExecutor#execute}), or send a miss upcall. The key lives in the executor's
     * per-level storage: use it during the call, copy it to keep it.
     */
    void recirc(Packet p, FlowKey key, int recircId);

    /**
     * {@code ovs_flow_key_update}: re-extract {@code key} from the frame ({@code key_extract}, keeping the
     * metadata: tunnel, priority, mark, recirc id, dp hash, in port, conntrack) and set the packet's header
     * offsets. Returns 0 or -errno; on success the executor clears {@link ActionExecutor#KEY_INVALID}.
     * Called before a recirc or ct action when earlier actions invalidated the key. The key's L2 type is
     * {@link ActionExecutor#macProto}{@code (key)}; for a packet without L2 header its {@code ETH_TYPE} is the
     * packet's protocol ({@code skb->protocol}). With {@code KeyExtractor}: copy {@code key} into
     * {@code p.key} with the flag cleared, {@code KeyExtractor.keyExtract(p)}, copy {@code p.key} back.
     */
    int flowKeyUpdate(Packet p, FlowKey key);

    /** {@code get_random_u32}: the random source of the sample action. */
    default int randomU32() {
        return ThreadLocalRandom.current().nextInt();
    }

    /**
     * {@code ovs_meter_execute}: true if meter {@code meterId} drops the packet. A meter that does not
     * exist lets the packet pass; the default knows no meters.
     */
    default boolean meter(Packet p, FlowKey key, int meterId) {
        return false;
    }

    /**
     * {@code execute_set_action} for a tunnel set ({@code skb_dst_set} of the flow's
     * {@code metadata_dst}): attach the egress tunnel to the packet for a later output to a tunnel port.
     * {@code stored[off, off+len)} is the stored {@code OVS_KEY_ATTR_TUNNEL_INFO} payload: u32 mode
     * ({@code IP_TUNNEL_INFO_*}), then FlowKey tunnel words 0..39 little-endian (see
     * {@code ActionCodec}). The flow key is not changed, as in the kernel. The default ignores it.
     */
    default void setTunnelInfo(Packet p, byte[] stored, int off, int len) {
    }

    /** {@code ovs_dp_name}, for the kernel's log lines. */
    default String dpName() {
        return "ovs-system";
    }

    /**
     * A line the kernel prints under {@code net_ratelimit()} (deferred-action and recursion limits),
     * complete with its {@code "openvswitch: "} prefix. The default drops it.
     */
    default void logRateLimited(String line) {
    }
}
