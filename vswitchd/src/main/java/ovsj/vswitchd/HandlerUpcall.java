package ovsj.vswitchd;

import java.util.Arrays;

import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.OvsHeader;
import ovsj.odp.uapi.PacketAttr;

/**
 * One upcall of a handler's batch ({@code struct upcall} of {@code ofproto-dpif-upcall.c}): what the
 * datapath sent ({@code OVS_PACKET_CMD_MISS} or {@code _ACTION} with PACKET, KEY, HASH, MRU,
 * USERDATA) and what the handler made of it (the flow, the actions, the ukey to install and how the
 * install went). Slots are reused from batch to batch.
 */
final class HandlerUpcall {
    /** The genl command ({@link ovsj.odp.uapi.PacketCmd}). */
    int cmd;
    int dpIfindex;
    /** {@code OVS_PACKET_ATTR_PACKET}. */
    byte[] packet;
    /** {@code OVS_PACKET_ATTR_KEY} payload (key attributes). */
    byte[] key;
    /** {@code OVS_PACKET_ATTR_HASH}, if {@link #hasHash}. */
    long hash;
    boolean hasHash;
    /** {@code OVS_PACKET_ATTR_MRU}, 0 if absent. */
    int mru;
    /** {@code OVS_PACKET_ATTR_USERDATA} (ACTION upcalls), or null. */
    byte[] userdata;

    /** The parsed key. */
    final FlowKey flow = new FlowKey();
    /** The translation's actions; null if the upcall is not to be executed. */
    byte[] actions;
    /** The ukey being installed with this batch, or null. */
    Ukey ukey;
    /** The errno of the install (0 = installed). */
    int putErrno;

    /**
     * Reads the packet-family message at {@code b[m]}. Returns false (and counts nothing) if it lacks
     * a KEY or a PACKET.
     */
    boolean parse(byte[] b, int m) {
        clear();
        int len = NlMsgHdr.len(b, m);
        int genl = m + NlMsgHdr.LENGTH;
        if (len < NlMsgHdr.LENGTH + GenlMsgHdr.LENGTH + OvsHeader.LENGTH) {
            return false;
        }
        cmd = GenlMsgHdr.cmd(b, genl);
        dpIfindex = Wire.u32(b, genl + GenlMsgHdr.LENGTH + OvsHeader.DP_IFINDEX_OFFSET);
        int attrs = genl + GenlMsgHdr.LENGTH + OvsHeader.LENGTH;
        NlAttrReader r = new NlAttrReader().wrap(b, attrs, m + len - attrs);
        while (r.next()) {
            int p = r.payloadOffset();
            int n = r.payloadLength();
            switch (r.type()) {
                case PacketAttr.PACKET -> packet = Arrays.copyOfRange(b, p, p + n);
                case PacketAttr.KEY -> key = Arrays.copyOfRange(b, p, p + n);
                case PacketAttr.USERDATA -> userdata = Arrays.copyOfRange(b, p, p + n);
                case PacketAttr.MRU -> mru = n >= 2 ? r.u16() : 0;
                case PacketAttr.HASH -> {
                    if (n >= 8) {
                        hash = r.u64();
                        hasHash = true;
                    }
                }
                default -> {
                }
            }
        }
        return key != null && packet != null;
    }

    /** Drops what the slot holds (so a finished batch keeps no packets alive). */
    void clear() {
        cmd = 0;
        packet = key = userdata = actions = null;
        hash = 0;
        hasHash = false;
        mru = 0;
        ukey = null;
        putErrno = 0;
    }
}
