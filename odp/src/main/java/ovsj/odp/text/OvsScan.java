package ovsj.odp.text;

/**
 * The scanning primitives OVS's text parsers are built on, with their exact semantics: {@code ovs_scan}
 * (a {@code scanf} whose integer conversions accept {@code 0x} prefixes for {@code %x} and {@code %i},
 * never saturate but wrap to the destination width, and need at least one digit),
 * {@code parse_int_string} (a hex or decimal number into a big-endian byte field) and
 * {@code ofpbuf_put_hex}.
 *
 * <p>Supported conversions: {@code %d %i %u %x %o} with the length modifiers {@code hh h l ll}, {@code %lf},
 * {@code %[set]} (with a width), {@code %n} and {@code %%}. A space in the format matches any run of white
 * space (also none). Positions are indexes into the scanned string; past its end it reads as NUL.
 */
final class OvsScan {
    private OvsScan() {
    }

    /** The characters that may separate actions or key attributes ({@code delimiters}). */
    static final String DELIMITERS = ", \t\r\n";
    /** {@code delimiters_end}: the same and ')'. */
    static final String DELIMITERS_END = ", \t\r\n)";

    /** The conversions of one successful scan, in format order ({@code %n} included, relative to the start). */
    static final class Result {
        private final Object[] values = new Object[16];
        private int count;
        /** Index just after the last character the format consumed. */
        int end;

        private void add(Object o) {
            values[count++] = o;
        }

        long l(int i) {
            return (Long) values[i];
        }

        int i(int i) {
            return (int) (long) (Long) values[i];
        }

        double d(int i) {
            return (Double) values[i];
        }

        String s(int i) {
            return (String) values[i];
        }

        /** The last conversion as an int (the trailing {@code %n} of most formats). */
        int last() {
            return (int) (long) (Long) values[count - 1];
        }
    }

    static char at(CharSequence s, int i) {
        return i >= 0 && i < s.length() ? s.charAt(i) : '\0';
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    /** {@code strncmp(s + pos, prefix, strlen(prefix)) == 0}. */
    static boolean startsWith(CharSequence s, int pos, String prefix) {
        if (pos + prefix.length() > s.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (s.charAt(pos + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code strspn(s + pos, chars)}. */
    static int span(CharSequence s, int pos, String chars) {
        int n = 0;
        while (pos + n < s.length() && chars.indexOf(s.charAt(pos + n)) >= 0) {
            n++;
        }
        return n;
    }

    /** {@code strcspn(s + pos, chars)}. */
    static int cspan(CharSequence s, int pos, String chars) {
        int n = 0;
        while (pos + n < s.length() && chars.indexOf(s.charAt(pos + n)) < 0) {
            n++;
        }
        return n;
    }

    static int hexit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** {@code ovs_scan(s + pos, fmt, ...)}: the conversions, or null if the format did not match. */
    static Result scan(CharSequence s, int pos, String fmt) {
        Result r = new Result();
        int p = pos;
        int f = 0;
        while (f < fmt.length()) {
            char c = fmt.charAt(f);
            if (isSpace(c)) {
                while (isSpace(at(s, p))) {
                    p++;
                }
                f++;
                continue;
            }
            if (c != '%') {
                if (at(s, p) != c) {
                    return null;
                }
                p++;
                f++;
                continue;
            }
            f++;
            if (fmt.charAt(f) == '%') {
                if (at(s, p) != '%') {
                    return null;
                }
                p++;
                f++;
                continue;
            }
            int width = Integer.MAX_VALUE;
            if (Character.isDigit(fmt.charAt(f))) {
                width = 0;
                while (Character.isDigit(fmt.charAt(f))) {
                    width = width * 10 + fmt.charAt(f++) - '0';
                }
            }
            int bits = 32;
            if (fmt.startsWith("hh", f)) {
                bits = 8;
                f += 2;
            } else if (fmt.charAt(f) == 'h') {
                bits = 16;
                f++;
            } else if (fmt.startsWith("ll", f)) {
                bits = 64;
                f += 2;
            } else if (fmt.charAt(f) == 'l') {
                bits = 64;
                f++;
            }
            char conv = fmt.charAt(f++);
            if (conv == 'n') {
                r.add((long) (p - pos));
                continue;
            }
            if (conv == '[') {
                int close = fmt.indexOf(']', f + 1);
                String set = fmt.substring(f, close);
                f = close + 1;
                int start = p;
                while (p - start < width && at(s, p) != '\0' && inSet(set, at(s, p))) {
                    p++;
                }
                if (p == start) {
                    return null;
                }
                r.add(s.subSequence(start, p).toString());
                continue;
            }
            while (isSpace(at(s, p))) {
                p++;
            }
            if (conv == 'f') {
                int end = scanFloat(s, p, width);
                if (end < 0) {
                    return null;
                }
                r.add(Double.parseDouble(s.subSequence(p, end).toString()));
                p = end;
                continue;
            }
            int base = switch (conv) {
                case 'd', 'u' -> 10;
                case 'x', 'X' -> 16;
                case 'o' -> 8;
                case 'i' -> 0;
                default -> throw new IllegalArgumentException("conversion %" + conv);
            };
            long[] value = new long[1];
            int end = scanInt(s, p, base, width, value);
            if (end < 0) {
                return null;
            }
            long v = value[0];
            r.add(bits == 64 ? v : v & ((1L << bits) - 1));
            p = end;
        }
        r.end = p;
        return r;
    }

    private static boolean inSet(String set, char c) {
        boolean negate = set.startsWith("^");
        int i = negate ? 1 : 0;
        boolean found = false;
        for (; i < set.length(); i++) {
            char a = set.charAt(i);
            if (i + 2 < set.length() && set.charAt(i + 1) == '-') {
                if (c >= a && c <= set.charAt(i + 2)) {
                    found = true;
                }
                i += 2;
            } else if (a == c) {
                found = true;
            }
        }
        return found != negate;
    }

    /** OVS's {@code scan_int}: the end of the number, or -1. */
    private static int scanInt(CharSequence s, int pos, int base, int width, long[] out) {
        int p = pos;
        boolean negative = at(s, p) == '-';
        if (at(s, p) == '-' || at(s, p) == '+') {
            p++;
        }
        if ((base == 0 || base == 16) && at(s, p) == '0' && (at(s, p + 1) == 'x' || at(s, p + 1) == 'X')) {
            base = 16;
            p += 2;
        } else if (base == 0) {
            base = at(s, p) == '0' ? 8 : 10;
        }
        if (p - pos >= width) {
            return -1;
        }
        long value = 0;
        int digits = 0;
        while (p - pos < width) {
            int d = hexit(at(s, p));
            if (d < 0 || d >= base) {
                break;
            }
            value = value * base + d;
            digits++;
            p++;
        }
        if (digits == 0) {
            return -1;
        }
        out[0] = negative ? -value : value;
        return p;
    }

    /** OVS's {@code scan_float}: the end of the number, or -1. */
    private static int scanFloat(CharSequence s, int pos, int width) {
        int p = pos;
        if (at(s, p) == '+' || at(s, p) == '-') {
            p++;
        }
        int digits = span(s, p, "0123456789");
        p += digits;
        if (at(s, p) == '.') {
            p++;
            int frac = span(s, p, "0123456789");
            digits += frac;
            p += frac;
        }
        if (digits == 0) {
            return -1;
        }
        if (at(s, p) == 'e' || at(s, p) == 'E') {
            int q = p + 1;
            if (at(s, q) == '+' || at(s, q) == '-') {
                q++;
            }
            int exp = span(s, q, "0123456789");
            if (exp > 0) {
                p = q + exp;
            }
        }
        return p - pos > width ? pos + width : p;
    }

    /**
     * {@code parse_int_string}: a {@code 0x} hex string (white space between digits allowed) or a
     * {@code strtoull} number into the big-endian {@code field}; the index after it, or -1 on error.
     */
    static int parseIntString(CharSequence s, int pos, byte[] field) {
        int width = field.length;
        java.util.Arrays.fill(field, (byte) 0);
        if (at(s, pos) == '0' && (at(s, pos + 1) == 'x' || at(s, pos + 1) == 'X')) {
            int p = pos + 2;
            StringBuilder hex = new StringBuilder();
            for (;;) {
                p += span(s, p, " \t\r\n");
                int h = hexit(at(s, p));
                if (h < 0) {
                    break;
                }
                if (h != 0 || hex.length() > 0) {
                    if ((hex.length() + 2) / 2 > width) {
                        return -1;
                    }
                    hex.append(at(s, p));
                }
                p++;
            }
            int idx = width;
            for (int i = hex.length() - 1; i >= 0; i -= 2) {
                idx--;
                int v = hexit(hex.charAt(i));
                if (i > 0) {
                    v += hexit(hex.charAt(i - 1)) << 4;
                }
                field[idx] = (byte) v;
            }
            return p;
        }
        // strtoull(s, &tail, 0)
        int p = pos;
        while (isSpace(at(s, p))) {
            p++;
        }
        boolean negative = at(s, p) == '-';
        if (at(s, p) == '-' || at(s, p) == '+') {
            p++;
        }
        int base = 10;
        if (at(s, p) == '0' && (at(s, p + 1) == 'x' || at(s, p + 1) == 'X') && hexit(at(s, p + 2)) >= 0) {
            base = 16;
            p += 2;
        } else if (at(s, p) == '0') {
            base = 8;
        }
        java.math.BigInteger v = java.math.BigInteger.ZERO;
        int start = p;
        while (hexit(at(s, p)) >= 0 && hexit(at(s, p)) < base) {
            v = v.multiply(java.math.BigInteger.valueOf(base)).add(java.math.BigInteger.valueOf(hexit(at(s, p))));
            p++;
        }
        if (p == start) {
            return -1;
        }
        if (v.bitLength() > 64) {
            return -1; // ERANGE
        }
        long value = negative ? -v.longValue() : v.longValue();
        for (int i = width - 1; i >= 0; i--) {
            field[i] = (byte) value;
            value >>>= 8;
        }
        return p;
    }

    /** {@code ofpbuf_put_hex}: pairs of hex digits (white space between pairs allowed); the index after them. */
    static int putHex(CharSequence s, int pos, java.io.ByteArrayOutputStream out) {
        int p = pos;
        for (;;) {
            p += span(s, p, " \t\r\n");
            int hi = hexit(at(s, p));
            int lo = hexit(at(s, p + 1));
            if (hi < 0 || lo < 0) {
                return p;
            }
            out.write((hi << 4) | lo);
            p += 2;
        }
    }
}
