package ovsj.cli.run;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ports of {@code ovsj run} ({@code --ports}): a comma-separated list of
 *
 * <pre>
 *   NAME:internal
 *   NAME:pcap:OPTION[,OPTION...]     OPTION: in=FILE  out=FILE  rate=PPS  loop
 * </pre>
 *
 * An item {@code NAME:TYPE...} starts a port; the items after a pcap port that are options
 * ({@code loop}, or {@code KEY=VALUE}) are its options. {@code in=FILE} is a classic pcap file replayed
 * into the port ({@code loop}: again and again), at {@code rate=PPS} packets per second (default: the
 * run's {@code --rate}; 0 = as fast as the datapath takes them); {@code out=FILE} receives the frames the
 * port transmits. A pcap port needs {@code in} or {@code out}. Two inputs are generated:
 * {@code in=@sources} (the hosts announcing themselves, then the flows) and {@code in=@destinations}
 * (the destination hosts announcing themselves; default rate: see {@link TrafficMix#destinationRate}).
 * Names are 1 to 15 characters of {@code [A-Za-z0-9_.-]}, each used once; file names cannot contain a
 * comma. The repeated option's lists are joined. Example, the default:
 * {@code p1:pcap:in=@sources,loop,p2:pcap:in=@destinations,loop,p3:internal}.
 */
public final class RunPorts {
    /** The generated sources' traffic. */
    public static final String SOURCES = "@sources";
    /** The generated destinations' announcements. */
    public static final String DESTINATIONS = "@destinations";
    /** The syntax, for help and errors. */
    public static final String SYNTAX = "NAME:internal | NAME:pcap:OPTION[,OPTION...], OPTION: in=FILE, out=FILE,"
            + " rate=PPS, loop";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final long U32 = 0xffff_ffffL;

    /** A port's type. */
    public enum Type {
        INTERNAL, PCAP;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One port.
     *
     * @param ratePps packets per second, or -1 for the run's default
     */
    public record Port(String name, Type type, String input, String output, long ratePps, boolean loop) {
        public static Port internal(String name) {
            return new Port(name, Type.INTERNAL, null, null, -1, false);
        }

        public static Port pcap(String name, String input, boolean loop) {
            return new Port(name, Type.PCAP, input, null, -1, loop);
        }

        /** Whether the input is one of the generated ones. */
        public boolean generated() {
            return SOURCES.equals(input) || DESTINATIONS.equals(input);
        }

        /** As {@code --ports} writes it. */
        public String text() {
            StringBuilder b = new StringBuilder(name).append(':').append(type.label());
            String sep = ":";
            if (input != null) {
                b.append(sep).append("in=").append(input);
                sep = ",";
            }
            if (output != null) {
                b.append(sep).append("out=").append(output);
                sep = ",";
            }
            if (ratePps >= 0) {
                b.append(sep).append("rate=").append(ratePps);
                sep = ",";
            }
            if (loop) {
                b.append(sep).append("loop");
            }
            return b.toString();
        }
    }

    private RunPorts() {
    }

    /** The ports without {@code --ports}: generated traffic on p1 and p2 (if any), p3 internal. */
    public static List<Port> defaults(boolean traffic, boolean loop) {
        if (!traffic) {
            return List.of(Port.internal("p1"), Port.internal("p2"), Port.internal("p3"));
        }
        return List.of(Port.pcap("p1", SOURCES, loop), Port.pcap("p2", DESTINATIONS, loop), Port.internal("p3"));
    }

    /** Parses the values of {@code --ports}; throws with a one-line reason. */
    public static List<Port> parse(List<String> specs) {
        List<Port> ports = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Builder cur = null;
        for (String spec : specs) {
            for (String item : spec.split(",", -1)) {
                String it = item.strip();
                if (it.isEmpty()) {
                    throw new IllegalArgumentException("empty item in '" + spec + "' (expected " + SYNTAX + ")");
                }
                if (isOption(it)) {
                    if (cur == null) {
                        throw new IllegalArgumentException("option '" + it + "' before any port (expected " + SYNTAX
                                + ")");
                    }
                    cur.option(it);
                    continue;
                }
                if (cur != null) {
                    ports.add(cur.build());
                }
                String[] f = it.split(":", 3);
                String name = f[0];
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("bad port name '" + name
                            + "' (1 to 15 characters of A-Z a-z 0-9 _ . -)");
                }
                if (!names.add(name)) {
                    throw new IllegalArgumentException("port '" + name + "' given twice");
                }
                if (f.length < 2 || f[1].isEmpty()) {
                    throw new IllegalArgumentException("port '" + name + "' has no type (internal or pcap)");
                }
                Type type = switch (f[1]) {
                    case "internal" -> Type.INTERNAL;
                    case "pcap" -> Type.PCAP;
                    default -> throw new IllegalArgumentException("port '" + name + "': unknown type '" + f[1]
                            + "' (internal or pcap)");
                };
                cur = new Builder(name, type);
                if (f.length == 3) {
                    cur.option(f[2]);
                }
            }
        }
        if (cur != null) {
            ports.add(cur.build());
        }
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("no ports (expected " + SYNTAX + ")");
        }
        return List.copyOf(ports);
    }

    /** {@code loop}, or {@code KEY=...} with no ':' in KEY. */
    private static boolean isOption(String item) {
        int eq = item.indexOf('=');
        int colon = item.indexOf(':');
        return item.equals("loop") || (eq >= 0 && (colon < 0 || eq < colon));
    }

    /**
     * Checks what can be checked before the datapath sees the ports: input files exist and are regular,
     * readable files; the generated inputs need traffic ({@code flows > 0}); no port takes the name of the
     * datapath's own (local) port. Throws with a one-line reason.
     */
    public static void check(List<Port> ports, int flows, String datapath) {
        for (Port p : ports) {
            if (p.name().equals(datapath)) {
                throw new IllegalArgumentException("port '" + p.name() + "': the datapath's local port has that name");
            }
            if (p.input() == null) {
                continue;
            }
            if (p.generated()) {
                if (flows == 0) {
                    throw new IllegalArgumentException("port '" + p.name() + "': in=" + p.input()
                            + " needs generated traffic (--flows above 0)");
                }
                continue;
            }
            Path in;
            try {
                in = Path.of(p.input());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("port '" + p.name() + "': bad file name '" + p.input() + "'");
            }
            if (!Files.isRegularFile(in) || !Files.isReadable(in)) {
                throw new IllegalArgumentException("port '" + p.name() + "': input file " + p.input()
                        + (Files.exists(in) ? " is not a readable file" : " does not exist"));
            }
        }
    }

    private static final class Builder {
        private final String name;
        private final Type type;
        private String input;
        private String output;
        private long rate = -1;
        private boolean loop;

        Builder(String name, Type type) {
            this.name = name;
            this.type = type;
        }

        void option(String opt) {
            if (type != Type.PCAP) {
                throw new IllegalArgumentException("port '" + name + "' is internal: '" + opt
                        + "' is a pcap port's option");
            }
            if (opt.equals("loop")) {
                if (loop) {
                    throw twice("loop");
                }
                loop = true;
                return;
            }
            int eq = opt.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("port '" + name + "': unknown option '" + opt
                        + "' (in=FILE, out=FILE, rate=PPS, loop)");
            }
            String key = opt.substring(0, eq);
            String value = opt.substring(eq + 1);
            switch (key) {
                case "in" -> {
                    if (input != null) {
                        throw twice(key);
                    }
                    input = file(key, value);
                }
                case "out" -> {
                    if (output != null) {
                        throw twice(key);
                    }
                    output = file(key, value);
                    if (output.startsWith("@")) {
                        throw new IllegalArgumentException("port '" + name + "': out=" + output
                                + ": only inputs are generated");
                    }
                }
                case "rate" -> {
                    if (rate >= 0) {
                        throw twice(key);
                    }
                    rate = rate(value);
                }
                default -> throw new IllegalArgumentException("port '" + name + "': unknown option '" + key
                        + "' (in=FILE, out=FILE, rate=PPS, loop)");
            }
        }

        private String file(String key, String value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("port '" + name + "': " + key + "= needs a file name");
            }
            if (value.startsWith("@") && !value.equals(SOURCES) && !value.equals(DESTINATIONS)) {
                throw new IllegalArgumentException("port '" + name + "': unknown generated input '" + value
                        + "' (" + SOURCES + " or " + DESTINATIONS + ")");
            }
            return value;
        }

        private long rate(String value) {
            long r = -1;
            if (!value.isEmpty() && value.length() <= 10 && value.chars().allMatch(Character::isDigit)) {
                r = Long.parseLong(value);
            }
            if (r < 0 || r > U32) {
                throw new IllegalArgumentException("port '" + name + "': rate=" + value
                        + " is not a packet rate (0 to 4294967295)");
            }
            return r;
        }

        private IllegalArgumentException twice(String key) {
            return new IllegalArgumentException("port '" + name + "': option '" + key + "' given twice");
        }

        Port build() {
            if (type == Type.PCAP && input == null && output == null) {
                throw new IllegalArgumentException("pcap port '" + name + "' needs in=FILE or out=FILE");
            }
            if (loop && input == null) {
                throw new IllegalArgumentException("port '" + name + "': loop needs in=FILE");
            }
            return new Port(name, type, input, output, rate, loop);
        }
    }
}
