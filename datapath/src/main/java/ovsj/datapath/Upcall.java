package ovsj.datapath;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.codec.ActionCodec;
import ovsj.odp.codec.KeyEmitter;
import ovsj.odp.uapi.PacketAttr;
import ovsj.odp.uapi.UserFeatures;

/**
 * Builds an upcall ({@code queue_userspace_packet}): an {@code ovs_packet} message with no seq and
 * pid, carrying {@code KEY} (the packet's key), [{@code USERDATA}], [{@code ACTIONS}], [{@code MRU}],
 * [{@code LEN}], {@code HASH} and {@code PACKET}, in that order. Without {@code OVS_DP_F_UNALIGNED}
 * the packet attribute is padded to 4 bytes; with it, {@code nlmsg_len} ends exactly at the last
 * packet byte, as the kernel does for userspace that can read unaligned data.
 */
public final class Upcall {
    /** {@code OVS_PACKET_HASH_SW_BIT}, {@code OVS_PACKET_HASH_L4_BIT}. */
    public static final long HASH_SW_BIT = 1L << 32;
    public static final long HASH_L4_BIT = 1L << 33;

    private Upcall() {
    }

    /**
     * Writes the upcall into {@code w} (reset first) and returns its length.
     *
     * @param userdata  the userspace action's USERDATA payload buffer, or null
     * @param flowActs  the flow's actions to include (the userspace action's ACTIONS flag), or null
     */
    public static int build(NlWriter w, int familyId, int cmd, Datapath dp, Packet p, FlowKey key,
                            byte[] userdata, int udOff, int udLen, byte[] flowActs, int actsOff, int actsLen,
                            int mru, int cutlen) {
        w.reset();
        int msg = w.beginMessage(familyId, 0, 0, 0);
        w.putGenlHeader(cmd, 1);
        w.putRawU32(dp.ifindex());
        KeyEmitter.put(w, key, key, PacketAttr.KEY, false);
        if (userdata != null) {
            w.putBytes(PacketAttr.USERDATA, userdata, udOff, udLen);
        }
        if (flowActs != null) {
            ActionCodec.putActions(w, PacketAttr.ACTIONS, flowActs, actsOff, actsLen);
        }
        if (mru != 0) {
            w.putU16(PacketAttr.MRU, mru);
        }
        int dataLen = p.len - cutlen;
        if (cutlen > 0) {
            w.putU32(PacketAttr.LEN, p.len);
        }
        long hash = p.hash & 0xffffffffL;
        if (p.swHash) {
            hash |= HASH_SW_BIT;
        }
        if (p.l4Hash) {
            hash |= HASH_L4_BIT;
        }
        w.putU64(PacketAttr.HASH, hash);
        // PACKET: header, then the bytes; padded only for userspace that wants aligned attributes.
        int hdr = w.reserve(PacketAttr.PACKET, 0) - NlAttr.HEADER_LENGTH;
        Wire.putU16(w.buffer(), hdr, NlAttr.HEADER_LENGTH + dataLen);
        if ((dp.userFeatures() & UserFeatures.UNALIGNED) != 0) {
            w.putRawUnpadded(p.buf, p.off, dataLen);
        } else {
            w.putRaw(p.buf, p.off, dataLen);
        }
        w.endMessage(msg);
        return w.position();
    }
}
