package ovsj.cli.dpctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.DpifException;
import ovsj.odp.dpif.Strerror;
import ovsj.odp.dpif.UnixSocketChannel;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.FlowCmd;

/**
 * Replays {@code vectors/dpctl/rawflows.tsv}: flows installed with a raw {@code OVS_FLOW_CMD_NEW} (actions
 * and keys that ovs-dpctl 3.1 prints but cannot parse), the datapath's answer, then {@code dump-flows}
 * and {@code dump-flows -m} as {@code ovsj dpctl} prints them.
 */
@Timeout(120)
class DpctlRawFlowsVectorsTest {
    @TempDir
    Path dir;

    static final Map<String, String> KNOWN = new LinkedHashMap<>();

    static {
        String decTtl = "OVS 3.1 decodes the kernel's dec_ttl (23) as its userspace tnl_push and prints garbage;"
                + " ovsj prints dec_ttl";
        KNOWN.put("r010", decTtl);
        KNOWN.put("r011", decTtl);
    }

    @Test
    void replaysRawflowsTsv() throws IOException {
        List<Map<String, String>> rows = Tsv.read(DpctlCommandsVectorsTest.vectors().resolve("rawflows.tsv"));
        List<String> failing = new ArrayList<>();
        List<String> nowPassing = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        int ok = 0;
        try (DpctlHarness h = new DpctlHarness(dir)) {
            assertThat(h.dpctl("add-dp", "dp0", "p1,type=internal", "p2,type=internal", "p3,type=internal").rc())
                    .isZero();
            try (Dpif dpif = Dpif.open(UnixSocketChannel.connect(h.socket))) {
                int dp = dpif.dpGet("dp0").ifindex();
                for (Map<String, String> row : rows) {
                    String id = row.get("id");
                    assertThat(h.dpctl("del-flows", "dp0").rc()).isZero();
                    byte[] attrs = HexFormat.of().parseHex(row.get("flow_attrs_hex"));
                    NlWriter w = dpif.client().begin(dpif.flowFamily(), NlMsgHdr.F_CREATE, FlowCmd.NEW,
                            Families.FLOW_VERSION);
                    w.putRawU32(dp);
                    w.putRawUnpadded(attrs, 0, attrs.length);
                    String result;
                    try {
                        dpif.client().transact();
                        result = "rc=0 ok\n";
                    } catch (DpifException e) {
                        result = "rc=1 error " + e.errno() + " " + Strerror.of(e.errno()) + "\n";
                    }
                    List<String> diffs = new ArrayList<>();
                    if (!result.equals(row.get("nlflow_result"))) {
                        diffs.add("result got " + result.trim() + ", exp " + row.get("nlflow_result").trim());
                    } else if (result.startsWith("rc=0")) {
                        String dump = DpctlHarness.normaliseUsed(h.dpctl("dump-flows", "dp0").out());
                        String dumpM = DpctlHarness.normaliseUsed(h.dpctl("dump-flows", "-m", "dp0").out());
                        if (!dump.equals(row.get("dump"))
                                && !dump.equals(DpctlFlowVectorsTest.withTextFixes(row.get("dump"), false))) {
                            diffs.add("dump\n    got: " + dump + "    exp: " + row.get("dump"));
                        }
                        if (!dumpM.equals(row.get("dump_m"))
                                && !dumpM.equals(DpctlFlowVectorsTest.withTextFixes(row.get("dump_m"), true))) {
                            diffs.add("dump_m\n    got: " + dumpM + "    exp: " + row.get("dump_m"));
                        }
                    }
                    boolean known = KNOWN.containsKey(id);
                    if (diffs.isEmpty()) {
                        ok++;
                        if (known) {
                            nowPassing.add(id);
                        }
                    } else if (!known) {
                        failing.add(id);
                    }
                    log.append(diffs.isEmpty() ? "MATCH " : known ? "KNOWN " : "FAIL  ").append(id).append(' ')
                            .append(row.get("description")).append('\n');
                    diffs.forEach(x -> log.append("  ").append(x).append('\n'));
                }
            }
        }
        String summary = String.format("rawflows.tsv: %d of %d rows match (with ovsj's text fixes), %d known to"
                + " differ, %d fail%n", ok, rows.size(), KNOWN.size(), failing.size());
        System.out.print(summary);
        assertThat(failing).as(summary + log).isEmpty();
        assertThat(nowPassing).as("listed as known but matching").isEmpty();
    }
}
