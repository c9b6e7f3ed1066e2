package ovsj.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.cli.run.EndToEndNormalTest.flowOf;
import static ovsj.cli.run.EndToEndRig.frame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ovsj.cli.run.EndToEndRig.DpFlow;
import ovsj.vswitchd.PipelineRules;
import ovsj.vswitchd.Vswitchd;

/**
 * The daemon end to end with a rule file ({@code PipelineRules}): megaflows hold only the bits the rule
 * lookup examined, and reloading the file re-translates the installed flows (modified in place when
 * only their actions change, deleted when their mask would change), without losing a packet.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndToEndRulesTest {
    static final String SRC = "02:00:00:00:00:01";
    static final String DST = "02:00:00:00:00:02";

    static final String RULES = """
            priority=200,tcp,nw_dst=10.1.0.0/16,tp_dst=80,actions=output:2
            priority=100,ip,nw_dst=10.0.0.0/8,actions=output:3
            priority=0,actions=drop
            """;

    /** Rule 200 now outputs to 3; rule 100 is narrowed to 10.2.0.0/16. */
    static final String RELOADED = """
            priority=200,tcp,nw_dst=10.1.0.0/16,tp_dst=80,actions=output:3
            priority=100,ip,nw_dst=10.2.0.0/16,actions=output:3
            priority=0,actions=drop
            """;

    static final String PREFIX = "recirc_id(0),in_port(p1),eth(),eth_type(0x0800),";
    /** TCP to 10.1.x.x port 80: rule 200 matched, exactly its bits (the /16, the port, TCP). */
    static final String WEB = PREFIX + "ipv4(dst=10.1.0.0/255.255.0.0,proto=6,frag=no),tcp(dst=80)";
    /**
     * UDP to 10.2.0.1: rule 200 examined and refused on nw_proto (6 vs 17 differ first at 0x10, so the
     * top four bits prove it), rule 100 matched (the /8).
     */
    static final String UDP = PREFIX + "ipv4(dst=10.0.0.0/255.0.0.0,proto=16/0xf0,frag=no)";
    /** TCP to 10.1.2.3 port 8080: rule 200 refused on tp_dst (80 vs 8080 differ first at 0x1000). */
    static final String ALT = PREFIX + "ipv4(dst=10.0.0.0/255.0.0.0,proto=6,frag=no),tcp(dst=4096/0xf000)";
    /** TCP to 192.168.0.1: both rules refused on nw_dst's top bit; the drop rule examines nothing. */
    static final String FAR = PREFIX + "ipv4(dst=128.0.0.0/128.0.0.0,frag=no)";

    @TempDir
    Path tmp;

    static byte[] tcp(String ipSrc, String ipDst, int sport, int dport) {
        return frame(DST, SRC, ipSrc, ipDst, 6, sport, dport);
    }

    static byte[] udp(String ipSrc, String ipDst, int sport, int dport) {
        return frame(DST, SRC, ipSrc, ipDst, 17, sport, dport);
    }

    /** One packet of each of the four megaflows, each installed before the next. */
    static void fourFlows(EndToEndRig r) {
        r.inject("p1", tcp("10.9.0.1", "10.1.2.3", 1234, 80));
        r.awaitInstalled(1);
        r.inject("p1", udp("10.9.0.1", "10.2.0.1", 1234, 80));
        r.awaitInstalled(2);
        r.inject("p1", tcp("10.9.0.1", "10.1.2.3", 1234, 8080));
        r.awaitInstalled(3);
        r.inject("p1", tcp("10.9.0.1", "192.168.0.1", 1234, 8080));
        r.awaitInstalled(4);
    }

    @Test
    void megaflowsHoldOnlyTheFieldsAndPrefixBitsTheLookupExamined() throws Exception {
        Path file = tmp.resolve("rules");
        Files.writeString(file, RULES);
        try (EndToEndRig r = EndToEndRig.start(new Vswitchd.Config().pipeline(PipelineRules.load(file)))) {
            fourFlows(r);
            List<DpFlow> flows = r.flows();
            assertThat(flows).extracting(DpFlow::match).containsExactlyInAnyOrder(WEB, UDP, ALT, FAR);
            assertThat(flowOf(flows, WEB).actions()).isEqualTo("p2");
            assertThat(flowOf(flows, UDP).actions()).isEqualTo("p3");
            assertThat(flowOf(flows, ALT).actions()).isEqualTo("p3");
            assertThat(flowOf(flows, FAR).actions()).isEqualTo("drop");

            // Whatever the megaflow left wildcarded may vary: other hosts, MACs, ports, protocols.
            assertThat(r.inject("p1", frame("02:00:00:00:00:99", "02:00:00:00:00:98", "1.2.3.4", "10.1.200.1", 6,
                    9, 80))).as("another host to 10.1/16 port 80").isTrue();
            assertThat(r.inject("p1", udp("10.9.0.1", "10.200.0.1", 5, 6))).as("UDP anywhere in 10/8").isTrue();
            assertThat(r.inject("p1", frame(DST, SRC, "10.9.0.1", "10.3.0.1", 132, 1, 2)))
                    .as("SCTP (132 = 0x84) is outside the UDP flow's proto=16/0xf0: a miss").isFalse();
            assertThat(r.inject("p1", tcp("10.9.0.1", "10.7.7.7", 1, 0x1fff))).as("port 0x1xxx in 10/8").isTrue();
            assertThat(r.inject("p1", udp("10.9.0.1", "200.0.0.1", 1, 2))).as("anything 128/1").isTrue();
            assertThat(r.hits()).isEqualTo(4);
        }
    }

    @Test
    void aReloadedRuleFileModifiesFlowsWhoseActionsChangeAndDeletesThoseWhoseMaskWould() throws Exception {
        Path file = tmp.resolve("rules");
        Files.writeString(file, RULES);
        PipelineRules rules = PipelineRules.load(file);
        try (EndToEndRig r = EndToEndRig.start(new Vswitchd.Config().pipeline(rules))) {
            fourFlows(r);
            for (int i = 0; i < 3; i++) {
                r.inject("p1", tcp("10.9.0.1", "10.1.2.3", 1234, 80));
                r.inject("p1", udp("10.9.0.1", "10.2.0.1", 1234, 80));
                r.inject("p1", tcp("10.9.0.1", "10.1.2.3", 1234, 8080));
                r.inject("p1", tcp("10.9.0.1", "192.168.0.1", 1234, 8080));
            }
            assertThat(r.hits()).isEqualTo(12);
            List<DpFlow> before = r.flows();

            Files.writeString(file, RELOADED);
            rules.reload();
            r.revalidatorWait();

            List<DpFlow> after = r.flows();
            assertThat(after).extracting(DpFlow::match).containsExactlyInAnyOrder(WEB, FAR);
            DpFlow web = flowOf(after, WEB);
            assertThat(web.ufid()).as("modified in place").isEqualTo(flowOf(before, WEB).ufid());
            assertThat(web.actions()).isEqualTo("p3");
            assertThat(web.packets()).as("a modify keeps the statistics").isEqualTo(3);
            DpFlow far = flowOf(after, FAR);
            assertThat(far.ufid()).isEqualTo(flowOf(before, FAR).ufid());
            assertThat(far.actions()).isEqualTo("drop");
            assertThat(r.vswitchd.udpif().flowsDeleted()).isEqualTo(2);
            // The deleted flows' final statistics were pushed with the live flows' deltas.
            assertThat(r.vswitchd.udpif().pushedPackets()).isEqualTo(r.hits());
            assertThat(r.vswitchd.udpif().pushedBytes()).isEqualTo(r.hitBytes);

            // Their packets now miss and get the new translation.
            assertThat(r.inject("p1", udp("10.9.0.1", "10.2.0.1", 1234, 80))).isFalse();
            r.awaitInstalled(5);
            assertThat(r.inject("p1", tcp("10.9.0.1", "10.1.2.3", 1234, 8080))).isFalse();
            r.awaitInstalled(6);
            List<DpFlow> now = r.flows();
            assertThat(now).hasSize(4);
            assertThat(flowOf(now, PREFIX + "ipv4(dst=10.2.0.0/255.255.0.0,proto=16/0xf0,frag=no)").actions())
                    .isEqualTo("p3");
            assertThat(flowOf(now, PREFIX + "ipv4(dst=10.0.0.0/255.254.0.0,proto=6,frag=no),tcp(dst=4096/0xf000)")
                    .actions()).as("rule 100 refused on nw_dst's 15th bit, then dropped").isEqualTo("drop");
        }
    }
}
