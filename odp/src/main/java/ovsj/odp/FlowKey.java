package ovsj.odp;

import java.util.Arrays;

/**
 * Everything the kernel's {@code struct sw_flow_key} holds, as a fixed array of {@code long} words.
 *
 * <p>Fields live at fixed byte offsets (the {@code *_OFFSET} constants below); byte {@code o} is bits
 * {@code 8*(o%8)} of word {@code o/8}, and every field is naturally aligned so it never straddles a
 * word. Values are stored as numbers (an IPv4 address {@code 10.0.0.1} is {@code 0x0a000001}, a MAC is
 * the 48-bit big-endian value, an IPv6 address two 64-bit halves), not in wire byte order; raw byte
 * strings (tunnel options, conntrack labels) are stored byte by byte. A {@link FlowMask} uses the same
 * layout, so masking, hashing and comparing are word operations over the mask's range.
 *
 * <p>The tunnel comes first (as in the kernel) so that the range of a mask that does not match on
 * tunnels starts past it.
 *
 * <pre>
 * words  0-31  tunnel options (256 raw bytes)
 * words 32-39  tunnel key: id, ipv4 src/dst, ipv6 src/dst, flags, tp src/dst, tos, ttl, opts len, proto
 * words 40-45  metadata: priority, skb_mark, recirc_id, dp_hash, in_port, mac_proto, ct_*
 * words 46-51  L2 (eth src/dst/type, vlan, cvlan), ip proto/tos/ttl/frag, L4 ports, tcp flags,
 *              ipv6 ext headers and flow label
 * words 52-59  L3 union: IPv4 (+ARP or CT orig tuple), IPv6 (+ND or CT orig tuple), MPLS, NSH
 * </pre>
 */
public final class FlowKey {
    // ---- tunnel ---------------------------------------------------------------------------------
    public static final int TUN_OPTS_OFFSET = 0;
    public static final int TUN_OPTS_MAX = 255;
    public static final int TUN_ID_OFFSET = 256;
    public static final int TUN_IPV4_SRC_OFFSET = 264;
    public static final int TUN_IPV4_DST_OFFSET = 268;
    public static final int TUN_IPV6_SRC_OFFSET = 272;
    public static final int TUN_IPV6_DST_OFFSET = 288;
    public static final int TUN_FLAGS_OFFSET = 304;
    public static final int TUN_TP_SRC_OFFSET = 306;
    public static final int TUN_TP_DST_OFFSET = 308;
    public static final int TUN_TOS_OFFSET = 310;
    public static final int TUN_TTL_OFFSET = 311;
    public static final int TUN_OPTS_LEN_OFFSET = 312;
    /** 0 (no tunnel), AF_INET (2) or AF_INET6 (10): the kernel's {@code tun_proto}. */
    public static final int TUN_PROTO_OFFSET = 313;

    // ---- metadata -------------------------------------------------------------------------------
    public static final int PRIORITY_OFFSET = 320;
    public static final int SKB_MARK_OFFSET = 324;
    public static final int RECIRC_ID_OFFSET = 328;
    public static final int DP_HASH_OFFSET = 332;
    public static final int IN_PORT_OFFSET = 336;
    /** {@link #MAC_PROTO_ETHERNET} or {@link #MAC_PROTO_NONE}. */
    public static final int MAC_PROTO_OFFSET = 338;
    public static final int CT_STATE_OFFSET = 339;
    public static final int CT_ZONE_OFFSET = 340;
    public static final int CT_ORIG_PROTO_OFFSET = 342;
    public static final int CT_MARK_OFFSET = 344;
    public static final int CT_TP_SRC_OFFSET = 348;
    public static final int CT_TP_DST_OFFSET = 350;
    public static final int CT_LABELS_OFFSET = 352;
    public static final int CT_LABELS_LENGTH = 16;

    // ---- L2, IP common, L4 ----------------------------------------------------------------------
    public static final int ETH_SRC_OFFSET = 368;
    public static final int ETH_DST_OFFSET = 376;
    public static final int ETH_TYPE_OFFSET = 384;
    public static final int VLAN_TPID_OFFSET = 386;
    public static final int VLAN_TCI_OFFSET = 388;
    public static final int CVLAN_TPID_OFFSET = 390;
    public static final int CVLAN_TCI_OFFSET = 392;
    /** IP protocol, or the low 8 bits of the ARP opcode. */
    public static final int IP_PROTO_OFFSET = 394;
    public static final int IP_TOS_OFFSET = 395;
    public static final int IP_TTL_OFFSET = 396;
    public static final int IP_FRAG_OFFSET = 397;
    public static final int TP_SRC_OFFSET = 398;
    public static final int TP_DST_OFFSET = 400;
    public static final int TCP_FLAGS_OFFSET = 402;
    public static final int IPV6_EXTHDRS_OFFSET = 404;
    public static final int IPV6_LABEL_OFFSET = 408;

    // ---- L3 union -------------------------------------------------------------------------------
    public static final int L3_OFFSET = 416;
    /** IPv4 source, also the ARP sender protocol address. */
    public static final int IPV4_SRC_OFFSET = 416;
    public static final int IPV4_DST_OFFSET = 420;
    public static final int ARP_SHA_OFFSET = 424;
    public static final int ARP_THA_OFFSET = 432;
    public static final int CT_IPV4_SRC_OFFSET = 424;
    public static final int CT_IPV4_DST_OFFSET = 428;
    public static final int IPV6_SRC_OFFSET = 416;
    public static final int IPV6_DST_OFFSET = 432;
    public static final int ND_TARGET_OFFSET = 448;
    public static final int ND_SLL_OFFSET = 464;
    public static final int ND_TLL_OFFSET = 472;
    public static final int CT_IPV6_SRC_OFFSET = 448;
    public static final int CT_IPV6_DST_OFFSET = 464;
    /** Up to {@link #MPLS_LABEL_DEPTH} label stack entries, u32 each. */
    public static final int MPLS_LSE_OFFSET = 416;
    public static final int MPLS_LABEL_DEPTH = 3;
    /** Bitmap of the label stack entries present ({@code num_labels_mask}). */
    public static final int MPLS_LABELS_MASK_OFFSET = 428;
    public static final int NSH_FLAGS_OFFSET = 416;
    public static final int NSH_TTL_OFFSET = 417;
    public static final int NSH_MDTYPE_OFFSET = 418;
    public static final int NSH_NP_OFFSET = 419;
    public static final int NSH_PATH_HDR_OFFSET = 420;
    public static final int NSH_CONTEXT_OFFSET = 424;

    public static final int BYTES = 480;
    public static final int WORDS = BYTES / 8;

    public static final int MAC_PROTO_NONE = 0;
    public static final int MAC_PROTO_ETHERNET = 1;

    /**
     * The kernel's {@code DP_MAX_PORTS} ({@code USHRT_MAX}): ports are below it, and a key's in_port
     * holds it when the flow key named no port.
     */
    public static final int DP_MAX_PORTS = 65535;

    final long[] words = new long[WORDS];

    public FlowKey() {
    }

    public FlowKey(FlowKey other) {
        copyFrom(other);
    }

    public void copyFrom(FlowKey other) {
        System.arraycopy(other.words, 0, words, 0, WORDS);
    }

    public void clear() {
        Arrays.fill(words, 0L);
    }

    public long[] words() {
        return words;
    }

    public long word(int i) {
        return words[i];
    }

    // ---- field access by byte offset ------------------------------------------------------------

    public int u8(int off) {
        return (int) (words[off >>> 3] >>> ((off & 7) << 3)) & 0xff;
    }

    public int u16(int off) {
        return (int) (words[off >>> 3] >>> ((off & 7) << 3)) & 0xffff;
    }

    public int u32(int off) {
        return (int) (words[off >>> 3] >>> ((off & 7) << 3));
    }

    public long u64(int off) {
        return words[off >>> 3];
    }

    public FlowKey u8(int off, int v) {
        return put(off, 0xffL, v & 0xffL);
    }

    public FlowKey u16(int off, int v) {
        return put(off, 0xffffL, v & 0xffffL);
    }

    public FlowKey u32(int off, int v) {
        return put(off, 0xffffffffL, v & 0xffffffffL);
    }

    public FlowKey u64(int off, long v) {
        words[off >>> 3] = v;
        return this;
    }

    private FlowKey put(int off, long fieldMask, long v) {
        int shift = (off & 7) << 3;
        int w = off >>> 3;
        words[w] = (words[w] & ~(fieldMask << shift)) | (v << shift);
        return this;
    }

    /** Copies {@code len} raw bytes into the key at {@code off} (tunnel options, ct labels). */
    public void putBytes(int off, byte[] src, int srcOff, int len) {
        for (int i = 0; i < len; i++) {
            u8(off + i, src[srcOff + i]);
        }
    }

    public void getBytes(int off, byte[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = (byte) u8(off + i);
        }
    }

    /** True if every byte in {@code [off, off+len)} is zero. */
    public boolean isZero(int off, int len) {
        for (int i = 0; i < len; i++) {
            if (u8(off + i) != 0) {
                return false;
            }
        }
        return true;
    }

    // ---- common fields --------------------------------------------------------------------------

    public int ethType() {
        return u16(ETH_TYPE_OFFSET);
    }

    public int ipProto() {
        return u8(IP_PROTO_OFFSET);
    }

    public int ipFrag() {
        return u8(IP_FRAG_OFFSET);
    }

    public int inPort() {
        return u16(IN_PORT_OFFSET);
    }

    public int macProto() {
        return u8(MAC_PROTO_OFFSET);
    }

    public int tunProto() {
        return u8(TUN_PROTO_OFFSET);
    }

    public int vlanTci() {
        return u16(VLAN_TCI_OFFSET);
    }

    public int cvlanTci() {
        return u16(CVLAN_TCI_OFFSET);
    }

    /** {@code key & mask}, word by word over the mask's range; words outside it become 0. */
    public void mask(FlowKey src, FlowMask mask) {
        long[] m = mask.key().words;
        Arrays.fill(words, 0L);
        for (int i = mask.start(); i < mask.end(); i++) {
            words[i] = src.words[i] & m[i];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && Arrays.equals(words, k.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    /** Equality of two keys over the word range {@code [start, end)}. */
    public boolean equalsRange(FlowKey other, int start, int end) {
        return Arrays.equals(words, start, end, other.words, start, end);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FlowKey{");
        for (int i = 0; i < WORDS; i++) {
            if (words[i] != 0) {
                sb.append(' ').append(i).append('=').append(Long.toHexString(words[i]));
            }
        }
        return sb.append(" }").toString();
    }
}
