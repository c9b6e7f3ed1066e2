package ovsj.datapath;

import java.util.Arrays;

import ovsj.odp.FlowKey;

/**
 * A packet on its way through the datapath (the parts of {@code struct sk_buff} and {@code OVS_CB} the
 * openvswitch module uses): the frame bytes {@code buf[off, off+len)} with headroom in front for
 * pushed headers, the header offsets key extraction found, the metadata that is not in the frame
 * (input port, priority, mark, hash, MRU, truncation) and the extracted flow key, kept in step with
 * the frame by the actions that change it.
 *
 * <p>Offsets are absolute indexes into {@link #buf}; -1 means "not found". Not thread-safe: a packet
 * belongs to one forwarding thread at a time. Reused: {@link #wrap} resets everything.
 */
public final class Packet {
    /** Room kept in front of the frame for pushed headers (VLAN, MPLS, Ethernet). */
    public static final int HEADROOM = 128;

    public byte[] buf;
    public int off;
    public int len;

    /** Start of the L2 header ({@code skb_mac_header}), usually {@link #off}. */
    public int macOff = -1;
    /** Start of the L3 header ({@code skb_network_header}). */
    public int networkOff = -1;
    /** Start of the L4 header ({@code skb_transport_header}). */
    public int transportOff = -1;

    /** The vport the packet came in on ({@code OVS_CB(skb)->input_vport->port_no}). */
    public int inPort;
    public int priority;
    public int mark;
    /** {@code skb->hash}, valid when {@link #swHash} (computed here) is set. */
    public int hash;
    public boolean swHash;
    public boolean l4Hash;
    /** {@code OVS_CB(skb)->mru}: 0 unless the packet was reassembled. */
    public int mru;
    /** {@code OVS_CB(skb)->cutlen}: bytes a trunc action will cut on output. */
    public int cutlen;

    /** The flow key extracted from this packet (and updated by set actions). */
    public final FlowKey key = new FlowKey();

    public Packet() {
        this.buf = new byte[HEADROOM + 2048];
    }

    /** Loads a frame, resetting the metadata. */
    public Packet wrap(byte[] frame, int frameOff, int frameLen, int inPort) {
        if (buf.length < HEADROOM + frameLen) {
            buf = new byte[HEADROOM + frameLen + 256];
        }
        System.arraycopy(frame, frameOff, buf, HEADROOM, frameLen);
        off = HEADROOM;
        len = frameLen;
        macOff = off;
        networkOff = -1;
        transportOff = -1;
        this.inPort = inPort;
        priority = 0;
        mark = 0;
        hash = 0;
        swHash = false;
        l4Hash = false;
        mru = 0;
        cutlen = 0;
        key.clear();
        return this;
    }

    /** A deep copy ({@code skb_clone} + unshare): for clone, sample and multiple outputs. */
    public Packet copy() {
        Packet p = new Packet();
        p.buf = Arrays.copyOf(buf, buf.length);
        p.off = off;
        p.len = len;
        p.macOff = macOff;
        p.networkOff = networkOff;
        p.transportOff = transportOff;
        p.inPort = inPort;
        p.priority = priority;
        p.mark = mark;
        p.hash = hash;
        p.swHash = swHash;
        p.l4Hash = l4Hash;
        p.mru = mru;
        p.cutlen = cutlen;
        p.key.copyFrom(key);
        return p;
    }

    /** The frame as a new array. */
    public byte[] frame() {
        return Arrays.copyOfRange(buf, off, off + len);
    }

    /** Makes sure {@code n} bytes can be pushed in front of the frame. */
    public void ensureHeadroom(int n) {
        if (off >= n) {
            return;
        }
        int shift = HEADROOM + n - off;
        byte[] nb = new byte[buf.length + shift];
        System.arraycopy(buf, off, nb, off + shift, len);
        buf = nb;
        off += shift;
        macOff = macOff < 0 ? -1 : macOff + shift;
        networkOff = networkOff < 0 ? -1 : networkOff + shift;
        transportOff = transportOff < 0 ? -1 : transportOff + shift;
    }

    /**
     * Opens a gap of {@code n} bytes at {@code at} (absolute) by moving the bytes before it to the
     * front: the frame grows by {@code n}, header offsets at or after {@code at} stay where they are,
     * those before it move with the bytes. Used to insert a tag or label after the MAC addresses.
     */
    public void insertGap(int at, int n) {
        int rel = at - off;
        ensureHeadroom(n);
        at = off + rel;
        System.arraycopy(buf, off, buf, off - n, rel);
        off -= n;
        len += n;
        if (macOff >= 0 && macOff < at) {
            macOff -= n;
        }
        if (networkOff >= 0 && networkOff < at) {
            networkOff -= n;
        }
        if (transportOff >= 0 && transportOff < at) {
            transportOff -= n;
        }
    }

    /** Removes {@code n} bytes at {@code at} (absolute), moving the bytes before it back. */
    public void removeBytes(int at, int n) {
        int rel = at - off;
        System.arraycopy(buf, off, buf, off + n, rel);
        off += n;
        len -= n;
        if (macOff >= 0 && macOff < at) {
            macOff += n;
        }
        if (networkOff >= 0 && networkOff < at) {
            networkOff += n;
        }
        if (transportOff >= 0 && transportOff < at) {
            transportOff += n;
        }
    }
}
