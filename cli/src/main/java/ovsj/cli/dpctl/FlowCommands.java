package ovsj.cli.dpctl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ovsj.netlink.Errno;
import ovsj.netlink.NlWriter;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.DpifException;
import ovsj.odp.dpif.FlowDump;
import ovsj.odp.dpif.FlowMessage;
import ovsj.odp.dpif.FlowRequest;
import ovsj.odp.dpif.Strerror;
import ovsj.odp.dpif.VportInfo;
import ovsj.odp.text.OdpParseException;
import ovsj.odp.text.PortNames;

/** Flow commands: dump-flows, add-flow, mod-flow, get-flow, del-flow, del-flows, parse-actions. */
final class FlowCommands {
    /** {@code PMD_ID_NULL} ({@code OVS_CORE_UNSPEC}): the pmd of every kernel flow. */
    static final int PMD_ID_NULL = Integer.MAX_VALUE;
    /** {@code NON_PMD_CORE_ID}. */
    static final int NON_PMD_CORE_ID = -1;

    private FlowCommands() {
    }

    // ---- formatting -----------------------------------------------------------------------------

    /** The datapath's ports, number to name (for {@code --names} and for names in a match). */
    static PortNames portNames(Dpctl d, Dpctl.Dp dp) throws IOException {
        Map<Integer, String> m = new HashMap<>();
        for (VportInfo v : d.dpif().vportDump(dp.ifindex())) {
            m.put(v.portNo(), v.name());
        }
        return PortNames.of(m);
    }

    /** Monotonic milliseconds: the clock of a flow's {@code used} (the datapath's, on this host). */
    static long nowMs() {
        return System.nanoTime() / 1_000_000L;
    }

    /** {@code dpif_flow_stats_format}. */
    static void formatStats(StringBuilder b, long packets, long bytes, long used, int tcpFlags) {
        b.append("packets:").append(Long.toUnsignedString(packets)).append(", bytes:")
                .append(Long.toUnsignedString(bytes)).append(", used:");
        if (used != 0) {
            b.append(CFormat.fixed((nowMs() - used) / 1000.0, 3)).append('s');
        } else {
            b.append("never");
        }
        if (tcpFlags != 0) {
            b.append(", flags:");
            formatTcpFlags(b, tcpFlags);
        }
    }

    static void formatStats(StringBuilder b, FlowMessage f) {
        formatStats(b, f.packets(), f.bytes(), f.used(), f.tcpFlags());
    }

    /** {@code packet_format_tcp_flags}. */
    static void formatTcpFlags(StringBuilder b, int f) {
        if (f == 0) {
            b.append("none");
            return;
        }
        if ((f & 0x02) != 0) {
            b.append('S');
        }
        if ((f & 0x01) != 0) {
            b.append('F');
        }
        if ((f & 0x08) != 0) {
            b.append('P');
        }
        if ((f & 0x04) != 0) {
            b.append('R');
        }
        if ((f & 0x20) != 0) {
            b.append('U');
        }
        if ((f & 0x10) != 0) {
            b.append('.');
        }
        if ((f & 0x40) != 0) {
            b.append('E');
        }
        if ((f & 0x80) != 0) {
            b.append('C');
        }
        if ((f & 0x100) != 0) {
            b.append('N');
        }
        if ((f & 0x200) != 0) {
            b.append("[200]");
        }
        if ((f & 0x400) != 0) {
            b.append("[400]");
        }
        if ((f & 0x800) != 0) {
            b.append("[800]");
        }
    }

    /** {@code format_dpif_flow}: one flow line as dump-flows and get-flow print it (no newline). */
    static void formatFlow(StringBuilder b, FlowMessage f, PortNames names, int verbosity) {
        byte[] buf = f.buffer();
        if (verbosity > 0 && f.ufidOffset() >= 0) {
            FlowText.formatUfid(b, buf, f.ufidOffset(), f.ufidLength());
            b.append(", ");
        }
        FlowText.formatFlow(b, buf, Math.max(f.keyOffset(), 0), f.keyLength(), f.maskOffset() < 0 ? null : buf,
                Math.max(f.maskOffset(), 0), f.maskLength(), names, verbosity > 0);
        b.append(", ");
        formatStats(b, f);
        if (verbosity > 0) {
            b.append(", dp:ovs");
        }
        b.append(", actions:");
        FlowText.formatActions(b, buf, Math.max(f.actionsOffset(), 0), f.actionsLength(), names);
    }

    // ---- parsing --------------------------------------------------------------------------------

    /** A flow as given on the command line: its UFID (if any), key, mask and actions. */
    static final class Parsed {
        byte[] ufid;
        final NlWriter key = new NlWriter(512);
        final NlWriter mask = new NlWriter(512);
        final NlWriter actions = new NlWriter(512);

        /** The request for this flow. */
        FlowRequest request(FlowRequest r, boolean withActions) {
            r.reset().ufid(ufid).key(key.buffer(), 0, key.position()).mask(mask.buffer(), 0, mask.position());
            if (withActions) {
                r.actions(actions.buffer(), 0, actions.position());
            }
            return r;
        }

        /**
         * Parses the UFID prefix of {@code s}: the rest of {@code s}, or null when the UFID is malformed
         * (ufid stays null when there is none).
         */
        String ufid(String s) {
            ufid = null;
            byte[] u = new byte[16];
            int n = FlowText.parseUfid(s, u);
            if (n < 0) {
                return null;
            }
            if (n > 0) {
                ufid = u;
            }
            return s.substring(n);
        }

        void parseKey(String s, PortNames names) throws OdpParseException {
            key.reset();
            mask.reset();
            FlowText.parseFlow(s, names, key, mask);
        }

        void parseActions(String s) throws OdpParseException {
            actions.reset();
            FlowText.parseActions(s, actions);
        }
    }

    /** The flow part of a {@code dpif} log line: {@code [ufid ]key[/mask]} in verbose form. */
    static void logFlow(StringBuilder b, byte[] ufid, NlWriter key, NlWriter mask) {
        if (ufid != null) {
            FlowText.formatUfid(b, ufid, 0, ufid.length);
            b.append(' ');
        }
        if (key.position() == 0) {
            b.append("<empty>");
        } else {
            FlowText.formatFlow(b, key.buffer(), 0, key.position(), mask == null ? null : mask.buffer(), 0,
                    mask == null ? 0 : mask.position(), null, true);
        }
    }

    /** {@code log_flow_put_message} for a failed put (EEXIST is only a debug message in OVS). */
    static void logPutFailure(Dpctl d, Dpctl.Dp dp, int putFlags, int errno, Parsed p) {
        if (errno == Errno.EEXIST) {
            return;
        }
        StringBuilder b = new StringBuilder(dp.fullName()).append(": failed to put");
        if ((putFlags & Dpif.PUT_CREATE) != 0) {
            b.append("[create]");
        }
        if ((putFlags & Dpif.PUT_MODIFY) != 0) {
            b.append("[modify]");
        }
        if ((putFlags & Dpif.PUT_ZERO_STATS) != 0) {
            b.append("[zero]");
        }
        b.append(" (").append(Strerror.of(errno)).append(") ");
        logFlow(b, p.ufid, p.key, p.mask);
        b.append(", actions:");
        FlowText.formatActions(b, p.actions.buffer(), 0, p.actions.position(), null);
        d.vlog("dpif", "WARN", b.toString());
    }

    /** {@code log_flow_del_message} for a failed delete: the key as exact, no mask. */
    static void logDelFailure(Dpctl d, Dpctl.Dp dp, int errno, Parsed p) {
        StringBuilder b = new StringBuilder(dp.fullName()).append(": failed to flow_del (")
                .append(Strerror.of(errno)).append(") ");
        logFlow(b, p.ufid, p.key, null);
        d.vlog("dpif", "WARN", b.toString());
    }

    // ---- commands -------------------------------------------------------------------------------

    static int dumpFlows(Dpctl d, String[] argv) throws IOException {
        int argc = argv.length;
        String filter = null;
        boolean pmdFilter = false;
        int pmdId = PMD_ID_NULL;
        int lastArgc = 0;
        while (argc > 1 && lastArgc != argc) {
            lastArgc = argc;
            String a = argv[argc - 1];
            if (a.startsWith("filter=") && filter == null) {
                filter = a.substring(7);
                argc--;
            } else if (a.startsWith("type=")) {
                d.error(0, "Invalid argument 'type'. Use 'ovs-appctl dpctl/dump-flows' instead.");
                return Errno.EINVAL;
            } else if (a.startsWith("pmd=")) {
                argc--;
                Integer v = scanInt(a.substring(4));
                if (v == null) {
                    return Errno.EINVAL;
                }
                pmdId = v == -1 ? NON_PMD_CORE_ID : v;
                pmdFilter = true;
            }
        }
        int[] err = {0};
        Dpctl.Dp dp = d.optOpen(argv, argc, 2, err);
        if (dp == null) {
            return err[0];
        }
        PortNames all = portNames(d, dp);
        PortNames names = d.opt.names() ? all : null;
        FlowFilter ff = null;
        if (filter != null) {
            try {
                ff = FlowFilter.parse(filter, all);
            } catch (IllegalArgumentException e) {
                d.error(0, "Failed to parse filter (%s)", e.getMessage());
                return Errno.EINVAL;
            }
        }
        StringBuilder b = new StringBuilder(4096);
        List<FlowMessage> refetch = new ArrayList<>();
        int error = 0;
        try (FlowDump dump = d.dpif().flowDump(dp.ifindex(), 0)) {
            for (FlowMessage f; (f = dump.next()) != null; ) {
                if (ff != null && !ff.matches(f)) {
                    continue;
                }
                if (pmdFilter && pmdId != PMD_ID_NULL) {
                    continue;
                }
                if (f.actionsOffset() < 0) {
                    refetch.add(f.copy()); // too big for the dump: fetched alone afterwards
                    continue;
                }
                formatFlow(b, f, names, d.opt.verbosity);
                b.append('\n');
                if (b.length() >= 64 * 1024) {
                    d.out.append(b);
                    b.setLength(0);
                }
            }
        } catch (DpifException e) {
            error = e.errno();
        }
        for (FlowMessage f : refetch) {
            FlowRequest r = new FlowRequest();
            if (f.ufidOffset() >= 0) {
                r.ufid(f.ufid());
            } else {
                r.key(f.key());
            }
            try {
                formatFlow(b, d.dpif().flowGet(dp.ifindex(), r), names, d.opt.verbosity);
                b.append('\n');
            } catch (DpifException e) {
                // gone meanwhile
            }
        }
        d.out.append(b);
        if (error != 0) {
            d.error(error, "Failed to dump flows from datapath");
        }
        return error;
    }

    /** {@code ovs_scan(s, "%d")}. */
    static Integer scanInt(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([+-]?[0-9]+)").matcher(s);
        if (!m.find()) {
            return null;
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return (int) Long.parseLong(m.group(1).length() > 18 ? "9223372036854775807" : m.group(1));
        }
    }

    static int addFlow(Dpctl d, String[] argv) throws IOException {
        return putFlow(d, argv, Dpif.PUT_CREATE);
    }

    static int modFlow(Dpctl d, String[] argv) throws IOException {
        int flags = Dpif.PUT_MODIFY;
        if (d.opt.mayCreate) {
            flags |= Dpif.PUT_CREATE;
        }
        if (d.opt.clear) {
            flags |= Dpif.PUT_ZERO_STATS;
        }
        return putFlow(d, argv, flags);
    }

    private static int putFlow(Dpctl d, String[] argv, int flags) throws IOException {
        int[] err = {0};
        Dpctl.Dp dp = d.optOpen(argv, argv.length, 4, err);
        if (dp == null) {
            return err[0];
        }
        return putFlowDp(d, dp, portNames(d, dp), argv[argv.length - 2], argv[argv.length - 1], flags,
                new Parsed(), new FlowRequest());
    }

    /** {@code dpctl_put_flow_dpif}: one put, its errors and its {@code -s} line. */
    static int putFlowDp(Dpctl d, Dpctl.Dp dp, PortNames names, String keyS, String actionsS, int flags,
            Parsed p, FlowRequest r) throws IOException {
        String rest = p.ufid(keyS);
        if (rest == null) {
            d.error(Errno.EINVAL, "parsing flow ufid");
            return Errno.EINVAL;
        }
        try {
            p.parseKey(rest, names);
        } catch (OdpParseException e) {
            d.error(e.errno(), "parsing flow key (%s)", e.getMessage());
            return e.errno();
        }
        try {
            p.parseActions(actionsS);
        } catch (OdpParseException e) {
            d.error(e.errno(), "parsing actions");
            return e.errno();
        }
        FlowMessage reply;
        try {
            reply = d.dpif().flowPut(dp.ifindex(), p.request(r, true), flags, d.opt.statistics);
        } catch (DpifException e) {
            logPutFailure(d, dp, flags, e.errno(), p);
            d.error(e.errno(), "updating flow table");
            return e.errno();
        }
        if (d.opt.statistics) {
            printStats(d, reply);
        }
        return 0;
    }

    static void printStats(Dpctl d, FlowMessage f) {
        StringBuilder b = new StringBuilder();
        if (f == null) {
            formatStats(b, 0, 0, 0, 0);
        } else {
            formatStats(b, f);
        }
        d.out.print(b.append('\n'));
    }

    static int getFlow(Dpctl d, String[] argv) throws IOException {
        int[] err = {0};
        Dpctl.Dp dp = d.optOpen(argv, argv.length, 3, err);
        if (dp == null) {
            return err[0];
        }
        PortNames names = d.opt.names() ? portNames(d, dp) : null;
        byte[] ufid = new byte[16];
        int n = FlowText.parseUfid(argv[argv.length - 1], ufid);
        if (n <= 0) {
            d.error(n < 0 ? Errno.EINVAL : 0, "parsing flow ufid");
            return 0; // OVS returns its error variable, still 0 here
        }
        FlowMessage f;
        try {
            f = d.dpif().flowGet(dp.ifindex(), new FlowRequest().ufid(ufid));
        } catch (DpifException e) {
            StringBuilder b = new StringBuilder(dp.fullName()).append(": failed to flow_get (")
                    .append(Strerror.of(e.errno())).append(") ");
            FlowText.formatUfid(b, ufid, 0, 16);
            b.append(" <empty>, ");
            formatStats(b, 0, 0, 0, 0);
            d.vlog("dpif", "WARN", b.toString());
            d.error(e.errno(), "getting flow");
            return e.errno();
        }
        StringBuilder b = new StringBuilder();
        formatFlow(b, f, names, d.opt.verbosity);
        d.out.print(b.append('\n'));
        return 0;
    }

    static int delFlow(Dpctl d, String[] argv) throws IOException {
        int[] err = {0};
        Dpctl.Dp dp = d.optOpen(argv, argv.length, 3, err);
        if (dp == null) {
            return err[0];
        }
        return delFlowDp(d, dp, portNames(d, dp), argv[argv.length - 1], new Parsed(), new FlowRequest());
    }

    /** {@code dpctl_del_flow_dpif}. */
    static int delFlowDp(Dpctl d, Dpctl.Dp dp, PortNames names, String keyS, Parsed p, FlowRequest r)
            throws IOException {
        String rest = p.ufid(keyS);
        if (rest == null) {
            d.error(Errno.EINVAL, "parsing flow ufid");
            return Errno.EINVAL;
        }
        try {
            p.parseKey(rest, names);
        } catch (OdpParseException e) {
            d.error(e.errno(), "%s", e.getMessage());
            return e.errno();
        }
        FlowMessage reply;
        try {
            reply = d.dpif().flowDel(dp.ifindex(), p.request(r, false), d.opt.statistics);
        } catch (DpifException e) {
            delFailed(d, dp, e.errno(), p);
            return e.errno();
        }
        if (d.opt.statistics) {
            printStats(d, reply);
        }
        return 0;
    }

    /** What a failed delete prints. */
    static void delFailed(Dpctl d, Dpctl.Dp dp, int errno, Parsed p) {
        logDelFailure(d, dp, errno, p);
        d.error(errno, "deleting flow");
        // OVS 3.1 tests "!ufid_present || ufid_generated", and ufid_generated is never set outside
        // appctl: the recorded ovs-dpctl printed the hint for a UFID too (commands.tsv k110).
        if (errno == Errno.ENOENT) {
            d.out.print("Perhaps you need to specify a UFID?\n");
        }
    }

    static int delFlows(Dpctl d, String[] argv) throws IOException {
        int argc = argv.length;
        if ((!d.dpArgExists(argv, argc) && argc == 2) || argc > 2) {
            return BulkFlows.processFlows(d, argv);
        }
        int[] err = {0};
        Dpctl.Dp dp = d.optOpen(argv, argc, 2, err);
        if (dp == null) {
            return err[0];
        }
        try {
            d.dpif().flowFlush(dp.ifindex());
            return 0;
        } catch (DpifException e) {
            d.error(e.errno(), "deleting all flows");
            return e.errno();
        }
    }

    static int parseActions(Dpctl d, String[] argv) {
        NlWriter w = new NlWriter(512);
        for (int i = 1; i < argv.length; i++) {
            w.reset();
            try {
                FlowText.parseActions(argv[i], w);
            } catch (OdpParseException e) {
                d.error(e.errno(), "odp_actions_from_string");
                return e.errno();
            }
            StringBuilder b = new StringBuilder();
            FlowText.formatActions(b, w.buffer(), 0, w.position(), null);
            d.out.print(b.append('\n'));
        }
        return 0;
    }
}
