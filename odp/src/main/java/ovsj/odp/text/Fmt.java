package ovsj.odp.text;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The field printers of {@code odp-util.c} ({@code format_u8u}, {@code format_u8x}, {@code format_be16},
 * {@code format_be16x}, {@code format_be64}, {@code format_ipv4}, {@code format_in6_addr},
 * {@code format_eth}, {@code format_ipv6_label}, {@code format_frag}, {@code format_u128}) and the C
 * number formats they use. A field is a value and an optional mask: {@code mb == null} means no mask
 * (print as exact); a zero mask is omitted unless verbose; a partial one is printed after a slash. Each
 * printer appends {@code name=value[/mask],}; callers chomp the last comma.
 */
final class Fmt {
    private Fmt() {
    }

    /** C {@code %#x}: "0" for zero, else "0x" and lower-case hex. */
    static String altHex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    static String hex0x(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String u32(int v) {
        return Integer.toUnsignedString(v);
    }

    /** {@code ds_chomp(ds, c)}. */
    static void chomp(StringBuilder ds, char c) {
        if (ds.length() > 0 && ds.charAt(ds.length() - 1) == c) {
            ds.setLength(ds.length() - 1);
        }
    }

    /** C {@code %.1f} of {@code v} (exact binary value, ties to even, as glibc rounds). */
    static String fixed1(double v) {
        return new BigDecimal(v).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }

    static boolean allBytes(byte[] b, int off, int len, int value) {
        for (int i = 0; i < len; i++) {
            if ((b[off + i] & 0xff) != value) {
                return false;
            }
        }
        return true;
    }

    static long be(byte[] b, int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    enum Style { DEC, ALT_HEX, HEX }

    /**
     * A numeric field of {@code len} big-endian bytes (1, 2, 4 or 8) at {@code kb[ko]}, mask at
     * {@code mb[mo]} (absent when {@code mb} is null), printed in {@code style} with the mask as {@code %#x}.
     */
    static void num(StringBuilder ds, String name, byte[] kb, int ko, byte[] mb, int mo, int len, Style style,
                    boolean verbose) {
        long key = be(kb, ko, len);
        Long mask = mb == null ? null : be(mb, mo, len);
        long full = len == 8 ? -1L : (1L << (8 * len)) - 1;
        numValue(ds, name, key, mask, full, style, verbose);
    }

    static void numValue(StringBuilder ds, String name, long key, Long mask, long full, Style style, boolean verbose) {
        boolean empty = mask != null && mask == 0;
        if (!verbose && empty) {
            return;
        }
        ds.append(name).append('=');
        ds.append(switch (style) {
            case DEC -> Long.toUnsignedString(key);
            case ALT_HEX -> altHex(key);
            case HEX -> hex0x(key);
        });
        if (mask != null && mask != full) {
            ds.append('/').append(altHex(mask));
        }
        ds.append(',');
    }

    static void ipv4(StringBuilder ds, String name, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        if (!verbose && mb != null && allBytes(mb, mo, 4, 0)) {
            return;
        }
        ds.append(name).append('=');
        Inet.ipv4(ds, kb, ko);
        if (mb != null && !allBytes(mb, mo, 4, 0xff)) {
            ds.append('/');
            Inet.ipv4(ds, mb, mo);
        }
        ds.append(',');
    }

    static void in6(StringBuilder ds, String name, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        if (!verbose && mb != null && allBytes(mb, mo, 16, 0)) {
            return;
        }
        ds.append(name).append('=');
        Inet.ipv6(ds, kb, ko);
        if (mb != null && !allBytes(mb, mo, 16, 0xff)) {
            ds.append('/');
            Inet.ipv6(ds, mb, mo);
        }
        ds.append(',');
    }

    static void eth(StringBuilder ds, String name, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        if (!verbose && mb != null && allBytes(mb, mo, 6, 0)) {
            return;
        }
        ds.append(name).append('=');
        Inet.mac(ds, kb, ko);
        if (mb != null && !allBytes(mb, mo, 6, 0xff)) {
            ds.append('/');
            Inet.mac(ds, mb, mo);
        }
        ds.append(',');
    }

    static void ipv6Label(StringBuilder ds, String name, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        long key = be(kb, ko, 4);
        Long mask = mb == null ? null : be(mb, mo, 4);
        if (!verbose && mask != null && mask == 0) {
            return;
        }
        ds.append(name).append('=').append(altHex(key));
        if (mask != null && (mask & 0xfffff) != 0xfffff) {
            ds.append('/').append(altHex(mask));
        }
        ds.append(',');
    }

    static String fragName(int type) {
        return switch (type) {
            case 0 -> "no";
            case 1 -> "first";
            case 2 -> "later";
            default -> "<error>";
        };
    }

    static void frag(StringBuilder ds, String name, byte[] kb, int ko, byte[] mb, int mo) {
        int mask = mb == null ? 0xff : mb[mo] & 0xff;
        if (mask != 0 && mask != 0xff) {
            ds.append("error: partial mask not supported for frag (").append(altHex(mask)).append("),");
        } else if (mask != 0) {
            ds.append(name).append('=').append(fragName(kb[ko] & 0xff)).append(',');
        }
    }

    /** {@code ds_put_hex}: "0x" and the bytes without leading zeros, "0" when all zero. */
    static void putHex(StringBuilder ds, byte[] b, int off, int len) {
        boolean printed = false;
        for (int i = 0; i < len; i++) {
            int v = b[off + i] & 0xff;
            if (v != 0 || printed) {
                if (!printed) {
                    ds.append("0x").append(Integer.toHexString(v));
                } else {
                    ds.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xf, 16));
                }
                printed = true;
            }
        }
        if (!printed) {
            ds.append('0');
        }
    }

    /** A host-order (little-endian) 128-bit value as big-endian bytes. */
    static byte[] u128be(byte[] b, int off) {
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            out[i] = b[off + 15 - i];
        }
        return out;
    }

    /** {@code format_u128} of host-order 128-bit values (conntrack labels). */
    static void u128(StringBuilder ds, byte[] kb, int ko, byte[] mb, int mo, boolean verbose) {
        boolean maskZero = mb == null || allBytes(mb, mo, 16, 0);
        if (verbose || (mb != null && !maskZero)) {
            putHex(ds, u128be(kb, ko), 0, 16);
            if (mb != null && !allBytes(mb, mo, 16, 0xff)) {
                ds.append('/');
                putHex(ds, u128be(mb, mo), 0, 16);
            }
        }
    }

    /** {@code %02x} of each byte, no separator. */
    static void hex(StringBuilder ds, byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            int v = b[off + i] & 0xff;
            ds.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xf, 16));
        }
    }

    /** {@code format_generic_odp_key}: the bytes in hex separated by spaces. */
    static void generic(StringBuilder ds, byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (i > 0) {
                ds.append(' ');
            }
            int v = b[off + i] & 0xff;
            ds.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xf, 16));
        }
    }
}
