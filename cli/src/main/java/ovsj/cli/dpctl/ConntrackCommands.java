package ovsj.cli.dpctl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ovsj.netlink.Errno;
import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.dpif.DpifException;
import ovsj.odp.dpif.NlClient;
import ovsj.odp.uapi.CtLimitAttr;
import ovsj.odp.uapi.CtLimitCmd;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.OvsHeader;
import ovsj.odp.uapi.ZoneLimit;

/**
 * Conntrack, fragment-reassembly and offload commands. The Linux datapath's dpif answers most of these
 * with "not supported" and {@code ovs-dpctl} prints that; ovsj's datapath has no connection tracker,
 * so its table is always empty (dumps print nothing, a flush has nothing to do). Zone limits go to the
 * {@code ovs_ct_limit} family, as OVS sends them.
 */
final class ConntrackCommands {
    private ConntrackCommands() {
    }

    /** {@code ovs_scan(s, "zone=%" SCNu16)}: the zone, or -1. */
    static int zone(String s) {
        if (!s.startsWith("zone=")) {
            return -1;
        }
        Long v = DatapathCommands.scanU32(s.substring(5));
        return v == null || s.substring(5).trim().startsWith("-") || v > 0xffff ? -1 : v.intValue();
    }

    static int dumpConntrack(Dpctl d, String[] argv) throws IOException {
        int argc = argv.length;
        if (argc > 1 && zone(argv[argc - 1]) >= 0) {
            argc--;
        }
        int[] err = {0};
        return d.optOpen(argv, argc, 2, err) == null ? err[0] : 0;
    }

    private static final Set<String> TUPLE_FIELDS = Set.of("ct_nw_src", "ct_nw_dst", "ct_ipv6_src", "ct_ipv6_dst",
            "ct_nw_proto", "ct_tp_src", "ct_tp_dst", "icmp_id", "icmp_type", "icmp_code");

    /** {@code ct_dpif_parse_tuple}, checking the form only: null if fine, else the error text. */
    static String checkTuple(String s) {
        for (String kv : s.split(",")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq < 0 || eq == kv.length() - 1) {
                return "field " + (eq < 0 ? kv : kv.substring(0, eq)) + " missing value";
            }
            if (!TUPLE_FIELDS.contains(kv.substring(0, eq))) {
                return "invalid conntrack tuple field: " + kv.substring(0, eq);
            }
        }
        return null;
    }

    static int flushConntrack(Dpctl d, String[] argv) throws IOException {
        int args = argv.length - 1;
        if (args > 0 && argv[args].startsWith("zone=")) {
            if (zone(argv[args]) < 0) {
                d.error(Errno.EINVAL, "%s", "failed to parse zone");
                return Errno.EINVAL;
            }
            args--;
        }
        if (args > 0) {
            String bad = checkTuple(argv[args]);
            if (bad != null) {
                d.error(Errno.EINVAL, "%s", bad);
                return Errno.EINVAL;
            }
            args--;
        }
        if (args > 1) {
            d.error(Errno.EINVAL, "%s", "invalid arguments");
            return Errno.EINVAL;
        }
        int[] err = {0};
        return d.optOpen(argv, argv.length, 4, err) == null ? err[0] : 0;
    }

    static int ctStatsShow(Dpctl d, String[] argv) throws IOException {
        int argc = argv.length;
        int lastArgc = 0;
        while (argc > 1 && lastArgc != argc) {
            lastArgc = argc;
            if (argv[argc - 1].startsWith("verbose")) {
                argc--;
            } else if (argv[argc - 1].startsWith("zone=") && zone(argv[argc - 1]) >= 0) {
                argc--;
            }
        }
        int[] err = {0};
        if (d.optOpen(argv, argc, 2, err) == null) {
            return err[0];
        }
        d.out.print("Connections Stats:\n    Total: 0\n");
        return 0;
    }

    static int ctBkts(Dpctl d, String[] argv) throws IOException {
        int argc = argv.length;
        if (argc > 1 && argv[argc - 1].startsWith("gt=") && DatapathCommands.scanU32(argv[argc - 1].substring(3)) != null) {
            argc--;
        }
        int[] err = {0};
        if (d.optOpen(argv, argc, 2, err) == null) {
            return err[0];
        }
        d.out.print("Command is available for UserSpace ConnTracker only.\n");
        return 0;
    }

    private static int unsupported(Dpctl d, String[] argv, int maxArgs, String what) throws IOException {
        int[] err = {0};
        if (d.optOpen(argv, argv.length, maxArgs, err) == null) {
            return err[0];
        }
        d.error(Errno.EOPNOTSUPP, "%s", what);
        return Errno.EOPNOTSUPP;
    }

    static int ctSetMaxconns(Dpctl d, String[] argv) throws IOException {
        int[] err = {0};
        if (d.optOpen(argv, argv.length, 3, err) == null) {
            return err[0];
        }
        if (DatapathCommands.scanU32(argv[argv.length - 1]) == null) {
            d.error(Errno.EINVAL, "maxconns missing or malformed");
            return Errno.EINVAL;
        }
        d.error(Errno.EOPNOTSUPP, "ct set maxconns failed");
        return Errno.EOPNOTSUPP;
    }

    static int ctGetMaxconns(Dpctl d, String[] argv) throws IOException {
        return unsupported(d, argv, 2, "maxconns could not be retrieved");
    }

    static int ctGetNconns(Dpctl d, String[] argv) throws IOException {
        return unsupported(d, argv, 2, "nconns could not be retrieved");
    }

    static int ctTcpSeqChk(Dpctl d, String[] argv) throws IOException {
        return unsupported(d, argv, 2, (argv[0].contains("enable") ? "enabling" : "disabling")
                + " TCP sequence checking failed");
    }

    static int ctGetTcpSeqChk(Dpctl d, String[] argv) throws IOException {
        return unsupported(d, argv, 2, "TCP sequence checking query failed");
    }

    static int ipfGetStatus(Dpctl d, String[] argv) throws IOException {
        return unsupported(d, argv, 2, "ipf status could not be retrieved");
    }

    static int offloadStatsShow(Dpctl d, String[] argv) throws IOException {
        return unsupported(d, argv, 2, "retrieving offload statistics");
    }

    static int ipfUnsupported(Dpctl d, String[] argv) throws IOException {
        String cmd = argv[0];
        int max = cmd.equals("ipf-set-min-frag") ? 4 : cmd.equals("ipf-set-max-nfrags") ? 3 : 4;
        int[] err = {0};
        if (d.optOpen(argv, argv.length, max, err) == null) {
            return err[0];
        }
        String last = argv[argv.length - 1];
        switch (cmd) {
            case "ipf-set-enabled", "ipf-set-disabled" -> {
                if (!last.startsWith("v4") && !last.startsWith("v6")) {
                    d.error(Errno.EINVAL, "parameter missing: 'v4' for IPv4 or 'v6' for IPv6");
                    return Errno.EINVAL;
                }
                d.error(Errno.EOPNOTSUPP, "%s fragmentation reassembly failed",
                        cmd.equals("ipf-set-enabled") ? "enabling" : "disabling");
            }
            case "ipf-set-min-frag" -> {
                String v = argv[argv.length - 2];
                if (!v.startsWith("v4") && !v.startsWith("v6")) {
                    d.error(Errno.EINVAL, "parameter missing: v4 for IPv4 or v6 for IPv6");
                    return Errno.EINVAL;
                }
                if (DatapathCommands.scanU32(last) == null) {
                    d.error(Errno.EINVAL, "parameter missing for minimum fragment size");
                    return Errno.EINVAL;
                }
                d.error(Errno.EOPNOTSUPP, "requested minimum fragment size too small; see documentation");
            }
            default -> {
                if (DatapathCommands.scanU32(last) == null) {
                    d.error(Errno.EINVAL, "parameter missing for maximum fragments");
                    return Errno.EINVAL;
                }
                d.error(Errno.EOPNOTSUPP, "setting maximum fragments failed");
            }
        }
        return Errno.EOPNOTSUPP;
    }

    // ---- zone limits (ovs_ct_limit) -------------------------------------------------------------

    private record Limit(int zone, long limit, long count) {
    }

    /** Sends one {@code ovs_ct_limit} request with the given zone limits; returns the limits replied. */
    private static List<Limit> ctLimit(Dpctl d, int cmd, List<Limit> limits) throws IOException {
        NlClient nl = d.dpif().client();
        int family = nl.resolveFamily(Families.CT_LIMIT_FAMILY);
        NlWriter w = nl.begin(family, 0, cmd, Families.CT_LIMIT_VERSION);
        w.putRawU32(0);
        if (!limits.isEmpty() || cmd != CtLimitCmd.GET) {
            int nest = w.beginNest(CtLimitAttr.ZONE_LIMIT);
            for (Limit l : limits) {
                w.putRawU32(l.zone);
                w.putRawU32((int) l.limit);
                w.putRawU32(0);
            }
            w.endNest(nest);
        }
        List<Limit> out = new ArrayList<>();
        for (byte[] m : nl.transact()) {
            int attrs = NlMsgHdr.LENGTH + GenlMsgHdr.LENGTH + OvsHeader.LENGTH;
            int a = NlAttrReader.find(m, attrs, m.length - attrs, CtLimitAttr.ZONE_LIMIT);
            if (a < 0) {
                continue;
            }
            int len = ovsj.netlink.NlAttr.len(m, a) - 4;
            for (int p = a + 4; p + ZoneLimit.LENGTH <= a + 4 + len; p += ZoneLimit.LENGTH) {
                out.add(new Limit(Wire.u32(m, p), Integer.toUnsignedLong(Wire.u32(m, p + 4)),
                        Integer.toUnsignedLong(Wire.u32(m, p + 8))));
            }
        }
        return out;
    }

    /** "zone=N,limit=L" ({@code ct_dpif_parse_zone_limit_tuple}). */
    private static Limit zoneLimit(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("zone=(\\d+),limit=(\\d+)").matcher(s);
        if (!m.matches() || Long.parseLong(m.group(1)) > 0xffff || Long.parseLong(m.group(2)) > 0xffffffffL) {
            return null;
        }
        return new Limit(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), 0);
    }

    static int ctSetLimits(Dpctl d, String[] argv) throws IOException {
        int i = d.dpArgExists(argv, argv.length) ? 2 : 1;
        int[] err = {0};
        if (d.optOpen(argv, argv.length, Integer.MAX_VALUE, err) == null) {
            return err[0];
        }
        List<Limit> limits = new ArrayList<>();
        if (i < argv.length && argv[i].startsWith("default=")) {
            Long v = DatapathCommands.scanU32(argv[i].substring(8));
            if (v == null) {
                d.error(Errno.EINVAL, "%s", "invalid default limit");
                return Errno.EINVAL;
            }
            limits.add(new Limit(ZoneLimit.DEFAULT_ZONE, v, 0));
            i++;
        }
        for (; i < argv.length; i++) {
            Limit l = zoneLimit(argv[i]);
            if (l == null) {
                d.error(Errno.EINVAL, "%s", "failed to parse zone limit tuple");
                return Errno.EINVAL;
            }
            limits.add(l);
        }
        try {
            ctLimit(d, CtLimitCmd.SET, limits);
            return 0;
        } catch (DpifException e) {
            d.error(e.errno(), "%s", "failed to set conntrack limit");
            return e.errno();
        }
    }

    /** {@code parse_ct_limit_zones}: null (error printed) or the zones. */
    private static List<Limit> zones(Dpctl d, String arg) {
        if (!arg.startsWith("zone=")) {
            d.error(Errno.EINVAL, "invalid argument %s", arg);
            return null;
        }
        List<Limit> out = new ArrayList<>();
        for (String z : DatapathCommands.strtok(arg.substring(5), ',')) {
            Long v = DatapathCommands.scanU32(z);
            if (v == null || v > 0xffff) {
                d.error(Errno.EINVAL, "%s", "invalid zone");
                return null;
            }
            out.add(new Limit(v.intValue(), 0, 0));
        }
        return out;
    }

    static int ctDelLimits(Dpctl d, String[] argv) throws IOException {
        int i = d.dpArgExists(argv, argv.length) ? 2 : 1;
        int[] err = {0};
        if (d.optOpen(argv, argv.length, 3, err) == null) {
            return err[0];
        }
        List<Limit> z = zones(d, argv[i]);
        if (z == null) {
            return Errno.EINVAL;
        }
        try {
            ctLimit(d, CtLimitCmd.DEL, z);
            return 0;
        } catch (DpifException e) {
            d.error(e.errno(), "%s", "failed to delete conntrack limit");
            return e.errno();
        }
    }

    static int ctGetLimits(Dpctl d, String[] argv) throws IOException {
        int i = d.dpArgExists(argv, argv.length) ? 2 : 1;
        int[] err = {0};
        if (d.optOpen(argv, argv.length, 3, err) == null) {
            return err[0];
        }
        List<Limit> query = List.of();
        if (argv.length > i) {
            query = zones(d, argv[i]);
            if (query == null) {
                return Errno.EINVAL;
            }
        }
        List<Limit> reply;
        try {
            reply = ctLimit(d, CtLimitCmd.GET, query);
        } catch (DpifException e) {
            d.error(e.errno(), "failed to get conntrack limit %s", ovsj.odp.dpif.Strerror.of(e.errno()));
            return e.errno();
        }
        StringBuilder b = new StringBuilder();
        for (Limit l : reply) {
            if (l.zone == ZoneLimit.DEFAULT_ZONE) {
                b.append("default limit=").append(l.limit);
            }
        }
        for (Limit l : reply) {
            if (l.zone != ZoneLimit.DEFAULT_ZONE) {
                b.append("\nzone=").append(l.zone).append(",limit=").append(l.limit).append(",count=").append(l.count);
            }
        }
        d.out.print(b.append('\n'));
        return 0;
    }
}
