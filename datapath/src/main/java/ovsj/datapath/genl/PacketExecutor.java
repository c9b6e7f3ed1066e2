package ovsj.datapath.genl;

import ovsj.datapath.Datapath;
import ovsj.datapath.Vport;
import ovsj.odp.FlowKey;

/**
 * Where {@code OVS_PACKET_CMD_EXECUTE} hands a validated packet: the packet path
 * ({@code ovs_execute_actions}), which is a later piece of work. {@link PacketFamily} checks every request
 * exactly as {@code ovs_packet_cmd_execute} does and, until an executor is installed with
 * {@link PacketFamily#executor(PacketExecutor)}, answers 0 without running the actions: no output, no
 * upcall, no statistics.
 */
@FunctionalInterface
public interface PacketExecutor {
    /**
     * Runs {@code actions} (the validated, stored form from {@code ActionCodec.copyActions}) on
     * {@code packet}. Returns 0 or a negative errno, which becomes the request's answer.
     */
    int execute(Execution x);

    /**
     * One EXECUTE request after validation.
     *
     * @param dp      the datapath of the request's {@code dp_ifindex}
     * @param input   the port of the key's {@code IN_PORT}, or the local port if there is none
     * @param packet  the frame ({@code OVS_PACKET_ATTR_PACKET})
     * @param key     the flow key the actions were validated against
     * @param actions the stored action list
     * @param mru     {@code OVS_PACKET_ATTR_MRU}, 0 if absent
     * @param hash    {@code OVS_PACKET_ATTR_HASH} (low 32 bits {@code skb->hash}, bit 32 software hash,
     *                bit 33 L4 hash), meaningful if {@code hasHash}
     * @param hasHash whether the request carried a hash
     */
    record Execution(Datapath dp, Vport input, byte[] packet, FlowKey key, byte[] actions, int mru, long hash,
                     boolean hasHash) {
    }
}
