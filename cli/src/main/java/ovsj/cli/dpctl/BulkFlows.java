package ovsj.cli.dpctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;

import ovsj.netlink.Errno;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.FlowBatch;
import ovsj.odp.dpif.FlowMessage;
import ovsj.odp.dpif.FlowRequest;
import ovsj.odp.text.OdpParseException;
import ovsj.odp.text.PortNames;

/**
 * {@code add-flows}, {@code mod-flows} and {@code del-flows FILE} ({@code dpctl_process_flows}): one flow
 * per line, {@code [add|modify|delete] FLOW [ACTIONS]}, from a file or {@code -} (stdin). Lines are
 * parsed here and their requests pipelined through a {@link FlowBatch} (many per datagram, no round
 * trip per flow), while every line's outcome is still printed in line order, as OVS prints it. The
 * command exits 0 whatever happened to the lines.
 */
final class BulkFlows {
    static final int ADD = 0;
    static final int MOD = 1;
    static final int DEL = 2;

    private BulkFlows() {
    }

    static int processFlows(Dpctl d, String[] argv) throws IOException {
        String fileName = argv[argv.length - 1];
        int defCmd = argv[0].contains("mod-flows") ? MOD : argv[0].contains("del-flows") ? DEL : ADD;
        int[] err = {0};
        Dpctl.Dp dp = d.optOpen(argv, argv.length, 4, err);
        if (dp == null) {
            return err[0];
        }
        BufferedReader in;
        if (fileName.equals("-")) {
            in = new BufferedReader(new InputStreamReader(d.stdin(), StandardCharsets.UTF_8), 1 << 16);
        } else {
            Path p = Path.of(fileName);
            try {
                if (Files.isDirectory(p)) {
                    return 0; // fopen() succeeds on a directory; the first read fails like an end of file
                }
                in = Files.newBufferedReader(p, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                d.error(Errno.ENOENT, "Opening file \"%s\" failed", fileName);
                return 0;
            } catch (AccessDeniedException e) {
                d.error(Errno.EACCES, "Opening file \"%s\" failed", fileName);
                return 0;
            }
        }
        try (in) {
            long t0 = System.nanoTime();
            Dpctl.BulkStats s = run(d, dp, in, defCmd);
            d.lastBulk = new Dpctl.BulkStats(s.lines(), s.requests(), s.datagrams(), System.nanoTime() - t0);
        }
        return 0;
    }

    /** What a queued request needs for its outcome line(s). */
    private record Pending(int cmd, String flow, String actions, boolean ufid) {
    }

    private static Dpctl.BulkStats run(Dpctl d, Dpctl.Dp dp, BufferedReader in, int defCmd) throws IOException {
        PortNames names = FlowCommands.portNames(d, dp);
        FlowCommands.Parsed p = new FlowCommands.Parsed();
        FlowRequest r = new FlowRequest();
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        boolean stats = d.opt.statistics;
        long lines = 0;
        try (FlowBatch batch = d.dpif().flowBatch(dp.ifindex())) {
            batch.listener((tag, errno, extAck, reply) -> completed(d, dp, names, pending.poll(), errno, reply));
            int lineNumber = 0;
            for (String raw; (raw = in.readLine()) != null; ) {
                lineNumber++;
                String line = preprocess(raw);
                if (line == null) {
                    continue;
                }
                lines++;
                String[] fa = new String[2];
                int cmd = parseLine(defCmd, line, fa);
                String flow = fa[0];
                String actions = fa[1];
                if ((flow == null && actions == null) || ((cmd == ADD || cmd == MOD) && actions == null)
                        || (cmd == DEL && actions != null)) {
                    int n = lineNumber;
                    batch.local(() -> d.error(0, "Failed parsing line number %d, skipped!", n));
                    continue;
                }
                String rest = p.ufid(flow);
                if (rest == null) {
                    batch.local(() -> d.error(Errno.EINVAL, "parsing flow ufid"));
                    continue;
                }
                try {
                    p.parseKey(rest, names);
                } catch (OdpParseException e) {
                    if (cmd == DEL) {
                        batch.local(() -> d.error(e.errno(), "%s", e.getMessage()));
                    } else {
                        batch.local(() -> d.error(e.errno(), "parsing flow key (%s)", e.getMessage()));
                    }
                    continue;
                }
                if (cmd != DEL) {
                    try {
                        p.parseActions(actions);
                    } catch (OdpParseException e) {
                        batch.local(() -> d.error(e.errno(), "parsing actions"));
                        continue;
                    }
                }
                pending.add(new Pending(cmd, flow, actions, p.ufid != null));
                if (cmd == DEL) {
                    batch.del(lineNumber, p.request(r, false), stats);
                } else {
                    batch.put(lineNumber, p.request(r, true), cmd == ADD ? Dpif.PUT_CREATE : Dpif.PUT_MODIFY, stats);
                }
            }
            batch.flush();
            return new Dpctl.BulkStats(lines, batch.requests(), batch.datagrams(), 0);
        }
    }

    /** One request's outcome, printed as {@code dpctl_put_flow_dpif} / {@code dpctl_del_flow_dpif} do. */
    private static void completed(Dpctl d, Dpctl.Dp dp, PortNames names, Pending q, int errno, FlowMessage reply)
            throws IOException {
        if (errno == 0) {
            if (d.opt.statistics) {
                FlowCommands.printStats(d, reply);
            }
            return;
        }
        // Re-parse the line for the log message (only failures pay for it).
        FlowCommands.Parsed p = new FlowCommands.Parsed();
        try {
            p.parseKey(p.ufid(q.flow()), names);
            if (q.cmd() != DEL) {
                p.parseActions(q.actions());
            }
        } catch (OdpParseException e) {
            throw new IllegalStateException("a line that parsed once failed the second time", e);
        }
        if (q.cmd() == DEL) {
            FlowCommands.delFailed(d, dp, errno, p);
        } else {
            FlowCommands.logPutFailure(d, dp, q.cmd() == ADD ? Dpif.PUT_CREATE : Dpif.PUT_MODIFY, errno, p);
            d.error(errno, "updating flow table");
        }
    }

    /**
     * {@code ds_get_preprocessed_line} for one line: a comment ({@code #} on) removed; null if nothing but
     * blanks is left.
     */
    static String preprocess(String raw) {
        int hash = raw.indexOf('#');
        String line = hash >= 0 ? raw.substring(0, hash) : raw;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n') {
                return line;
            }
        }
        return null;
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /**
     * {@code dpctl_parse_flow_line}: the command (a prefix of add, delete or modify as its first word,
     * else {@code defCmd}), the flow (the next word) and the actions (the rest, or null), into
     * {@code out[0]} and {@code out[1]}.
     */
    static int parseLine(int defCmd, String line, String[] out) {
        int command = defCmd;
        int n = line.length();
        int i = 0;
        while (i < n && blank(line.charAt(i))) {
            i++;
        }
        int j = i;
        while (j < n && !blank(line.charAt(j)) && line.charAt(j) != ',') {
            j++;
        }
        String word = line.substring(i, j);
        if ("add".startsWith(word)) {
            command = ADD;
        } else if ("delete".startsWith(word)) {
            command = DEL;
        } else if ("modify".startsWith(word)) {
            command = MOD;
        } else {
            j = i;
        }
        i = j;
        while (i < n && blank(line.charAt(i))) {
            i++;
        }
        j = i;
        while (j < n && !blank(line.charAt(j))) {
            j++;
        }
        if (j == i) {
            out[0] = null;
            out[1] = null;
            return command;
        }
        out[0] = line.substring(i, j);
        i = j;
        while (i < n && blank(line.charAt(i))) {
            i++;
        }
        out[1] = i < n ? line.substring(i) : null;
        return command;
    }
}
