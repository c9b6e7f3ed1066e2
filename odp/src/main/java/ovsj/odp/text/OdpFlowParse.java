package ovsj.odp.text;

import static ovsj.odp.text.OdpParseException.E2BIG;
import static ovsj.odp.text.OdpParseException.EINVAL;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.KeyAttr;

/**
 * Datapath flow text to netlink, the twin of OVS's {@code odp_flow_from_string}: the KEY and MASK
 * attribute lists {@code ovs-dpctl add-flow} sends. Every attribute written is written to both: the
 * key with the values given, the mask with each given field's {@code /mask} (all ones when there is
 * none) and zeros for the fields not given. An optional leading {@code ufid:UUID} is skipped (see
 * {@link OdpUfid}).
 *
 * <p>{@link #parse} then applies what {@code dpif-netlink} does before sending (it drops a
 * {@code packet_type(...)} attribute, which the kernel does not know, and for a key without
 * {@code eth()} puts the packet type's id into {@code eth_type}); {@link #parseUnfiltered} gives
 * {@code odp_flow_from_string}'s own output. A mask with no attributes means "no MASK attribute":
 * {@code ovs-dpctl} then sends none.
 *
 * <p>{@code nsh(...)}: OVS 3.1's parser always ends it in a syntax error (after parsing it, it falls
 * through to the {@code encap(} case and fails), in keys and in {@code set(nsh(...))} alike, and
 * {@code ovs-dpctl} users see exactly that error: {@link #parse} reproduces it. {@link #parseWithNsh}
 * parses {@code nsh(...)} as it is printed ({@code ttl=} included) for callers that want the keys.
 */
public final class OdpFlowParse {
    /** {@code MAX_ODP_NESTED}. */
    static final int MAX_NESTED = 32;

    private final String s;
    private final PortNames names;
    private final KeyScan.Scanner port;
    private final boolean acceptNsh;
    int depth;

    OdpFlowParse(String s, PortNames names) {
        this(s, names, false);
    }

    OdpFlowParse(String s, PortNames names, boolean acceptNsh) {
        this.s = s;
        this.names = names;
        this.port = KeyScan.port(names);
        this.acceptNsh = acceptNsh;
    }

    /**
     * Parses {@code match} into key and mask attributes appended to {@code key} and {@code mask}, as
     * {@code ovs-dpctl} sends them; on error nothing is appended.
     *
     * @return 0
     * @throws OdpParseException with OVS's "syntax error at ..." message
     */
    public static int parse(String match, PortNames names, NlWriter key, NlWriter mask) throws OdpParseException {
        return parse(new OdpFlowParse(match, names, false), key, mask);
    }

    /** {@link #parse}, but {@code nsh(...)} keys parse instead of ending in OVS 3.1's syntax error. */
    public static int parseWithNsh(String match, PortNames names, NlWriter key, NlWriter mask)
            throws OdpParseException {
        return parse(new OdpFlowParse(match, names, true), key, mask);
    }

    private static int parse(OdpFlowParse p, NlWriter key, NlWriter mask) throws OdpParseException {
        NlWriter k = new NlWriter(256);
        NlWriter m = new NlWriter(256);
        p.parseAll(k, m);
        excludePacketType(k.buffer(), k.position(), key);
        excludePacketType(m.buffer(), m.position(), mask);
        return 0;
    }

    /** {@code odp_flow_from_string} alone, without {@code dpif-netlink}'s packet-type rewrite. */
    public static int parseUnfiltered(String match, PortNames names, NlWriter key, NlWriter mask)
            throws OdpParseException {
        return new OdpFlowParse(match, names, false).parseAll(key, mask);
    }

    private int parseAll(NlWriter key, NlWriter mask) throws OdpParseException {
        int keyMark = key.position();
        int maskMark = mask.position();
        int pos = 0;
        for (;;) {
            pos += OvsScan.span(s, pos, OvsScan.DELIMITERS);
            if (pos >= s.length()) {
                return 0;
            }
            int r = OdpUfid.parse(s.substring(pos), new byte[16]);
            if (r < 0) {
                key.rewind(keyMark);
                mask.rewind(maskMark);
                throw new OdpParseException("syntax error at " + s.substring(pos), EINVAL);
            } else if (r > 0) {
                pos += r;
                pos += OvsScan.at(s, pos) == ' ' ? 1 : 0;
            }
            r = attr(pos, key, mask);
            if (r < 0) {
                key.rewind(keyMark);
                mask.rewind(maskMark);
                throw new OdpParseException("syntax error at " + s.substring(pos), -r);
            }
            pos += r;
        }
    }

    /**
     * {@code put_exclude_packet_type} of {@code dpif-netlink}: copies the attributes {@code buf[0, len)} to
     * {@code out} without the first PACKET_TYPE attribute; if there was one and there is no ETHERNET
     * attribute, the packet type's id becomes the (first, or an added) ETHERTYPE.
     */
    static void excludePacketType(byte[] buf, int len, NlWriter out) {
        int pt = NlAttrReader.find(buf, 0, len, KeyAttr.PACKET_TYPE);
        if (pt < 0) {
            out.putRawUnpadded(buf, 0, len);
            return;
        }
        int start = out.position();
        int ptEnd = pt + NlAttr.align(NlAttr.len(buf, pt));
        out.putRawUnpadded(buf, 0, pt);
        out.putRawUnpadded(buf, ptEnd, len - ptEnd);
        if (NlAttrReader.find(buf, 0, len, KeyAttr.ETHERNET) < 0) {
            int id = Wire.be16(buf, pt + 6);
            int et = NlAttrReader.find(out.buffer(), start, out.position() - start, KeyAttr.ETHERTYPE);
            if (et >= 0) {
                Wire.putBe16(out.buffer(), et + 4, id);
            } else {
                out.putBe16(KeyAttr.ETHERTYPE, id);
            }
        }
    }

    /** A named field of a struct-valued attribute. */
    record Field(String name, int off, KeyScan.Scanner scanner) {
    }

    private static Field f(String name, int off, KeyScan.Scanner scanner) {
        return new Field(name, off, scanner);
    }

    /**
     * The {@code SCAN_BEGIN ... SCAN_FINISH} loop: comma-separated {@code name=value} fields until ')'.
     * Returns the index after ')' or -1.
     */
    int fields(int pos, byte[] k, byte[] m, Field... fields) {
        int p = pos;
        int len;
        do {
            len = 0;
            for (Field f : fields) {
                if (OvsScan.startsWith(s, p, f.name())) {
                    p += f.name().length();
                    len = f.scanner().scan(s, p, k, m, f.off());
                    if (len == 0) {
                        return -1;
                    }
                    p += len;
                    break;
                }
            }
        } while (OvsScan.at(s, p++) == ',' && len != 0);
        return OvsScan.at(s, p - 1) == ')' ? p : -1;
    }

    /** {@code SCAN_BEGIN}/{@code SCAN_END}: a struct attribute; consumed length, 0 if not {@code name}, or -errno. */
    private int struct(int pos, String name, int type, int size, NlWriter key, NlWriter mask, Field... fields) {
        if (!OvsScan.startsWith(s, pos, name)) {
            return 0;
        }
        byte[] k = new byte[size];
        byte[] m = new byte[size];
        int end = fields(pos + name.length(), k, m, fields);
        if (end < 0) {
            return -EINVAL;
        }
        key.putBytes(type, k);
        mask.putBytes(type, m);
        return end - pos;
    }

    /** {@code SCAN_SINGLE}: one unnamed value; {@code fullyMasked} takes no mask ({@code recirc_id}). */
    private int single(int pos, String name, int type, int size, KeyScan.Scanner scanner, boolean fullyMasked,
                       NlWriter key, NlWriter mask) {
        if (!OvsScan.startsWith(s, pos, name)) {
            return 0;
        }
        byte[] k = new byte[size];
        byte[] m = new byte[size];
        if (fullyMasked) {
            java.util.Arrays.fill(m, (byte) 0xff);
        }
        int p = pos + name.length();
        int len = scanner.scan(s, p, k, fullyMasked ? null : m, 0);
        if (len == 0) {
            return -EINVAL;
        }
        p += len;
        if (OvsScan.at(s, p++) != ')') {
            return -EINVAL;
        }
        key.putBytes(type, k);
        mask.putBytes(type, m);
        return p - pos;
    }

    /** {@code parse_odp_key_mask_attr}: one attribute at {@code s[pos]}; consumed length or -errno. */
    int attr(int pos, NlWriter key, NlWriter mask) {
        depth++;
        try {
            return depth == MAX_NESTED ? -EINVAL : attr0(pos, key, mask);
        } finally {
            depth--;
        }
    }

    private int attr0(int pos, NlWriter key, NlWriter mask) {
        int r;
        if ((r = single(pos, "skb_priority(", KeyAttr.PRIORITY, 4, KeyScan.U32, false, key, mask)) != 0
                || (r = single(pos, "skb_mark(", KeyAttr.SKB_MARK, 4, KeyScan.U32, false, key, mask)) != 0
                || (r = single(pos, "recirc_id(", KeyAttr.RECIRC_ID, 4, KeyScan.U32, true, key, mask)) != 0
                || (r = single(pos, "dp_hash(", KeyAttr.DP_HASH, 4, KeyScan.U32, false, key, mask)) != 0
                || (r = single(pos, "ct_state(", KeyAttr.CT_STATE, 4, KeyScan.CT_STATE, false, key, mask)) != 0
                || (r = single(pos, "ct_zone(", KeyAttr.CT_ZONE, 2, KeyScan.U16, false, key, mask)) != 0
                || (r = single(pos, "ct_mark(", KeyAttr.CT_MARK, 4, KeyScan.U32, false, key, mask)) != 0
                || (r = single(pos, "ct_label(", KeyAttr.CT_LABELS, 16, KeyScan.U128, false, key, mask)) != 0
                || (r = struct(pos, "ct_tuple4(", KeyAttr.CT_ORIG_TUPLE_IPV4, 16, key, mask,
                        f("src=", 0, KeyScan.IPV4), f("dst=", 4, KeyScan.IPV4), f("proto=", 12, KeyScan.U8),
                        f("tp_src=", 8, KeyScan.BE16), f("tp_dst=", 10, KeyScan.BE16))) != 0
                || (r = struct(pos, "ct_tuple6(", KeyAttr.CT_ORIG_TUPLE_IPV6, 40, key, mask,
                        f("src=", 0, KeyScan.IN6), f("dst=", 16, KeyScan.IN6), f("proto=", 36, KeyScan.U8),
                        f("tp_src=", 32, KeyScan.BE16), f("tp_dst=", 34, KeyScan.BE16))) != 0
                || (r = TunnelParse.tunnel(this, s, pos, key, mask)) != 0
                || (r = single(pos, "in_port(", KeyAttr.IN_PORT, 4, port, false, key, mask)) != 0
                || (r = struct(pos, "eth(", KeyAttr.ETHERNET, 12, key, mask,
                        f("src=", 0, KeyScan.ETH), f("dst=", 6, KeyScan.ETH))) != 0
                || (r = vlan(pos, key, mask)) != 0
                || (r = single(pos, "eth_type(", KeyAttr.ETHERTYPE, 2, KeyScan.BE16, false, key, mask)) != 0
                || (r = mpls(pos, key, mask)) != 0
                || (r = struct(pos, "ipv4(", KeyAttr.IPV4, 12, key, mask,
                        f("src=", 0, KeyScan.IPV4), f("dst=", 4, KeyScan.IPV4), f("proto=", 8, KeyScan.U8),
                        f("tos=", 9, KeyScan.U8), f("ttl=", 10, KeyScan.U8), f("frag=", 11, KeyScan.FRAG))) != 0
                || (r = struct(pos, "ipv6(", KeyAttr.IPV6, 40, key, mask,
                        f("src=", 0, KeyScan.IN6), f("dst=", 16, KeyScan.IN6), f("label=", 32, KeyScan.IPV6_LABEL),
                        f("proto=", 36, KeyScan.U8), f("tclass=", 37, KeyScan.U8), f("hlimit=", 38, KeyScan.U8),
                        f("frag=", 39, KeyScan.FRAG))) != 0
                || (r = struct(pos, "tcp(", KeyAttr.TCP, 4, key, mask,
                        f("src=", 0, KeyScan.BE16), f("dst=", 2, KeyScan.BE16))) != 0
                || (r = single(pos, "tcp_flags(", KeyAttr.TCP_FLAGS, 2, KeyScan.TCP_FLAGS, false, key, mask)) != 0
                || (r = struct(pos, "udp(", KeyAttr.UDP, 4, key, mask,
                        f("src=", 0, KeyScan.BE16), f("dst=", 2, KeyScan.BE16))) != 0
                || (r = struct(pos, "sctp(", KeyAttr.SCTP, 4, key, mask,
                        f("src=", 0, KeyScan.BE16), f("dst=", 2, KeyScan.BE16))) != 0
                || (r = struct(pos, "icmp(", KeyAttr.ICMP, 2, key, mask,
                        f("type=", 0, KeyScan.U8), f("code=", 1, KeyScan.U8))) != 0
                || (r = struct(pos, "icmpv6(", KeyAttr.ICMPV6, 2, key, mask,
                        f("type=", 0, KeyScan.U8), f("code=", 1, KeyScan.U8))) != 0
                || (r = struct(pos, "arp(", KeyAttr.ARP, 24, key, mask,
                        f("sip=", 0, KeyScan.IPV4), f("tip=", 4, KeyScan.IPV4), f("op=", 8, KeyScan.BE16),
                        f("sha=", 10, KeyScan.ETH), f("tha=", 16, KeyScan.ETH))) != 0
                || (r = struct(pos, "nd(", KeyAttr.ND, 28, key, mask,
                        f("target=", 0, KeyScan.IN6), f("sll=", 16, KeyScan.ETH), f("tll=", 22, KeyScan.ETH))) != 0
                || (r = struct(pos, "nd_ext(", KeyAttr.ND_EXTENSIONS, 8, key, mask,
                        f("nd_reserved=", 0, KeyScan.BE32), f("nd_options_type=", 4, KeyScan.U8))) != 0
                || (r = struct(pos, "packet_type(", KeyAttr.PACKET_TYPE, 4, key, mask,
                        f("ns=", 0, KeyScan.BE16), f("id=", 2, KeyScan.BE16))) != 0
                || (r = single(pos, "ipv6_exthdrs(", KeyAttr.IPV6_EXTHDRS, 2, KeyScan.U16, false, key, mask)) != 0
                || (r = nsh(pos, key, mask)) != 0
                || (r = encap(pos, key, mask)) != 0) {
            return r;
        }
        return -EINVAL;
    }

    /** {@code nsh(...)}: parsed only when asked for; OVS 3.1 fails on it after parsing it. */
    private int nsh(int pos, NlWriter key, NlWriter mask) {
        if (!acceptNsh && OvsScan.startsWith(s, pos, "nsh(")) {
            return -EINVAL;
        }
        return TunnelParse.nsh(this, s, pos, key, mask);
    }

    /** {@code vlan(...)}: the TCI starts with the CFI bit set in key and mask. */
    private int vlan(int pos, NlWriter key, NlWriter mask) {
        if (!OvsScan.startsWith(s, pos, "vlan(")) {
            return 0;
        }
        byte[] k = {0x10, 0};
        byte[] m = {0x10, 0};
        int end = fields(pos + 5, k, m, f("vid=", 0, KeyScan.VID), f("pcp=", 0, KeyScan.PCP),
                f("cfi=", 0, KeyScan.CFI));
        if (end < 0) {
            return -EINVAL;
        }
        key.putBytes(KeyAttr.VLAN, k);
        mask.putBytes(KeyAttr.VLAN, m);
        return end - pos;
    }

    /**
     * {@code mpls(...)}: up to three label stack entries; a field seen again starts the next entry
     * ({@code SCAN_BEGIN_ARRAY}).
     */
    private int mpls(int pos, NlWriter key, NlWriter mask) {
        if (!OvsScan.startsWith(s, pos, "mpls(")) {
            return 0;
        }
        final int cnt = 3;
        String[] names = {"label=", "tc=", "ttl=", "bos="};
        KeyScan.Scanner[] scanners = {KeyScan.MPLS_LABEL, KeyScan.MPLS_TC, KeyScan.MPLS_TTL, KeyScan.MPLS_BOS};
        byte[] k = new byte[4 * cnt];
        byte[] m = new byte[4 * cnt];
        int idx = 0;
        int seen = 0;
        int p = pos + 5;
        int len;
        boolean broke = false;
        do {
            len = 0;
            for (int field = 0; field < names.length; field++) {
                if (OvsScan.startsWith(s, p, names[field])) {
                    if ((seen & (1 << field)) != 0) {
                        seen = 0;
                        if (++idx == cnt) {
                            broke = true;
                            break;
                        }
                    }
                    p += names[field].length();
                    len = scanners[field].scan(s, p, k, m, 4 * idx);
                    if (len == 0) {
                        return -EINVAL;
                    }
                    p += len;
                    seen |= 1 << field;
                    break;
                }
            }
            if (broke) {
                break;
            }
        } while (OvsScan.at(s, p++) == ',' && len != 0);
        if (OvsScan.at(s, p - 1) != ')' || idx == cnt) {
            return -EINVAL;
        }
        key.putBytes(KeyAttr.MPLS, k, 0, 4 * (idx + 1));
        mask.putBytes(KeyAttr.MPLS, m, 0, 4 * (idx + 1));
        return p - pos;
    }

    /** {@code encap(...)}: nested attributes separated by delimiters. */
    private int encap(int pos, NlWriter key, NlWriter mask) {
        if (!OvsScan.startsWith(s, pos, "encap(")) {
            return 0;
        }
        int kn = key.beginNest(KeyAttr.ENCAP);
        int mn = mask.beginNest(KeyAttr.ENCAP);
        int p = pos + 6;
        for (;;) {
            p += OvsScan.span(s, p, OvsScan.DELIMITERS);
            char c = OvsScan.at(s, p);
            if (c == '\0') {
                return -EINVAL;
            } else if (c == ')') {
                break;
            }
            int r = attr(p, key, mask);
            if (r < 0) {
                return r;
            }
            if (key.position() - kn - NlAttr.HEADER_LENGTH > 0xffff - NlAttr.HEADER_LENGTH) {
                return -E2BIG;
            }
            p += r;
        }
        p++;
        key.endNest(kn);
        mask.endNest(mn);
        return p - pos;
    }
}
