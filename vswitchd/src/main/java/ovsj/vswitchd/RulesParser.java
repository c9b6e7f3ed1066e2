package ovsj.vswitchd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads rule files in {@code ovs-ofctl add-flows} syntax, a documented subset. One rule per line;
 * blank lines and lines starting with {@code #} are skipped. A rule is match fields and then
 * {@code actions=}, everything separated by commas or blanks:
 *
 * <pre>
 * priority=200,tcp,nw_dst=10.0.0.0/8,tp_dst=80,actions=mod_dl_dst:02:00:00:00:00:09,output:2
 * priority=100,in_port=1,actions=normal
 * dl_type=0x0806,actions=normal
 * actions=drop
 * </pre>
 *
 * <p>Match fields (values decimal or {@code 0x} hex):
 * <ul>
 *   <li>{@code priority=N} (0..65535, default 32768); a higher priority wins, equal priorities go in
 *       file order;</li>
 *   <li>{@code in_port=N} (a datapath port number, or {@code LOCAL} = 0);</li>
 *   <li>{@code dl_src=MAC[/MASK]}, {@code dl_dst=MAC[/MASK]} ({@code xx:xx:xx:xx:xx:xx}, any mask);</li>
 *   <li>{@code dl_type=N}; {@code dl_vlan=N} (VLAN id 0..4095; {@code 0xffff} = untagged frames);</li>
 *   <li>{@code nw_src=IP[/PREFIX|/MASK]}, {@code nw_dst=...} (IPv4; ARP sender/target with
 *       {@code arp}); {@code nw_proto=N} (the ARP opcode with {@code arp});</li>
 *   <li>{@code tp_src=N[/MASK]}, {@code tp_dst=N[/MASK]} (TCP/UDP/SCTP ports);</li>
 *   <li>shorthands {@code ip}, {@code ipv6}, {@code arp}, {@code icmp}, {@code tcp}, {@code udp},
 *       {@code sctp}, {@code tcp6}, {@code udp6}, {@code sctp6}.</li>
 * </ul>
 * Prerequisites are checked as OpenFlow does: {@code nw_src}/{@code nw_dst} need {@code dl_type} IPv4 or
 * ARP, {@code nw_proto} IPv4, IPv6 or ARP, {@code tp_src}/{@code tp_dst} need {@code nw_proto} 6, 17 or
 * 132 on IPv4 or IPv6. A field given twice with different values is an error.
 *
 * <p>Actions (comma-separated, in order): {@code output:N} (or a bare port number), {@code normal},
 * {@code drop} (alone; an empty {@code actions=} drops too), {@code mod_dl_src:MAC},
 * {@code mod_dl_dst:MAC}, {@code mod_nw_src:IP}, {@code mod_nw_dst:IP}, {@code mod_tp_src:N},
 * {@code mod_tp_dst:N}.
 *
 * <p>Errors are {@link RulesParseException}s naming the file, the line and the token.
 */
public final class RulesParser {
    private static final Pattern ACTIONS = Pattern.compile("(^|[\\s,])actions\\s*=");
    private static final Pattern SPLIT = Pattern.compile("[\\s,]+");

    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_ARP = 0x0806;
    private static final int ETH_P_IPV6 = 0x86dd;

    private final String source;
    private final int lineNo;

    private RulesParser(String source, int lineNo) {
        this.source = source;
        this.lineNo = lineNo;
    }

    /** Parses the rule file {@code file}. */
    public static Rules parse(Path file) throws IOException, RulesParseException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses rule text; {@code source} names it in error messages. */
    public static Rules parse(String text, String source) throws RulesParseException {
        List<Rules.Rule> rules = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            rules.add(parseRule(line, source, i + 1));
        }
        return new Rules(rules, source);
    }

    /** Parses one rule written on line {@code lineNo} of {@code source}. */
    public static Rules.Rule parseRule(String line, String source, int lineNo) throws RulesParseException {
        return new RulesParser(source, lineNo).rule(line.strip());
    }

    private RulesParseException error(String token, String message) {
        return new RulesParseException(source, lineNo, token, message);
    }

    // ---- one rule -------------------------------------------------------------------------------

    private final Map<XlateField, long[]> match = new EnumMap<>(XlateField.class);
    private final Map<XlateField, String> setBy = new EnumMap<>(XlateField.class);

    private Rules.Rule rule(String line) throws RulesParseException {
        Matcher m = ACTIONS.matcher(line);
        if (!m.find()) {
            throw error(null, "must specify an action (\"actions=...\")");
        }
        String matchPart = line.substring(0, m.start());
        String actionPart = line.substring(m.end());
        int priority = Rules.DEFAULT_PRIORITY;
        boolean prioritySet = false;
        for (String tok : SPLIT.split(matchPart)) {
            if (tok.isEmpty()) {
                continue;
            }
            int eq = tok.indexOf('=');
            String name = eq < 0 ? tok : tok.substring(0, eq);
            String value = eq < 0 ? null : tok.substring(eq + 1);
            if (name.equals("priority")) {
                if (prioritySet) {
                    throw error(tok, "priority given twice");
                }
                priority = (int) number(tok, need(tok, value), 0xffff);
                prioritySet = true;
            } else if (value == null) {
                shorthand(tok);
            } else {
                field(tok, name, value);
            }
        }
        checkPrerequisites();
        List<RulesAction> actions = actions(actionPart.strip());

        List<XlateField> fields = new ArrayList<>();
        for (XlateField f : Rules.STAGE_ORDER) {
            long[] vm = match.get(f);
            if (vm != null && vm[1] != 0) {
                fields.add(f);
            }
        }
        XlateField[] fa = fields.toArray(new XlateField[0]);
        long[] values = new long[fa.length];
        long[] masks = new long[fa.length];
        for (int i = 0; i < fa.length; i++) {
            long[] vm = match.get(fa[i]);
            masks[i] = vm[1];
            values[i] = vm[0] & vm[1];
        }
        return new Rules.Rule(priority, lineNo, fa, values, masks, actions, line);
    }

    private String need(String tok, String value) throws RulesParseException {
        if (value == null || value.isEmpty()) {
            throw error(tok, "missing value");
        }
        return value;
    }

    private void put(String tok, XlateField f, long value, long mask) throws RulesParseException {
        long[] old = match.get(f);
        if (old != null && (old[0] != (value & mask) || old[1] != mask)) {
            throw error(tok, f.ofName() + " conflicts with \"" + setBy.get(f) + "\" earlier in the rule");
        }
        match.put(f, new long[] {value & mask, mask});
        setBy.put(f, tok);
    }

    private void shorthand(String tok) throws RulesParseException {
        int type;
        int proto = -1;
        switch (tok) {
            case "ip" -> type = ETH_P_IP;
            case "ipv6" -> type = ETH_P_IPV6;
            case "arp" -> type = ETH_P_ARP;
            case "icmp" -> {
                type = ETH_P_IP;
                proto = 1;
            }
            case "tcp", "udp", "sctp" -> {
                type = ETH_P_IP;
                proto = protoOf(tok);
            }
            case "tcp6", "udp6", "sctp6" -> {
                type = ETH_P_IPV6;
                proto = protoOf(tok.substring(0, tok.length() - 1));
            }
            default -> throw error(tok, isField(tok) ? "missing value (\"" + tok + "=...\")"
                    : "unknown field or shorthand (supported: in_port, dl_src, dl_dst, dl_type, dl_vlan, "
                            + "nw_src, nw_dst, nw_proto, tp_src, tp_dst, priority; ip, ipv6, arp, icmp, tcp, "
                            + "udp, sctp, tcp6, udp6, sctp6)");
        }
        put(tok, XlateField.DL_TYPE, type, 0xffff);
        if (proto >= 0) {
            put(tok, XlateField.NW_PROTO, proto, 0xff);
        }
    }

    private static int protoOf(String name) {
        return switch (name) {
            case "tcp" -> 6;
            case "udp" -> 17;
            default -> 132;
        };
    }

    private static boolean isField(String name) {
        return switch (name) {
            case "in_port", "dl_src", "dl_dst", "dl_type", "dl_vlan", "nw_src", "nw_dst", "nw_proto", "tp_src",
                 "tp_dst", "priority" -> true;
            default -> false;
        };
    }

    private void field(String tok, String name, String value) throws RulesParseException {
        need(tok, value);
        int slash = value.indexOf('/');
        String v = slash < 0 ? value : value.substring(0, slash);
        String mask = slash < 0 ? null : value.substring(slash + 1);
        switch (name) {
            case "in_port" -> {
                noMask(tok, mask);
                put(tok, XlateField.IN_PORT, port(tok, v), 0xffff);
            }
            case "dl_src", "dl_dst" -> {
                XlateField f = name.equals("dl_src") ? XlateField.DL_SRC : XlateField.DL_DST;
                put(tok, f, mac(tok, v), mask == null ? f.all() : mac(tok, mask));
            }
            case "dl_type" -> {
                noMask(tok, mask);
                put(tok, XlateField.DL_TYPE, number(tok, v, 0xffff), 0xffff);
            }
            case "dl_vlan" -> {
                noMask(tok, mask);
                long vid = number(tok, v, 0xffff);
                if (vid == 0xffff) {
                    put(tok, XlateField.VLAN_TCI, 0, XlateField.VLAN_CFI);
                } else if (vid > XlateField.VLAN_VID_MASK) {
                    throw error(tok, "VLAN id " + vid + " is not in 0..4095 (or 0xffff for untagged frames)");
                } else {
                    put(tok, XlateField.VLAN_TCI, XlateField.VLAN_CFI | vid,
                            XlateField.VLAN_CFI | XlateField.VLAN_VID_MASK);
                }
            }
            case "nw_src", "nw_dst" -> {
                XlateField f = name.equals("nw_src") ? XlateField.NW_SRC : XlateField.NW_DST;
                put(tok, f, ipv4(tok, v), mask == null ? f.all() : ipv4Mask(tok, mask));
            }
            case "nw_proto" -> {
                noMask(tok, mask);
                put(tok, XlateField.NW_PROTO, number(tok, v, 0xff), 0xff);
            }
            case "tp_src", "tp_dst" -> {
                XlateField f = name.equals("tp_src") ? XlateField.TP_SRC : XlateField.TP_DST;
                put(tok, f, number(tok, v, 0xffff), mask == null ? 0xffff : number(tok, mask, 0xffff));
            }
            default -> throw error(tok, "unknown field \"" + name + "\" (supported: in_port, dl_src, dl_dst, "
                    + "dl_type, dl_vlan, nw_src, nw_dst, nw_proto, tp_src, tp_dst, priority)");
        }
    }

    private void noMask(String tok, String mask) throws RulesParseException {
        if (mask != null) {
            throw error(tok, "this field does not take a mask");
        }
    }

    private long dlType() {
        long[] t = match.get(XlateField.DL_TYPE);
        return t == null ? -1 : t[0];
    }

    private void checkPrerequisites() throws RulesParseException {
        long type = dlType();
        for (XlateField f : new XlateField[] {XlateField.NW_SRC, XlateField.NW_DST}) {
            if (match.containsKey(f) && type != ETH_P_IP && type != ETH_P_ARP) {
                throw error(setBy.get(f), f.ofName() + " requires dl_type=0x0800 or 0x0806 (ip or arp) in the rule");
            }
        }
        if (match.containsKey(XlateField.NW_PROTO) && type != ETH_P_IP && type != ETH_P_IPV6 && type != ETH_P_ARP) {
            throw error(setBy.get(XlateField.NW_PROTO),
                    "nw_proto requires dl_type=0x0800, 0x86dd or 0x0806 (ip, ipv6 or arp) in the rule");
        }
        for (XlateField f : new XlateField[] {XlateField.TP_SRC, XlateField.TP_DST}) {
            if (!match.containsKey(f)) {
                continue;
            }
            long[] p = match.get(XlateField.NW_PROTO);
            long proto = p == null ? -1 : p[0];
            if ((type != ETH_P_IP && type != ETH_P_IPV6) || (proto != 6 && proto != 17 && proto != 132)) {
                throw error(setBy.get(f), f.ofName()
                        + " requires nw_proto=6, 17 or 132 on IPv4 or IPv6 (tcp, udp, sctp, tcp6...) in the rule");
            }
        }
    }

    // ---- actions --------------------------------------------------------------------------------

    private List<RulesAction> actions(String s) throws RulesParseException {
        List<RulesAction> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        String[] toks = s.split("\\s*,\\s*", -1);
        for (String tok : toks) {
            if (tok.isEmpty()) {
                throw error("actions=" + s, "empty action");
            }
            String lower = tok.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("drop")) {
                if (toks.length != 1) {
                    throw error(tok, "\"drop\" must not be accompanied by any other action");
                }
                return out;
            }
            if (lower.equals("normal") || lower.equals("output:normal")) {
                out.add(new RulesAction.Normal());
                continue;
            }
            if (Character.isDigit(tok.charAt(0))) {
                out.add(new RulesAction.Output((int) port(tok, tok)));
                continue;
            }
            int sep = indexOfSep(tok);
            if (sep < 0) {
                throw error(tok, "unknown action (supported: output:N, normal, drop, mod_dl_src:, mod_dl_dst:, "
                        + "mod_nw_src:, mod_nw_dst:, mod_tp_src:, mod_tp_dst:)");
            }
            String name = tok.substring(0, sep);
            String arg = tok.substring(sep + 1);
            if (arg.isEmpty()) {
                throw error(tok, "missing argument");
            }
            out.add(switch (name) {
                case "output" -> new RulesAction.Output((int) port(tok, arg));
                case "mod_dl_src" -> new RulesAction.SetField(XlateField.DL_SRC, mac(tok, arg));
                case "mod_dl_dst" -> new RulesAction.SetField(XlateField.DL_DST, mac(tok, arg));
                case "mod_nw_src" -> new RulesAction.SetField(XlateField.NW_SRC, ipv4(tok, arg));
                case "mod_nw_dst" -> new RulesAction.SetField(XlateField.NW_DST, ipv4(tok, arg));
                case "mod_tp_src" -> new RulesAction.SetField(XlateField.TP_SRC, number(tok, arg, 0xffff));
                case "mod_tp_dst" -> new RulesAction.SetField(XlateField.TP_DST, number(tok, arg, 0xffff));
                default -> throw error(tok, "unknown action \"" + name + "\" (supported: output:N, normal, "
                        + "drop, mod_dl_src:, mod_dl_dst:, mod_nw_src:, mod_nw_dst:, mod_tp_src:, mod_tp_dst:)");
            });
        }
        return out;
    }

    private static int indexOfSep(String tok) {
        int c = tok.indexOf(':');
        int e = tok.indexOf('=');
        if (c < 0) {
            return e;
        }
        return e < 0 ? c : Math.min(c, e);
    }

    // ---- values ---------------------------------------------------------------------------------

    private long port(String tok, String s) throws RulesParseException {
        if (s.equalsIgnoreCase("LOCAL")) {
            return 0;
        }
        long p = number(tok, s, 0xffff);
        if (p >= 0xffff) {
            throw error(tok, "port " + p + " is not a datapath port (0..65534)");
        }
        return p;
    }

    private long number(String tok, String s, long max) throws RulesParseException {
        long v;
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                v = Long.parseLong(s.substring(2), 16);
            } else {
                v = Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            throw error(tok, "\"" + s + "\" is not a number");
        }
        if (v < 0 || v > max) {
            throw error(tok, v + " is out of range 0.." + max);
        }
        return v;
    }

    private long mac(String tok, String s) throws RulesParseException {
        String[] parts = s.split(":", -1);
        if (parts.length != 6) {
            throw error(tok, "\"" + s + "\" is not an Ethernet address (xx:xx:xx:xx:xx:xx)");
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw error(tok, "\"" + s + "\" is not an Ethernet address (xx:xx:xx:xx:xx:xx)");
            }
            try {
                v = (v << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw error(tok, "\"" + s + "\" is not an Ethernet address (xx:xx:xx:xx:xx:xx)");
            }
        }
        return v;
    }

    private long ipv4(String tok, String s) throws RulesParseException {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw error(tok, "\"" + s + "\" is not an IPv4 address (a.b.c.d)");
        }
        long v = 0;
        for (String p : parts) {
            int b;
            try {
                b = p.isEmpty() || p.length() > 3 ? -1 : Integer.parseInt(p);
            } catch (NumberFormatException e) {
                b = -1;
            }
            if (b < 0 || b > 255) {
                throw error(tok, "\"" + s + "\" is not an IPv4 address (a.b.c.d)");
            }
            v = (v << 8) | b;
        }
        return v;
    }

    private long ipv4Mask(String tok, String s) throws RulesParseException {
        if (s.indexOf('.') >= 0) {
            return ipv4(tok, s);
        }
        long n;
        try {
            n = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error(tok, "\"" + s + "\" is not a prefix length or a dotted mask");
        }
        if (n < 0 || n > 32) {
            throw error(tok, "prefix length " + n + " is not in 0..32");
        }
        return n == 0 ? 0 : (0xffffffffL << (32 - n)) & 0xffffffffL;
    }

    /** A value of {@code f} as the rule syntax writes it. */
    static String formatValue(XlateField f, long v) {
        return switch (f) {
            case DL_SRC, DL_DST -> MacLearning.formatMac(v);
            case NW_SRC, NW_DST -> ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "."
                    + (v & 0xff);
            default -> Long.toString(v);
        };
    }
}
