package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ovsj.vswitchd.XlateTestFlows.arp;
import static ovsj.vswitchd.XlateTestFlows.canonical;
import static ovsj.vswitchd.XlateTestFlows.describe;
import static ovsj.vswitchd.XlateTestFlows.eth;
import static ovsj.vswitchd.XlateTestFlows.ip;
import static ovsj.vswitchd.XlateTestFlows.ipv4;
import static ovsj.vswitchd.XlateTestFlows.keyBytes;
import static ovsj.vswitchd.XlateTestFlows.mac;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ovsj.netlink.NlWriter;
import ovsj.odp.FlowKey;
import ovsj.odp.codec.ActionCodec;

class PipelineRulesTest {
    static final long A = mac("02:00:00:00:00:0a");
    static final long B = mac("02:00:00:00:00:0b");

    final Xlate x = new Xlate();
    final MegaflowBuilder mb = new MegaflowBuilder(3);

    static PipelineRules rules(String text) throws RulesParseException {
        PipelineNormal normal = new PipelineNormal();
        normal.setPorts(1, 2, 3, 4);
        return new PipelineRules(RulesParser.parse(text, "test"), normal);
    }

    String xlate(PipelineRules p, FlowKey k) {
        x.start(canonical(k), 0, true);
        p.translate(x);
        return describe(x.actions());
    }

    /** The mask as the datapath would hold it for the last translation of {@code k}. */
    FlowKey dpMask(FlowKey k) {
        FlowKey c = canonical(k);
        byte[] key = keyBytes(c);
        FlowKey m = new FlowKey();
        assertThat(mb.buildMask(key, 0, key.length, c, x.wildcards(), m)).as(String.valueOf(mb.error())).isNotNull();
        return m;
    }

    @Test
    void priorityThenFileOrder() throws Exception {
        PipelineRules p = rules("""
                priority=10,actions=output:4
                priority=100,ip,actions=output:2
                priority=100,tcp,actions=output:3
                priority=200,tcp,tp_dst=80,actions=drop
                """);
        assertThat(xlate(p, ipv4(1, A, B, ip("10.0.0.1"), ip("10.0.0.2"), 6, 999, 80))).isEqualTo("drop");
        assertThat(xlate(p, ipv4(1, A, B, ip("10.0.0.1"), ip("10.0.0.2"), 6, 999, 443))).as("equal priority: first line")
                .isEqualTo("2");
        assertThat(xlate(p, arp(1, A, B, 1, ip("10.0.0.1"), ip("10.0.0.2")))).isEqualTo("4");
        assertThat(xlate(rules("in_port=2,actions=output:1"), eth(1, A, B, 0x0800))).as("table miss").isEqualTo("drop");
        assertThat(xlate(rules("actions=output:1,output:2"), eth(1, A, B, 0x0800))).as("not to the input port")
                .isEqualTo("2");
    }

    @Test
    void prefixBitsUpToTheFirstDifference() throws Exception {
        PipelineRules p = rules("""
                priority=200,ip,nw_dst=10.1.0.0/16,actions=output:3
                priority=100,ip,nw_dst=10.0.0.0/8,actions=output:2
                priority=0,actions=drop
                """);
        FlowKey k = ipv4(1, A, B, ip("192.168.0.1"), ip("10.2.3.4"), 17, 5, 53);
        assertThat(xlate(p, k)).isEqualTo("2");
        // 10.1/16 differs from 10.2.3.4 first at bit 17 (0x00020000): 15 bits prove it; 10/8 needs 8.
        assertThat(XlateField.NW_DST.get(x.wildcards())).isEqualTo(0xfffe0000L);
        FlowKey m = dpMask(k);
        assertThat(XlateField.NW_DST.get(m)).isEqualTo(0xfffe0000L);
        assertThat(XlateField.NW_SRC.get(m)).isZero();
        assertThat(XlateField.TP_DST.get(m)).isZero();
        assertThat(XlateField.DL_SRC.get(m)).isZero();
        assertThat(XlateField.DL_DST.get(m)).isZero();

        assertThat(xlate(p, ipv4(1, A, B, 1, ip("11.0.0.1"), 17, 5, 53))).isEqualTo("drop");
        assertThat(XlateField.NW_DST.get(x.wildcards())).as("10/8 and 10.1/16 both fail at bit 24")
                .isEqualTo(0xff000000L);
        assertThat(xlate(p, ipv4(1, A, B, 1, ip("10.1.200.1"), 17, 5, 53))).isEqualTo("3");
        assertThat(XlateField.NW_DST.get(x.wildcards())).isEqualTo(0xffff0000L);
    }

    @Test
    void exactMatchesUnwildcardEverythingTheyConstrain() throws Exception {
        PipelineRules p = rules("""
                priority=300,in_port=2,ip,nw_src=1.2.3.4,actions=output:1
                priority=200,tcp,nw_src=10.0.0.0/24,tp_dst=80,actions=output:3
                """);
        FlowKey k = ipv4(1, A, B, ip("10.0.0.7"), ip("10.9.9.9"), 6, 40000, 80);
        assertThat(xlate(p, k)).isEqualTo("3");
        FlowKey m = dpMask(k);
        assertThat(XlateField.NW_SRC.get(m)).as("rule 1 is ruled out by in_port, exact anyway")
                .isEqualTo(0xffffff00L);
        assertThat(XlateField.NW_PROTO.get(m)).isEqualTo(0xff);
        assertThat(XlateField.TP_DST.get(m)).isEqualTo(0xffff);
        assertThat(XlateField.TP_SRC.get(m)).isZero();
        assertThat(XlateField.NW_DST.get(m)).isZero();
    }

    @Test
    void portProofsGetTheirProtocolPrerequisite() throws Exception {
        PipelineRules p = rules("""
                priority=200,udp,tp_dst=53,actions=output:3
                priority=100,actions=output:2
                """);
        FlowKey k = ipv4(1, A, B, 1, 2, 17, 1000, 5353);
        assertThat(xlate(p, k)).isEqualTo("2");
        assertThat(XlateField.NW_PROTO.get(x.wildcards())).as("udp matched: no bit needed for the proof").isZero();
        FlowKey m = dpMask(k);
        assertThat(XlateField.TP_DST.get(m)).isNotZero();
        assertThat(XlateField.NW_PROTO.get(m)).as("the kernel needs an exact protocol under ports").isEqualTo(0xff);
    }

    @Test
    void rewritesAreMaskedSetsTheKernelAccepts() throws Exception {
        PipelineRules p = rules("""
                priority=100,udp,actions=mod_dl_src:02:00:00:00:00:99,mod_nw_dst:10.0.0.99,mod_tp_dst:5353,output:2,mod_tp_dst:53,output:3
                priority=50,actions=mod_nw_dst:10.0.0.99,mod_tp_src:7,output:2
                """);
        FlowKey k = ipv4(1, A, B, ip("10.0.0.1"), ip("10.0.0.2"), 17, 1000, 53);
        assertThat(xlate(p, k)).isEqualTo(
                "set(eth(src=02:00:00:00:00:99)),set(ipv4(dst=10.0.0.99)),set(udp(dst=5353)),2,set(udp(dst=53)),3");
        FlowKey m = dpMask(k);
        assertThat(XlateField.DL_SRC.get(m)).as("rewritten fields are matched").isEqualTo(0xffffffffffffL);
        assertThat(XlateField.NW_DST.get(m)).isEqualTo(0xffffffffL);
        assertThat(XlateField.TP_DST.get(m)).isEqualTo(0xffff);
        assertKernelAccepts(k, m, x.actions());

        // A rewrite to the value the packet has emits nothing (the field is matched, so that is safe).
        assertThat(xlate(p, ipv4(1, A, B, ip("10.0.0.1"), ip("10.0.0.99"), 17, 1000, 5353)))
                .isEqualTo("set(eth(src=02:00:00:00:00:99)),2,set(udp(dst=53)),3");
        // IPv4 and port rewrites skip packets without those headers.
        assertThat(xlate(p, arp(1, A, B, 1, ip("10.0.0.1"), ip("10.0.0.2")))).isEqualTo("2");
        assertThat(xlate(p, ipv4(1, A, B, 1, 2, 1, 8, 0))).as("icmp: no ports to rewrite")
                .isEqualTo("set(ipv4(dst=10.0.0.99)),2");
        assertKernelAccepts(ipv4(1, A, B, 1, 2, 1, 8, 0), dpMask(ipv4(1, A, B, 1, 2, 1, 8, 0)), x.actions());
    }

    static void assertKernelAccepts(FlowKey k, FlowKey mask, byte[] actions) {
        FlowKey masked = new FlowKey();
        masked.mask(canonical(k), new ovsj.odp.FlowMask(mask));
        StringBuilder log = new StringBuilder();
        int err = ActionCodec.copyActions(actions, 0, actions.length, masked, new NlWriter(1024), log::append);
        assertThat(err).as(log.toString()).isZero();
    }

    @Test
    void normalActionLearns() throws Exception {
        PipelineRules p = rules("""
                priority=100,arp,actions=normal
                priority=50,actions=drop
                """);
        assertThat(xlate(p, arp(1, A, B, 1, 1, 2))).isEqualTo("2,3,4");
        assertThat(x.normalUsed()).isTrue();
        assertThat(xlate(p, arp(3, B, A, 2, 2, 1))).isEqualTo("1");
        assertThat(xlate(p, eth(3, B, A, 0x0800))).isEqualTo("drop");
        assertThat(x.normalUsed()).isFalse();
        assertThat(p.macLearning().size()).isEqualTo(2);
    }

    @Test
    void reloadReplacesTheTableOrKeepsItOnError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rules.txt");
        Files.writeString(f, "priority=1,actions=output:2\n");
        PipelineRules p = PipelineRules.load(f);
        p.setPorts(1, 2, 3);
        int[] calls = {0};
        p.onChange(() -> calls[0]++);
        assertThat(p.name()).isEqualTo("rules " + f);
        assertThat(xlate(p, eth(1, A, B, 0x0800))).isEqualTo("2");
        long rev = p.revision();
        Files.writeString(f, "priority=1,actions=output:3\n");
        p.reload();
        assertThat(p.revision()).isGreaterThan(rev);
        assertThat(calls[0]).isEqualTo(1);
        assertThat(xlate(p, eth(1, A, B, 0x0800))).isEqualTo("3");
        Files.writeString(f, "priority=1,actions=output:3\nbogus=1,actions=drop\n");
        rev = p.revision();
        assertThatThrownBy(p::reload).isInstanceOf(RulesParseException.class).hasMessageContaining(":2: \"bogus=1\"");
        assertThat(p.revision()).isEqualTo(rev);
        assertThat(xlate(p, eth(1, A, B, 0x0800))).isEqualTo("3");
    }
}
