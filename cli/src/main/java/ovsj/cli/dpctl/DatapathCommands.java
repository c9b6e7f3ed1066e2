package ovsj.cli.dpctl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ovsj.datapath.vport.PcapDevice;
import ovsj.datapath.vport.PcapOptions;
import ovsj.datapath.vport.VportDeviceException;
import ovsj.netlink.Errno;
import ovsj.netlink.NlWriter;
import ovsj.odp.dpif.DpInfo;
import ovsj.odp.dpif.DpifException;
import ovsj.odp.dpif.Strerror;
import ovsj.odp.dpif.VportInfo;
import ovsj.odp.uapi.UserFeatures;
import ovsj.odp.uapi.VportType;

/** Datapath and port commands: add-dp, del-dp, add-if, set-if, del-if, dump-dps, show, cache-*. */
final class DatapathCommands {
    /** The features {@code dpif_netlink_open} asks for when it creates a datapath. */
    static final int CREATE_FEATURES = UserFeatures.UNALIGNED | UserFeatures.VPORT_PIDS;

    private DatapathCommands() {
    }

    // ---- port types -----------------------------------------------------------------------------

    /** The vport type for an OVS netdev type, or -1 when ovsj does not know the type. */
    static int vportType(String type) {
        return switch (type) {
            case "system", "tap" -> VportType.NETDEV;
            case "internal" -> VportType.INTERNAL;
            case "gre" -> VportType.GRE;
            case "vxlan" -> VportType.VXLAN;
            case "geneve" -> VportType.GENEVE;
            case "pcap" -> PcapDevice.OVS_VPORT_TYPE_PCAP;
            default -> -1;
        };
    }

    /** {@code get_vport_type}: the netdev type of a port. */
    static String typeName(int vportType) {
        return switch (vportType) {
            case VportType.NETDEV -> "system";
            case VportType.INTERNAL -> "internal";
            case VportType.GRE -> "gre";
            case VportType.VXLAN -> "vxlan";
            case VportType.GENEVE -> "geneve";
            case PcapDevice.OVS_VPORT_TYPE_PCAP -> "pcap";
            default -> "unknown";
        };
    }

    /** {@code netdev_get_config}: a port's configuration as key=value pairs (sorted by key). */
    static Map<String, String> config(VportInfo v) {
        Map<String, String> c = new TreeMap<>();
        if (v.type() == PcapDevice.OVS_VPORT_TYPE_PCAP && v.options() != null) {
            try {
                PcapOptions o = PcapOptions.parse(v.options(), 0, v.options().length);
                if (o.input() != null) {
                    c.put("input", o.input());
                }
                if (o.output() != null) {
                    c.put("output", o.output());
                }
                if (o.loop()) {
                    c.put("loop", "true");
                }
                if (o.ratePps() != 0) {
                    c.put("rate_pps", Long.toString(o.ratePpsUnsigned()));
                }
            } catch (VportDeviceException e) {
                // shown without configuration
            }
        }
        return c;
    }

    /** The OPTIONS payload for a port of {@code type} configured by {@code args}; null if none. */
    static byte[] options(String type, Map<String, String> args) {
        if (!type.equals("pcap")) {
            return null;
        }
        NlWriter w = new NlWriter(256);
        String in = args.get("input");
        String out = args.get("output");
        if (in != null) {
            w.putString(PcapOptions.INPUT, in);
        }
        if (out != null) {
            w.putString(PcapOptions.OUTPUT, out);
        }
        String rate = args.get("rate_pps");
        if (rate != null) {
            w.putU32(PcapOptions.RATE_PPS, (int) Long.parseLong(rate));
        }
        if ("true".equals(args.get("loop"))) {
            w.putFlag(PcapOptions.LOOP);
        }
        return w.toByteArray();
    }

    /** Splits like {@code strtok_r(s, ",")}: empty pieces vanish. */
    static List<String> strtok(String s, char sep) {
        List<String> out = new ArrayList<>();
        for (String p : s.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1)) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** "key=value" as OVS's option loop splits it: key up to the first '=', value the rest ("" if none). */
    static String[] keyValue(String option) {
        String o = option;
        int i = 0;
        while (i < o.length() && o.charAt(i) == '=') {
            i++;
        }
        o = o.substring(i);
        int eq = o.indexOf('=');
        return eq < 0 ? new String[] {o, ""} : new String[] {o.substring(0, eq), o.substring(eq + 1)};
    }

    /** {@code ovs_scan(s, "%" SCNu32)}: blanks, a sign, digits (strtoul's wrap-around); null if no digits. */
    static Long scanU32(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long v = 0;
        boolean overflow = false;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i++) - '0');
            overflow |= v > 0xffffffffL;
            v = Math.min(v, 0x1_0000_0000L);
        }
        if (i == start) {
            return null;
        }
        if (overflow) {
            v = 0xffffffffL;
        }
        return neg ? (-v) & 0xffffffffL : v;
    }

    /** C's {@code atoi}. */
    static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE * 4L) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return (int) (neg ? -v : v);
    }

    // ---- add-dp / del-dp ------------------------------------------------------------------------

    static int addDp(Dpctl d, String[] argv) throws IOException {
        Dpctl.DpName n = Dpctl.DpName.parse(argv[1]);
        int error = 0;
        if (!Dpctl.TYPES.contains(n.type())) {
            d.vlog("dpif", "WARN", "could not create datapath " + n.name() + " of unknown type " + n.type());
            error = Errno.EAFNOSUPPORT;
        } else if (n.type().equals("netdev")) {
            error = Errno.EOPNOTSUPP; // ovsj has no userspace datapath
        } else {
            try {
                d.dpif().dpNew(n.name(), 0, CREATE_FEATURES);
            } catch (DpifException e) {
                error = e.errno();
            }
        }
        if (error != 0) {
            d.error(error, "add_dp");
            return error;
        }
        return argv.length > 2 ? addIf(d, argv) : 0;
    }

    static int delDp(Dpctl d, String[] argv) throws IOException {
        int[] err = {0};
        Dpctl.Dp dp = d.open(argv[1], err);
        if (dp == null) {
            d.error(err[0], "opening datapath");
            return err[0];
        }
        try {
            d.dpif().dpDel(dp.ifindex());
            return 0;
        } catch (DpifException e) {
            d.error(e.errno(), "del_dp");
            return e.errno();
        }
    }

    // ---- ports ----------------------------------------------------------------------------------

    static int addIf(Dpctl d, String[] argv) throws IOException {
        int[] err = {0};
        Dpctl.Dp dp = d.open(argv[1], err);
        if (dp == null) {
            d.error(err[0], "opening datapath");
            return err[0];
        }
        int lastError = 0;
        for (int i = 2; i < argv.length; i++) {
            int error = addOne(d, dp, argv[1], argv[i]);
            if (error != 0) {
                lastError = error;
            }
        }
        return lastError;
    }

    private static int addOne(Dpctl d, Dpctl.Dp dp, String dpArg, String arg) throws IOException {
        List<String> parts = strtok(arg, ',');
        if (parts.isEmpty()) {
            d.error(0, "%s is not a valid network device name", arg);
            return Errno.EINVAL;
        }
        String name = parts.get(0);
        String type = "system";
        int portNo = -1;
        Map<String, String> args = new LinkedHashMap<>();
        for (String option : parts.subList(1, parts.size())) {
            String[] kv = keyValue(option);
            if (kv[0].equals("type")) {
                type = kv[1];
            } else if (kv[0].equals("port_no")) {
                portNo = atoi(kv[1]);
            } else if (args.putIfAbsent(kv[0], kv[1]) != null) {
                d.error(0, "duplicate \"%s\" option", kv[0]);
            }
        }
        int vtype = vportType(type);
        if (vtype < 0) {
            d.vlog("netdev", "WARN", "could not create netdev " + name + " of unknown type " + type);
            d.error(Errno.EAFNOSUPPORT, "%s: failed to open network device", name);
            return Errno.EAFNOSUPPORT;
        }
        if (!args.isEmpty() && !type.equals("pcap")) {
            d.vlog("netdev", "WARN", name + ": arguments provided to device that is not configurable");
        }
        try {
            d.dpif().vportNew(dp.ifindex(), name, vtype, portNo, new int[] {0}, options(type, args));
            return 0;
        } catch (DpifException e) {
            int error = e.errno();
            if (vtype == VportType.NETDEV && error == Errno.ENODEV) {
                // netdev_open of a system port fails first in OVS when the device does not exist
                d.error(error, "%s: failed to open network device", name);
                return error;
            }
            if (error == Errno.EBUSY && portNo >= 0) {
                d.vlog("dpif_netlink", "INFO", dp.fullName() + ": requested port " + Integer.toUnsignedString(portNo)
                        + " is in use");
            }
            d.vlog("dpif", "WARN", dp.fullName() + ": failed to add " + name + " as port: " + Strerror.of(error));
            d.error(error, "adding %s to %s failed", name, dpArg);
            return error;
        }
    }

    static int setIf(Dpctl d, String[] argv) throws IOException {
        int[] err = {0};
        Dpctl.Dp dp = d.open(argv[1], err);
        if (dp == null) {
            d.error(err[0], "opening datapath");
            return err[0];
        }
        int lastError = 0;
        for (int i = 2; i < argv.length; i++) {
            int error = setOne(d, dp, argv[1], argv[i]);
            if (error != 0) {
                lastError = error;
            }
        }
        return lastError;
    }

    private static int setOne(Dpctl d, Dpctl.Dp dp, String dpArg, String arg) throws IOException {
        List<String> parts = strtok(arg, ',');
        if (parts.isEmpty()) {
            d.error(0, "%s is not a valid network device name", arg);
            return 0;
        }
        String name = parts.get(0);
        VportInfo v;
        try {
            v = d.dpif().vportGet(dp.ifindex(), name);
        } catch (DpifException e) {
            d.error(e.errno(), "%s: failed to query port in %s", name, dpArg);
            return e.errno();
        }
        String type = typeName(v.type());
        Map<String, String> config = config(v);
        Map<String, String> before = new TreeMap<>(config);
        for (String option : parts.subList(1, parts.size())) {
            String[] kv = keyValue(option);
            if (kv[0].equals("type")) {
                if (!kv[1].equals(type)) {
                    d.error(0, "%s: can't change type from %s to %s", name, type, kv[1]);
                    return Errno.EINVAL;
                }
            } else if (kv[0].equals("port_no")) {
                if (v.portNo() != atoi(kv[1])) {
                    d.error(0, "%s: can't change port number from %s to %d", name,
                            Integer.toUnsignedString(v.portNo()), atoi(kv[1]));
                    return Errno.EINVAL;
                }
            } else if (kv[1].isEmpty()) {
                config.remove(kv[0]);
            } else {
                config.put(kv[0], kv[1]);
            }
        }
        if (config.equals(before)) {
            return 0;
        }
        if (!type.equals("pcap")) {
            d.vlog("netdev", "WARN", name + ": arguments provided to device that is not configurable");
            return 0;
        }
        try {
            d.dpif().vportSet(dp.ifindex(), v.portNo(), -1, null, options(type, config));
            return 0;
        } catch (DpifException e) {
            d.error(e.errno(), "%s", "Error updating configuration");
            return e.errno();
        }
    }

    static int delIf(Dpctl d, String[] argv) throws IOException {
        int[] err = {0};
        Dpctl.Dp dp = d.open(argv[1], err);
        if (dp == null) {
            d.error(err[0], "opening datapath");
            return err[0];
        }
        int lastError = 0;
        for (int i = 2; i < argv.length; i++) {
            String name = argv[i];
            int port;
            if (name.chars().allMatch(Character::isDigit)) {
                port = atoi(name);
            } else {
                try {
                    port = d.dpif().vportGet(dp.ifindex(), name).portNo();
                } catch (DpifException e) {
                    d.error(0, "no port named %s", name);
                    lastError = Errno.ENOENT;
                    continue;
                }
            }
            try {
                d.dpif().vportGet(dp.ifindex(), port); // dpif_netlink_port_del__ queries first
                d.dpif().vportDel(dp.ifindex(), port);
            } catch (DpifException e) {
                d.vlog("dpif", "WARN", dp.fullName() + ": port_del failed (" + Strerror.of(e.errno()) + ")");
                d.error(e.errno(), "deleting port %s from %s failed", name, argv[1]);
                lastError = e.errno();
            }
        }
        return lastError;
    }

    // ---- dump-dps / show ------------------------------------------------------------------------

    /** A callback of {@link #forEachDp}. */
    interface DpCallback {
        void accept(Dpctl d, Dpctl.Dp dp) throws IOException;
    }

    /** {@code dps_for_each}. */
    static int forEachDp(Dpctl d, DpCallback cb) throws IOException {
        int openError = 0;
        for (String name : d.systemNames()) {
            int[] err = {0};
            Dpctl.Dp dp = d.open("system@" + name, err);
            if (dp != null) {
                cb.accept(d, dp);
            } else {
                openError = err[0];
                d.error(err[0], "opening datapath %s failed", name);
            }
        }
        return openError;
    }

    static int dumpDps(Dpctl d, String[] argv) throws IOException {
        return forEachDp(d, (x, dp) -> x.out.print(dp.fullName() + "\n"));
    }

    static int show(Dpctl d, String[] argv) throws IOException {
        if (argv.length <= 1) {
            return forEachDp(d, DatapathCommands::showDp);
        }
        int lastError = 0;
        for (int i = 1; i < argv.length; i++) {
            int[] err = {0};
            Dpctl.Dp dp = d.open(argv[i], err);
            if (dp != null) {
                showDp(d, dp);
            } else {
                d.error(err[0], "opening datapath %s failed", argv[i]);
                lastError = err[0];
            }
        }
        return lastError;
    }

    /** {@code show_dpif}. */
    static void showDp(Dpctl d, Dpctl.Dp dp) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(dp.fullName()).append(":\n");
        DpInfo s = dp.info();
        b.append("  lookups: hit:").append(Long.toUnsignedString(s.hit()))
                .append(" missed:").append(Long.toUnsignedString(s.missed()))
                .append(" lost:").append(Long.toUnsignedString(s.lost()))
                .append("\n  flows: ").append(Long.toUnsignedString(s.flows())).append('\n');
        long pkts = s.hit() + s.missed();
        if (s.megaflowStats()) {
            double avg = pkts != 0 ? (double) s.maskHit() / pkts : 0.0;
            b.append("  masks: hit:").append(Long.toUnsignedString(s.maskHit()))
                    .append(" total:").append(Integer.toUnsignedString(s.masks()))
                    .append(" hit/pkt:").append(CFormat.fixed(avg, 2)).append('\n');
            if (s.cacheHit() != 0) { // dpif-netlink: a zero count means "not supported"
                double rate = pkts != 0 ? (double) s.cacheHit() / pkts * 100 : 0.0;
                b.append("  cache: hit:").append(Long.toUnsignedString(s.cacheHit()))
                        .append(" hit-rate:").append(CFormat.fixed(rate, 2)).append("%\n");
            }
        }
        caches(b, s);
        List<VportInfo> ports = new ArrayList<>(d.dpif().vportDump(dp.ifindex()));
        ports.sort((x, y) -> Integer.compareUnsigned(x.portNo(), y.portNo()));
        for (VportInfo listed : ports) {
            VportInfo v;
            try {
                v = d.dpif().vportGet(dp.ifindex(), listed.portNo());
            } catch (DpifException e) {
                continue;
            }
            b.append("  port ").append(Integer.toUnsignedString(v.portNo())).append(": ").append(v.name());
            String type = typeName(v.type());
            if (!type.equals("system")) {
                b.append(" (").append(type);
                int j = 0;
                for (Map.Entry<String, String> e : config(v).entrySet()) {
                    b.append(j++ == 0 ? ':' : ',').append(' ').append(e.getKey()).append('=').append(e.getValue());
                }
                b.append(')');
            }
            b.append('\n');
            if (d.opt.statistics) {
                portStats(b, v);
            }
        }
        d.out.print(b);
    }

    /** {@code show_dpif_cache__}. */
    private static void caches(StringBuilder b, DpInfo s) {
        if (s.masksCacheSize() >= 0) {
            b.append("  caches:\n    masks-cache: size:").append(Integer.toUnsignedString(s.masksCacheSize()))
                    .append('\n');
        }
    }

    /** The four netdev-stats lines of {@code show -s} (an internal port's stats are its vport's). */
    private static void portStats(StringBuilder b, VportInfo v) {
        long[] s = v.stats() != null ? v.stats() : new long[8];
        b.append("    RX packets:").append(u(s[VportInfo.RX_PACKETS]))
                .append(" errors:").append(u(s[VportInfo.RX_ERRORS]))
                .append(" dropped:").append(u(s[VportInfo.RX_DROPPED]))
                .append(" overruns:0 frame:0\n");
        b.append("    TX packets:").append(u(s[VportInfo.TX_PACKETS]))
                .append(" errors:").append(u(s[VportInfo.TX_ERRORS]))
                .append(" dropped:").append(u(s[VportInfo.TX_DROPPED]))
                .append(" aborted:0 carrier:0\n");
        b.append("    collisions:0\n");
        b.append("    RX bytes:").append(u(s[VportInfo.RX_BYTES])).append(humanSize(s[VportInfo.RX_BYTES]))
                .append("  TX bytes:").append(u(s[VportInfo.TX_BYTES])).append(humanSize(s[VportInfo.TX_BYTES]))
                .append('\n');
    }

    private static String u(long v) {
        return v == -1 ? "?" : Long.toUnsignedString(v);
    }

    /** {@code print_human_size}. */
    static String humanSize(long v) {
        if (v == -1) {
            return "";
        }
        double x = v < 0 ? v + 0x1p64 : v;
        if (x >= 1024.0 * 1024 * 1024 * 1024) {
            return " (" + CFormat.fixed(x / (1024.0 * 1024 * 1024 * 1024), 1) + " TiB)";
        } else if (x >= 1024.0 * 1024 * 1024) {
            return " (" + CFormat.fixed(x / (1024.0 * 1024 * 1024), 1) + " GiB)";
        } else if (x >= 1024.0 * 1024) {
            return " (" + CFormat.fixed(x / (1024.0 * 1024), 1) + " MiB)";
        } else if (x >= 1024) {
            return " (" + CFormat.fixed(x / 1024.0, 1) + " KiB)";
        }
        return "";
    }

    // ---- caches ---------------------------------------------------------------------------------

    static int cacheGetSize(Dpctl d, String[] argv) throws IOException {
        DpCallback cb = (x, dp) -> {
            StringBuilder b = new StringBuilder(dp.fullName()).append(":\n");
            caches(b, dp.info());
            x.out.print(b);
        };
        if (argv.length <= 1) {
            return forEachDp(d, cb);
        }
        int[] err = {0};
        Dpctl.Dp dp = d.open(argv[1], err);
        if (dp == null) {
            d.error(err[0], "opening datapath %s failed", argv[1]);
            return err[0];
        }
        cb.accept(d, dp);
        return 0;
    }

    static int cacheSetSize(Dpctl d, String[] argv) throws IOException {
        int[] err = {0};
        Dpctl.Dp dp = d.optOpen(argv, argv.length, 4, err);
        if (dp == null) {
            return err[0];
        }
        Long size = scanU32(argv[argv.length - 1]);
        if (size == null) {
            d.error(Errno.EINVAL, "size is malformed");
            return Errno.EINVAL;
        }
        if (dp.info().masksCacheSize() < 0) {
            d.error(Errno.EOPNOTSUPP, "Setting caches not supported");
            return Errno.EOPNOTSUPP;
        }
        String cache = argv[argv.length - 2];
        if (!cache.equals("masks-cache")) {
            d.error(Errno.EINVAL, "Cache name \"%s\" not found on dpif", cache);
            return Errno.EINVAL;
        }
        // dpif_netlink_cache_set_size rounds up to a power of 2 (0 stays 0), as the kernel wants.
        long rounded = size <= 1 ? size : Long.highestOneBit(size - 1) << 1;
        try {
            DpInfo now = d.dpif().dpSet(dp.ifindex(), -1, (int) rounded);
            d.out.print("Setting cache size successful, new size " + Integer.toUnsignedString(now.masksCacheSize())
                    + "\n");
            return 0;
        } catch (DpifException e) {
            d.error(e.errno(), "Setting cache size failed");
            return e.errno();
        }
    }
}
