package ovsj.datapath.actions;

import java.util.zip.CRC32C;

import ovsj.netlink.Wire;

/**
 * The checksum arithmetic the set actions use: incremental Internet-checksum updates (RFC 1624, the
 * kernel's {@code csum_replace2}, {@code csum_replace4}, {@code inet_proto_csum_replace4/16} and
 * {@code ipv4_change_dsfield}) and the SCTP CRC32c ({@code sctp_compute_cksum}).
 *
 * <p>Checksums and 16-bit words are handled as big-endian numbers. One's complement sums do not depend
 * on byte order, and every update here sums at least one non-zero term, so the result is the same
 * 16-bit value the kernel stores (including its choice between the two encodings of zero).
 *
 * <p>Packets are {@code CHECKSUM_NONE} here (no offload): the {@code CHECKSUM_PARTIAL} and
 * {@code CHECKSUM_COMPLETE} branches of the kernel helpers never apply.
 */
final class ChecksumUtil {
    private ChecksumUtil() {
    }

    /** Folds a sum of 16-bit words with end-around carry into 16 bits (0 only for a zero sum). */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** {@code csum_replace2}: the checksum after one 16-bit word changed from {@code from} to {@code to}. */
    static int replace2(int check, int from, int to) {
        return ~fold((~check & 0xffff) + (~from & 0xffff) + (to & 0xffff)) & 0xffff;
    }

    /**
     * {@code csum_replace4} (and {@code inet_proto_csum_replace4/2} without offload): the checksum after
     * a 32-bit quantity changed from {@code from} to {@code to}.
     */
    static int replace4(int check, int from, int to) {
        long s = 0xffffL + (~check & 0xffff)
                + ((~from >>> 16) & 0xffff) + (~from & 0xffff)
                + ((to >>> 16) & 0xffff) + (to & 0xffff);
        return ~fold(s) & 0xffff;
    }

    /**
     * {@code inet_proto_csum_replace16}: the checksum after the 16-byte address at {@code buf[oldOff]}
     * is replaced by the one at {@code nb[newOff]} (call before writing the new address).
     */
    static int replace16(int check, byte[] buf, int oldOff, byte[] nb, int newOff) {
        long s = 0xffffL + (~check & 0xffff);
        for (int i = 0; i < 16; i += 2) {
            s += (~Wire.be16(buf, oldOff + i) & 0xffff) + Wire.be16(nb, newOff + i);
        }
        return ~fold(s) & 0xffff;
    }

    /**
     * {@code ipv4_change_dsfield} on the IPv4 header at {@code buf[nh]}: TOS becomes
     * {@code (tos & keep) | value}, the header checksum follows with the kernel's own arithmetic.
     */
    static void ipv4ChangeDsfield(byte[] buf, int nh, int keep, int value) {
        int tos = buf[nh + 1] & 0xff;
        int check = Wire.be16(buf, nh + 10);
        int ds = ((tos & keep) | value) & 0xff;
        check += tos;
        if (((check + 1) >>> 16) != 0) {
            check = (check + 1) & 0xffff;
        }
        check -= ds;
        check += check >>> 16; // u32 arithmetic, as in the kernel
        Wire.putBe16(buf, nh + 10, check & 0xffff);
        buf[nh + 1] = (byte) ds;
    }

    private static final byte[] ZERO4 = new byte[4];

    /**
     * {@code sctp_compute_cksum}: the CRC32c of the SCTP packet {@code buf[off, end)} with its checksum
     * field counted as zero, as the little-endian u32 the header stores.
     */
    static int sctpChecksum(CRC32C crc, byte[] buf, int off, int end) {
        crc.reset();
        crc.update(buf, off, 8);
        crc.update(ZERO4, 0, 4);
        crc.update(buf, off + 12, end - off - 12);
        return (int) crc.getValue();
    }
}
