package ovsj.datapath.flow;

import java.util.HexFormat;

import ovsj.datapath.Packet;
import ovsj.netlink.NlWriter;
import ovsj.odp.FlowKey;
import ovsj.odp.codec.KeyEmitter;
import ovsj.odp.uapi.PacketAttr;

/** Hand-built frames for the extraction tests, as hex strings. */
final class Frames {
    static final String DST = "000a0b0c0d0e";
    static final String SRC = "000102030405";
    static final String MACS = DST + SRC;
    static final long DST_MAC = 0x000a0b0c0d0eL;
    static final long SRC_MAC = 0x000102030405L;
    /** 10.0.0.1 → 10.0.0.2. */
    static final String V4_ADDRS = "0a000001" + "0a000002";
    /** 2001:db8::1 → 2001:db8::2. */
    static final String V6_SRC = "20010db8000000000000000000000001";
    static final String V6_DST = "20010db8000000000000000000000002";

    private Frames() {
    }

    static String h8(int v) {
        return String.format("%02x", v & 0xff);
    }

    static String h16(int v) {
        return String.format("%04x", v & 0xffff);
    }

    static String h32(int v) {
        return String.format("%08x", v);
    }

    static int len(String hex) {
        return hex.length() / 2;
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String zeros(int n) {
        return "00".repeat(n);
    }

    static String eth(int type, String payload) {
        return MACS + h16(type) + payload;
    }

    static String tag(int tpid, int tci) {
        return h16(tpid) + h16(tci);
    }

    /** An IPv4 header: version/IHL byte, frag field, protocol, options, then the payload. */
    static String ipv4(int verIhl, int frag, int proto, String options, String payload) {
        int totLen = 20 + len(options) + len(payload);
        return h8(verIhl) + "00" + h16(totLen) + "0001" + h16(frag) + "40" + h8(proto) + "0000" + V4_ADDRS
                + options + payload;
    }

    static String ipv4(int proto, String payload) {
        return ipv4(0x45, 0, proto, "", payload);
    }

    /** An IPv6 header (tclass 0, label {@code label}, hop limit 64) and its payload. */
    static String ipv6(int label, int nexthdr, String payload) {
        return h32(0x60000000 | label) + h16(len(payload)) + h8(nexthdr) + "40" + V6_SRC + V6_DST + payload;
    }

    static String ipv6(int nexthdr, String payload) {
        return ipv6(0, nexthdr, payload);
    }

    /** An IPv6 options-style extension header (HBH, dest-opts, routing) of {@code 8 * (len + 1)} bytes. */
    static String ext(int nexthdr, int len) {
        return h8(nexthdr) + h8(len) + zeros(6 + 8 * len);
    }

    static String frag(int nexthdr, int offsetAndM) {
        return h8(nexthdr) + "00" + h16(offsetAndM) + "12345678";
    }

    static String tcp(int sport, int dport, int flags) {
        return h16(sport) + h16(dport) + "00000001" + "00000000" + h16(0x5000 | flags) + "2000" + "0000" + "0000";
    }

    static String udp(int sport, int dport) {
        return h16(sport) + h16(dport) + "0008" + "0000";
    }

    static String icmp(int type, int code) {
        return h8(type) + h8(code) + "0000" + "00010001";
    }

    /** An ND NS/NA (type, code) with target 2001:db8::99 and the given options. */
    static String nd(int type, int code, String options) {
        return h8(type) + h8(code) + "0000" + "00000000" + "20010db8000000000000000000000099" + options;
    }

    static String llOpt(int type, long mac) {
        return h8(type) + "01" + String.format("%012x", mac);
    }

    /** Wraps and extracts on port 1; the return code is in {@link #rc}. */
    static Packet extract(String hex) {
        byte[] f = bytes(hex);
        Packet p = new Packet().wrap(f, 0, f.length, 1);
        rc = KeyExtractor.extract(p);
        return p;
    }

    static int rc;

    /** Types of the attributes directly inside an emitted KEY nest, in order. */
    static java.util.List<Integer> topAttrs(byte[] nest) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        ovsj.netlink.NlAttrReader r = new ovsj.netlink.NlAttrReader().wrap(nest, 4, nest.length - 4);
        while (r.next()) {
            out.add(r.type());
        }
        return out;
    }

    /** The key as the kernel would put it in an upcall's KEY attribute. */
    static byte[] emit(FlowKey key) {
        NlWriter w = new NlWriter(1024);
        KeyEmitter.put(w, key, key, PacketAttr.KEY, false);
        return w.toByteArray();
    }
}
