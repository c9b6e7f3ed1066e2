package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.vswitchd.XlateTestFlows.canonical;
import static ovsj.vswitchd.XlateTestFlows.eth;
import static ovsj.vswitchd.XlateTestFlows.ip;
import static ovsj.vswitchd.XlateTestFlows.ipv4;
import static ovsj.vswitchd.XlateTestFlows.keyBytes;
import static ovsj.vswitchd.XlateTestFlows.mac;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import ovsj.odp.FlowKey;
import ovsj.odp.text.OdpUfid;

class MegaflowBuilderTest {
    static final long A = mac("02:00:00:00:00:0a");
    static final long B = mac("02:00:00:00:00:0b");

    @Test
    void murmur3ReferenceVectors() {
        byte[] out = new byte[16];
        byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
        MegaflowBuilder.murmur3x64x128(fox, 0, fox.length, 0, out);
        assertThat(HexFormat.of().formatHex(out)).isEqualTo("6c1b07bc7bbc4be347939ac4a93c437a");
        MegaflowBuilder.murmur3x64x128(new byte[0], 0, 0, 0, out);
        assertThat(HexFormat.of().formatHex(out)).isEqualTo("00000000000000000000000000000000");
    }

    @Test
    void ufidsAreKeyedDeterministicAndVersion4() {
        byte[] k1 = keyBytes(canonical(eth(1, A, B, 0x0800)));
        byte[] k2 = keyBytes(canonical(eth(2, A, B, 0x0800)));
        MegaflowBuilder mb = new MegaflowBuilder(1);
        byte[] u1 = mb.ufid(k1, 0, k1.length);
        assertThat(mb.ufid(k1, 0, k1.length)).isEqualTo(u1);
        assertThat(new MegaflowBuilder(1).ufid(k1, 0, k1.length)).isEqualTo(u1);
        assertThat(mb.ufid(k2, 0, k2.length)).isNotEqualTo(u1);
        assertThat(new MegaflowBuilder(2).ufid(k1, 0, k1.length)).as("the secret matters").isNotEqualTo(u1);
        StringBuilder text = new StringBuilder();
        OdpUfid.format(text, u1, 0);
        // ufid:xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx, as OVS prints its UFIDs
        assertThat(text.toString()).matches("ufid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    static FlowKey ipv6Tcp(int inPort, int sport, int dport) {
        FlowKey k = eth(inPort, A, B, 0x86dd);
        k.u64(FlowKey.IPV6_SRC_OFFSET, 0x20010db800000000L);
        k.u64(FlowKey.IPV6_SRC_OFFSET + 8, 1);
        k.u64(FlowKey.IPV6_DST_OFFSET, 0x20010db800000000L);
        k.u64(FlowKey.IPV6_DST_OFFSET + 8, 2);
        k.u8(FlowKey.IP_PROTO_OFFSET, 6);
        k.u8(FlowKey.IP_TTL_OFFSET, 64);
        XlateField.TP_SRC.set(k, sport);
        XlateField.TP_DST.set(k, dport);
        return canonical(k);
    }

    FlowKey mask(FlowKey flow, FlowKey wc) {
        MegaflowBuilder mb = new MegaflowBuilder(1);
        byte[] key = keyBytes(flow);
        FlowKey m = new FlowKey();
        assertThat(mb.buildMask(key, 0, key.length, flow, wc, m)).as(String.valueOf(mb.error())).isNotNull();
        return m;
    }

    @Test
    void finishAddsWhatTheDatapathRequires() {
        // Ports matched on IPv6 TCP: the protocol becomes exact.
        FlowKey f = ipv6Tcp(1, 1000, 22);
        Xlate x = new Xlate().start(f, 0, false);
        x.unwildcard(XlateField.TP_DST, 0xff00);
        FlowKey m = mask(f, x.wildcards());
        assertThat(XlateField.TP_DST.get(m)).isEqualTo(0xff00);
        assertThat(XlateField.NW_PROTO.get(m)).isEqualTo(0xff);
        assertThat(m.ipFrag()).isEqualTo(0xff);

        // ICMP: type and code are 8 bits on the wire.
        FlowKey icmp = canonical(ipv4(1, A, B, 1, 2, 1, 8, 0));
        x.start(icmp, 0, false);
        x.unwildcard(XlateField.TP_SRC, 0xffff);
        FlowKey wc = new FlowKey(x.wildcards());
        MegaflowBuilder.finishWildcards(icmp, wc);
        assertThat(XlateField.TP_SRC.get(wc)).isEqualTo(0xff);
        assertThat(XlateField.TP_SRC.get(mask(icmp, x.wildcards()))).isEqualTo(0xff);

        // Later fragments have no ports: none are matched.
        FlowKey later = ipv4(1, A, B, 1, 2, 17, 0, 0);
        later.u8(FlowKey.IP_FRAG_OFFSET, 2);
        later = canonical(later);
        x.start(later, 0, false);
        x.unwildcard(XlateField.TP_DST, 0xffff);
        m = mask(later, x.wildcards());
        assertThat(XlateField.TP_DST.get(m)).isZero();

        // ARP and a non-IP EtherType: L3/L4 bits the key cannot have are dropped, the rest accepted.
        FlowKey arp = canonical(XlateTestFlows.arp(1, A, B, 1, ip("10.0.0.1"), ip("10.0.0.2")));
        x.start(arp, 0, false);
        x.read(XlateField.NW_PROTO);
        x.read(XlateField.NW_SRC);
        x.unwildcard(XlateField.TP_SRC, 0xffff);
        m = mask(arp, x.wildcards());
        assertThat(XlateField.NW_SRC.get(m)).isEqualTo(0xffffffffL);
        assertThat(XlateField.TP_SRC.get(m)).isZero();
        FlowKey lldp = canonical(eth(1, A, B, 0x88cc));
        x.start(lldp, 0, false);
        x.read(XlateField.NW_DST);
        assertThat(XlateField.NW_DST.get(mask(lldp, x.wildcards()))).isZero();

        // A tagged frame whose decision read only the PCP: the tag-present bit comes along.
        FlowKey tagged = canonical(XlateTestFlows.vlan(eth(1, A, B, 0x0800), 5, 6));
        x.start(tagged, 0, false);
        x.unwildcard(XlateField.VLAN_TCI, 0xe000);
        assertThat(XlateField.VLAN_TCI.get(mask(tagged, x.wildcards()))).isEqualTo(0xf000);
    }

    @Test
    void megaflowCoversAndHasExtra() {
        FlowKey f = canonical(eth(1, A, B, 0x0800));
        Xlate x = new Xlate().start(f, 0, false);
        x.read(XlateField.DL_DST);
        FlowKey m = mask(f, x.wildcards());
        assertThat(Megaflow.covers(f, m, canonical(eth(1, B, B, 0x0800)))).isTrue();
        assertThat(Megaflow.covers(f, m, canonical(eth(2, A, B, 0x0800)))).isFalse();
        assertThat(Megaflow.covers(f, m, canonical(eth(1, A, A, 0x0800)))).isFalse();
        FlowKey narrower = new FlowKey(m);
        XlateField.DL_SRC.set(narrower, 0xff);
        assertThat(Megaflow.hasExtra(m, narrower)).isTrue();
        assertThat(Megaflow.hasExtra(narrower, m)).isFalse();
        Megaflow tag = new Megaflow(3, canonical(XlateTestFlows.vlan(eth(2, A, B, 0x0800), 7, 1)), true);
        assertThat(tag.inPort()).isEqualTo(2);
        assertThat(tag.vlan()).isEqualTo(7);
        assertThat(tag.dlSrc()).isEqualTo(A);
        assertThat(tag.revision()).isEqualTo(3);
    }
}
