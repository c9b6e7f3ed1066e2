package ovsj.odp.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.FlowAttr;

/**
 * {@code vectors/dpctl/rawflows.tsv}: flows installed with raw netlink (actions ovs-dpctl 3.1 prints but
 * cannot parse, L3 keys, exact keys without a mask) through the kernel twin, then printed.
 *
 * <p>OVS 3.1 prints a kernel {@code dec_ttl} as a garbled {@code tnl_push(...)} (its action 23); ovsj prints
 * {@code dec_ttl(le_1(...))} as newer OVS does. Those rows are listed here with the corrected text.
 */
class RawFlowsTest {
    /**
     * r010, r011: 3.1's {@code tnl_push(...)} garbage, and what a correct OVS prints (by default; with
     * {@code -m} the output port is named: {@code dec_ttl(le_1(p3))}).
     */
    static final Map<String, String> DEC_TTL = Map.of(
            "r010", "dec_ttl(le_1(drop)),",
            "r011", "dec_ttl(le_1(3)),");
    static final Map<String, String> DEC_TTL_NAMES = Map.of(
            "r010", "dec_ttl(le_1(drop)),",
            "r011", "dec_ttl(le_1(p3)),");

    @Test
    void everyRawFlowMatches() {
        List<String> failures = new ArrayList<>();
        int rows = 0;
        int lines = 0;
        int matched = 0;
        for (Map<String, String> row : DpctlSim.tsv("dpctl/rawflows.tsv")) {
            rows++;
            String id = row.get("id");
            byte[] attrs = Wire.unhex(row.get("flow_attrs_hex"));
            int ufid = NlAttrReader.find(attrs, 0, attrs.length, FlowAttr.UFID);
            int key = NlAttrReader.find(attrs, 0, attrs.length, FlowAttr.KEY);
            int mask = NlAttrReader.find(attrs, 0, attrs.length, FlowAttr.MASK);
            int acts = NlAttrReader.find(attrs, 0, attrs.length, FlowAttr.ACTIONS);
            byte[] ufidBytes = ufid < 0 ? null : java.util.Arrays.copyOfRange(attrs, ufid + 4,
                    ufid + NlAttr.len(attrs, ufid));
            NlWriter reply = new NlWriter(512);
            int err = DpctlSim.kernel(ufidBytes, attrs, key, mask, attrs, acts + 4, NlAttr.len(attrs, acts) - 4, reply);
            boolean ok = row.get("nlflow_result").startsWith("rc=0");
            if (ok != (err == 0)) {
                failures.add(id + ": expected " + row.get("nlflow_result").trim() + " got " + err);
                continue;
            }
            if (!ok) {
                assertThat(row.get("nlflow_result")).contains("error " + -err + " ");
                continue;
            }
            DpctlSim.Result r = DpctlSim.Reply.of(reply.buffer(), reply.position()).result();
            String[][] modes = {{"dump", r.dump()}, {"dump_m", r.dumpM()}};
            for (String[] mode : modes) {
                String expected = row.get(mode[0]);
                if (DEC_TTL.containsKey(id)) {
                    expected = expected.replaceFirst("actions:tnl_push\\(.*\\)\\),", "actions:"
                            + (mode[0].equals("dump_m") ? DEC_TTL_NAMES : DEC_TTL).get(id));
                }
                lines++;
                if (expected.equals(mode[1])) {
                    matched++;
                } else {
                    failures.add(id + " " + mode[0] + ":\n  expected " + expected + "  got      " + mode[1]);
                }
            }
        }
        System.out.println("rawflows.tsv: " + rows + " flows, " + matched + "/" + lines + " dump lines match");
        failures.forEach(System.out::println);
        assertThat(failures).isEmpty();
    }
}
