package ovsj.cli.dpctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays {@code vectors/dpctl/commands.tsv} (what {@code ovs-dpctl} 3.1 printed against the Linux 6.1
 * datapath, in run order) against {@code ovsj dpctl} and an in-process ovsj datapath on a UNIX socket:
 * stdout byte for byte (after the README's normalisation: {@code used:<t>s}, multi-line dumps sorted),
 * the exit status, and the last line of stderr that is not a vlog line (OVS's timestamped log lines are
 * not imitated as such; ours have the same shape and are skipped the same way).
 *
 * <p>Rows marked {@link #UNSUPPORTED} need something ovsj lacks; they still run (later rows depend on
 * the state they leave), are not compared, and must still differ (so that the list stays honest).
 * Rows whose expected output lists ports ovsj cannot create are compared with those ports' lines taken
 * out ({@link #MISSING_PORTS}).
 */
@Timeout(300)
class DpctlCommandsVectorsTest {
    @TempDir
    Path dir;

    /** Row id → why ovsj cannot give what OVS gave. */
    static final Map<String, String> UNSUPPORTED = new LinkedHashMap<>();

    static {
        UNSUPPORTED.put("k015", "--version prints ovsj's version, not \"ovs-dpctl (Open vSwitch) 3.1.0\"");
        UNSUPPORTED.put("k021", "no userspace (netdev) datapath in ovsj");
        UNSUPPORTED.put("k040", "no host network devices (ip link add d0 type dummy)");
        UNSUPPORTED.put("k041", "no host network devices: a system port d0 cannot be added");
        UNSUPPORTED.put("k043", "no tunnel vports (vxlan option checking)");
        UNSUPPORTED.put("k044", "no tunnel vports (vxlan)");
        UNSUPPORTED.put("k045", "no tunnel vports (geneve)");
        UNSUPPORTED.put("k057", "no host network devices: d0 does not exist to be deleted");
        UNSUPPORTED.put("k141", "no connection tracker: the conntrack table is empty");
        UNSUPPORTED.put("k142", "no connection tracker: the conntrack table is empty");
        UNSUPPORTED.put("k143", "no connection tracker: the conntrack table is empty");
        UNSUPPORTED.put("k145", "no connection tracker: the conntrack table is empty");
        UNSUPPORTED.put("k146", "no connection tracker: the conntrack table is empty");
        UNSUPPORTED.put("k148", "no connection tracker: the conntrack table is empty");
        UNSUPPORTED.put("k154", "no connection tracker: conntrack zone limits are not supported");
        UNSUPPORTED.put("k155", "no connection tracker: conntrack zone limits are not supported");
        UNSUPPORTED.put("k156", "no connection tracker: conntrack zone limits are not supported");
        UNSUPPORTED.put("k157", "no connection tracker: conntrack zone limits are not supported");
        UNSUPPORTED.put("k162", "no connection tracker: the conntrack table is empty");
    }

    /** The flows that k169-k172 find, added by the recording between k168 and k169 without a record. */
    static final List<String> AFTER_K168 = List.of(
            "in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.1.0/255.255.255.0)",
            "in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.2.0/255.255.255.0)",
            "in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.3.0/255.255.255.0)",
            "in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.4.0/255.255.255.0)",
            "in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.5.0/255.255.255.0)",
            "in_port(1),eth(),eth_type(0x0800),ipv4(dst=10.9.9.9)");

    /** Ports of the recording that ovsj cannot have (a host dummy netdev, tunnel vports). */
    static final List<String> MISSING_PORTS = List.of("d0", "vxlan_sys_4789", "genev_sys_6082");

    /**
     * The bulk files of k116-k123. The recording kept only their outcomes; these are reconstructed to
     * give exactly those outcomes (line 8 of the add file and line 4 of the delete file are the
     * malformed lines the errors name).
     */
    static final Map<String, String> FILES = Map.of(
            "/flows-add.txt", """
                    # bulk add: a comment, then flows
                    in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.1) 2
                    add in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.2) 1

                    in_port(2),eth(),eth_type(0x1234) 1
                    in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.1) 3
                    # the next line has no actions
                    in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.3)
                    in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.3) bogus_action
                    in_port(1),eth(),eth_type(0x0800),ipv4(src=bogus) 2
                    add in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.4) bogus_action
                    """,
            "/flows-mod.txt", """
                    modify in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.1) 3
                    modify in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.2) 2
                    add in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.4) 2
                    in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.77) 2
                    """,
            "/flows-del.txt", """
                    in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.1)
                    delete in_port(2),eth(),eth_type(0x1234)
                    in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.77)
                    delete in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.2) 2
                    add in_port(1),eth(),eth_type(0x0800),ipv4(src=10.0.0.5) 2
                    """);

    static Path vectors() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("vectors/dpctl");
            if (Files.isRegularFile(p.resolve("commands.tsv"))) {
                return p;
            }
        }
        throw new AssertionError("vectors/dpctl/commands.tsv is missing: it is part of the repository's test data");
    }

    /** The outcome of one row. */
    record Outcome(String id, boolean matched, boolean degraded, String diff, boolean fullErr) {
    }

    @Test
    void replaysCommandsTsv() throws IOException {
        List<Map<String, String>> rows = Tsv.read(vectors().resolve("commands.tsv"));
        Map<String, String> paths = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            Path p = dir.resolve(f.getKey().substring(1));
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            paths.put(f.getKey(), p.toString());
        }
        paths.put("/nonexistent.txt", dir.resolve("nonexistent.txt").toString());

        List<Outcome> outcomes = new ArrayList<>();
        int harnessRows = 0;
        try (DpctlHarness h = new DpctlHarness(dir)) {
            for (Map<String, String> row : rows) {
                String id = row.get("id");
                String command = row.get("command");
                if (id.equals("setup.show")) {
                    // The corpus phase's datapath, gone again before k001.
                    assertThat(h.dpctl("add-dp", "dp0", "p1,type=internal", "p2,type=internal", "p3,type=internal")
                            .rc()).isZero();
                }
                if (command.startsWith("inject ") || command.startsWith("ip link set")) {
                    harnessRows++;
                    harnessStep(h, command);
                    continue;
                }
                if (id.equals("k040")) {
                    outcomes.add(new Outcome(id, false, false, "not run: " + UNSUPPORTED.get(id), false));
                    continue;
                }
                for (Map.Entry<String, String> p : paths.entrySet()) {
                    command = command.replace(p.getKey(), p.getValue());
                }
                List<String> words = Tsv.shellWords(command);
                assertThat(words.get(0)).isEqualTo("ovs-dpctl");
                DpctlHarness.Result r = h.dpctl(words.subList(1, words.size()));
                String expOut = row.get("stdout");
                String expErr = row.get("stderr");
                for (Map.Entry<String, String> p : paths.entrySet()) {
                    expErr = expErr.replace(p.getKey(), p.getValue());
                }
                outcomes.add(compare(id, words, row, expOut, expErr, r));
                if (id.equals("setup.show")) {
                    assertThat(h.dpctl("del-dp", "dp0").rc()).isZero();
                }
                if (id.equals("k168")) {
                    // Not in the recording, but its k169-k172 show them: six flows added after k168.
                    for (String match : AFTER_K168) {
                        assertThat(h.dpctl("add-flow", "dp0", match, "2").rc()).isZero();
                    }
                }
            }
        }
        report(outcomes, harnessRows);
    }

    /** {@code inject PORT HEX N}: N frames into the datapath; {@code ip link set X up}: nothing to do. */
    private static void harnessStep(DpctlHarness h, String command) {
        List<String> w = Tsv.shellWords(command);
        if (w.get(0).equals("inject")) {
            byte[] frame = HexFormat.of().parseHex(w.get(2));
            for (int i = 0; i < Integer.parseInt(w.get(3)); i++) {
                assertThat(h.dp.receiveFrame(w.get(1), frame)).isNull();
            }
        }
    }

    private static Outcome compare(String id, List<String> words, Map<String, String> row, String expOut,
            String expErr, DpctlHarness.Result r) {
        String cmd = words.size() > 1 ? words.get(1) : "";
        String out = DpctlHarness.normaliseUsed(r.out());
        if (cmd.equals("dump-flows") || cmd.equals("dump-conntrack")) {
            out = DpctlHarness.sortLines(out);
        }
        boolean degraded = false;
        String shown = expOut;
        if (MISSING_PORTS.stream().anyMatch(p -> shown.contains(": " + p + "\n") || shown.contains(": " + p + " ("))) {
            expOut = withoutPorts(expOut);
            degraded = true;
        }
        int expRc = Integer.parseInt(row.get("rc"));
        String expLast = DpctlHarness.lastMessageLine(expErr);
        String last = DpctlHarness.lastMessageLine(r.err());
        List<String> diffs = new ArrayList<>();
        if (r.rc() != expRc) {
            diffs.add("rc " + r.rc() + " != " + expRc);
        }
        if (!out.equals(expOut)) {
            diffs.add("stdout\n  got: " + out.replace("\n", "\\n") + "\n  exp: " + expOut.replace("\n", "\\n"));
        }
        if (!last.equals(expLast)) {
            diffs.add("stderr last line\n  got: " + last + "\n  exp: " + expLast);
        }
        // Beyond the brief: the whole of stderr, vlog lines included, with the timestamps normalised.
        boolean fullErr = r.err().replaceAll("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\|", "<time>|")
                .equals(expErr.replace("ovs-dpctl:", Dpctl.PROGRAM + ":"));
        return new Outcome(id, diffs.isEmpty(), degraded, String.join("; ", diffs) + (diffs.isEmpty() ? ""
                : "\n  (full stderr: " + r.err().replace("\n", "\\n") + ")"), fullErr);
    }

    /** The expected {@code show} output without the port blocks of {@link #MISSING_PORTS}. */
    static String withoutPorts(String s) {
        StringBuilder b = new StringBuilder();
        boolean skipping = false;
        for (String l : s.split("\n", -1)) {
            if (l.startsWith("  port ")) {
                String name = l.replaceFirst("^  port \\d+: ", "").replaceFirst(" \\(.*", "");
                skipping = MISSING_PORTS.contains(name);
            } else if (!l.startsWith("    ")) {
                skipping = false;
            }
            if (!skipping) {
                b.append(l).append('\n');
            }
        }
        return b.substring(0, b.length() - 1);
    }

    private static void report(List<Outcome> outcomes, int harnessRows) throws IOException {
        List<String> unexpected = new ArrayList<>();
        List<String> nowPassing = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        int matched = 0;
        int degraded = 0;
        int fullErr = 0;
        for (Outcome o : outcomes) {
            boolean unsupported = UNSUPPORTED.containsKey(o.id);
            fullErr += o.matched && o.fullErr ? 1 : 0;
            if (o.matched) {
                matched++;
                degraded += o.degraded ? 1 : 0;
                if (unsupported) {
                    nowPassing.add(o.id);
                }
            } else if (!unsupported) {
                unexpected.add(o.id);
            }
            log.append(o.matched ? "MATCH " : unsupported ? "UNSUP " : "FAIL  ").append(o.id)
                    .append(o.degraded ? " (without ports ovsj lacks)" : "")
                    .append(o.matched ? "" : ": " + (unsupported ? UNSUPPORTED.get(o.id) + " | " : "") + o.diff)
                    .append('\n');
        }
        String summary = String.format("commands.tsv: %d of %d rows match (%d of them without ports ovsj lacks;"
                + " %d with the whole of stderr identical, vlog lines included),"
                + " %d unsupported, %d fail; %d harness rows (inject, ip link set)%n", matched, outcomes.size(),
                degraded, fullErr, UNSUPPORTED.size(), unexpected.size(), harnessRows);
        log.insert(0, summary);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("dpctl-commands-vectors.txt"), log.toString());
        }
        System.out.print(summary);
        assertThat(unexpected).as(log.toString()).isEmpty();
        assertThat(nowPassing).as("rows listed as unsupported that now match: take them off the list").isEmpty();
    }
}
