package ovsj.odp.text;

import java.util.function.IntFunction;

/**
 * Named bit flags as OVS prints and parses them ({@code format_flags}, {@code format_flags_masked},
 * {@code parse_flags} of {@code lib/flow.c}), and the name tables they use: TCP flags
 * ({@code packet_tcp_flag_to_string}), conntrack state ({@code odp_ct_state_to_string}), tunnel flags
 * ({@code flow_tun_flag_to_string}) and slow-path reasons.
 */
final class Flags {
    private Flags() {
    }

    static final int TCP_FLAGS_MASK = 0x0fff;
    static final int TUN_F_DONT_FRAGMENT = 1 << 0;
    static final int TUN_F_CSUM = 1 << 1;
    static final int TUN_F_KEY = 1 << 2;
    static final int TUN_F_OAM = 1 << 3;
    static final int TUN_F_MASK = 0xf;
    static final int CT_STATE_MASK = 0xff;
    static final int SLOW_PATH_MASK = 0x7f;

    static String tcpFlag(int bit) {
        return switch (bit) {
            case 0x001 -> "fin";
            case 0x002 -> "syn";
            case 0x004 -> "rst";
            case 0x008 -> "psh";
            case 0x010 -> "ack";
            case 0x020 -> "urg";
            case 0x040 -> "ece";
            case 0x080 -> "cwr";
            case 0x100 -> "ns";
            case 0x200 -> "[200]";
            case 0x400 -> "[400]";
            case 0x800 -> "[800]";
            default -> null;
        };
    }

    static String ctState(int bit) {
        return switch (bit) {
            case 0x01 -> "new";
            case 0x02 -> "est";
            case 0x04 -> "rel";
            case 0x08 -> "rpl";
            case 0x10 -> "inv";
            case 0x20 -> "trk";
            case 0x40 -> "snat";
            case 0x80 -> "dnat";
            default -> null;
        };
    }

    static String tunFlag(int bit) {
        return switch (bit) {
            case TUN_F_DONT_FRAGMENT -> "df";
            case TUN_F_CSUM -> "csum";
            case TUN_F_KEY -> "key";
            case TUN_F_OAM -> "oam";
            default -> null;
        };
    }

    static String slowPath(int bit) {
        return switch (bit) {
            case 0x01 -> "cfm";
            case 0x02 -> "bfd";
            case 0x04 -> "lacp";
            case 0x08 -> "stp";
            case 0x10 -> "lldp";
            case 0x20 -> "action";
            case 0x40 -> "match";
            default -> null;
        };
    }

    /** {@code format_flags}: names of the set bits, lowest first, joined by {@code del}; "0" for none. */
    static void format(StringBuilder out, IntFunction<String> names, int flags, char del) {
        if (flags == 0) {
            out.append('0');
            return;
        }
        int bad = 0;
        int start = out.length();
        while (flags != 0) {
            int bit = flags & -flags;
            String s = names.apply(bit);
            if (s != null) {
                out.append(s).append(del);
            } else {
                bad |= bit;
            }
            flags &= ~bit;
        }
        if (bad != 0) {
            out.append("0x").append(Integer.toHexString(bad)).append(del);
        }
        if (out.length() > start && out.charAt(out.length() - 1) == del) {
            out.setLength(out.length() - 1);
        }
    }

    /** {@code format_flags_masked} without a name: "+a-b" for the masked bits, or as {@link #format}. */
    static void formatMasked(StringBuilder out, IntFunction<String> names, int flags, int mask, int maxMask) {
        if (mask == maxMask) {
            format(out, names, flags, '|');
            return;
        }
        if (mask == 0) {
            out.append("0/0");
            return;
        }
        while (mask != 0) {
            int bit = mask & -mask;
            String s = names.apply(bit);
            out.append((flags & bit) != 0 ? '+' : '-').append(s != null ? s : "[Unknown]");
            mask &= ~bit;
        }
    }

    /**
     * {@code parse_flags} at {@code pos} up to the character {@code end}: "0x12/0xff", "+a-b" (masked,
     * only when {@code res} has room for a mask) or "a|b|0x4" (unmasked, mask all ones). Stores flags in
     * {@code res[0]} and the mask in {@code res[1]}; returns the characters consumed or -1.
     */
    static int parse(CharSequence s, int pos, IntFunction<String> names, char end, int allowed, long[] res,
                     boolean masked) {
        if (masked) {
            OvsScan.Result r = OvsScan.scan(s, pos, "%i/%i%n");
            if (r != null && r.l(2) > 0) {
                if ((r.l(0) & ~(allowed & 0xffffffffL)) != 0 || (r.l(1) & ~(allowed & 0xffffffffL)) != 0) {
                    return -1;
                }
                res[0] = r.l(0);
                res[1] = r.l(1);
                return r.i(2);
            }
        }
        int n = 0;
        char c0 = OvsScan.at(s, pos);
        if (masked && (c0 == '+' || c0 == '-')) {
            long flags = 0;
            long mask = 0;
            while (OvsScan.at(s, pos + n) != end) {
                char c = OvsScan.at(s, pos + n);
                boolean set;
                if (c == '+') {
                    set = true;
                } else if (c == '-') {
                    set = false;
                } else {
                    return -1;
                }
                n++;
                int len = 0;
                long found = 0;
                for (long bit = 1; bit <= 0x80000000L; bit <<= 1) {
                    String name = names.apply((int) bit);
                    if (name == null) {
                        continue;
                    }
                    len = name.length();
                    char after = OvsScan.at(s, pos + n + len);
                    if (!OvsScan.startsWith(s, pos + n, name) || (after != '+' && after != '-' && after != end)) {
                        continue;
                    }
                    if ((mask & bit) != 0 || (bit & allowed) == 0) {
                        return -1;
                    }
                    found = bit;
                    break;
                }
                if (found == 0) {
                    return -1;
                }
                if (set) {
                    flags |= found;
                }
                mask |= found;
                n += len;
            }
            res[0] = flags;
            res[1] = mask;
            return n;
        }
        long result = 0;
        while (OvsScan.at(s, pos + n) != end) {
            OvsScan.Result r = OvsScan.scan(s, pos + n, "%lli%n");
            if (r != null) {
                if ((r.l(0) & ~(allowed & 0xffffffffL)) != 0) {
                    return -1;
                }
                n += r.i(1);
                n += OvsScan.at(s, pos + n) == '|' ? 1 : 0;
                result |= r.l(0);
                continue;
            }
            long found = 0;
            for (long bit = 1; bit <= 0x80000000L; bit <<= 1) {
                String name = names.apply((int) bit);
                if (name == null) {
                    continue;
                }
                char after = OvsScan.at(s, pos + n + name.length());
                if (OvsScan.startsWith(s, pos + n, name) && (after == '|' || after == end)) {
                    if ((bit & allowed) == 0) {
                        return -1;
                    }
                    result |= bit;
                    n += name.length() + (after == '|' ? 1 : 0);
                    found = bit;
                    break;
                }
            }
            if (found == 0) {
                return -1;
            }
        }
        res[0] = result;
        res[1] = 0xffffffffL;
        return n;
    }
}
