package ovsj.odp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import ovsj.netlink.NlWriter;
import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;
import ovsj.odp.KernelLog;
import ovsj.odp.text.OdpFlowParse;
import ovsj.odp.text.OdpParseException;
import ovsj.odp.uapi.FlowAttr;
import org.junit.jupiter.api.Test;

/**
 * The kernel's mask range as a mask's identity: the recorded {@code ovs-dpctl show} of Linux 6.1
 * (vectors/dpctl/commands.tsv k062-k077) has UDP {@code ipv4(proto=17),udp()} and TCP
 * {@code ipv4(proto=6),tcp(),tcp_flags(0/0)} flows share one mask and an {@code arp(op=2)} flow hold
 * a second one, although all three set the same mask bits.
 */
class MaskRangeTest {
    private static FlowMask parse(String match) throws OdpParseException {
        NlWriter k = new NlWriter(512);
        NlWriter m = new NlWriter(512);
        int kn = k.beginNest(FlowAttr.KEY);
        int mn = m.beginNest(FlowAttr.MASK);
        OdpFlowParse.parse(match, null, k, m);
        k.endNest(kn);
        m.endNest(mn);
        byte[] buf = new byte[k.position() + m.position()];
        System.arraycopy(k.buffer(), 0, buf, 0, k.position());
        System.arraycopy(m.buffer(), 0, buf, k.position(), m.position());
        KeyParser parser = new KeyParser();
        FlowKey key = new FlowKey();
        FlowKey bits = new FlowKey();
        int err = parser.parseMatch(buf, 0, k.position(), key, bits, KernelLog.NONE);
        assertThat(err).as(match).isZero();
        return new FlowMask(bits).kernelRange(parser.maskRange());
    }

    @Test
    void udpAndTcpWithZeroTcpFlagsAreOneMask() throws Exception {
        FlowMask udp = parse("in_port(1),eth(),eth_type(0x0800),ipv4(proto=17),udp()");
        FlowMask tcp = parse("in_port(1),eth(),eth_type(0x0800),ipv4(proto=6),tcp(),tcp_flags(0/0)");
        assertThat(udp.sameAs(tcp)).isTrue();
    }

    @Test
    void arpReachesPastTheIpv4AddressesSoItIsAnotherMaskWithTheSameBits() throws Exception {
        FlowMask udp = parse("in_port(1),eth(),eth_type(0x0800),ipv4(proto=17),udp()");
        FlowMask arp = parse("in_port(1),eth(),eth_type(0x0806),arp(op=2)");
        assertThat(arp.key()).isEqualTo(udp.key());
        assertThat(arp.sameAs(udp)).isFalse();
        assertThat(MaskRange.end(arp.kernelRange())).isEqualTo(MaskRange.PHY + 80);
        assertThat(MaskRange.end(udp.kernelRange())).isEqualTo(MaskRange.PHY + 64);
    }

    @Test
    void everyMaskCoversMacProtoAndTheVlanTcis() throws Exception {
        FlowMask eth = parse("in_port(1),eth(),eth_type(0x1234)");
        assertThat(MaskRange.start(eth.kernelRange())).isEqualTo(MaskRange.PHY + 8);
        assertThat(MaskRange.end(eth.kernelRange())).isEqualTo(MaskRange.PHY + 48);
        FlowMask prio = parse("skb_priority(0x7),in_port(1),eth(),eth_type(0x1234)");
        assertThat(MaskRange.start(prio.kernelRange())).isEqualTo(MaskRange.PHY);
    }

    @Test
    void anIpv4PrefixIsNotTheSameMaskAsAnotherPrefix() throws Exception {
        FlowMask a = parse("in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.1.0/255.255.255.0)");
        FlowMask b = parse("in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.2.0/255.255.255.0)");
        FlowMask c = parse("in_port(1),eth(),eth_type(0x0800),ipv4(dst=10.9.9.9)");
        assertThat(a.sameAs(b)).isTrue();
        assertThat(a.sameAs(c)).isFalse();
    }
}
