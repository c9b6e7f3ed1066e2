package ovsj.odp.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.DecTtlAttr;
import ovsj.odp.uapi.KeyAttr;

/** Unit tests of the text forms: UFIDs, addresses, round trips, and the places where ovsj differs from 3.1. */
class OdpTextTest {
    @Test
    void ufidTextIsFourHostOrderWords() {
        byte[] raw = Wire.unhex("12345678123412341234123456789abc");
        StringBuilder sb = new StringBuilder();
        OdpUfid.format(sb, raw, 0);
        assertThat(sb).hasToString("ufid:78563412-3412-3412-3412-3412bc9a7856");
        byte[] back = new byte[16];
        assertThat(OdpUfid.parse(sb + " in_port(1)", back)).isEqualTo(41);
        assertThat(back).isEqualTo(raw);
        assertThat(OdpUfid.parse("ufid:1-2-3-4-5", back)).isEqualTo(-1);
        assertThat(OdpUfid.parse("ufid:6a4be4df1110421ab9d9abd830d3d1ba", back)).isEqualTo(-1);
        assertThat(OdpUfid.parse("in_port(1)", back)).isZero();
        assertThat(OdpUfid.parse("ufid:6A4BE4DF-1110-421A-B9D9-ABD830D3D1BA", back)).isEqualTo(41);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "2001:db8::1", "fe80::200:ff:fe00:1", "ff02::1:ff00:0", "1:0:0:1::1",
        "::ffff:1.2.3.4", "::1.2.3.4", "2001:db8:0:1:1:1:1:1", "1::", "ffff:ffff::"})
    void ipv6TextRoundTripsLikeGlibc(String text) {
        byte[] a = new byte[16];
        assertThat(Inet.ipv6Pton(text, a, 0)).isTrue();
        assertThat(Inet.ipv6(a, 0)).isEqualTo(text);
    }

    @Test
    void ipv6TextRejectsWhatGlibcRejects() {
        byte[] a = new byte[16];
        for (String bad : new String[] {"2001:db8:::1", "1:2:3:4:5:6:7:8:9", ":1", "1:", "12345::", "::1.2.3.04", ""}) {
            assertThat(Inet.ipv6Pton(bad, a, 0)).as(bad).isFalse();
        }
        assertThat(Inet.ipv6Pton("2001:0db8:0000:0000:0000:0000:0000:0001", a, 0)).isTrue();
        assertThat(Inet.ipv6(a, 0)).isEqualTo("2001:db8::1");
    }

    static String actions(String text) throws OdpParseException {
        NlWriter w = new NlWriter(256);
        OdpActionsParse.parse(text, null, w);
        return OdpActionsFormat.format(w.buffer(), 0, w.position(), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "1,2,3", "drop", "trunc(100)", "meter(7),2", "pop_vlan,ct_clear",
        "push_vlan(vid=10,pcp=3)", "push_vlan(tpid=0x88a8,vid=1,pcp=0,cfi=0)", "set(skb_mark(0x6/0xf))",
        "set(ipv4(src=1.2.3.4,dst=5.6.7.8,proto=17,tos=0,ttl=64,frag=no))", "set(ipv4(tos=0x4/0xfc,ttl=9))",
        "set(tunnel(tun_id=0x7,dst=2.2.2.2,ttl=64,tp_dst=4789,flags(df|key)))",
        "userspace(pid=1,userdata(0102030405060708),actions,tunnel_out_port=2)",
        "userspace(pid=1,sFlow(vid=10,pcp=3,output=2))", "userspace(pid=1,slow_path(stp))",
        "userspace(pid=1,flow_sample(probability=1,collector_set_id=2,obs_domain_id=3,obs_point_id=4,output_port=5,"
            + "egress))",
        "userspace(pid=1,ipfix(output_port=2))",
        "userspace(pid=7,controller(reason=1,dont_send=1,continuation=0,recirc_id=5,rule_cookie=0x123,"
            + "controller_id=2,max_len=128))",
        "sample(sample=12.5%,actions(sample(sample=50.0%,actions(3)),2))",
        "clone(push_vlan(vid=5,pcp=0),3),2", "check_pkt_len(size=64,gt(1),le(drop))",
        "ct(commit,zone=5,mark=0x1/0xff,label=0x2/0xff,helper=ftp)", "ct(force_commit,timeout=tp1)",
        "ct(commit,nat(src=10.0.0.1-10.0.0.5:100-200,persistent,random))",
        "ct(commit,nat(dst=[2001:db8::1]-[2001:db8::5]:80,hash))", "ct(nat(src=2001:db8::1))", "ct(nat)",
        "add_mpls(label=100,tc=1,ttl=64,bos=1,eth_type=0x8847)",
        "push_nsh(flags=0,ttl=63,mdtype=1,np=3,spi=0x100,si=255,c1=0x1,c2=0x2,c3=0x3,c4=0x4)",
        "push_nsh(flags=0,ttl=63,mdtype=2,np=1,spi=0x100,si=3,md2=0x10000401aabbccdd)", "pop_nsh()",
        "lb_output(1)", "tnl_pop(4)"})
    void actionsRoundTrip(String text) throws OdpParseException {
        assertThat(actions(text)).isEqualTo(text);
    }

    @Test
    void actionsInOvsCanonicalForm() throws OdpParseException {
        assertThat(actions("userspace(pid=1234)")).isEqualTo("userspace(pid=1234,userdata(" + "00".repeat(48) + "))");
        assertThat(actions("userspace(pid=1,userdata(00))")).isEqualTo("userspace(pid=1,userdata(0000000000000000))");
        assertThat(actions("set(ipv4(src=1.2.3.4/255.255.255.255))")).isEqualTo("set(ipv4(src=1.2.3.4))");
        assertThat(actions("ct(commit,nat(src,hash))")).isEqualTo("ct(commit,nat(src))");
        assertThat(actions("recirc(4294967296)")).isEqualTo("recirc(0)");
        // Printed in hex, parsed in decimal only (OVS's asymmetry).
        assertThat(actions("recirc(5)")).isEqualTo("recirc(0x5)");
        assertThat(actions("sample(sample=33.3%,actions())")).isEqualTo("sample(sample=33.3%,actions(drop))");
        assertThat(actions("trunc(-1)")).isEqualTo("trunc(4294967295)");
        assertThat(actions("2,")).isEqualTo("2");
        assertThat(actions("")).isEqualTo("drop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"recirc(0x5)", "sample(sample=33.3%,actions(drop))", "2,drop", "clone(drop)", "clone(1", "output(2)", "foo", "p2",
        "sample(sample=150%,actions(1))", "push_vlan(vid=4096,pcp=0)", "userspace(pid=1,slow_path(cfm,lacp))",
        "userspace(pid=1,userdata(0g))", "check_pkt_len(size=200,gt(2))", "ct(commit,force_commit)",
        "push_mpls(label=1,tc=0,ttl=64,bos=1,eth_type=0x8847)", "pop_eth", "hash(l4(0))", "dec_ttl(le_1(drop))"})
    void actionsOvs31Refuses(String text) {
        assertThatThrownBy(() -> actions(text)).isInstanceOf(OdpParseException.class);
    }

    @Test
    void actionNamesWhenGiven() throws OdpParseException {
        PortNames names = PortNames.of(Map.of(2, "p2"));
        NlWriter w = new NlWriter(64);
        OdpActionsParse.parse("p2,3", names, w);
        assertThat(OdpActionsFormat.format(w.buffer(), 0, w.position(), names)).isEqualTo("p2,3");
    }

    @Test
    void decTtlPrintsAsNewerOvs() {
        NlWriter w = new NlWriter(64);
        int d = w.beginNest(ActionAttr.DEC_TTL);
        int a = w.beginNest(DecTtlAttr.ACTION);
        w.putU32(ActionAttr.OUTPUT, 3);
        w.endNest(a);
        w.endNest(d);
        w.putU32(ActionAttr.OUTPUT, 2);
        assertThat(OdpActionsFormat.format(w.buffer(), 0, w.position(), DpctlSim.NAMES))
                .isEqualTo("dec_ttl(le_1(p3)),p2");
    }

    static String key(String text, boolean verbose) throws OdpParseException {
        NlWriter k = new NlWriter(256);
        NlWriter m = new NlWriter(256);
        OdpFlowParse.parseWithNsh(text, null, k, m);
        return OdpFlowFormat.format(k.buffer(), 0, k.position(), m.buffer(), 0, m.position(), null, verbose);
    }

    @ParameterizedTest
    @ValueSource(strings = {"in_port(1),eth(),eth_type(0x1234)",
        "skb_priority(0x7),skb_mark(0x9/0xf),recirc_id(0x2),dp_hash(0x1/0x1),in_port(3),eth(),eth_type(0x1234)",
        "ct_state(+new-est+trk),ct_zone(0x5/0xff),ct_mark(0x2),ct_label(0x1/0x1),in_port(1),eth(),eth_type(0x0800)",
        "ct_tuple4(src=10.0.0.1/255.255.255.0,dst=10.0.0.2,proto=6,tp_src=1,tp_dst=80)",
        "tunnel(tun_id=0x10/0xf0,src=1.1.1.0/255.255.255.0,dst=2.2.2.2,tos=0x4/0xfc,ttl=64,tp_dst=4789/0xff00,"
            + "flags(-df+csum+key)),in_port(1)",
        "tunnel(src=1.1.1.1,dst=2.2.2.2,ttl=64,geneve({class=0x102,type=0x80,len=4,0x11223344/0xffff0000}),"
            + "flags(-df)),in_port(1)",
        "tunnel(tun_id=0x5,src=1.1.1.1,dst=2.2.2.2,ttl=64,vxlan(gbp(id=10,flags=0x1)),flags(+key))",
        "eth(src=00:01:02:03:04:05/ff:ff:ff:00:00:00,dst=01:00:5e:00:00:00),eth_type(0x8100),vlan(vid=10/0xff0,"
            + "pcp=3/0x4),encap(eth_type(0x0800),ipv4(src=1.1.1.1,proto=17,frag=first),udp(dst=53))",
        "eth(),eth_type(0x8847),mpls(label=1,tc=0,ttl=64,bos=0,label=2,tc=0,ttl=64,bos=1)",
        "eth(),eth_type(0x86dd),ipv6(src=2001:db8::/ffff:ffff::,label=0x12345/0xff,proto=58,tclass=0xb8,hlimit=1),"
            + "icmpv6(type=135,code=0),nd(target=fe80::1,sll=00:01:02:03:04:05/ff:ff:ff:00:00:00)",
        "eth(),eth_type(0x0806),arp(sip=10.0.0.1,tip=10.0.0.0/255.255.255.0,op=1,sha=00:01:02:03:04:05)",
        "eth(),eth_type(0x0800),ipv4(proto=6),tcp(src=4096/0xf000),tcp_flags(-fin+syn-rst-psh+ack-urg-ece-cwr)",
        "eth(),eth_type(0x0800),ipv4(proto=6),tcp_flags(syn|ack)",
        "eth(),eth_type(0x894f),nsh(flags=1,ttl=63,mdtype=1,np=3,spi=0x100,si=255,c1=0x1/0x0000000f)",
        "eth(),eth_type(0x86dd),ipv6(proto=6),ipv6_exthdrs(0x41/0xff)"})
    void keysRoundTrip(String text) throws OdpParseException {
        assertThat(key(text, false)).isEqualTo(text);
    }

    @Test
    void keyPrintingWhereOvs31IsWrong() throws OdpParseException {
        // No comma after a wildcarded eth() in 3.1.
        assertThat(key("eth(),eth_type(0x1234)", false)).isEqualTo("eth(),eth_type(0x1234)");
        // The kernel's IPV6_EXTHDRS, which 3.1 prints as key32(00 00/00 00).
        assertThat(key("ipv6_exthdrs(0/0)", false)).isEmpty();
        assertThat(key("ipv6_exthdrs(0/0)", true)).isEqualTo("ipv6_exthdrs(0/0)");
        assertThat(key("ipv6_exthdrs(0x10)", true)).isEqualTo("ipv6_exthdrs(0x10)");
    }

    @Test
    void nshKeysFailAsInOvs31UnlessAskedFor() throws OdpParseException {
        String text = "in_port(1),eth(),eth_type(0x894f),nsh(np=1,spi=0x100,si=255)";
        assertThatThrownBy(() -> OdpFlowParse.parse(text, null, new NlWriter(256), new NlWriter(256)))
                .isInstanceOf(OdpParseException.class).hasMessage("syntax error at nsh(np=1,spi=0x100,si=255)");
        NlWriter k = new NlWriter(256);
        NlWriter m = new NlWriter(256);
        OdpFlowParse.parseWithNsh(text, null, k, m);
        assertThat(OdpFlowFormat.format(k.buffer(), 0, k.position(), m.buffer(), 0, m.position(), null, false))
                .isEqualTo("in_port(1),eth(),eth_type(0x894f),nsh(np=1,spi=0x100,si=255)");
    }

    @Test
    void keyParseErrorsAreOvsMessages() {
        for (String[] c : new String[][] {{"in_port(1),eth(src=zz),eth_type(0x1234)", "eth(src=zz),eth_type(0x1234)"},
            {"recirc_id(0x1/0xff),in_port(1)", "recirc_id(0x1/0xff),in_port(1)"},
            {"in_port(1),ipv4(src=10.0.0.1/32)", "ipv4(src=10.0.0.1/32)"},
            {"in_port(1),ipv4(frag=no/0xff)", "ipv4(frag=no/0xff)"}, {"in_port(p1)", "in_port(p1)"},
            {"encap(eth_type(0x1234) 2", "encap(eth_type(0x1234) 2"}, {"ufid:1-2-3 in_port(1)", "ufid:1-2-3 in_port(1)"}}) {
            assertThatThrownBy(() -> key(c[0], false)).isInstanceOf(OdpParseException.class)
                    .hasMessage("syntax error at " + c[1]);
        }
    }

    @Test
    void packetTypeIsDroppedAsDpifNetlinkDoes() throws OdpParseException {
        NlWriter k = new NlWriter(64);
        NlWriter m = new NlWriter(64);
        OdpFlowParse.parse("in_port(1),packet_type(ns=1,id=0x800)", null, k, m);
        assertThat(OdpFlowFormat.format(k.buffer(), 0, k.position(), m.buffer(), 0, m.position(), null, false))
                .isEqualTo("in_port(1),eth_type(0x0800)");
        NlWriter rk = new NlWriter(64);
        NlWriter rm = new NlWriter(64);
        OdpFlowParse.parseUnfiltered("in_port(1),packet_type(ns=1,id=0x800)", null, rk, rm);
        assertThat(OdpFlowFormat.format(rk.buffer(), 0, rk.position(), rm.buffer(), 0, rm.position(), null, true))
                .isEqualTo("in_port(1),packet_type(ns=1,id=0x800)");
    }

    @Test
    void unknownAndMalformedAttributes() {
        NlWriter k = new NlWriter(64);
        k.putU32(KeyAttr.IN_PORT, 1);
        k.putBytes(40, new byte[] {1, 2});
        k.putU16(KeyAttr.SKB_MARK, 5);
        String text = OdpFlowFormat.format(k.buffer(), 0, k.position(), null, 0, 0, null, false);
        assertThat(text).isEqualTo("in_port(1),key40(01 02),key15(bad key length 2, expected 4)(05 00)");
        byte[] leftover = java.util.Arrays.copyOf(k.buffer(), k.position() + 2);
        leftover[k.position()] = 3;
        assertThat(OdpFlowFormat.format(leftover, 0, leftover.length, null, 0, 0, null, false)).endsWith(
                ",***2 leftover bytes*** (0300)");
        assertThat(OdpFlowFormat.format(k.buffer(), 0, 0, null, 0, 0, null, false)).isEqualTo("<empty>");
    }
}
