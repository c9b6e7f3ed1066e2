package ovsj.cli.dpctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import ovsj.netlink.Errno;
import ovsj.odp.dpif.DpInfo;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.DpifException;
import ovsj.odp.dpif.NetlinkChannel;
import ovsj.odp.dpif.Strerror;

/**
 * The engine of {@code ovsj dpctl}: the twin of OVS's {@code lib/dpctl.c} driving a datapath over its
 * netlink socket. Commands, argument counts, what goes to stdout and stderr, and the return codes are
 * those of {@code ovs-dpctl} 3.1 against the Linux datapath, with this program's name where OVS prints
 * {@code ovs-dpctl}.
 *
 * <p>One {@code Dpctl} runs one command ({@link #run}); the netlink socket is opened on first use and
 * closed at the end.
 */
public final class Dpctl {
    /** What error lines start with, where {@code ovs-dpctl} says {@code ovs-dpctl}. */
    public static final String PROGRAM = "ovsj dpctl";

    /** Opens the datapath's netlink socket. */
    @FunctionalInterface
    public interface Connector {
        NetlinkChannel connect() throws IOException;
    }

    /** A command: {@code argv[0]} is its name, as in OVS. Returns 0 or a positive errno. */
    @FunctionalInterface
    interface Handler {
        int run(Dpctl d, String[] argv) throws IOException;
    }

    record Command(String name, String usage, int minArgs, int maxArgs, Handler handler) {
    }

    static final List<Command> COMMANDS = List.of(
            new Command("add-dp", "dp [iface...]", 1, Integer.MAX_VALUE, DatapathCommands::addDp),
            new Command("del-dp", "dp", 1, 1, DatapathCommands::delDp),
            new Command("add-if", "dp iface...", 2, Integer.MAX_VALUE, DatapathCommands::addIf),
            new Command("del-if", "dp iface...", 2, Integer.MAX_VALUE, DatapathCommands::delIf),
            new Command("set-if", "dp iface...", 2, Integer.MAX_VALUE, DatapathCommands::setIf),
            new Command("dump-dps", "", 0, 0, DatapathCommands::dumpDps),
            new Command("show", "[dp...]", 0, Integer.MAX_VALUE, DatapathCommands::show),
            new Command("dump-flows", "[dp] [filter=..] [type=..] [pmd=..]", 0, 6, FlowCommands::dumpFlows),
            new Command("add-flow", "[dp] flow actions", 2, 3, FlowCommands::addFlow),
            new Command("mod-flow", "[dp] flow actions", 2, 3, FlowCommands::modFlow),
            new Command("get-flow", "[dp] ufid", 1, 2, FlowCommands::getFlow),
            new Command("del-flow", "[dp] flow", 1, 2, FlowCommands::delFlow),
            new Command("add-flows", "[dp] file", 1, 2, BulkFlows::processFlows),
            new Command("mod-flows", "[dp] file", 1, 2, BulkFlows::processFlows),
            new Command("del-flows", "[dp] [file]", 0, 2, FlowCommands::delFlows),
            new Command("dump-conntrack", "[dp] [zone=N]", 0, 4, ConntrackCommands::dumpConntrack),
            new Command("flush-conntrack", "[zone=N] [ct-tuple]", 0, 3, ConntrackCommands::flushConntrack),
            new Command("ct-stats-show", "[dp] [zone=N]", 0, 3, ConntrackCommands::ctStatsShow),
            new Command("ct-bkts", "[dp] [gt=N]", 0, 2, ConntrackCommands::ctBkts),
            new Command("ct-set-maxconns", "[dp] maxconns", 1, 2, ConntrackCommands::ctSetMaxconns),
            new Command("ct-get-maxconns", "[dp]", 0, 1, ConntrackCommands::ctGetMaxconns),
            new Command("ct-get-nconns", "[dp]", 0, 1, ConntrackCommands::ctGetNconns),
            new Command("ct-enable-tcp-seq-chk", "[dp]", 0, 1, ConntrackCommands::ctTcpSeqChk),
            new Command("ct-disable-tcp-seq-chk", "[dp]", 0, 1, ConntrackCommands::ctTcpSeqChk),
            new Command("ct-get-tcp-seq-chk", "[dp]", 0, 1, ConntrackCommands::ctGetTcpSeqChk),
            new Command("ct-set-limits", "[dp] [default=L] [zone=N,limit=L]...", 1, Integer.MAX_VALUE,
                    ConntrackCommands::ctSetLimits),
            new Command("ct-del-limits", "[dp] zone=N1[,N2]...", 1, 2, ConntrackCommands::ctDelLimits),
            new Command("ct-get-limits", "[dp] [zone=N1[,N2]...]", 0, 2, ConntrackCommands::ctGetLimits),
            new Command("ipf-set-enabled", "[dp] v4|v6", 1, 2, ConntrackCommands::ipfUnsupported),
            new Command("ipf-set-disabled", "[dp] v4|v6", 1, 2, ConntrackCommands::ipfUnsupported),
            new Command("ipf-set-min-frag", "[dp] v4|v6 minfragment", 2, 3, ConntrackCommands::ipfUnsupported),
            new Command("ipf-set-max-nfrags", "[dp] maxfrags", 1, 2, ConntrackCommands::ipfUnsupported),
            new Command("ipf-get-status", "[dp]", 0, 1, ConntrackCommands::ipfGetStatus),
            new Command("cache-get-size", "[dp]", 0, 1, DatapathCommands::cacheGetSize),
            new Command("cache-set-size", "dp cache <size>", 3, 3, DatapathCommands::cacheSetSize),
            new Command("offload-stats-show", "[dp]", 0, 1, ConntrackCommands::offloadStatsShow),
            new Command("list-commands", "", 0, Integer.MAX_VALUE, Dpctl::listCommands),
            new Command("parse-actions", "actions", 1, Integer.MAX_VALUE, FlowCommands::parseActions));

    final PrintWriter out;
    final PrintWriter err;
    final DpctlOptions opt;
    private final Connector connector;
    private InputStream stdin = System.in;
    private Dpif dpif;
    private int vlogSeq;
    /** The counters of the last bulk command (add-flows, mod-flows, del-flows FILE), or null. */
    BulkStats lastBulk;

    /** What a bulk command did: lines read (not blank), flow requests sent, datagrams, time taken. */
    public record BulkStats(long lines, long requests, long datagrams, long nanos) {
    }

    public Dpctl(Connector connector, DpctlOptions opt, PrintWriter out, PrintWriter err) {
        this.connector = connector;
        this.opt = opt;
        this.out = out;
        this.err = err;
    }

    /** Where {@code add-flows -} reads from (default: the process's stdin). */
    public Dpctl stdin(InputStream in) {
        this.stdin = in;
        return this;
    }

    InputStream stdin() {
        return stdin;
    }

    /** Lines, requests, datagrams and time of the last bulk command run, or null. */
    public BulkStats lastBulk() {
        return lastBulk;
    }

    /**
     * Runs one command ({@code args[0]}) with its arguments: 0 if it succeeded, 1 if not (its errors
     * are on stderr), as {@code ovs-dpctl} exits.
     */
    public int run(List<String> args) {
        try {
            return dispatch(args.toArray(new String[0])) == 0 ? 0 : 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.flush();
            err.flush();
            if (dpif != null) {
                try {
                    dpif.close();
                } catch (IOException e) {
                    // closing a socket we are done with
                }
                dpif = null;
            }
        }
    }

    /** {@code dpctl_run_command}. */
    private int dispatch(String[] argv) throws IOException {
        if (argv.length < 1) {
            error(0, "missing command name; use --help for help");
            return Errno.EINVAL;
        }
        for (Command c : COMMANDS) {
            if (c.name.equals(argv[0])) {
                int n = argv.length - 1;
                if (n < c.minArgs) {
                    error(0, "'%s' command requires at least %d arguments", c.name, c.minArgs);
                    return Errno.EINVAL;
                }
                if (n > c.maxArgs) {
                    error(0, "'%s' command takes at most %d arguments", c.name, c.maxArgs);
                    return Errno.EINVAL;
                }
                return c.handler.run(this, argv);
            }
        }
        error(0, "unknown command '%s'; use --help for help", argv[0]);
        return Errno.EINVAL;
    }

    private static int listCommands(Dpctl d, String[] argv) {
        StringBuilder b = new StringBuilder("The available commands are:\n");
        for (Command c : COMMANDS) {
            if (!c.name.equals("parse-actions")) {
                b.append(String.format("  %-23s %s%n", c.name, c.usage));
            }
        }
        d.out.print(b);
        return 0;
    }

    // ---- output ---------------------------------------------------------------------------------

    /** {@code dpctl_error}: "PROGRAM: message (strerror)" on stderr; no errno text when 0. */
    void error(int errno, String fmt, Object... args) {
        StringBuilder b = new StringBuilder(PROGRAM).append(": ").append(String.format(fmt, args));
        if (errno != 0) {
            b.append(" (").append(Strerror.of(errno)).append(')');
        }
        err.print(b.append('\n'));
        err.flush();
    }

    /** A log line as OVS's vlog writes it to stderr: {@code TIME|SEQ|MODULE|LEVEL|message}. */
    void vlog(String module, String level, String message) {
        String time = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.UTC).toInstant());
        err.print(String.format("%s|%05d|%s|%s|%s%n", time, ++vlogSeq, module, level, message));
        err.flush();
    }

    // ---- the datapath ---------------------------------------------------------------------------

    /** The client, connected on first use. */
    Dpif dpif() throws IOException {
        if (dpif == null) {
            NetlinkChannel ch;
            try {
                ch = connector.connect();
            } catch (IOException e) {
                throw new DpctlException("cannot reach the datapath: " + e.getMessage(), e);
            }
            dpif = Dpif.open(ch);
        }
        return dpif;
    }

    /** {@code dp_parse_name}: "type@name", or "name" of type "system". */
    record DpName(String type, String name) {
        static DpName parse(String arg) {
            int at = arg.indexOf('@');
            if (at < 0) {
                return new DpName("system", arg);
            }
            String type = arg.substring(0, at);
            return new DpName(type.isEmpty() ? "system" : type, arg.substring(at + 1));
        }

        @Override
        public String toString() {
            return type + "@" + name;
        }
    }

    /** An open datapath: its full name ({@code dpif_name}) and what the datapath said of it. */
    record Dp(String fullName, DpInfo info) {
        int ifindex() {
            return info.ifindex();
        }
    }

    /** {@code dp_enumerate_types}: the datapath types this program knows. */
    static final List<String> TYPES = List.of("netdev", "system");

    /** {@code dp_enumerate_names("system")}: the datapaths, sorted by name. */
    List<String> systemNames() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (DpInfo dp : dpif().dpDump()) {
            names.add(dp.name());
        }
        return new ArrayList<>(names);
    }

    /** {@code dp_exists}. */
    boolean dpExists(String arg) throws IOException {
        DpName n = DpName.parse(arg);
        return n.type.equals("system") && systemNames().contains(n.name);
    }

    /**
     * {@code parsed_dpif_open} without create: the datapath, or null with {@code errno[0]} set (ENODEV
     * when there is none by that name, EAFNOSUPPORT for an unknown type, as OVS's registry answers).
     */
    Dp open(String arg, int[] errno) throws IOException {
        DpName n = DpName.parse(arg);
        if (!TYPES.contains(n.type)) {
            vlog("dpif", "WARN", "could not open datapath " + n.name + " of unknown type " + n.type);
            errno[0] = Errno.EAFNOSUPPORT;
            return null;
        }
        if (n.type.equals("netdev")) {
            errno[0] = Errno.ENODEV; // ovsj has no userspace datapath, so none exists
            return null;
        }
        try {
            return new Dp(n.toString(), dpif().dpGet(n.name));
        } catch (DpifException e) {
            errno[0] = e.errno();
            return null;
        }
    }

    /**
     * {@code opt_dpif_open}: the datapath named by {@code argv[1]} if one by that name exists, else the
     * only one (when {@code argv} is not at {@code maxArgs}), else an error ("datapath not found",
     * EINVAL). Null with {@code errno[0]} set when it fails (the error is printed).
     */
    Dp optOpen(String[] argv, int argc, int maxArgs, int[] errno) throws IOException {
        String name;
        if (argc > 1 && dpExists(argv[1])) {
            name = argv[1];
        } else if (argc != maxArgs) {
            name = oneDp();
        } else {
            name = null;
        }
        if (name == null) {
            errno[0] = Errno.EINVAL;
            error(Errno.EINVAL, "datapath not found");
            return null;
        }
        Dp dp = open(name, errno);
        if (dp == null) {
            error(errno[0], "opening datapath");
        }
        return dp;
    }

    /** {@code get_one_dp}: "system@NAME" of the only datapath, else null (with the error printed). */
    private String oneDp() throws IOException {
        List<String> names = systemNames();
        if (names.isEmpty()) {
            error(0, "no datapaths exist");
            return null;
        }
        if (names.size() > 1) {
            error(0, "multiple datapaths, specify one");
            return null;
        }
        return "system@" + names.get(0);
    }

    /** {@code dp_arg_exists}. */
    boolean dpArgExists(String[] argv, int argc) throws IOException {
        return argc > 1 && dpExists(argv[1]);
    }
}
