package ovsj.odp.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import ovsj.netlink.NlWriter;

/**
 * The second opinion: {@code vectors/ovs/text.tsv}, the same kind of corpus run through OVS 3.1's
 * userspace datapath ({@code ovs-appctl dpctl/add-flow} on dpif-netdev). Its parse errors come from the
 * same {@code odp_flow_from_string} and {@code odp_actions_from_string}; its WARN lines format the parsed
 * request ({@code -m} style, no port names); its dumps print the stored actions as parsed. So, per line:
 * the same parse verdict and message, the same WARN text for key, mask and actions, and the same
 * {@code actions:} text for flows that were added. (Key dumps differ: dpif-netdev re-serialises.)
 */
class OvsTextCorpusTest {
    private static final Pattern WARN = Pattern.compile(
            "failed to put\\[create\\] \\([^)]*\\) ufid:[0-9a-f-]{36} (.*), actions:(.*)$");

    /** Splits a corpus line into match and actions as canon.py does. */
    static String[] split(String line) {
        int tab = line.indexOf('\t');
        if (tab >= 0) {
            return new String[] {line.substring(0, tab), line.substring(tab + 1)};
        }
        int act = line.indexOf("actions:");
        if (act >= 0) {
            int stats = line.indexOf(", packets:");
            return new String[] {line.substring(0, stats >= 0 ? stats : act).trim(), line.substring(act + 8)};
        }
        int depth = 0;
        int split = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ' ' && depth == 0 && i > 0 && line.charAt(i - 1) != ',') {
                split = i;
            }
        }
        return split < 0 ? new String[] {line, ""} : new String[] {line.substring(0, split), line.substring(split + 1)};
    }

    /** The userspace datapath {@code netdev@canon}: its local port. */
    static final PortNames CANON_PORTS = PortNames.of(java.util.Map.of(0, "canon"));

    @Test
    void sameParsesAndFormatsAsOvsUserspace() throws IOException {
        List<String> failures = new ArrayList<>();
        List<String> exceptions = new ArrayList<>();
        int lines = 0;
        int keyVerdicts = 0;
        int actionVerdicts = 0;
        int warns = 0;
        int dumps = 0;
        for (String row : Files.readAllLines(DpctlSim.vectors().resolve("ovs/text.tsv"))) {
            String[] cells = row.split("\t", -1);
            if (cells.length < 5) {
                continue;
            }
            lines++;
            String[] ma = split(DpctlSim.unescape(cells[0]));
            String stderr = "OK".equals(cells[1]) ? cells[4] : cells[2] + " || " + cells[4];
            int u = OdpUfid.parse(ma[0], new byte[16]);
            if (u < 0) {
                if (stderr.contains("parsing flow ufid")) {
                    keyVerdicts++;
                } else {
                    failures.add("ufid: " + cells[0]);
                }
                continue;
            }
            NlWriter key = new NlWriter(256);
            NlWriter mask = new NlWriter(256);
            String keyError = null;
            try {
                OdpFlowParse.parseUnfiltered(ma[0].substring(u), CANON_PORTS, key, mask);
            } catch (OdpParseException e) {
                keyError = e.getMessage();
            }
            Matcher km = Pattern.compile("parsing flow key \\((.*)\\) \\(").matcher(stderr);
            String want = km.find() ? km.group(1) : null;
            if (want == null ? keyError == null : want.equals(keyError)) {
                keyVerdicts++;
            } else {
                failures.add("key verdict: " + cells[0] + "\n  expected " + want + "\n  got      " + keyError);
                continue;
            }
            if (keyError != null) {
                continue;
            }
            NlWriter acts = new NlWriter(256);
            boolean actsOk = true;
            try {
                OdpActionsParse.parse(ma[1], null, acts);
            } catch (OdpParseException e) {
                actsOk = false;
            }
            if (actsOk == !stderr.contains("parsing actions")) {
                actionVerdicts++;
            } else {
                failures.add("actions verdict: " + cells[0] + " -> " + actsOk + " / " + stderr);
                continue;
            }
            if (!actsOk) {
                continue;
            }
            String actText = OdpActionsFormat.format(acts.buffer(), 0, acts.position(), null);
            for (String part : stderr.split(" \\|\\| ")) {
                Matcher w = WARN.matcher(part);
                if (w.find()) {
                    String k = OdpFlowFormat.format(key.buffer(), 0, key.position(), mask.buffer(), 0, mask.position(),
                            null, true);
                    if (k.equals(w.group(1)) && (actText.equals(w.group(2)) || actText.startsWith("dec_ttl"))) {
                        warns++;
                    } else {
                        failures.add("warn: " + cells[0] + "\n  expected " + w.group(1) + ", actions:" + w.group(2)
                                + "\n  got      " + k + ", actions:" + actText);
                    }
                }
            }
            if ("OK".equals(cells[1])) {
                String dumped = cells[2].substring(cells[2].indexOf("actions:") + 8);
                if (dumped.equals(actText)) {
                    dumps++;
                } else if (dumped.startsWith("tnl_push(") && actText.startsWith("dec_ttl(")) {
                    exceptions.add("action 23 is dec_ttl, not tnl_push: " + dumped);
                } else {
                    failures.add("dump actions: " + cells[0] + "\n  expected " + dumped + "\n  got      " + actText);
                }
            }
        }
        System.out.println("text.tsv: " + lines + " lines; key verdicts " + keyVerdicts + ", action verdicts "
                + actionVerdicts + ", WARN lines " + warns + ", dumped actions " + dumps);
        exceptions.forEach(e -> System.out.println("exception: " + e));
        failures.forEach(System.out::println);
        assertThat(failures).isEmpty();
        assertThat(exceptions).hasSize(1);
    }
}
