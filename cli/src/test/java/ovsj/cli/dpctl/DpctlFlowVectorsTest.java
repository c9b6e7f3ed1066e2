package ovsj.cli.dpctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays {@code vectors/dpctl/dpctl.tsv}: for each corpus line, {@code del-flows}, then
 * {@code add-flow dp0 MATCH ACTIONS} (exit status, stdout, last stderr line compared), and when it
 * succeeded the four dumps ({@code dump-flows}, {@code -m}, {@code --names}, {@code -m --no-names}) and,
 * for a {@code ufid:} match, {@code get-flow}, each compared byte for byte after {@code used:<t>s}.
 *
 * <p>ovsj's text syntax prints two things differently from OVS 3.1 on purpose (see
 * {@code OdpFlowFormat}): {@code OVS_KEY_ATTR_IPV6_EXTHDRS} as {@code ipv6_exthdrs(...)} (3.1:
 * {@code key32(00 00/00 00)}), and a comma after a leading wildcarded {@code eth()}. A row that matches
 * once the expected text gets those two fixes counts as matching "with the text fixes".
 */
@Timeout(600)
class DpctlFlowVectorsTest {
    @TempDir
    Path dir;

    /** Row id → why ovsj differs (rows that differ and are not listed fail the test). */
    static final Map<String, String> KNOWN = new LinkedHashMap<>();

    // Empty: nsh(...) keys, which OVS 3.1 fails to parse, fail the same way in ovsj dpctl.

    private static final Pattern KEY32 = Pattern.compile("key32\\(([0-9a-f]{2}) ([0-9a-f]{2})/([0-9a-f]{2}) ([0-9a-f]{2})\\)");

    /** The expected text with ovsj's two deliberate fixes applied. */
    static String withTextFixes(String s, boolean verbose) {
        Matcher m = KEY32.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            int key = Integer.parseInt(m.group(2) + m.group(1), 16);
            int mask = Integer.parseInt(m.group(4) + m.group(3), 16);
            String r;
            if (mask == 0 && !verbose) {
                r = "";
            } else {
                r = "ipv6_exthdrs(" + hex(key) + (mask == 0xffff ? "" : "/" + hex(mask)) + ")";
            }
            m.appendReplacement(b, Matcher.quoteReplacement(r));
        }
        m.appendTail(b);
        return b.toString().replace(",,", ",").replace("),,", "),").replace("eth()eth_type", "eth(),eth_type")
                .replace("eth()eth(", "eth(),eth(");
    }

    private static String hex(int v) {
        return v == 0 ? "0" : "0x" + Integer.toHexString(v);
    }

    record Cell(String name, List<String> args, String expected, boolean verbose) {
    }

    @Test
    void replaysDpctlTsv() throws IOException {
        List<Map<String, String>> rows = Tsv.read(DpctlCommandsVectorsTest.vectors().resolve("dpctl.tsv"));
        int exact = 0;
        int withFixes = 0;
        int cells = 0;
        int cellsOk = 0;
        List<String> failing = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        try (DpctlHarness h = new DpctlHarness(dir)) {
            assertThat(h.dpctl("add-dp", "dp0", "p1,type=internal", "p2,type=internal", "p3,type=internal").rc())
                    .isZero();
            for (Map<String, String> row : rows) {
                String id = row.get("id");
                assertThat(h.dpctl("del-flows", "dp0").rc()).isZero();
                String match = row.get("match");
                DpctlHarness.Result add = h.dpctl("add-flow", "dp0", match, row.get("actions"));
                List<String> diffs = new ArrayList<>();
                List<String> diffsFixed = new ArrayList<>();
                cells++;
                String addExp = "rc=" + row.get("add_rc") + " out=" + row.get("add_stdout") + " err="
                        + DpctlHarness.lastMessageLine(row.get("add_stderr"));
                String addGot = "rc=" + add.rc() + " out=" + add.out() + " err=" + DpctlHarness.lastMessageLine(add.err());
                if (addExp.equals(addGot)) {
                    cellsOk++;
                } else {
                    diffs.add("add-flow\n    got: " + addGot + "\n    exp: " + addExp);
                    diffsFixed.add("add");
                }
                if (row.get("add_rc").equals("0") && add.rc() == 0) {
                    List<Cell> dumps = new ArrayList<>(List.of(
                            new Cell("dump", List.of("dump-flows", "dp0"), row.get("dump"), false),
                            new Cell("dump_m", List.of("dump-flows", "-m", "dp0"), row.get("dump_m"), true),
                            new Cell("dump_names", List.of("dump-flows", "--names", "dp0"), row.get("dump_names"), false),
                            new Cell("dump_m_no_names", List.of("dump-flows", "-m", "--no-names", "dp0"),
                                    row.get("dump_m_no_names"), true)));
                    if (match.startsWith("ufid:")) {
                        dumps.add(new Cell("get_flow", List.of("get-flow", "dp0", match.substring(0, match.indexOf(','))),
                                row.get("get_flow"), false));
                    }
                    for (Cell c : dumps) {
                        cells++;
                        DpctlHarness.Result r = h.dpctl(c.args);
                        String got = r.rc() == 0 ? DpctlHarness.normaliseUsed(r.out())
                                : "rc=" + r.rc() + " " + DpctlHarness.lastMessageLine(r.err());
                        if (got.equals(c.expected)) {
                            cellsOk++;
                            continue;
                        }
                        diffs.add(c.name + "\n    got: " + got.replace("\n", "\\n") + "\n    exp: "
                                + c.expected.replace("\n", "\\n"));
                        if (!got.equals(withTextFixes(c.expected, c.verbose))) {
                            diffsFixed.add(c.name);
                        }
                    }
                }
                if (diffs.isEmpty() || diffsFixed.isEmpty()) {
                    if (KNOWN.containsKey(id)) {
                        failing.add(id + " (listed as a known difference, but it matches now)");
                    }
                }
                if (diffs.isEmpty()) {
                    exact++;
                    log.append("MATCH ").append(id).append('\n');
                } else if (diffsFixed.isEmpty()) {
                    withFixes++;
                    log.append("FIXED ").append(id).append('\n');
                } else {
                    boolean known = KNOWN.containsKey(id);
                    if (!known) {
                        failing.add(id);
                    }
                    log.append(known ? "KNOWN " : "FAIL  ").append(id).append(' ').append(row.get("src")).append(' ')
                            .append(match).append("  ").append(row.get("actions"))
                            .append(known ? "\n  known: " + KNOWN.get(id) : "").append('\n');
                    for (String d : diffs) {
                        log.append("  ").append(d).append('\n');
                    }
                }
            }
        }
        String summary = String.format("dpctl.tsv: %d of %d rows match exactly, %d more with ovsj's two text fixes,"
                + " %d known to differ, %d fail; %d of %d compared cells identical%n", exact, rows.size(), withFixes,
                KNOWN.size(), failing.size(), cellsOk, cells);
        log.insert(0, summary);
        if (Files.isDirectory(Path.of("target"))) {
            Files.writeString(Path.of("target", "dpctl-flow-vectors.txt"), log.toString());
        }
        System.out.print(summary);
        assertThat(failing).as(summary + "(details in target/dpctl-flow-vectors.txt)").isEmpty();
    }
}
