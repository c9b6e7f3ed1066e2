package ovsj.odp.text;

import ovsj.netlink.Wire;

/**
 * UFID text ({@code odp_ufid_from_string}, {@code odp_format_ufid}): {@code ufid:} and a UUID
 * {@code 8-4-4-4-12} whose 16 bytes are four host-order (little-endian) 32-bit words, so raw bytes
 * {@code 12 34 56 78 ...} read {@code ufid:78563412-...}.
 */
public final class OdpUfid {
    /** Length of the UUID text after {@code ufid:}. */
    public static final int UUID_LEN = 36;

    private OdpUfid() {
    }

    /**
     * Parses a {@code ufid:} prefix of {@code s} into {@code out[0, 16)}: the characters consumed, 0 if
     * {@code s} does not start with {@code ufid:}, or -1 if the UUID after it is malformed.
     */
    public static int parse(CharSequence s, byte[] out) {
        if (!OvsScan.startsWith(s, 0, "ufid:")) {
            return 0;
        }
        int p = 5;
        int[] parts = new int[4];
        int nibbles = 0;
        for (int i = 0; i < UUID_LEN; i++) {
            char c = OvsScan.at(s, p + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return -1;
                }
                continue;
            }
            int h = OvsScan.hexit(c);
            if (h < 0) {
                return -1;
            }
            parts[nibbles / 8] = (parts[nibbles / 8] << 4) | h;
            nibbles++;
        }
        for (int i = 0; i < 4; i++) {
            Wire.putU32(out, i * 4, parts[i]);
        }
        return p + UUID_LEN;
    }

    /** {@code odp_format_ufid} of the 16 bytes at {@code buf[off]}. */
    public static void format(StringBuilder out, byte[] buf, int off) {
        int w0 = Wire.u32(buf, off);
        int w1 = Wire.u32(buf, off + 4);
        int w2 = Wire.u32(buf, off + 8);
        int w3 = Wire.u32(buf, off + 12);
        out.append("ufid:").append(hex(w0, 8)).append('-').append(hex(w1 >>> 16, 4)).append('-')
                .append(hex(w1 & 0xffff, 4)).append('-').append(hex(w2 >>> 16, 4)).append('-')
                .append(hex(w2 & 0xffff, 4)).append(hex(w3, 8));
    }

    private static String hex(int v, int digits) {
        String h = Integer.toHexString(v);
        return "0".repeat(Math.max(0, digits - h.length())) + h;
    }
}
