package ovsj.odp.dpif;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlWriter;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.KeyAttr;

/**
 * What an {@code OVS_FLOW_CMD_*} request carries, as {@code dpif_netlink_flow_to_ofpbuf} puts it:
 * UFID, UFID flags, KEY and MASK (without {@code OVS_KEY_ATTR_PACKET_TYPE}, which the kernel does not
 * know), ACTIONS, CLEAR, PROBE. Byte ranges are referenced, not copied, until {@link #put} writes them;
 * a reusable builder.
 */
public final class FlowRequest {
    private byte[] ufid;
    private int ufidFlags;
    private byte[] key;
    private int keyOff, keyLen;
    private byte[] mask;
    private int maskOff, maskLen;
    private byte[] actions;
    private int actionsOff, actionsLen;
    private boolean clear;
    private boolean probe;

    public FlowRequest reset() {
        ufid = key = mask = actions = null;
        ufidFlags = 0;
        clear = probe = false;
        return this;
    }

    /** The 1..16 UFID bytes, or null for none. */
    public FlowRequest ufid(byte[] u) {
        this.ufid = u;
        return this;
    }

    /** {@code OVS_FLOW_ATTR_UFID_FLAGS} ({@link ovsj.odp.uapi.UfidFlags}); 0 = not sent. */
    public FlowRequest ufidFlags(int f) {
        this.ufidFlags = f;
        return this;
    }

    /** Key attributes {@code b[off, off+len)}; an empty key is not sent. */
    public FlowRequest key(byte[] b, int off, int len) {
        key = b;
        keyOff = off;
        keyLen = len;
        return this;
    }

    public FlowRequest key(byte[] b) {
        return b == null ? key(null, 0, 0) : key(b, 0, b.length);
    }

    /** Mask attributes; null or empty = no MASK (the kernel then takes the key as exact). */
    public FlowRequest mask(byte[] b, int off, int len) {
        mask = b;
        maskOff = off;
        maskLen = len;
        return this;
    }

    public FlowRequest mask(byte[] b) {
        return b == null ? mask(null, 0, 0) : mask(b, 0, b.length);
    }

    /** Action attributes; null = no ACTIONS attribute, empty = an empty list (drop). */
    public FlowRequest actions(byte[] b, int off, int len) {
        actions = b;
        actionsOff = off;
        actionsLen = len;
        return this;
    }

    public FlowRequest actions(byte[] b) {
        return b == null ? actions(null, 0, 0) : actions(b, 0, b.length);
    }

    /** {@code OVS_FLOW_ATTR_CLEAR}: on SET, zero the flow's statistics. */
    public FlowRequest clear(boolean on) {
        clear = on;
        return this;
    }

    /** {@code OVS_FLOW_ATTR_PROBE}: the datapath logs no failure. */
    public FlowRequest probe(boolean on) {
        probe = on;
        return this;
    }

    public boolean hasUfid() {
        return ufid != null;
    }

    public boolean hasKey() {
        return key != null && keyLen > 0;
    }

    /** Writes the attributes into a message being built by {@code w}. */
    public void put(NlWriter w) {
        if (ufid != null) {
            w.putBytes(FlowAttr.UFID, ufid, 0, ufid.length);
        }
        if (ufidFlags != 0) {
            w.putU32(FlowAttr.UFID_FLAGS, ufidFlags);
        }
        if (key != null && keyLen > 0) {
            putExcludingPacketType(w, FlowAttr.KEY, key, keyOff, keyLen);
        }
        if (mask != null && maskLen > 0) {
            putExcludingPacketType(w, FlowAttr.MASK, mask, maskOff, maskLen);
        }
        if (actions != null) {
            w.putBytes(FlowAttr.ACTIONS, actions, actionsOff, actionsLen);
        }
        if (clear) {
            w.putFlag(FlowAttr.CLEAR);
        }
        if (probe) {
            w.putFlag(FlowAttr.PROBE);
        }
    }

    /** {@code put_exclude_packet_type}: the attributes without {@code OVS_KEY_ATTR_PACKET_TYPE}. */
    static void putExcludingPacketType(NlWriter w, int type, byte[] b, int off, int len) {
        int pt = NlAttrReader.find(b, off, len, KeyAttr.PACKET_TYPE);
        if (pt < 0) {
            w.putBytes(type, b, off, len);
            return;
        }
        int ptEnd = pt + NlAttr.align(NlAttr.len(b, pt));
        int nest = w.beginNest(type);
        w.putRawUnpadded(b, off, pt - off);
        w.putRawUnpadded(b, ptEnd, off + len - ptEnd);
        w.endNest(nest);
    }
}
