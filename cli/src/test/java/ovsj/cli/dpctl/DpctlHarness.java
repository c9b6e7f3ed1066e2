package ovsj.cli.dpctl;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import ovsj.cli.Main;
import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.transport.PortIds;
import ovsj.datapath.transport.UnixSocketTransport;
import ovsj.odp.KernelLog;
import picocli.CommandLine;

/** An in-process datapath on a UNIX socket, and {@code ovsj dpctl} runs against it with captured output. */
final class DpctlHarness implements AutoCloseable {
    /** One run: exit status and what went to stdout and stderr. */
    record Result(int rc, String out, String err) {
    }

    /** OVS's vlog lines on stderr: {@code TIME|00001|module|LEVEL|text}. */
    static final Pattern VLOG = Pattern.compile("^(<time>|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z)\\|\\d{5}\\|[a-z_]+\\|[A-Z]+\\|.*");

    final OvsDatapath dp;
    final UnixSocketTransport transport;
    final Path socket;

    DpctlHarness(Path dir) throws IOException {
        dp = new OvsDatapath(1, DumpMode.MATCH_CACHE, KernelLog.NONE);
        socket = dir.resolve("nl.sock");
        transport = new UnixSocketTransport(socket, dp, new PortIds(1));
    }

    /** {@code ovsj dpctl --socket S ARGS...} through the real command line. */
    Result dpctl(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.newCommandLine();
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        List<String> full = new ArrayList<>(List.of("dpctl", "--socket", socket.toString()));
        full.addAll(args);
        int rc = cmd.execute(full.toArray(new String[0]));
        return new Result(rc, out.toString(), err.toString());
    }

    Result dpctl(String... args) {
        return dpctl(List.of(args));
    }

    /** The last line of stderr that is not a vlog line ("" if none), with OVS's program name ours. */
    static String lastMessageLine(String err) {
        String last = "";
        for (String l : err.split("\n")) {
            if (!l.isEmpty() && !VLOG.matcher(l).matches()) {
                last = l;
            }
        }
        return last.replace("ovs-dpctl:", Dpctl.PROGRAM + ":");
    }

    /** {@code used:0.123s} → {@code used:<t>s}, as the recording did. */
    static String normaliseUsed(String s) {
        return s.replaceAll("used:-?[0-9]+\\.[0-9]{3}s", "used:<t>s");
    }

    /** Lines sorted (dumps come in hash order). */
    static String sortLines(String s) {
        if (s.isEmpty()) {
            return s;
        }
        List<String> l = new ArrayList<>(List.of(s.split("\n")));
        l.sort(null);
        return String.join("\n", l) + (s.endsWith("\n") ? "\n" : "");
    }

    @Override
    public void close() {
        transport.close();
        dp.close();
    }
}
