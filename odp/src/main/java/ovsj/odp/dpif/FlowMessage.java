package ovsj.odp.dpif;

import java.util.Arrays;

import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FlowStats;
import ovsj.odp.uapi.OvsHeader;

/**
 * A flow as an {@code OVS_FLOW_CMD_*} reply or dump message describes it
 * ({@code ovs_flow_cmd_fill_info}): a reusable view over the message bytes, so that a dump can walk a
 * batch without copying. Offsets are into {@link #buffer()}; an absent attribute has offset -1.
 * {@link #copy()} detaches a view from the buffer it was read from.
 */
public final class FlowMessage {
    private byte[] buf;
    private int msg;
    private int cmd;
    private int dpIfindex;
    private int keyOff, keyLen, maskOff, maskLen, actionsOff, actionsLen, ufidOff, ufidLen;
    private boolean hasStats;
    private long packets, bytes, used;
    private int tcpFlags;

    /** Points this view at the flow message at {@code buf[msg]}. */
    public FlowMessage wrap(byte[] buf, int msg) {
        this.buf = buf;
        this.msg = msg;
        int len = NlMsgHdr.len(buf, msg);
        int genl = msg + NlMsgHdr.LENGTH;
        cmd = GenlMsgHdr.cmd(buf, genl);
        dpIfindex = Wire.u32(buf, genl + GenlMsgHdr.LENGTH + OvsHeader.DP_IFINDEX_OFFSET);
        keyOff = maskOff = actionsOff = ufidOff = -1;
        keyLen = maskLen = actionsLen = ufidLen = 0;
        hasStats = false;
        packets = bytes = used = 0;
        tcpFlags = 0;
        int attrs = genl + GenlMsgHdr.LENGTH + OvsHeader.LENGTH;
        NlAttrReader r = new NlAttrReader().wrap(buf, attrs, msg + len - attrs);
        while (r.next()) {
            int p = r.payloadOffset();
            int n = r.payloadLength();
            switch (r.type()) {
                case FlowAttr.KEY -> {
                    keyOff = p;
                    keyLen = n;
                }
                case FlowAttr.MASK -> {
                    maskOff = p;
                    maskLen = n;
                }
                case FlowAttr.ACTIONS -> {
                    actionsOff = p;
                    actionsLen = n;
                }
                case FlowAttr.UFID -> {
                    ufidOff = p;
                    ufidLen = n;
                }
                case FlowAttr.STATS -> {
                    if (n >= FlowStats.LENGTH) {
                        hasStats = true;
                        packets = Wire.u64(buf, p + FlowStats.N_PACKETS_OFFSET);
                        bytes = Wire.u64(buf, p + FlowStats.N_BYTES_OFFSET);
                    }
                }
                case FlowAttr.USED -> used = n >= 8 ? Wire.u64(buf, p) : 0;
                case FlowAttr.TCP_FLAGS -> tcpFlags = n >= 1 ? r.u8() : 0;
                default -> {
                }
            }
        }
        return this;
    }

    /** A view over a private copy of the current message. */
    public FlowMessage copy() {
        int len = NlMsgHdr.len(buf, msg);
        return new FlowMessage().wrap(Arrays.copyOfRange(buf, msg, msg + len), 0);
    }

    public byte[] buffer() {
        return buf;
    }

    /** Offset of the whole message in {@link #buffer()}. */
    public int messageOffset() {
        return msg;
    }

    /** The genl command ({@link ovsj.odp.uapi.FlowCmd}). */
    public int cmd() {
        return cmd;
    }

    public int dpIfindex() {
        return dpIfindex;
    }

    /** Payload offset of {@code OVS_FLOW_ATTR_KEY} (the key attributes), or -1. */
    public int keyOffset() {
        return keyOff;
    }

    public int keyLength() {
        return keyLen;
    }

    /** Payload offset of {@code OVS_FLOW_ATTR_MASK}, or -1. */
    public int maskOffset() {
        return maskOff;
    }

    public int maskLength() {
        return maskLen;
    }

    /** Payload offset of {@code OVS_FLOW_ATTR_ACTIONS}, or -1. */
    public int actionsOffset() {
        return actionsOff;
    }

    public int actionsLength() {
        return actionsLen;
    }

    /** Payload offset of {@code OVS_FLOW_ATTR_UFID}, or -1. */
    public int ufidOffset() {
        return ufidOff;
    }

    public int ufidLength() {
        return ufidLen;
    }

    /** The UFID's bytes, or null. */
    public byte[] ufid() {
        return ufidOff < 0 ? null : Arrays.copyOfRange(buf, ufidOff, ufidOff + ufidLen);
    }

    public byte[] key() {
        return keyOff < 0 ? null : Arrays.copyOfRange(buf, keyOff, keyOff + keyLen);
    }

    public byte[] mask() {
        return maskOff < 0 ? null : Arrays.copyOfRange(buf, maskOff, maskOff + maskLen);
    }

    public byte[] actions() {
        return actionsOff < 0 ? null : Arrays.copyOfRange(buf, actionsOff, actionsOff + actionsLen);
    }

    /** Whether {@code OVS_FLOW_ATTR_STATS} came (the kernel omits it while the flow has none). */
    public boolean hasStats() {
        return hasStats;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    /** {@code OVS_FLOW_ATTR_USED}: milliseconds of the datapath's monotonic clock, 0 = never. */
    public long used() {
        return used;
    }

    /** {@code OVS_FLOW_ATTR_TCP_FLAGS}, 0 if absent. */
    public int tcpFlags() {
        return tcpFlags;
    }
}
