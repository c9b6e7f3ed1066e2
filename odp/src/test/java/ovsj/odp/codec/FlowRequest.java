package ovsj.odp.codec;

import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlMsgHdr;
import ovsj.odp.uapi.FlowAttr;

/**
 * Test helper: the top-level attributes of an {@code ovs_flow} message (request or reply), found the
 * way the kernel's liberal parse finds them (first occurrence, iteration stops at a malformed one).
 * Offsets are of attribute headers in {@link #buf}, -1 when absent.
 */
record FlowRequest(byte[] buf, int cmd, int key, int mask, int actions, int ufid, int ufidFlags, int probe) {
    static final int ATTRS_OFFSET = NlMsgHdr.LENGTH + GenlMsgHdr.LENGTH + 4;

    static FlowRequest of(byte[] msg) {
        int len = Math.min(msg.length, NlMsgHdr.len(msg, 0));
        int[] at = new int[FlowAttr.MAX + 1];
        java.util.Arrays.fill(at, -1);
        if (len >= ATTRS_OFFSET) {
            NlAttrReader r = new NlAttrReader().wrap(msg, ATTRS_OFFSET, len - ATTRS_OFFSET);
            while (r.next()) {
                if (r.type() <= FlowAttr.MAX && at[r.type()] < 0) {
                    at[r.type()] = r.offset();
                }
            }
        }
        int cmd = msg.length > NlMsgHdr.LENGTH ? GenlMsgHdr.cmd(msg, NlMsgHdr.LENGTH) : -1;
        return new FlowRequest(msg, cmd, at[FlowAttr.KEY], at[FlowAttr.MASK], at[FlowAttr.ACTIONS],
                at[FlowAttr.UFID], at[FlowAttr.UFID_FLAGS], at[FlowAttr.PROBE]);
    }

    /** The whole attribute (header included) at {@code off}, as hex; null if absent. */
    String attrHex(int off) {
        if (off < 0) {
            return null;
        }
        return ovsj.netlink.Wire.hex(buf, off, ovsj.netlink.NlAttr.len(buf, off));
    }

    int payloadLength(int off) {
        return ovsj.netlink.NlAttr.len(buf, off) - 4;
    }
}
