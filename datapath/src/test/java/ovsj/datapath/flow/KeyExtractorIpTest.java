package ovsj.datapath.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.datapath.flow.Frames.emit;
import static ovsj.datapath.flow.Frames.eth;
import static ovsj.datapath.flow.Frames.ext;
import static ovsj.datapath.flow.Frames.extract;
import static ovsj.datapath.flow.Frames.frag;
import static ovsj.datapath.flow.Frames.icmp;
import static ovsj.datapath.flow.Frames.ipv4;
import static ovsj.datapath.flow.Frames.ipv6;
import static ovsj.datapath.flow.Frames.llOpt;
import static ovsj.datapath.flow.Frames.nd;
import static ovsj.datapath.flow.Frames.tcp;
import static ovsj.datapath.flow.Frames.topAttrs;
import static ovsj.datapath.flow.Frames.udp;
import static ovsj.datapath.flow.Frames.zeros;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.FragType;
import ovsj.odp.uapi.KeyAttr;

/** IPv4, IPv6 (extension headers, fragments, ND) and the transport headers, per Linux 6.1 flow.c. */
class KeyExtractorIpTest {
    private static final int NH = Packet.HEADROOM + 14;

    private static final int HOP = 0x40;
    private static final int ROUTER = 0x20;
    private static final int FRAG = 0x10;
    private static final int DEST = 0x08;
    private static final int AUTH = 0x04;
    private static final int NONEXT = 0x01;
    private static final int UNREP = 0x80;
    private static final int UNSEQ = 0x100;

    private static FlowKey v4(String ip) {
        return extract(eth(0x0800, ip)).key;
    }

    private static Packet v6(String ip) {
        return extract(eth(0x86dd, ip));
    }

    @Test
    void ipv4Fields() {
        Packet p = extract(eth(0x0800, "45b8002800014000ff06" + "0000" + Frames.V4_ADDRS + tcp(1234, 80, 0xfff)));
        FlowKey k = p.key;
        assertThat(k.u32(FlowKey.IPV4_SRC_OFFSET)).isEqualTo(0x0a000001);
        assertThat(k.u32(FlowKey.IPV4_DST_OFFSET)).isEqualTo(0x0a000002);
        assertThat(k.ipProto()).isEqualTo(6);
        assertThat(k.u8(FlowKey.IP_TOS_OFFSET)).isEqualTo(0xb8);
        assertThat(k.u8(FlowKey.IP_TTL_OFFSET)).isEqualTo(255);
        assertThat(k.ipFrag()).as("DF alone is not a fragment").isEqualTo(FragType.NONE);
        assertThat(k.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(1234);
        assertThat(k.u16(FlowKey.TCP_FLAGS_OFFSET)).as("12 bits: reserved, NS and the 8 flags").isEqualTo(0xfff);
        assertThat(p.transportOff).isEqualTo(NH + 20);
    }

    @Test
    void ipv4OptionsMoveTheTransportHeader() {
        Packet p = extract(eth(0x0800, ipv4(0x46, 0, 17, "94040000", udp(53, 54))));
        assertThat(p.transportOff).isEqualTo(NH + 24);
        assertThat(p.key.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(53);
        p = extract(eth(0x0800, ipv4(0x4f, 0, 17, "07" + "27" + "04" + zeros(37), udp(5, 6))));
        assertThat(p.transportOff).isEqualTo(NH + 60);
        assertThat(p.key.u16(FlowKey.TP_DST_OFFSET)).isEqualTo(6);
    }

    @Test
    void ipv4Fragments() {
        FlowKey k = v4(ipv4(0x45, 0x2000, 17, "", udp(1, 2)));
        assertThat(k.ipFrag()).isEqualTo(FragType.FIRST);
        assertThat(k.u16(FlowKey.TP_DST_OFFSET)).isEqualTo(2);
        for (int frag : new int[] {0x2003, 0x0006, 0x1fff, 0x3fff}) {
            k = v4(ipv4(0x45, frag, 6, "", tcp(1, 2, 0x02)));
            assertThat(k.ipFrag()).isEqualTo(FragType.LATER);
            assertThat(k.ipProto()).isEqualTo(6);
            assertThat(k.u16(FlowKey.TP_SRC_OFFSET)).isZero();
            assertThat(k.u16(FlowKey.TCP_FLAGS_OFFSET)).isZero();
            assertThat(topAttrs(emit(k))).doesNotContain(KeyAttr.TCP, KeyAttr.TCP_FLAGS);
        }
    }

    @Test
    void badIpv4HeadersGiveZeroIpFields() {
        for (String bad : new String[] {
            ipv4(0x44, 0, 6, "", tcp(1, 2, 0)),                  // IHL 4
            ipv4(0x4f, 0, 6, "", tcp(1, 2, 0)),                  // IHL 15, 40 bytes
            "4500002800010000",                                 // header cut at 8 bytes
            ipv4(6, "").substring(0, 38)}) {                   // 19 bytes
            Packet p = extract(eth(0x0800, bad));
            assertThat(Frames.rc).isZero();
            assertThat(p.key.ethType()).isEqualTo(0x0800);
            assertThat(p.key.ipProto()).isZero();
            assertThat(p.key.u32(FlowKey.IPV4_SRC_OFFSET)).isZero();
            assertThat(p.key.u8(FlowKey.IP_TTL_OFFSET)).isZero();
            assertThat(p.transportOff).isEqualTo(NH);
            assertThat(topAttrs(emit(p.key))).contains(KeyAttr.IPV4).doesNotContain(KeyAttr.TCP);
        }
    }

    @Test
    void ipv4VersionAndTotalLengthAreNotChecked() {
        // kernel: no tot_len check (OVS userspace zeroes these), no version check
        String tooShort = "4500000a000100004011" + "0000" + Frames.V4_ADDRS + udp(1, 2);
        assertThat(v4(tooShort).u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(1);
        String tooLong = "45000fff000100004011" + "0000" + Frames.V4_ADDRS + udp(1, 2);
        assertThat(v4(tooLong).u16(FlowKey.TP_DST_OFFSET)).isEqualTo(2);
        assertThat(v4(ipv4(0x65, 0, 17, "", udp(3, 4))).u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(3);
    }

    @Test
    void truncatedTransportHeadersAreZero() {
        String t = tcp(1, 2, 0x18);
        for (int n : new int[] {2, 4, 13, 14, 19}) {
            FlowKey k = v4(ipv4(6, t.substring(0, 2 * n)));
            assertThat(k.ipProto()).isEqualTo(6);
            assertThat(k.u16(FlowKey.TP_SRC_OFFSET)).isZero();
            assertThat(k.u16(FlowKey.TCP_FLAGS_OFFSET)).isZero();
            assertThat(topAttrs(emit(k))).contains(KeyAttr.TCP, KeyAttr.TCP_FLAGS);
        }
        // data offset 4 (< 5) or 15 beyond the frame
        assertThat(v4(ipv4(6, t.substring(0, 24) + "40" + t.substring(26))).u16(FlowKey.TP_SRC_OFFSET)).isZero();
        assertThat(v4(ipv4(6, t.substring(0, 24) + "f0" + t.substring(26))).u16(FlowKey.TP_SRC_OFFSET)).isZero();
        assertThat(v4(ipv4(17, udp(1, 2).substring(0, 14))).u16(FlowKey.TP_SRC_OFFSET)).isZero();
        assertThat(v4(ipv4(132, udp(1, 2) + "000000")).u16(FlowKey.TP_SRC_OFFSET)).isZero();
        assertThat(v4(ipv4(132, udp(1, 2) + "00000000")).u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(1);
        FlowKey k = v4(ipv4(1, "0800ff"));
        assertThat(k.u16(FlowKey.TP_SRC_OFFSET)).isZero();
        assertThat(topAttrs(emit(k))).contains(KeyAttr.ICMP);
        k = v4(ipv4(1, icmp(3, 1)));
        assertThat(k.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(3);
        assertThat(k.u16(FlowKey.TP_DST_OFFSET)).isEqualTo(1);
        // the frame, not tot_len, is the limit: padding after a short IP packet is read
        String padded = ipv4(6, t.substring(0, 8)) + t.substring(8) + zeros(6);
        assertThat(v4(padded).u16(FlowKey.TP_DST_OFFSET)).isEqualTo(2);
    }

    @Test
    void ipv6Fields() {
        Packet p = v6("6b812345" + "0014" + "06" + "ff" + Frames.V6_SRC + Frames.V6_DST + tcp(1, 2, 0x02));
        FlowKey k = p.key;
        assertThat(k.u8(FlowKey.IP_TOS_OFFSET)).isEqualTo(0xb8);
        assertThat(k.u32(FlowKey.IPV6_LABEL_OFFSET)).isEqualTo(0x12345);
        assertThat(k.u8(FlowKey.IP_TTL_OFFSET)).isEqualTo(255);
        assertThat(k.ipProto()).isEqualTo(6);
        assertThat(k.u64(FlowKey.IPV6_SRC_OFFSET)).isEqualTo(0x20010db800000000L);
        assertThat(k.u64(FlowKey.IPV6_SRC_OFFSET + 8)).isEqualTo(1);
        assertThat(k.u64(FlowKey.IPV6_DST_OFFSET + 8)).isEqualTo(2);
        assertThat(k.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isZero();
        assertThat(p.transportOff).isEqualTo(NH + 40);
        assertThat(k.u16(FlowKey.TCP_FLAGS_OFFSET)).isEqualTo(2);
    }

    @Test
    void ipv6ExtensionHeadersAreSkipped() {
        Packet p = v6(ipv6(0, ext(17, 0) + udp(1, 2)));
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(HOP);
        assertThat(p.key.ipProto()).isEqualTo(17);
        assertThat(p.transportOff).isEqualTo(NH + 48);
        assertThat(p.key.u16(FlowKey.TP_DST_OFFSET)).isEqualTo(2);

        p = v6(ipv6(43, ext(6, 1) + tcp(1, 2, 0x10)));
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(ROUTER);
        assertThat(p.transportOff).isEqualTo(NH + 56);
        assertThat(p.key.u16(FlowKey.TCP_FLAGS_OFFSET)).isEqualTo(0x10);

        p = v6(ipv6(60, ext(58, 0) + icmp(128, 0)));
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(DEST);
        assertThat(p.key.ipProto()).isEqualTo(58);
        assertThat(p.key.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(128);

        p = v6(ipv6(0, ext(60, 0) + ext(43, 0) + ext(17, 0) + udp(1, 2)));
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(HOP | DEST | ROUTER);
        assertThat(p.transportOff).isEqualTo(NH + 64);

        // out of order and repeated
        assertThat(v6(ipv6(60, ext(0, 0) + ext(17, 0) + udp(1, 2))).key.u16(FlowKey.IPV6_EXTHDRS_OFFSET))
                .isEqualTo(DEST | UNSEQ);
        assertThat(v6(ipv6(0, ext(0, 0) + ext(17, 0) + udp(1, 2))).key.u16(FlowKey.IPV6_EXTHDRS_OFFSET))
                .isEqualTo(HOP | UNREP | UNSEQ);
        assertThat(v6(ipv6(60, ext(60, 0) + ext(60, 0) + ext(17, 0) + udp(1, 2))).key.u16(FlowKey.IPV6_EXTHDRS_OFFSET))
                .isEqualTo(DEST | UNREP);
    }

    @Test
    void ipv6NoNextHeaderAndEsp() {
        Packet p = v6(ipv6(59, zeros(8)));
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(NONEXT);
        assertThat(p.key.ipProto()).isEqualTo(59);
        assertThat(p.transportOff).isEqualTo(NH + 40);
        // ESP is not an extension header for ipv6_ext_hdr(): no bit, proto 50
        p = v6(ipv6(50, "00001234" + "00000001" + zeros(16)));
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isZero();
        assertThat(p.key.ipProto()).isEqualTo(50);
        assertThat(p.key.u16(FlowKey.TP_SRC_OFFSET)).isZero();
        p = v6(ipv6(0, ext(59, 0)));
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(HOP | NONEXT);
        assertThat(p.key.ipProto()).isEqualTo(59);
    }

    @Test
    void ipv6AuthenticationHeader() {
        // AH of 24 bytes (payload len 4) then TCP: the walk uses AH's own length unit
        String ah = "06" + "04" + "0000" + "00001000" + "00000001" + zeros(12);
        Packet p = v6(ipv6(51, ah + tcp(7, 8, 0x02)));
        assertThat(p.key.ipProto()).isEqualTo(6);
        assertThat(p.transportOff).isEqualTo(NH + 64);
        assertThat(p.key.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(7);
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(AUTH);
        // AH, dest-opts, UDP: the bitmap walk steps over AH as if it were (len+1)*8 bytes (40), so it
        // reads the UDP payload as the next header; a 59 there adds NONEXT. Also DEST after AUTH is UNSEQ.
        String ah2 = "3c" + "04" + "0000" + "00001000" + "00000001" + zeros(12);
        p = v6(ipv6(51, ah2 + ext(17, 0) + udp(1, 2) + "3b00" + zeros(6)));
        assertThat(p.key.ipProto()).isEqualTo(17);
        assertThat(p.key.u16(FlowKey.TP_DST_OFFSET)).isEqualTo(2);
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(AUTH | DEST | UNSEQ | NONEXT);
        // fragment then AH: the kernel's AH check lets IPPROTO_FRAGMENT's bits pass, not OFPIEH12_FRAG
        p = v6(ipv6(44, frag(51, 0x0001) + ah + tcp(1, 2, 0)));
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(FRAG | AUTH | UNSEQ);
    }

    @Test
    void ipv6Fragments() {
        Packet p = v6(ipv6(44, frag(17, 0x0001) + udp(1, 2)));
        assertThat(p.key.ipFrag()).isEqualTo(FragType.FIRST);
        assertThat(p.key.ipProto()).isEqualTo(17);
        assertThat(p.key.u16(FlowKey.TP_DST_OFFSET)).isEqualTo(2);
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(FRAG);
        assertThat(p.transportOff).isEqualTo(NH + 48);

        for (int fo : new int[] {0x0011, 0x0020}) {
            p = v6(ipv6(44, frag(17, fo) + udp(1, 2)));
            assertThat(p.key.ipFrag()).isEqualTo(FragType.LATER);
            assertThat(p.key.ipProto()).as("later fragments report the fragment header").isEqualTo(44);
            assertThat(p.key.u16(FlowKey.TP_SRC_OFFSET)).isZero();
            assertThat(p.transportOff).isEqualTo(-1);
            assertThat(topAttrs(emit(p.key))).doesNotContain(KeyAttr.UDP);
        }
        // atomic fragment (offset 0, M 0): still a fragment for the kernel (OVS userspace: frag=no)
        p = v6(ipv6(44, frag(17, 0x0000) + udp(1, 2)));
        assertThat(p.key.ipFrag()).isEqualTo(FragType.FIRST);
        assertThat(p.key.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(1);
        // fragment then HBH
        p = v6(ipv6(44, frag(0, 0x0001) + ext(17, 0) + udp(1, 2)));
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(FRAG | UNSEQ);
        assertThat(p.key.ipProto()).isEqualTo(17);
        // a later fragment followed by an extension header: -ENOENT, but the fragment flag made it FIRST
        p = v6(ipv6(44, frag(60, 0x0010) + ext(17, 0) + udp(1, 2)));
        assertThat(p.key.ipFrag()).isEqualTo(FragType.FIRST);
        assertThat(p.key.ipProto()).isEqualTo(59);
        assertThat(p.transportOff).isEqualTo(NH);
    }

    @Test
    void truncatedIpv6() {
        // header cut: everything zero, transport at the network header
        for (int n : new int[] {0, 20, 39}) {
            Packet p = v6(ipv6(6, tcp(1, 2, 0)).substring(0, 2 * n));
            assertThat(p.key.ethType()).isEqualTo(0x86dd);
            assertThat(p.key.u64(FlowKey.IPV6_SRC_OFFSET)).isZero();
            assertThat(p.key.u8(FlowKey.IP_TTL_OFFSET)).isZero();
            assertThat(p.transportOff).isEqualTo(NH);
        }
        // extension header cut: addresses stay, proto 59 (OVS userspace zeroes the whole header)
        Packet p = v6(ipv6(0, "11"));
        assertThat(p.key.u64(FlowKey.IPV6_SRC_OFFSET + 8)).isEqualTo(1);
        assertThat(p.key.u8(FlowKey.IP_TTL_OFFSET)).isEqualTo(64);
        assertThat(p.key.ipProto()).isEqualTo(59);
        assertThat(p.key.ipFrag()).isEqualTo(FragType.NONE);
        assertThat(p.key.u16(FlowKey.IPV6_EXTHDRS_OFFSET)).isEqualTo(HOP);
        assertThat(p.transportOff).isEqualTo(NH);
        // fragment header cut after 3 bytes: a (first) fragment of nothing
        p = v6(ipv6(44, "110000"));
        assertThat(p.key.ipFrag()).isEqualTo(FragType.FIRST);
        assertThat(p.key.ipProto()).isEqualTo(59);
        // routing header with 2 of its 4 bytes
        p = v6(ipv6(43, "0600"));
        assertThat(p.key.ipProto()).isEqualTo(59);
        // an extension header longer than the frame: the transport header is past the end
        p = v6(ipv6(0, ext(6, 0) + tcp(1, 2, 0)).substring(0, 2 * (40 + 8 + 10)));
        assertThat(p.key.ipProto()).isEqualTo(6);
        assertThat(p.key.u16(FlowKey.TP_SRC_OFFSET)).isZero();
        p = v6(ipv6(0, "0605" + zeros(6)));
        assertThat(p.key.ipProto()).isEqualTo(6);
        assertThat(p.transportOff).isGreaterThan(p.off + p.len);
        // payload length is not checked
        p = v6("60000000" + "ffff" + "11" + "40" + Frames.V6_SRC + Frames.V6_DST + udp(9, 10));
        assertThat(p.key.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(9);
    }

    @Test
    void neighbourDiscovery() {
        long sll = 0x0a0b0c0d0e0fL;
        long tll = 0x102030405060L;
        FlowKey k = v6(ipv6(58, nd(135, 0, llOpt(1, sll)))).key;
        assertThat(k.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(135);
        assertThat(k.u64(FlowKey.ND_TARGET_OFFSET)).isEqualTo(0x20010db800000000L);
        assertThat(k.u64(FlowKey.ND_TARGET_OFFSET + 8)).isEqualTo(0x99);
        assertThat(k.u64(FlowKey.ND_SLL_OFFSET)).isEqualTo(sll);
        assertThat(k.u64(FlowKey.ND_TLL_OFFSET)).isZero();
        assertThat(topAttrs(emit(k))).endsWith(KeyAttr.ICMPV6, KeyAttr.ND);

        k = v6(ipv6(58, nd(136, 0, llOpt(2, tll)))).key;
        assertThat(k.u64(FlowKey.ND_TLL_OFFSET)).isEqualTo(tll);
        // the "wrong" option for the message type is accepted
        k = v6(ipv6(58, nd(135, 0, llOpt(2, tll)))).key;
        assertThat(k.u64(FlowKey.ND_TLL_OFFSET)).isEqualTo(tll);
        k = v6(ipv6(58, nd(136, 0, llOpt(1, sll) + llOpt(2, tll)))).key;
        assertThat(k.u64(FlowKey.ND_SLL_OFFSET)).isEqualTo(sll);
        assertThat(k.u64(FlowKey.ND_TLL_OFFSET)).isEqualTo(tll);
        // duplicate SLL: target, sll and tll all zero
        k = v6(ipv6(58, nd(135, 0, llOpt(2, tll) + llOpt(1, sll) + llOpt(1, sll)))).key;
        assertThat(k.u64(FlowKey.ND_TARGET_OFFSET + 8)).isZero();
        assertThat(k.u64(FlowKey.ND_SLL_OFFSET)).isZero();
        assertThat(k.u64(FlowKey.ND_TLL_OFFSET)).isZero();
        assertThat(k.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(135);
        // an all-zero first SLL does not count as set
        k = v6(ipv6(58, nd(135, 0, llOpt(1, 0) + llOpt(1, sll)))).key;
        assertThat(k.u64(FlowKey.ND_SLL_OFFSET)).isEqualTo(sll);
        // MTU option then SLL
        k = v6(ipv6(58, nd(135, 0, "0501000000000500" + llOpt(1, sll)))).key;
        assertThat(k.u64(FlowKey.ND_SLL_OFFSET)).isEqualTo(sll);
        // zero-length option stops parsing, target and earlier options kept
        k = v6(ipv6(58, nd(135, 0, llOpt(2, tll) + "0100000000000000" + llOpt(1, sll)))).key;
        assertThat(k.u64(FlowKey.ND_TARGET_OFFSET + 8)).isEqualTo(0x99);
        assertThat(k.u64(FlowKey.ND_TLL_OFFSET)).isEqualTo(tll);
        assertThat(k.u64(FlowKey.ND_SLL_OFFSET)).isZero();
        // an option longer than what is left stops parsing
        k = v6(ipv6(58, nd(135, 0, "0102" + "0a0b0c0d0e0f"))).key;
        assertThat(k.u64(FlowKey.ND_SLL_OFFSET)).isZero();
        assertThat(k.u64(FlowKey.ND_TARGET_OFFSET + 8)).isEqualTo(0x99);
        // SLL of 16 bytes is skipped, not stored
        k = v6(ipv6(58, nd(135, 0, "0102" + "0a0b0c0d0e0f" + zeros(8)))).key;
        assertThat(k.u64(FlowKey.ND_SLL_OFFSET)).isZero();
        // option cut short (fewer than 8 bytes left): ignored
        k = v6(ipv6(58, nd(135, 0, "0101" + "0a0b"))).key;
        assertThat(k.u64(FlowKey.ND_TARGET_OFFSET + 8)).isEqualTo(0x99);
        assertThat(k.u64(FlowKey.ND_SLL_OFFSET)).isZero();
        // no room for the target: type/code only
        k = v6(ipv6(58, nd(135, 0, "").substring(0, 32))).key;
        assertThat(k.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(135);
        assertThat(k.u64(FlowKey.ND_TARGET_OFFSET + 8)).isZero();
        // code != 0: no ND fields (the kernel still emits an ND attribute, from a type of 135/136)
        k = v6(ipv6(58, nd(135, 1, llOpt(1, sll)))).key;
        assertThat(k.u16(FlowKey.TP_DST_OFFSET)).isEqualTo(1);
        assertThat(k.u64(FlowKey.ND_TARGET_OFFSET + 8)).isZero();
        assertThat(k.u64(FlowKey.ND_SLL_OFFSET)).isZero();
        // RS / RA carry no ND fields
        k = v6(ipv6(58, nd(133, 0, llOpt(1, sll)))).key;
        assertThat(k.u64(FlowKey.ND_SLL_OFFSET)).isZero();
        assertThat(topAttrs(emit(k))).doesNotContain(KeyAttr.ND);
        // ICMPv6 shorter than its 8-byte header: zero type and code
        k = v6(ipv6(58, "8000")).key;
        assertThat(k.ipProto()).isEqualTo(58);
        assertThat(k.u16(FlowKey.TP_SRC_OFFSET)).isZero();
    }
}
