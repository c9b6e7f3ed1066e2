package ovsj.odp.text;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Datapath port numbers and their names, both ways: the formatter's {@code portno_names} ({@code --names}:
 * {@code in_port(p1)}, {@code actions:p2}) and the parser's {@code port_names} ({@code in_port(p1)} in a
 * match). Port numbers are unsigned 32-bit values held in an {@code int}.
 */
public final class PortNames {
    private final Map<Integer, String> byNumber;
    private final Map<String, Integer> byName;

    private PortNames(Map<Integer, String> byNumber) {
        this.byNumber = Collections.unmodifiableMap(new LinkedHashMap<>(byNumber));
        Map<String, Integer> names = new LinkedHashMap<>();
        byNumber.forEach((k, v) -> names.putIfAbsent(v, k));
        this.byName = Collections.unmodifiableMap(names);
    }

    /** Names keyed by port number. */
    public static PortNames of(Map<Integer, String> byNumber) {
        return new PortNames(byNumber);
    }

    /** The name of port {@code port}, or null if it has none. */
    public String name(int port) {
        return byNumber.get(port);
    }

    /** The number of the port named {@code name}, or null if there is none. */
    public Integer number(String name) {
        return byName.get(name);
    }

    /** {@code odp_portno_name_format}: the port's name if known, else its unsigned number. */
    static void format(StringBuilder out, PortNames names, int port) {
        String n = names == null ? null : names.name(port);
        if (n != null) {
            out.append(n);
        } else {
            out.append(Integer.toUnsignedString(port));
        }
    }
}
