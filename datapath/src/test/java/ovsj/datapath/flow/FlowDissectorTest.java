package ovsj.datapath.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.datapath.flow.Frames.MACS;
import static ovsj.datapath.flow.Frames.eth;
import static ovsj.datapath.flow.Frames.ext;
import static ovsj.datapath.flow.Frames.extract;
import static ovsj.datapath.flow.Frames.frag;
import static ovsj.datapath.flow.Frames.h16;
import static ovsj.datapath.flow.Frames.icmp;
import static ovsj.datapath.flow.Frames.ipv4;
import static ovsj.datapath.flow.Frames.ipv6;
import static ovsj.datapath.flow.Frames.tag;
import static ovsj.datapath.flow.Frames.tcp;
import static ovsj.datapath.flow.Frames.udp;
import static ovsj.datapath.flow.Frames.zeros;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;

/**
 * The packet hash's L4 bit follows the kernel flow dissector's walk ({@code flow_keys_have_l4}: ports
 * found, or an IPv6 flow label).
 */
class FlowDissectorTest {
    private static Packet hashed(String hex) {
        Packet p = extract(hex);
        KeyExtractor.hash(p);
        assertThat(p.swHash).isTrue();
        assertThat(p.hash).isNotZero();
        return p;
    }

    private static boolean l4(String hex) {
        return hashed(hex).l4Hash;
    }

    @Test
    void portsMakeAnL4Hash() {
        assertThat(l4(eth(0x0800, ipv4(6, tcp(1, 2, 0x02))))).isTrue();
        assertThat(l4(eth(0x0800, ipv4(17, udp(1, 2))))).isTrue();
        assertThat(l4(eth(0x0800, ipv4(132, udp(1, 2) + zeros(4))))).isTrue();
        assertThat(l4(eth(0x0800, ipv4(33, udp(1, 2))))).as("DCCP").isTrue();
        assertThat(l4(eth(0x0800, ipv4(50, "00001234" + zeros(8))))).as("ESP SPI").isTrue();
        assertThat(l4(eth(0x0800, ipv4(51, "06040000" + "00001234" + zeros(16))))).as("AH SPI").isTrue();
        assertThat(l4(eth(0x0800, ipv4(6, tcp(0, 0, 0x02))))).as("ports 0/0").isFalse();
        assertThat(l4(eth(0x0800, ipv4(6, "0001")))).as("ports beyond the frame").isFalse();
        assertThat(l4(eth(0x0800, ipv4(6, "00010002")))).as("4 bytes are enough for the dissector").isTrue();
    }

    @Test
    void noPortsNoL4() {
        assertThat(l4(eth(0x0800, ipv4(1, icmp(8, 0))))).isFalse();
        assertThat(l4(eth(0x0800, ipv4(2, zeros(8))))).isFalse();
        assertThat(l4(eth(0x0806, zeros(28)))).isFalse();
        assertThat(l4(eth(0x8847, "00064140" + ipv4(17, udp(1, 2))))).isFalse();
        assertThat(l4(eth(0x1234, zeros(46)))).isFalse();
        assertThat(l4(MACS + h16(0x0026) + "424203" + zeros(35))).isFalse();
        assertThat(l4(eth(0x0800, ipv4(0x44, 0, 17, "", udp(1, 2))))).as("IHL < 5").isFalse();
    }

    @Test
    void fragmentsHaveNoPorts() {
        assertThat(l4(eth(0x0800, ipv4(0x45, 0x2000, 17, "", udp(1, 2))))).isFalse();
        assertThat(l4(eth(0x0800, ipv4(0x45, 0x0003, 17, "", udp(1, 2))))).isFalse();
        assertThat(l4(eth(0x86dd, ipv6(44, frag(17, 0x0001) + udp(1, 2))))).isFalse();
        assertThat(l4(eth(0x86dd, ipv6(44, frag(17, 0) + udp(1, 2))))).isFalse();
    }

    @Test
    void ipv6FlowLabelOrPorts() {
        assertThat(l4(eth(0x86dd, ipv6(58, icmp(128, 0))))).isFalse();
        assertThat(l4(eth(0x86dd, ipv6(0x12345, 58, icmp(128, 0))))).as("flow label").isTrue();
        assertThat(l4(eth(0x86dd, ipv6(17, udp(1, 2))))).isTrue();
        assertThat(l4(eth(0x86dd, ipv6(0, ext(43, 0) + ext(6, 0) + tcp(1, 2, 0))))).as("HBH, routing").isTrue();
        assertThat(l4(eth(0x86dd, ipv6(59, zeros(8))))).isFalse();
    }

    @Test
    void tagsAndEncapsulations() {
        assertThat(l4(MACS + tag(0x8100, 10) + h16(0x0800) + ipv4(17, udp(1, 2)))).isTrue();
        // two tags: skb->protocol is the inner TPID and the network header is past both, so the
        // dissector reads the IP header as a tag and finds nothing
        assertThat(l4(MACS + tag(0x88a8, 1) + tag(0x8100, 2) + h16(0x0800) + ipv4(17, udp(1, 2)))).isFalse();
        // three tags: the third one is read as a tag, and the IP header behind it is found
        assertThat(l4(MACS + tag(0x88a8, 1) + tag(0x8100, 2) + tag(0x8100, 3) + h16(0x0800) + ipv4(17, udp(1, 2))))
                .isTrue();
        // SNAP-encapsulated IPv4
        assertThat(l4(MACS + h16(0x0030) + "aaaa03000000" + h16(0x0800) + ipv4(17, udp(7, 9)))).isTrue();
        // IP in IP, IPv6 in IP, GRE (plain, with key, TEB), PPPoE session
        assertThat(l4(eth(0x0800, ipv4(4, ipv4(6, tcp(1, 2, 0)))))).isTrue();
        assertThat(l4(eth(0x0800, ipv4(41, ipv6(17, udp(1, 2)))))).isTrue();
        assertThat(l4(eth(0x0800, ipv4(47, "0000" + h16(0x0800) + ipv4(17, udp(1, 2)))))).isTrue();
        assertThat(l4(eth(0x0800, ipv4(47, "2000" + h16(0x0800) + "0000abcd" + ipv4(17, udp(1, 2)))))).isTrue();
        assertThat(l4(eth(0x0800, ipv4(47, "0000" + h16(0x6558) + eth(0x0800, ipv4(17, udp(1, 2))))))).isTrue();
        assertThat(l4(eth(0x0800, ipv4(47, "4000" + h16(0x0800) + ipv4(17, udp(1, 2)))))).as("routing").isFalse();
        assertThat(l4(eth(0x8864, "11000001001c" + "0021" + ipv4(17, udp(1, 2))))).isTrue();
        assertThat(l4(eth(0x8864, "11000001001c" + "21" + ipv4(17, udp(1, 2))))).as("compressed").isTrue();
        assertThat(l4(eth(0x8864, "12000001001c" + "0021" + ipv4(17, udp(1, 2))))).as("bad type").isFalse();
    }

    @Test
    void hashDependsOnTheFlowNotOnTheDirection() {
        Packet a = hashed(eth(0x86dd, ipv6(17, udp(1000, 2000))));
        byte[] f = a.frame();
        byte[] r = f.clone();
        System.arraycopy(f, 14 + 8, r, 14 + 24, 16);
        System.arraycopy(f, 14 + 24, r, 14 + 8, 16);
        System.arraycopy(f, 54, r, 56, 2);
        System.arraycopy(f, 56, r, 54, 2);
        Packet b = new Packet().wrap(r, 0, r.length, 1);
        KeyExtractor.extract(b);
        assertThat(KeyExtractor.hash(b)).isEqualTo(a.hash);
        Packet c = hashed(eth(0x86dd, ipv6(17, udp(1000, 2001))));
        assertThat(c.hash).isNotEqualTo(a.hash);
    }

    @Test
    void hashIsCachedUntilCleared() {
        Packet p = hashed(eth(0x0800, ipv4(17, udp(1, 2))));
        int h = p.hash;
        p.buf[p.off + 14 + 20]++; // change the source port without clearing the hash
        assertThat(KeyExtractor.hash(p)).isEqualTo(h);
        p.swHash = false;
        p.l4Hash = false;
        assertThat(KeyExtractor.hash(p)).isNotEqualTo(h);
    }
}
