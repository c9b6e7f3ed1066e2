package ovsj.odp.text;

import ovsj.netlink.Wire;

/**
 * The value scanners of {@code odp-util.c} ({@code scan_u8}, {@code scan_u16}, {@code scan_u32},
 * {@code scan_be16}, {@code scan_be32}, {@code scan_be64}, {@code scan_ipv4}, {@code scan_in6_addr},
 * {@code scan_eth}, {@code scan_ipv6_label}, {@code scan_frag}, {@code scan_u128}, {@code scan_tcp_flags},
 * {@code scan_ct_state}, the VLAN and MPLS bit-field scanners and {@code scan_port}). Each reads a value at
 * {@code s[p]}, stores it at {@code k[off]} and, if {@code m} is not null, a mask (after a slash, else all
 * ones over the field) at {@code m[off]}; it returns the characters consumed, 0 if there is no valid value.
 */
final class KeyScan {
    private KeyScan() {
    }

    /** A field scanner. */
    @FunctionalInterface
    interface Scanner {
        int scan(String s, int p, byte[] k, byte[] m, int off);
    }

    /** An integer field of {@code bytes} bytes, {@code %i} syntax; big-endian or host (little-endian) order. */
    static Scanner integer(int bytes, boolean bigEndian) {
        String conv = switch (bytes) {
            case 1 -> "%hhi";
            case 2 -> "%hi";
            case 4 -> "%i";
            default -> "%lli";
        };
        return (s, p, k, m, off) -> {
            OvsScan.Result r = OvsScan.scan(s, p, conv);
            if (r == null) {
                return 0;
            }
            put(k, off, bytes, bigEndian, r.l(0));
            int len = r.end - p;
            if (m != null) {
                OvsScan.Result rm = OvsScan.scan(s, p + len, "/" + conv);
                if (rm != null) {
                    put(m, off, bytes, bigEndian, rm.l(0));
                    len = rm.end - p;
                } else {
                    put(m, off, bytes, bigEndian, -1L);
                }
            }
            return len;
        };
    }

    static void put(byte[] b, int off, int bytes, boolean bigEndian, long v) {
        for (int i = 0; i < bytes; i++) {
            int shift = 8 * (bigEndian ? bytes - 1 - i : i);
            b[off + i] = (byte) (v >>> shift);
        }
    }

    static final Scanner U8 = integer(1, true);
    static final Scanner U16 = integer(2, false);
    static final Scanner U32 = integer(4, false);
    static final Scanner BE16 = integer(2, true);
    static final Scanner BE32 = integer(4, true);
    static final Scanner BE64 = integer(8, true);

    /** An address scanner: key with {@code scan}, mask after "/" or all ones. */
    private static Scanner address(int size, AddrScan scan) {
        return (s, p, k, m, off) -> {
            int end = scan.scan(s, p, k, off);
            if (end < 0) {
                return 0;
            }
            if (m != null) {
                int me = OvsScan.at(s, end) == '/' ? scan.scan(s, end + 1, m, off) : -1;
                if (me >= 0) {
                    end = me;
                } else {
                    java.util.Arrays.fill(m, off, off + size, (byte) 0xff);
                }
            }
            return end - p;
        };
    }

    @FunctionalInterface
    private interface AddrScan {
        int scan(CharSequence s, int pos, byte[] dst, int off);
    }

    static final Scanner IPV4 = address(4, Inet::scanIpv4);
    static final Scanner IN6 = address(16, Inet::scanIpv6);
    static final Scanner ETH = address(6, Inet::scanMac);

    /** {@code scan_ipv6_label}: a 20-bit flow label (key and mask). */
    static final Scanner IPV6_LABEL = (s, p, k, m, off) -> {
        OvsScan.Result r = OvsScan.scan(s, p, "%i");
        if (r == null || (r.l(0) & ~0xfffffL) != 0) {
            return 0;
        }
        Wire.putBe32(k, off, (int) r.l(0));
        int len = r.end - p;
        if (m != null) {
            OvsScan.Result rm = OvsScan.scan(s, r.end, "/%i");
            if (rm != null && (rm.l(0) & ~0xfffffL) == 0) {
                Wire.putBe32(m, off, (int) rm.l(0));
                len = rm.end - p;
            } else {
                Wire.putBe32(m, off, 0xfffff);
            }
        }
        return len;
    };

    /** {@code scan_frag}: {@code no}, {@code first} or {@code later}; never masked. */
    static final Scanner FRAG = (s, p, k, m, off) -> {
        OvsScan.Result r = OvsScan.scan(s, p, "%7[a-z]");
        if (r == null) {
            return 0;
        }
        int type = switch (r.s(0).toLowerCase(java.util.Locale.ROOT)) {
            case "no" -> 0;
            case "first" -> 1;
            case "later" -> 2;
            default -> -1;
        };
        if (type < 0) {
            return 0;
        }
        k[off] = (byte) type;
        if (m != null) {
            m[off] = (byte) 0xff;
        }
        return r.end - p;
    };

    /** {@code scan_u128}: a 128-bit number stored in host order (conntrack labels). */
    static final Scanner U128 = (s, p, k, m, off) -> {
        byte[] be = new byte[16];
        int end = OvsScan.parseIntString(s, p, be);
        if (end < 0) {
            return 0;
        }
        reverseInto(be, k, off);
        if (m != null) {
            if (OvsScan.at(s, end) == '/') {
                end = OvsScan.parseIntString(s, end + 1, be);
                if (end < 0) {
                    return 0;
                }
                reverseInto(be, m, off);
            } else {
                java.util.Arrays.fill(m, off, off + 16, (byte) 0xff);
            }
        }
        return end - p;
    };

    private static void reverseInto(byte[] be, byte[] dst, int off) {
        for (int i = 0; i < 16; i++) {
            dst[off + i] = be[15 - i];
        }
    }

    /** {@code scan_tcp_flags}: named or numeric TCP flags, big-endian. */
    static final Scanner TCP_FLAGS = (s, p, k, m, off) -> {
        long[] res = new long[2];
        int n = Flags.parse(s, p, Flags::tcpFlag, ')', Flags.TCP_FLAGS_MASK, res, m != null);
        if (n < 0) {
            return 0;
        }
        Wire.putBe16(k, off, (int) res[0]);
        if (m != null) {
            Wire.putBe16(m, off, (int) res[1]);
        }
        return n;
    };

    /** {@code scan_ct_state}: conntrack state flags, host order. */
    static final Scanner CT_STATE = (s, p, k, m, off) -> {
        long[] res = new long[2];
        int n = Flags.parse(s, p, Flags::ctState, ')', Flags.CT_STATE_MASK, res, m != null);
        if (n < 0) {
            return 0;
        }
        Wire.putU32(k, off, (int) res[0]);
        if (m != null) {
            Wire.putU32(m, off, (int) res[1]);
        }
        return n;
    };

    /** {@code scan_be16_bf}/{@code scan_be32_bf}: a {@code bits}-wide field at bit {@code shift}. */
    static Scanner bitField(int bytes, int bits, int shift) {
        String conv = bytes == 2 ? "%hi" : "%i";
        long fieldMask = ((1L << bits) - 1) << shift;
        return (s, p, k, m, off) -> {
            OvsScan.Result r = OvsScan.scan(s, p, conv);
            if (r == null || (r.l(0) >>> bits) != 0) {
                return 0;
            }
            long kv = Fmt.be(k, off, bytes);
            put(k, off, bytes, true, (kv & ~fieldMask) | (r.l(0) << shift));
            int len = r.end - p;
            if (m != null) {
                long mv = Fmt.be(m, off, bytes);
                OvsScan.Result rm = OvsScan.scan(s, r.end, "/" + conv);
                if (rm != null) {
                    if ((rm.l(0) >>> bits) != 0) {
                        return 0;
                    }
                    put(m, off, bytes, true, (mv & ~fieldMask) | (rm.l(0) << shift));
                    len = rm.end - p;
                } else {
                    put(m, off, bytes, true, mv | fieldMask);
                }
            }
            return len;
        };
    }

    static final Scanner VID = bitField(2, 12, 0);
    static final Scanner PCP = bitField(2, 3, 13);
    static final Scanner CFI = bitField(2, 1, 12);
    static final Scanner MPLS_LABEL = bitField(4, 20, 12);
    static final Scanner MPLS_TC = bitField(4, 3, 9);
    static final Scanner MPLS_TTL = bitField(4, 8, 0);
    static final Scanner MPLS_BOS = bitField(4, 1, 8);

    /** {@code scan_port}: a number (with an optional mask) or a port name up to the next ')'. */
    static Scanner port(PortNames names) {
        return (s, p, k, m, off) -> {
            int n = U32.scan(s, p, k, m, off);
            if (n > 0 || names == null) {
                return n;
            }
            int len = OvsScan.cspan(s, p, ")");
            Integer port = names.number(s.substring(p, p + len));
            if (port == null) {
                return 0;
            }
            Wire.putU32(k, off, port);
            if (m != null) {
                Wire.putU32(m, off, -1);
            }
            return len;
        };
    }
}
