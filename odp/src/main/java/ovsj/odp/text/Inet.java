package ovsj.odp.text;

/**
 * Address text as OVS writes and reads it: {@code IP_FMT}, {@code ETH_ADDR_FMT}, glibc's
 * {@code inet_ntop}/{@code inet_pton} for IPv6, and the scanners {@code IP_SCAN_FMT},
 * {@code ETH_ADDR_SCAN_FMT} and {@code IPV6_SCAN_FMT} (which wrap out-of-range octets the way
 * {@code ovs_scan} does).
 */
final class Inet {
    private Inet() {
    }

    static final String IP_SCAN = "%hhu.%hhu.%hhu.%hhu";
    static final String ETH_SCAN = "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx";
    static final String IPV6_SCAN = "%46[0123456789abcdefABCDEF:.]";

    static void ipv4(StringBuilder out, byte[] b, int off) {
        out.append(b[off] & 0xff).append('.').append(b[off + 1] & 0xff).append('.')
                .append(b[off + 2] & 0xff).append('.').append(b[off + 3] & 0xff);
    }

    static void mac(StringBuilder out, byte[] b, int off) {
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                out.append(':');
            }
            int v = b[off + i] & 0xff;
            out.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xf, 16));
        }
    }

    /** glibc {@code inet_ntop(AF_INET6)}: the longest run (first if tied) of 2+ zero words as "::". */
    static void ipv6(StringBuilder out, byte[] b, int off) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[off + 2 * i] & 0xff) << 8) | (b[off + 2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (w[i] == 0) {
                if (curBase < 0) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase >= 0) {
                if (bestBase < 0 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase >= 0 && bestLen < 2) {
            bestBase = -1;
        }
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    out.append(':');
                }
                continue;
            }
            if (i != 0) {
                out.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                out.append(b[off + 12] & 0xff).append('.').append(b[off + 13] & 0xff).append('.')
                        .append(b[off + 14] & 0xff).append('.').append(b[off + 15] & 0xff);
                return;
            }
            out.append(Integer.toHexString(w[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            out.append(':');
        }
    }

    static String ipv6(byte[] b, int off) {
        StringBuilder sb = new StringBuilder();
        ipv6(sb, b, off);
        return sb.toString();
    }

    /** glibc {@code inet_pton(AF_INET6)} into {@code dst[off, off+16)}; false if {@code s} is not an address. */
    static boolean ipv6Pton(String s, byte[] dst, int off) {
        byte[] tmp = new byte[16];
        int tp = 0;
        int colonp = -1;
        int i = 0;
        int n = s.length();
        if (n > 0 && s.charAt(0) == ':') {
            if (n < 2 || s.charAt(1) != ':') {
                return false;
            }
            i = 1;
        }
        int curtok = i;
        boolean sawXdigit = false;
        int val = 0;
        int digits = 0;
        while (i < n) {
            char ch = s.charAt(i++);
            int h = OvsScan.hexit(ch);
            if (h >= 0) {
                if (++digits > 4) {
                    return false;
                }
                val = (val << 4) | h;
                sawXdigit = true;
                continue;
            }
            if (ch == ':') {
                curtok = i;
                if (!sawXdigit) {
                    if (colonp >= 0) {
                        return false;
                    }
                    colonp = tp;
                    continue;
                } else if (i >= n) {
                    return false;
                }
                if (tp + 2 > 16) {
                    return false;
                }
                tmp[tp++] = (byte) (val >> 8);
                tmp[tp++] = (byte) val;
                sawXdigit = false;
                digits = 0;
                val = 0;
                continue;
            }
            if (ch == '.' && tp + 4 <= 16 && ipv4Pton(s.substring(curtok), tmp, tp)) {
                tp += 4;
                sawXdigit = false;
                break;
            }
            return false;
        }
        if (sawXdigit) {
            if (tp + 2 > 16) {
                return false;
            }
            tmp[tp++] = (byte) (val >> 8);
            tmp[tp++] = (byte) val;
        }
        if (colonp >= 0) {
            if (tp == 16) {
                return false;
            }
            int moved = tp - colonp;
            System.arraycopy(tmp, colonp, tmp, 16 - moved, moved);
            java.util.Arrays.fill(tmp, colonp, 16 - moved, (byte) 0);
            tp = 16;
        }
        if (tp != 16) {
            return false;
        }
        System.arraycopy(tmp, 0, dst, off, 16);
        return true;
    }

    /** glibc {@code inet_pton4}: four decimal octets, no leading zeros. */
    private static boolean ipv4Pton(String s, byte[] dst, int off) {
        int octets = 0;
        boolean sawDigit = false;
        int cur = 0;
        byte[] tmp = new byte[4];
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                int nv = cur * 10 + (ch - '0');
                if (sawDigit && cur == 0) {
                    return false;
                }
                if (nv > 255) {
                    return false;
                }
                cur = nv;
                if (!sawDigit) {
                    if (++octets > 4) {
                        return false;
                    }
                    sawDigit = true;
                }
                tmp[octets - 1] = (byte) cur;
            } else if (ch == '.' && sawDigit) {
                if (octets == 4) {
                    return false;
                }
                cur = 0;
                sawDigit = false;
            } else {
                return false;
            }
        }
        if (octets < 4) {
            return false;
        }
        System.arraycopy(tmp, 0, dst, off, 4);
        return true;
    }

    /** {@code IP_SCAN_FMT} at {@code pos} into {@code dst[off, off+4)}: the index after it, or -1. */
    static int scanIpv4(CharSequence s, int pos, byte[] dst, int off) {
        OvsScan.Result r = OvsScan.scan(s, pos, IP_SCAN);
        if (r == null) {
            return -1;
        }
        for (int i = 0; i < 4; i++) {
            dst[off + i] = (byte) r.l(i);
        }
        return r.end;
    }

    /** {@code ETH_ADDR_SCAN_FMT} at {@code pos} into {@code dst[off, off+6)}: the index after it, or -1. */
    static int scanMac(CharSequence s, int pos, byte[] dst, int off) {
        OvsScan.Result r = OvsScan.scan(s, pos, ETH_SCAN);
        if (r == null) {
            return -1;
        }
        for (int i = 0; i < 6; i++) {
            dst[off + i] = (byte) r.l(i);
        }
        return r.end;
    }

    /** {@code IPV6_SCAN_FMT} then {@code inet_pton}: the index after it, or -1. */
    static int scanIpv6(CharSequence s, int pos, byte[] dst, int off) {
        OvsScan.Result r = OvsScan.scan(s, pos, IPV6_SCAN);
        if (r == null || !ipv6Pton(r.s(0), dst, off)) {
            return -1;
        }
        return r.end;
    }
}
