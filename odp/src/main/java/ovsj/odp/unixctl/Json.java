package ovsj.odp.unixctl;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON that OVS's {@code lib/json.c} reads and writes, for the unixctl protocol. Values are
 * {@link String}, {@link Long} (an integer that fits in 64 bits), {@link Double} (any other number),
 * {@link Boolean}, {@link #NULL}, {@code List<Object>} and {@code Map<String, Object>} (insertion
 * order).
 *
 * <p>It follows OVS where OVS is stricter than RFC 8259, because a message that OVS's parser refuses
 * must be refused here too: no NUL in strings (raw or {@code \u0000}), no raw control characters in
 * strings, no leading zeros, numbers must fit in a double, input must be valid UTF-8, nesting at most
 * 1000 deep. A number that is integral after its exponent is applied is an integer ({@code 1.5e3} is
 * {@code 1500}), as in {@code json_lex_number}. The writer prints compactly like {@code json_to_ds}
 * with no flags: integers in decimal, reals as {@code %.15g}, strings with only {@code "}, {@code \},
 * and control characters escaped (everything else, {@code /} and non-ASCII included, verbatim).
 */
public final class Json {
    /** JSON {@code null} (Java null is not a value, so that a map can say "absent"). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** OVS's {@code JSON_MAX_DEPTH}. */
    static final int MAX_DEPTH = 1000;

    private Json() {
    }

    /** Input that is not JSON as OVS reads it; the message says why, like OVS's parser errors. */
    public static final class ParseException extends Exception {
        ParseException(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------------------------ reading

    /** Parses exactly one JSON value (surrounding whitespace allowed) from UTF-8 bytes. */
    public static Object parse(byte[] buf, int off, int len) throws ParseException {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, off, len));
        } catch (CharacterCodingException e) {
            throw new ParseException("invalid UTF-8 in input");
        }
        String text = chars.toString();
        // Refuse too-deep input before descending: the recursive reader must never meet a depth
        // its thread's stack cannot hold, whatever the JIT has compiled by then.
        if (maxDepth(text) > MAX_DEPTH) {
            throw new ParseException("input exceeds maximum nesting depth " + MAX_DEPTH);
        }
        if (maxDepth(text) <= SHALLOW_DEPTH) {
            return read(text);
        }
        // Deep (but allowed) nesting: the recursive reader gets a thread whose stack surely holds
        // MAX_DEPTH levels, interpreted or compiled. Real unixctl messages never come here.
        Object[] out = new Object[1];
        ParseException[] err = new ParseException[1];
        Thread t = new Thread(null, () -> {
            try {
                out[0] = read(text);
            } catch (ParseException e) {
                err[0] = e;
            }
        }, "json-deep", DEEP_STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParseException("interrupted");
        }
        if (err[0] != null) {
            throw err[0];
        }
        return out[0];
    }

    /** Nesting up to which the caller's own stack is used. */
    private static final int SHALLOW_DEPTH = 64;
    /** Stack for deeply nested input: far more than MAX_DEPTH recursive levels need. */
    private static final long DEEP_STACK_BYTES = 64L << 20;

    private static Object read(String text) throws ParseException {
        Reader r = new Reader(text);
        r.skipSpace();
        Object v = r.value(0);
        r.skipSpace();
        if (r.pos != r.s.length()) {
            throw r.error("trailing garbage at end of input");
        }
        return v;
    }

    /** The deepest nesting of arrays and objects in {@code s}, brackets inside strings not counted. */
    static int maxDepth(String s) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                max = Math.max(max, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return max;
    }

    public static Object parse(String s) throws ParseException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length);
    }

    private static final class Reader {
        final String s;
        int pos;

        Reader(String s) {
            this.s = s;
        }

        ParseException error(String what) {
            return new ParseException("column " + pos + ": " + what);
        }

        void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        char peek() throws ParseException {
            if (pos >= s.length()) {
                throw error("unexpected end of input");
            }
            return s.charAt(pos);
        }

        void expect(char c) throws ParseException {
            if (peek() != c) {
                throw error("syntax error: expected '" + c + "'");
            }
            pos++;
        }

        Object value(int depth) throws ParseException {
            if (depth >= MAX_DEPTH) {
                throw error("input exceeds maximum nesting depth " + MAX_DEPTH);
            }
            char c = peek();
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", NULL);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("syntax error at beginning of input");
            }
        }

        Object literal(String word, Object v) throws ParseException {
            if (!s.startsWith(word, pos)) {
                throw error("invalid keyword");
            }
            pos += word.length();
            return v;
        }

        Map<String, Object> object(int depth) throws ParseException {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return m;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("syntax error parsing object expecting string");
                }
                String name = string();
                skipSpace();
                expect(':');
                skipSpace();
                m.put(name, value(depth + 1)); // a repeated name replaces, as json_object_put does
                skipSpace();
                char c = peek();
                pos++;
                if (c == '}') {
                    return m;
                } else if (c != ',') {
                    throw error("syntax error expecting '}' or ','");
                }
            }
        }

        List<Object> array(int depth) throws ParseException {
            List<Object> a = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return a;
            }
            while (true) {
                skipSpace();
                a.add(value(depth + 1));
                skipSpace();
                char c = peek();
                pos++;
                if (c == ']') {
                    return a;
                } else if (c != ',') {
                    throw error("syntax error expecting ']' or ','");
                }
            }
        }

        String string() throws ParseException {
            pos++; // opening quote
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') {
                    return b.toString();
                } else if (c == 0) {
                    throw error("null bytes not supported in quoted strings");
                } else if (c < 0x20) {
                    throw error(String.format("U+%04X must be escaped in quoted string", (int) c));
                } else if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = peek();
                pos++;
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        int cp = hex4();
                        if (cp == 0) {
                            throw error("null bytes not supported in quoted strings");
                        }
                        if (Character.isHighSurrogate((char) cp)) {
                            if (!s.startsWith("\\u", pos)) {
                                throw error("malformed escaped surrogate pair");
                            }
                            pos += 2;
                            int lo = hex4();
                            if (!Character.isLowSurrogate((char) lo)) {
                                throw error("second half of escaped surrogate pair is not trailing surrogate");
                            }
                            b.append((char) cp).append((char) lo);
                        } else if (Character.isLowSurrogate((char) cp)) {
                            throw error("invalid UTF-16 surrogate");
                        } else {
                            b.append((char) cp);
                        }
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        int hex4() throws ParseException {
            if (pos + 4 > s.length()) {
                throw error("quoted string ends within \\u escape");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(s.charAt(pos + i), 16);
                if (d < 0) {
                    throw error("malformed \\u escape");
                }
                v = v << 4 | d;
            }
            pos += 4;
            return v;
        }

        Object number() throws ParseException {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            int intStart = pos;
            digits();
            if (pos == intStart) {
                throw error("'-' must be followed by digit");
            }
            if (s.charAt(intStart) == '0' && pos - intStart > 1) {
                throw error("leading zeros not allowed");
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                int f = pos;
                digits();
                if (pos == f) {
                    throw error("decimal point must be followed by digit");
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                int x = pos;
                digits();
                if (pos == x) {
                    throw error("exponent must contain at least one digit");
                }
            }
            if (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) {
                throw error("syntax error in number");
            }
            String text = s.substring(start, pos);
            BigDecimal d;
            try {
                d = new BigDecimal(text);
            } catch (NumberFormatException | ArithmeticException e) {
                throw error("number outside valid range");
            }
            // An integral value that fits is an integer, whatever its spelling.
            BigDecimal stripped = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
            if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 19) {
                try {
                    return stripped.longValueExact();
                } catch (ArithmeticException e) {
                    // does not fit: a real
                }
            }
            double v = d.doubleValue();
            if (Double.isInfinite(v)) {
                throw error("number outside valid range");
            }
            return v;
        }

        void digits() {
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
        }
    }

    // ------------------------------------------------------------------------------------ writing

    /** The compact text of {@code v}, as {@code json_to_string(v, 0)} would print it. */
    public static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(v, b);
        return b.toString();
    }

    public static void write(Object v, StringBuilder b) {
        if (v == null || v == NULL) {
            b.append("null");
        } else if (v instanceof String str) {
            writeString(str, b);
        } else if (v instanceof Long || v instanceof Integer) {
            b.append(((Number) v).longValue());
        } else if (v instanceof Double dbl) {
            b.append(formatReal(dbl));
        } else if (v instanceof Boolean bool) {
            b.append(bool ? "true" : "false");
        } else if (v instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                write(list.get(i), b);
            }
            b.append(']');
        } else if (v instanceof Map<?, ?> map) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                writeString((String) e.getKey(), b);
                b.append(':');
                write(e.getValue(), b);
            }
            b.append('}');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    /** {@code json_serialize_string}: escapes only what JSON requires. */
    static void writeString(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** C's {@code printf("%.15g", v)} ({@code DBL_DIG} digits), which OVS uses for reals. */
    static String formatReal(double v) {
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(15, RoundingMode.HALF_EVEN));
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 15) {
            BigDecimal mant = d.movePointLeft(exp).stripTrailingZeros();
            String m = mant.scale() <= 0 ? mant.toBigInteger().toString() : mant.toPlainString();
            String e = Integer.toString(Math.abs(exp));
            return m + "e" + (exp < 0 ? '-' : '+') + (e.length() < 2 ? "0" + e : e);
        }
        BigDecimal plain = d.stripTrailingZeros();
        return plain.scale() < 0 ? plain.toBigInteger().toString() : plain.toPlainString();
    }
}
