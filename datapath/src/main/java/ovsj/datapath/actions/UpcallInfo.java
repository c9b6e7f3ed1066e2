package ovsj.datapath.actions;

import ovsj.odp.uapi.PacketCmd;

/**
 * What a userspace action asks the datapath to send up: the twin of {@code struct dp_upcall_info} as
 * {@code output_userspace} fills it, plus the {@code cutlen} it passes to {@code ovs_dp_upcall}.
 *
 * <p>Byte ranges point into {@code stored}, the stored action list that holds the userspace action; they
 * are valid only during {@link ActionContext#userspace} (copy what you keep).
 *
 * @param cmd           {@link PacketCmd#ACTION}
 * @param portId        the action's {@code OVS_USERSPACE_ATTR_PID} (the last one). Linux 6.1 replaces it
 *                      with the per-CPU handler's port id when the datapath has
 *                      {@code OVS_DP_F_DISPATCH_UPCALL_PER_CPU}: that is the datapath's to do
 * @param stored        the stored action list
 * @param userdataOff   payload offset of {@code OVS_USERSPACE_ATTR_USERDATA} in {@code stored}, or -1;
 *                      sent as {@code OVS_PACKET_ATTR_USERDATA}
 * @param userdataLen   its payload length
 * @param egressTunPort {@code OVS_USERSPACE_ATTR_EGRESS_TUN_PORT} (u32), or -1: the datapath looks the
 *                      port up and reports its tunnel metadata as {@code OVS_PACKET_ATTR_EGRESS_TUN_KEY}
 *                      ({@code dev_fill_metadata_dst}), as the kernel does when the port exists
 * @param actionsOff    with {@code OVS_USERSPACE_ATTR_ACTIONS}: offset in {@code stored} of the action list
 *                      being executed (the one holding this action, nested lists included); else -1.
 *                      Sent as {@code OVS_PACKET_ATTR_ACTIONS} in reply form ({@code ovs_nla_put_actions})
 * @param actionsLen    its length, 0 without the flag
 * @param mru           {@code OVS_CB(skb)->mru}, sent as {@code OVS_PACKET_ATTR_MRU} when nonzero
 * @param cutlen        bytes to cut from the end of the frame (a preceding trunc action); when nonzero the
 *                      kernel also sends the original length as {@code OVS_PACKET_ATTR_LEN}
 */
public record UpcallInfo(int cmd, int portId, byte[] stored, int userdataOff, int userdataLen,
                         long egressTunPort, int actionsOff, int actionsLen, int mru, int cutlen) {

    public boolean hasUserdata() {
        return userdataOff >= 0;
    }

    public boolean hasEgressTunPort() {
        return egressTunPort >= 0;
    }

    public boolean hasActions() {
        return actionsOff >= 0;
    }
}
