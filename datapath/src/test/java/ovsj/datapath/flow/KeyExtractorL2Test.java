package ovsj.datapath.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.datapath.flow.Frames.DST_MAC;
import static ovsj.datapath.flow.Frames.MACS;
import static ovsj.datapath.flow.Frames.SRC_MAC;
import static ovsj.datapath.flow.Frames.bytes;
import static ovsj.datapath.flow.Frames.emit;
import static ovsj.datapath.flow.Frames.eth;
import static ovsj.datapath.flow.Frames.extract;
import static ovsj.datapath.flow.Frames.h16;
import static ovsj.datapath.flow.Frames.ipv4;
import static ovsj.datapath.flow.Frames.tag;
import static ovsj.datapath.flow.Frames.tcp;
import static ovsj.datapath.flow.Frames.udp;
import static ovsj.datapath.flow.Frames.zeros;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.KeyAttr;

/**
 * Ethernet, VLAN, 802.3/LLC/SNAP, ARP, MPLS, NSH and the metadata, on hand-built frames, against
 * what Linux 6.1 {@code flow.c} does with them.
 */
class KeyExtractorL2Test {
    private static final int OFF = Packet.HEADROOM;

    @Test
    void metadataComesFromThePacket() {
        byte[] f = bytes(eth(0x0800, ipv4(6, tcp(1, 2, 0x02))));
        Packet p = new Packet().wrap(f, 0, f.length, 7);
        p.priority = 0x10002;
        p.mark = 0xdeadbeef;
        p.key.u32(FlowKey.RECIRC_ID_OFFSET, 99); // stale: extraction starts from a clean key
        p.key.u8(FlowKey.TUN_PROTO_OFFSET, 2);
        assertThat(KeyExtractor.extract(p)).isZero();
        FlowKey k = p.key;
        assertThat(k.inPort()).isEqualTo(7);
        assertThat(k.u32(FlowKey.PRIORITY_OFFSET)).isEqualTo(0x10002);
        assertThat(k.u32(FlowKey.SKB_MARK_OFFSET)).isEqualTo(0xdeadbeef);
        assertThat(k.u32(FlowKey.RECIRC_ID_OFFSET)).isZero();
        assertThat(k.u32(FlowKey.DP_HASH_OFFSET)).isZero();
        assertThat(k.tunProto()).isZero();
        assertThat(k.macProto()).isEqualTo(FlowKey.MAC_PROTO_ETHERNET);
        assertThat(k.u8(FlowKey.CT_STATE_OFFSET)).isZero();
        assertThat(k.u64(FlowKey.ETH_SRC_OFFSET)).isEqualTo(SRC_MAC);
        assertThat(k.u64(FlowKey.ETH_DST_OFFSET)).isEqualTo(DST_MAC);
        assertThat(p.macOff).isEqualTo(OFF);
        assertThat(p.networkOff).isEqualTo(OFF + 14);
        assertThat(p.transportOff).isEqualTo(OFF + 34);
    }

    @Test
    void singleTagKeepsTheCfiBitAsPresenceMarker() {
        Packet p = extract(MACS + tag(0x8100, 0x600a) + h16(0x0800) + ipv4(6, tcp(1, 2, 0x02)));
        FlowKey k = p.key;
        assertThat(k.u16(FlowKey.VLAN_TPID_OFFSET)).isEqualTo(0x8100);
        assertThat(k.vlanTci()).isEqualTo(0x700a); // pcp 3, vid 10, CFI marks "present"
        assertThat(k.cvlanTci()).isZero();
        assertThat(k.ethType()).isEqualTo(0x0800);
        assertThat(k.u16(FlowKey.TP_DST_OFFSET)).isEqualTo(2);
        assertThat(p.networkOff).isEqualTo(OFF + 18);
        assertThat(p.transportOff).isEqualTo(OFF + 38);
        assertThat(p.len).as("the tag stays in the frame").isEqualTo(18 + 40);
    }

    @Test
    void priorityTagAndDeiBit() {
        FlowKey k = extract(MACS + tag(0x8100, 0xa000) + h16(0x0800) + ipv4(17, udp(1, 2))).key;
        assertThat(k.vlanTci()).isEqualTo(0xb000);
        assertThat(k.ipProto()).isEqualTo(17);
        k = extract(MACS + tag(0x8100, 0x1005) + h16(0x0806) + zeros(28)).key;
        assertThat(k.vlanTci()).isEqualTo(0x1005); // DEI set in the frame: indistinguishable, as in Linux
    }

    @Test
    void qinqParsesTwoTagsAndAThirdStops() {
        Packet p = extract(MACS + tag(0x88a8, 0x2064) + tag(0x8100, 0x40c8) + h16(0x0800) + ipv4(17, udp(1, 2)));
        FlowKey k = p.key;
        assertThat(k.u16(FlowKey.VLAN_TPID_OFFSET)).isEqualTo(0x88a8);
        assertThat(k.vlanTci()).isEqualTo(0x3064);
        assertThat(k.u16(FlowKey.CVLAN_TPID_OFFSET)).isEqualTo(0x8100);
        assertThat(k.cvlanTci()).isEqualTo(0x50c8);
        assertThat(k.ethType()).isEqualTo(0x0800);
        assertThat(k.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(1);
        assertThat(p.networkOff).isEqualTo(OFF + 22);

        p = extract(MACS + tag(0x88a8, 1) + tag(0x8100, 2) + tag(0x8100, 3) + h16(0x0800) + ipv4(17, udp(1, 2)));
        k = p.key;
        assertThat(k.vlanTci()).isEqualTo(0x1001);
        assertThat(k.cvlanTci()).isEqualTo(0x1002);
        assertThat(k.ethType()).isEqualTo(0x8100);
        assertThat(k.ipProto()).isZero();
        assertThat(p.networkOff).isEqualTo(OFF + 22);
        assertThat(p.transportOff).isEqualTo(-1);
        // emitted as ETHERTYPE(88a8) VLAN ENCAP{ETHERTYPE(8100) VLAN ENCAP{ETHERTYPE(8100)}}
        byte[] e = emit(k);
        assertThat(Wire.hex(e, 0, e.length)).endsWith("0600060081000000");
    }

    @Test
    void unknownTpidIsAnEthertype() {
        Packet p = extract(MACS + tag(0x9100, 5) + h16(0x0800) + ipv4(6, tcp(1, 2, 0)));
        assertThat(p.key.vlanTci()).isZero();
        assertThat(p.key.ethType()).isEqualTo(0x9100);
        assertThat(p.networkOff).isEqualTo(OFF + 14);
    }

    @Test
    void truncatedTags() {
        // 16 bytes: the tag has no room for the next type (needs 6 bytes after the MACs): not parsed.
        Packet p = extract(MACS + tag(0x8100, 10));
        assertThat(Frames.rc).isZero();
        assertThat(p.key.vlanTci()).isZero();
        assertThat(p.key.ethType()).isEqualTo(0x8100);
        assertThat(p.networkOff).isEqualTo(OFF + 14);
        // 18 bytes: tag and type, no IP header: IPv4 with zero fields, transport = network
        p = extract(MACS + tag(0x8100, 10) + h16(0x0800));
        assertThat(p.key.vlanTci()).isEqualTo(0x100a);
        assertThat(p.key.ethType()).isEqualTo(0x0800);
        assertThat(p.key.u32(FlowKey.IPV4_SRC_OFFSET)).isZero();
        assertThat(p.networkOff).isEqualTo(OFF + 18);
        assertThat(p.transportOff).isEqualTo(OFF + 18);
        // outer tag fine, inner tag cut: the inner TPID becomes the ethertype
        p = extract(MACS + tag(0x88a8, 1) + tag(0x8100, 2));
        assertThat(p.key.vlanTci()).isEqualTo(0x1001);
        assertThat(p.key.cvlanTci()).isZero();
        assertThat(p.key.ethType()).isEqualTo(0x8100);
    }

    @Test
    void shortFramesAndRunts() {
        for (int n = 0; n < 14; n++) {
            Packet p = extract(MACS.substring(0, Math.min(2 * n, 24)) + zeros(Math.max(0, n - 12)));
            assertThat(p.len).isEqualTo(n);
            assertThat(Frames.rc).isEqualTo(-KeyExtractor.EINVAL);
            assertThat(p.key.u64(FlowKey.ETH_SRC_OFFSET)).isZero();
            assertThat(p.key.inPort()).isEqualTo(1);
            assertThat(p.networkOff).isEqualTo(-1);
        }
        Packet p = extract(eth(0x1234, ""));
        assertThat(Frames.rc).isZero();
        assertThat(p.key.ethType()).isEqualTo(0x1234);
        assertThat(p.networkOff).isEqualTo(OFF + 14);
        p = extract(eth(0x0800, ""));
        assertThat(p.key.ethType()).isEqualTo(0x0800);
        assertThat(p.transportOff).isEqualTo(OFF + 14);
        p = extract(eth(0x86dd, "6000"));
        assertThat(p.key.ethType()).isEqualTo(0x86dd);
        assertThat(p.transportOff).isEqualTo(OFF + 14);
    }

    @Test
    void llcAndSnap() {
        // STP BPDU: LLC 42/42/03 -> ETH_P_802_2, network header right after the length
        Packet p = extract(MACS + h16(0x0026) + "424203" + zeros(35));
        assertThat(p.key.ethType()).isEqualTo(KeyExtractor.ETH_P_802_2);
        assertThat(p.networkOff).isEqualTo(OFF + 14);
        assertThat(Frames.topAttrs(emit(p.key))).as("no ETHERTYPE for 802.2").doesNotContain(KeyAttr.ETHERTYPE)
                .contains(KeyAttr.ETHERNET);
        // RFC 1042 SNAP with IPv4: decoded and parsed through
        p = extract(MACS + h16(0x0030) + "aaaa03000000" + h16(0x0800) + ipv4(17, udp(7, 9)));
        assertThat(p.key.ethType()).isEqualTo(0x0800);
        assertThat(p.key.u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(7);
        assertThat(p.networkOff).isEqualTo(OFF + 22);
        // SNAP OUI 0 with a type below 0x600: 802.2, but the SNAP header is already consumed
        p = extract(MACS + h16(0x0030) + "aaaa03000000" + h16(0x0100) + zeros(20));
        assertThat(p.key.ethType()).isEqualTo(KeyExtractor.ETH_P_802_2);
        assertThat(p.networkOff).isEqualTo(OFF + 22);
        // Cisco OUI: 802.2, header not consumed
        p = extract(MACS + h16(0x0030) + "aaaa0300000c" + h16(0x2000) + zeros(20));
        assertThat(p.key.ethType()).isEqualTo(KeyExtractor.ETH_P_802_2);
        assertThat(p.networkOff).isEqualTo(OFF + 14);
        // ctrl byte is not checked
        p = extract(MACS + h16(0x0030) + "aaaa07000000" + h16(0x0806) + zeros(28));
        assertThat(p.key.ethType()).isEqualTo(0x0806);
        // SNAP header cut short (< 8 bytes): 802.2
        p = extract(MACS + h16(0x0005) + "aaaa030000");
        assertThat(p.key.ethType()).isEqualTo(KeyExtractor.ETH_P_802_2);
        assertThat(p.networkOff).isEqualTo(OFF + 14);
        // 0x05ff is a length, 0x0600 an ethertype
        assertThat(extract(eth(0x05ff, zeros(46))).key.ethType()).isEqualTo(KeyExtractor.ETH_P_802_2);
        assertThat(extract(eth(0x0600, zeros(46))).key.ethType()).isEqualTo(0x0600);
        // LLC inside a VLAN
        p = extract(MACS + tag(0x8100, 3) + h16(0x0010) + "424203" + zeros(30));
        assertThat(p.key.vlanTci()).isEqualTo(0x1003);
        assertThat(p.key.ethType()).isEqualTo(KeyExtractor.ETH_P_802_2);
    }

    private static String arp(int htype, int ptype, int hlen, int plen, int op) {
        return h16(htype) + h16(ptype) + Frames.h8(hlen) + Frames.h8(plen) + h16(op)
                + "0a0b0c0d0e0f" + "c0a80001" + "000000000000" + "c0a80002";
    }

    @Test
    void arp() {
        FlowKey k = extract(eth(0x0806, arp(1, 0x0800, 6, 4, 1))).key;
        assertThat(k.ipProto()).isEqualTo(1);
        assertThat(k.u32(FlowKey.IPV4_SRC_OFFSET)).isEqualTo(0xc0a80001);
        assertThat(k.u32(FlowKey.IPV4_DST_OFFSET)).isEqualTo(0xc0a80002);
        assertThat(k.u64(FlowKey.ARP_SHA_OFFSET)).isEqualTo(0x0a0b0c0d0e0fL);
        assertThat(k.u64(FlowKey.ARP_THA_OFFSET)).isZero();
        assertThat(extract(eth(0x8035, arp(1, 0x0800, 6, 4, 3))).key.ipProto()).isEqualTo(3);
        assertThat(extract(eth(0x0806, arp(1, 0x0800, 6, 4, 255))).key.ipProto()).isEqualTo(255);
        // op above 255: 0, addresses still read
        k = extract(eth(0x0806, arp(1, 0x0800, 6, 4, 256))).key;
        assertThat(k.ipProto()).isZero();
        assertThat(k.u32(FlowKey.IPV4_SRC_OFFSET)).isEqualTo(0xc0a80001);
        // odd htype / ptype / hlen / plen, or 27 bytes: everything zero
        for (String bad : new String[] {arp(6, 0x0800, 6, 4, 1), arp(1, 0x86dd, 6, 4, 1), arp(1, 0x0800, 8, 4, 1),
                                        arp(1, 0x0800, 6, 16, 1), arp(1, 0x0800, 6, 4, 1).substring(0, 54)}) {
            k = extract(eth(0x0806, bad)).key;
            assertThat(k.ipProto()).isZero();
            assertThat(k.u32(FlowKey.IPV4_SRC_OFFSET)).isZero();
            assertThat(k.u64(FlowKey.ARP_SHA_OFFSET)).isZero();
        }
        Packet p = extract(eth(0x0806, arp(1, 0x0800, 6, 4, 2) + zeros(18)));
        assertThat(p.key.ipProto()).isEqualTo(2);
        assertThat(p.transportOff).isEqualTo(-1);
    }

    private static String lse(int label, int tc, boolean bos, int ttl) {
        return Frames.h32((label << 12) | (tc << 9) | (bos ? 0x100 : 0) | ttl);
    }

    @Test
    void mplsLabelStacks() {
        FlowKey k = extract(eth(0x8847, lse(100, 3, true, 64) + ipv4(17, udp(1, 2)))).key;
        assertThat(k.u32(FlowKey.MPLS_LABELS_MASK_OFFSET)).isEqualTo(1);
        assertThat(k.u32(FlowKey.MPLS_LSE_OFFSET)).isEqualTo((100 << 12) | (3 << 9) | 0x100 | 64);
        assertThat(k.ipProto()).as("nothing past the stack").isZero();

        k = extract(eth(0x8848, lse(1, 0, false, 1) + lse(2, 0, true, 2) + zeros(20))).key;
        assertThat(k.u32(FlowKey.MPLS_LABELS_MASK_OFFSET)).isEqualTo(3);
        assertThat(k.u32(FlowKey.MPLS_LSE_OFFSET + 4) >>> 12).isEqualTo(2);

        k = extract(eth(0x8847, lse(1, 0, false, 1) + lse(2, 0, false, 2) + lse(3, 0, true, 3) + zeros(20))).key;
        assertThat(k.u32(FlowKey.MPLS_LABELS_MASK_OFFSET)).isEqualTo(7);

        // four labels: three kept
        k = extract(eth(0x8847, lse(1, 0, false, 1) + lse(2, 0, false, 2) + lse(3, 0, false, 3)
                + lse(4, 0, true, 4) + zeros(20))).key;
        assertThat(k.u32(FlowKey.MPLS_LABELS_MASK_OFFSET)).isEqualTo(7);
        assertThat(k.u32(FlowKey.MPLS_LSE_OFFSET + 8) >>> 12).isEqualTo(3);

        // no BOS before the frame ends: labels read, mask 0, an empty MPLS attribute
        k = extract(eth(0x8847, lse(100, 0, false, 64) + "45000014")).key;
        assertThat(k.u32(FlowKey.MPLS_LABELS_MASK_OFFSET)).isZero();
        assertThat(k.u32(FlowKey.MPLS_LSE_OFFSET) >>> 12).isEqualTo(100);
        assertThat(k.u32(FlowKey.MPLS_LSE_OFFSET + 4)).isEqualTo(0x45000014);
        byte[] e = emit(k);
        assertThat(Wire.hex(e, 0, e.length)).endsWith("060006008847000004001500");

        // label cut: nothing
        k = extract(eth(0x8847, "0006")).key;
        assertThat(k.u32(FlowKey.MPLS_LABELS_MASK_OFFSET)).isZero();
        assertThat(k.u32(FlowKey.MPLS_LSE_OFFSET)).isZero();

        // over a VLAN
        k = extract(MACS + tag(0x8100, 5) + h16(0x8847) + lse(7, 0, true, 9)).key;
        assertThat(k.vlanTci()).isEqualTo(0x1005);
        assertThat(k.u32(FlowKey.MPLS_LABELS_MASK_OFFSET)).isEqualTo(1);
    }

    @Test
    void nsh() {
        // ver 0, ttl 63, len 6 words, md type 1, np 1 (IPv4), spi 0x10f si 255, 4 contexts
        String md1 = "0fc6" + "01" + "01" + "00010fff" + "00000001" + "00000002" + "00000003" + "00000004";
        Packet p = extract(eth(0x894f, md1 + ipv4(17, udp(1, 2))));
        assertThat(Frames.rc).isZero();
        FlowKey k = p.key;
        assertThat(k.u8(FlowKey.NSH_FLAGS_OFFSET)).isZero();
        assertThat(k.u8(FlowKey.NSH_TTL_OFFSET)).isEqualTo(63);
        assertThat(k.u8(FlowKey.NSH_MDTYPE_OFFSET)).isEqualTo(1);
        assertThat(k.u8(FlowKey.NSH_NP_OFFSET)).isEqualTo(1);
        assertThat(k.u32(FlowKey.NSH_PATH_HDR_OFFSET)).isEqualTo(0x00010fff);
        assertThat(k.u32(FlowKey.NSH_CONTEXT_OFFSET + 12)).isEqualTo(4);
        // flags bits
        assertThat(extract(eth(0x894f, "3fc6" + md1.substring(4))).key.u8(FlowKey.NSH_FLAGS_OFFSET)).isEqualTo(3);
        // md type 2: no context
        k = extract(eth(0x894f, "0fc2" + "02" + "03" + "00010fff" + zeros(14))).key;
        assertThat(Frames.rc).isZero();
        assertThat(k.u8(FlowKey.NSH_MDTYPE_OFFSET)).isEqualTo(2);
        assertThat(k.u32(FlowKey.NSH_CONTEXT_OFFSET)).isZero();
        // errors: the kernel drops these (-EINVAL)
        for (String bad : new String[] {
            "0fc6" + "01" + "01" + "00010fff",                   // length 24, frame has 8
            "4fc6" + md1.substring(4),                           // version 1
            "0fc7" + md1.substring(4) + "00000000",              // md type 1 with length 28
            "0fc6" + "03" + md1.substring(6),                    // md type 3
            "0fc6" + "11" + md1.substring(6),                    // md type byte 0x11 (not masked)
            "0fc601"}) {                                         // base header cut
            extract(eth(0x894f, bad));
            assertThat(Frames.rc).as(bad).isEqualTo(-KeyExtractor.EINVAL);
        }
    }

    @Test
    void l3PacketsOfAKeyWithoutEthernet() {
        byte[] f = bytes(ipv4(6, tcp(5, 6, 0x12)));
        Packet p = new Packet().wrap(f, 0, f.length, 1);
        p.key.u8(FlowKey.MAC_PROTO_OFFSET, FlowKey.MAC_PROTO_NONE);
        p.key.u16(FlowKey.ETH_TYPE_OFFSET, 0x0800);
        p.key.u16(FlowKey.IN_PORT_OFFSET, 3);
        assertThat(KeyExtractor.keyExtract(p)).isZero();
        assertThat(p.key.inPort()).isEqualTo(3);
        assertThat(p.key.ethType()).isEqualTo(0x0800);
        assertThat(p.key.u64(FlowKey.ETH_SRC_OFFSET)).isZero();
        assertThat(p.key.u16(FlowKey.TCP_FLAGS_OFFSET)).isEqualTo(0x12);
        assertThat(p.networkOff).isEqualTo(OFF);
        assertThat(p.transportOff).isEqualTo(OFF + 20);
        p.key.u16(FlowKey.ETH_TYPE_OFFSET, 0x8100);
        assertThat(KeyExtractor.keyExtract(p)).isEqualTo(-KeyExtractor.EINVAL);
    }

    @Test
    void keyExtractKeepsMetadataAndClearsStaleHeaders() {
        Packet p = extract(eth(0x0800, ipv4(6, tcp(1, 2, 0x02))));
        p.key.u32(FlowKey.RECIRC_ID_OFFSET, 5);
        p.key.u16(FlowKey.CT_ZONE_OFFSET, 9);
        byte[] arp = bytes(eth(0x0806, zeros(28)));
        System.arraycopy(arp, 0, p.buf, p.off, arp.length);
        p.len = arp.length;
        assertThat(KeyExtractor.keyExtract(p)).isZero();
        assertThat(p.key.u32(FlowKey.RECIRC_ID_OFFSET)).isEqualTo(5);
        assertThat(p.key.u16(FlowKey.CT_ZONE_OFFSET)).isEqualTo(9);
        assertThat(p.key.ethType()).isEqualTo(0x0806);
        assertThat(p.key.u16(FlowKey.TP_DST_OFFSET)).isZero();
        assertThat(p.key.u32(FlowKey.IPV4_SRC_OFFSET)).isZero();
        assertThat(p.transportOff).isEqualTo(-1);
    }

    @Test
    void framesInsideALargerBufferAreBounded() {
        // the frame is a slice: bytes past off+len are never read
        byte[] f = bytes(eth(0x0800, ipv4(6, tcp(1, 2, 0x02))));
        Packet p = new Packet().wrap(f, 0, f.length, 1);
        p.len = 14 + 20 + 19; // TCP header one byte short; the buffer still holds the byte
        assertThat(KeyExtractor.extract(p)).isZero();
        assertThat(p.key.ipProto()).isEqualTo(6);
        assertThat(p.key.u16(FlowKey.TP_DST_OFFSET)).isZero();
    }
}
