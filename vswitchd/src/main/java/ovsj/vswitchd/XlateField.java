package ovsj.vswitchd;

import ovsj.odp.FlowKey;

/**
 * The packet fields that the translation pipelines read, match and rewrite, as slots of a
 * {@link FlowKey}: the handful of {@code struct flow} members of OVS's {@code ofproto-dpif-xlate} that
 * the {@code normal} and {@code rules} pipelines use. Values are numbers (a MAC is its 48-bit value, an
 * IPv4 address its 32-bit value), as {@link FlowKey} stores them; {@link #get} and {@link #set} never
 * touch other fields sharing the word.
 */
public enum XlateField {
    /** The datapath port the packet came in on ({@code in_port}, u16 in the key). */
    IN_PORT("in_port", FlowKey.IN_PORT_OFFSET, 2),
    /** Ethernet source ({@code dl_src}). */
    DL_SRC("dl_src", FlowKey.ETH_SRC_OFFSET, 6),
    /** Ethernet destination ({@code dl_dst}). */
    DL_DST("dl_dst", FlowKey.ETH_DST_OFFSET, 6),
    /** EtherType ({@code dl_type}): for tagged frames, the type after the tag(s), as the kernel keys it. */
    DL_TYPE("dl_type", FlowKey.ETH_TYPE_OFFSET, 2),
    /** The outer 802.1Q TCI: {@code 0x1000} (the kernel's "tag present" bit) | PCP | VID; 0 if untagged. */
    VLAN_TCI("vlan_tci", FlowKey.VLAN_TCI_OFFSET, 2),
    /** IP protocol ({@code nw_proto}); for ARP, the low byte of the opcode. */
    NW_PROTO("nw_proto", FlowKey.IP_PROTO_OFFSET, 1),
    /** IPv4 source ({@code nw_src}); for ARP, the sender protocol address. */
    NW_SRC("nw_src", FlowKey.IPV4_SRC_OFFSET, 4),
    /** IPv4 destination ({@code nw_dst}); for ARP, the target protocol address. */
    NW_DST("nw_dst", FlowKey.IPV4_DST_OFFSET, 4),
    /** TCP/UDP/SCTP source port ({@code tp_src}); ICMP type. */
    TP_SRC("tp_src", FlowKey.TP_SRC_OFFSET, 2),
    /** TCP/UDP/SCTP destination port ({@code tp_dst}); ICMP code. */
    TP_DST("tp_dst", FlowKey.TP_DST_OFFSET, 2);

    /** TCI bit the kernel sets in a key when the frame carries a tag ({@code VLAN_CFI_MASK}). */
    public static final int VLAN_CFI = 0x1000;
    /** The VLAN id bits of a TCI. */
    public static final int VLAN_VID_MASK = 0x0fff;

    private final String ofName;
    private final int offset;
    private final int bytes;
    private final long all;

    XlateField(String ofName, int offset, int bytes) {
        this.ofName = ofName;
        this.offset = offset;
        this.bytes = bytes;
        this.all = bytes == 8 ? -1L : (1L << (8 * bytes)) - 1;
    }

    /** The {@code ovs-ofctl} name of the field. */
    public String ofName() {
        return ofName;
    }

    /** Byte offset of the field in a {@link FlowKey}. */
    public int offset() {
        return offset;
    }

    /** Width in bytes. */
    public int bytes() {
        return bytes;
    }

    /** Width in bits. */
    public int bits() {
        return 8 * bytes;
    }

    /** Every bit of the field set: the exact-match mask. */
    public long all() {
        return all;
    }

    /** The field's value in {@code k}. */
    public long get(FlowKey k) {
        return switch (bytes) {
            case 1 -> k.u8(offset);
            case 2 -> k.u16(offset);
            case 4 -> k.u32(offset) & 0xffffffffL;
            default -> k.u64(offset) & all;
        };
    }

    /** Stores {@code v} (cut to the field's width) into {@code k}. */
    public void set(FlowKey k, long v) {
        switch (bytes) {
            case 1 -> k.u8(offset, (int) v);
            case 2 -> k.u16(offset, (int) v);
            case 4 -> k.u32(offset, (int) v);
            default -> k.u64(offset, (k.u64(offset) & ~all) | (v & all));
        }
    }

    /** Sets the bits {@code v} of the field in {@code k} (keeps those already set). */
    public void or(FlowKey k, long v) {
        set(k, get(k) | (v & all));
    }
}
