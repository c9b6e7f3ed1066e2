package ovsj.cli.dpctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ovsj.netlink.NlWriter;
import ovsj.odp.dpif.FlowMessage;
import ovsj.odp.dpif.UnixSocketChannel;
import ovsj.odp.text.OdpFlowParse;
import ovsj.odp.text.PortNames;
import ovsj.odp.uapi.FlowAttr;

/** The parts of {@code ovsj dpctl} that the vectors do not pin down. */
@Timeout(120)
class DpctlTest {
    @TempDir
    Path dir;

    @Test
    void bulkLinesSplitAsDpctlParseFlowLine() {
        String[] o = new String[2];
        assertThat(BulkFlows.parseLine(BulkFlows.MOD, "add in_port(1) 2", o)).isEqualTo(BulkFlows.ADD);
        assertThat(o).containsExactly("in_port(1)", "2");
        assertThat(BulkFlows.parseLine(BulkFlows.ADD, "  d in_port(1)", o)).isEqualTo(BulkFlows.DEL);
        assertThat(o).containsExactly("in_port(1)", null);
        assertThat(BulkFlows.parseLine(BulkFlows.DEL, "mod in_port(1)  1,2 ", o)).isEqualTo(BulkFlows.MOD);
        assertThat(o).containsExactly("in_port(1)", "1,2 ");
        assertThat(BulkFlows.parseLine(BulkFlows.MOD, "in_port(1),eth() 3", o)).isEqualTo(BulkFlows.MOD);
        assertThat(o).containsExactly("in_port(1),eth()", "3");
        assertThat(BulkFlows.parseLine(BulkFlows.ADD, "addx y", o)).isEqualTo(BulkFlows.ADD);
        assertThat(o).containsExactly("addx", "y");
        assertThat(BulkFlows.parseLine(BulkFlows.ADD, "delete", o)).isEqualTo(BulkFlows.DEL);
        assertThat(o).containsExactly(null, null);
        assertThat(BulkFlows.preprocess("  # all comment")).isNull();
        assertThat(BulkFlows.preprocess("x 2 # c")).isEqualTo("x 2 ");
        assertThat(BulkFlows.preprocess(" \t")).isNull();
    }

    @Test
    void fixedPointIsCsRoundHalfEvenOfTheBinaryValue() {
        assertThat(CFormat.fixed(0.125, 2)).isEqualTo("0.12");
        assertThat(CFormat.fixed(0.375, 2)).isEqualTo("0.38");
        assertThat(CFormat.fixed(1.005, 2)).isEqualTo("1.00"); // 1.00499999...
        assertThat(CFormat.fixed(5.0 / 11 * 100, 2)).isEqualTo("45.45");
        assertThat(CFormat.fixed(0, 3)).isEqualTo("0.000");
        assertThat(DatapathCommands.humanSize(1023)).isEmpty();
        assertThat(DatapathCommands.humanSize(1536)).isEqualTo(" (1.5 KiB)");
        assertThat(DatapathCommands.humanSize(3L << 30)).isEqualTo(" (3.0 GiB)");
    }

    @Test
    void scanningNumbersAsCDoes() {
        assertThat(DatapathCommands.scanU32(" 512x")).isEqualTo(512L);
        assertThat(DatapathCommands.scanU32("abc")).isNull();
        assertThat(DatapathCommands.scanU32("99999999999")).isEqualTo(0xffffffffL);
        assertThat(DatapathCommands.atoi("10,x")).isEqualTo(10);
        assertThat(DatapathCommands.keyValue("type=internal")).containsExactly("type", "internal");
        assertThat(DatapathCommands.keyValue("loop")).containsExactly("loop", "");
        assertThat(DatapathCommands.strtok(",,p1,,type=internal,", ',')).containsExactly("p1", "type=internal");
    }

    /** A flow message as the datapath would send it, key and mask from the text syntax. */
    static FlowMessage flow(String match) throws Exception {
        NlWriter key = new NlWriter(256);
        NlWriter mask = new NlWriter(256);
        OdpFlowParse.parse(match, null, key, mask);
        NlWriter w = new NlWriter(512);
        int m = w.beginMessage(0x23, 0, 1, 1);
        w.putGenlHeader(3, 1);
        w.putRawU32(5);
        w.putBytes(FlowAttr.KEY, key.buffer(), 0, key.position());
        w.putBytes(FlowAttr.MASK, mask.buffer(), 0, mask.position());
        w.endMessage(m);
        return new FlowMessage().wrap(w.toByteArray(), 0);
    }

    @Test
    void filtersCompareOnlyWhereTheFlowsMaskCares() throws Exception {
        PortNames ports = PortNames.of(Map.of(0, "dp0", 1, "p1", 2, "p2"));
        FlowMessage udp = flow("in_port(1),eth(),eth_type(0x0800),ipv4(proto=17),udp()");
        FlowMessage arp = flow("in_port(1),eth(),eth_type(0x0806),arp(op=2)");
        FlowMessage src = flow("in_port(2),eth(),eth_type(0x0800),ipv4(src=10.0.3.0/255.255.255.0)");
        assertThat(FlowFilter.parse("udp", ports).matches(udp)).isTrue();
        assertThat(FlowFilter.parse("tcp", ports).matches(udp)).isFalse();
        assertThat(FlowFilter.parse("arp", ports).matches(udp)).isFalse();
        assertThat(FlowFilter.parse("arp", ports).matches(arp)).isTrue();
        assertThat(FlowFilter.parse("arp,arp_op=2", ports).matches(arp)).isTrue();
        assertThat(FlowFilter.parse("arp,arp_op=1", ports).matches(arp)).isFalse();
        assertThat(FlowFilter.parse("in_port=p1", ports).matches(arp)).isTrue();
        assertThat(FlowFilter.parse("in_port=2", ports).matches(arp)).isFalse();
        assertThat(FlowFilter.parse("ip,nw_dst=10.0.0.2", ports).matches(udp)).isTrue();
        assertThat(FlowFilter.parse("ip,nw_src=10.0.3.77", ports).matches(src)).isTrue();
        assertThat(FlowFilter.parse("ip,nw_src=10.0.4.1", ports).matches(src)).isFalse();
        assertThatThrownBy(() -> FlowFilter.parse("bogus", ports)).hasMessage("bogus: unknown field bogus");
        assertThatThrownBy(() -> FlowFilter.parse("nw_dst=1.2.3.4", ports))
                .hasMessage("nw_dst=1.2.3.4: prerequisites not met for setting nw_dst");
        assertThatThrownBy(() -> FlowFilter.parse("ip,ip", ports)).hasMessage("ip,ip: Ethernet type set multiple times");
    }

    @Test
    void bulkLoadsFromStdinReportEveryLineInOrderAcrossManyDatagrams() throws Exception {
        try (DpctlHarness h = new DpctlHarness(dir)) {
            assertThat(h.dpctl("add-dp", "dp0", "p1,type=internal").rc()).isZero();
            StringBuilder file = new StringBuilder();
            List<String> expected = new ArrayList<>();
            int n = 30000;
            for (int i = 1; i <= n; i++) {
                int f = i % 1000 == 0 ? i - 500 : i; // every 1000th line repeats an earlier flow
                file.append("in_port(1),eth(),eth_type(0x0800),ipv4(src=10.").append(f >> 16).append('.')
                        .append((f >> 8) & 255).append('.').append(f & 255).append(") 1\n");
                if (i % 1000 == 0) {
                    expected.add("ovsj dpctl: updating flow table (File exists)");
                }
                if (i % 7777 == 0) {
                    file.append("in_port(1) bogus_action\n");
                    expected.add("ovsj dpctl: parsing actions (Invalid argument)");
                }
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Dpctl d = new Dpctl(() -> UnixSocketChannel.connect(h.socket), new DpctlOptions(), new PrintWriter(out),
                    new PrintWriter(err)).stdin(new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)));
            assertThat(d.run(List.of("add-flows", "dp0", "-"))).isZero();
            assertThat(err.toString().lines().toList()).isEqualTo(expected);
            assertThat(d.lastBulk().requests()).isEqualTo(n);
            assertThat(d.lastBulk().datagrams()).isGreaterThan(10);
            assertThat(h.dpctl("dump-flows", "dp0").out().lines().count()).isEqualTo(n - n / 1000);
        }
    }

    @Test
    void statisticsOfABulkDeleteComeInLineOrder() throws Exception {
        try (DpctlHarness h = new DpctlHarness(dir)) {
            assertThat(h.dpctl("add-dp", "dp0", "p1,type=internal").rc()).isZero();
            assertThat(h.dpctl("add-flow", "dp0", "in_port(1),eth(),eth_type(0x1234)", "1").rc()).isZero();
            java.nio.file.Files.writeString(dir.resolve("del.txt"),
                    "in_port(1),eth(),eth_type(0x1234)\nin_port(1),eth(),eth_type(0x1235)\n");
            DpctlHarness.Result r = h.dpctl("-s", "del-flows", "dp0", dir.resolve("del.txt").toString());
            assertThat(r.rc()).isZero();
            assertThat(r.out()).isEqualTo("packets:0, bytes:0, used:never\nPerhaps you need to specify a UFID?\n");
            assertThat(DpctlHarness.lastMessageLine(r.err())).isEqualTo("ovsj dpctl: deleting flow (No such file or directory)");
        }
    }

    @Test
    void withoutADatapathSocketTheErrorSaysSo() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cmd = ovsj.cli.Main.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int rc = cmd.execute("dpctl", "--socket", dir.resolve("none.sock").toString(), "show");
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).startsWith("ovsj dpctl: cannot reach the datapath: ");
    }
}
