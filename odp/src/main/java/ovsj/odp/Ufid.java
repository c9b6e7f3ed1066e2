package ovsj.odp;

/**
 * A unique flow identifier ({@code OVS_FLOW_ATTR_UFID}): 1 to 16 bytes chosen by userspace
 * ({@code MAX_UFID_LENGTH} = 16). OVS uses 16-byte UUIDs; the kernel accepts any length in range.
 *
 * <p>The bytes are held in two longs (big-endian, zero-padded) rather than an array, so reading a
 * flow's UFID in a dump costs no pointer beyond the Ufid itself.
 */
public final class Ufid {
    public static final int MAX_LENGTH = 16;

    private final long hi;
    private final long lo;
    private final int len;
    private final int hash;

    private Ufid(long hi, long lo, int len) {
        this.hi = hi;
        this.lo = lo;
        this.len = len;
        this.hash = hash(hi, lo, len);
    }

    /** The UFID whose bytes are {@code hi}, {@code lo} (big-endian, zero-padded) and length {@code len}. */
    public static Ufid ofWords(long hi, long lo, int len) {
        if (len < 1 || len > MAX_LENGTH) {
            throw new IllegalArgumentException("UFID length " + len + " is not in 1.." + MAX_LENGTH);
        }
        return new Ufid(hi, lo, len);
    }

    /** {@link #hashCode()} of the UFID {@code (hi, lo, len)}, for holders that keep the words inline. */
    public static int hash(long hi, long lo, int len) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL ^ len;
        return (int) (h ^ (h >>> 32));
    }

    /** Bytes 0..7, big-endian, zero-padded. */
    public long hi() {
        return hi;
    }

    /** Bytes 8..15, big-endian, zero-padded. */
    public long lo() {
        return lo;
    }

    /** A UFID from {@code len} bytes; {@code len} must be 1..16. */
    public static Ufid of(byte[] src, int off, int len) {
        if (len < 1 || len > MAX_LENGTH) {
            throw new IllegalArgumentException("UFID length " + len + " is not in 1.." + MAX_LENGTH);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < len; i++) {
            long b = src[off + i] & 0xffL;
            if (i < 8) {
                hi |= b << (56 - 8 * i);
            } else {
                lo |= b << (56 - 8 * (i - 8));
            }
        }
        return new Ufid(hi, lo, len);
    }

    /** Whether {@code len} is a valid UFID length (the kernel's {@code ovs_nla_get_ufid}). */
    public static boolean isValidLength(int len) {
        return len >= 1 && len <= MAX_LENGTH;
    }

    public int length() {
        return len;
    }

    public byte[] toByteArray() {
        byte[] b = new byte[len];
        copyTo(b, 0);
        return b;
    }

    public void copyTo(byte[] dst, int off) {
        copyTo(hi, lo, len, dst, off);
    }

    /** Writes the {@code len} bytes of the UFID {@code (hi, lo)} at {@code dst[off]}. */
    public static void copyTo(long hi, long lo, int len, byte[] dst, int off) {
        if (len == MAX_LENGTH) { // the common case: OVS's 16-byte UUIDs, two stores
            ovsj.netlink.Wire.putBe64(dst, off, hi);
            ovsj.netlink.Wire.putBe64(dst, off + 8, lo);
            return;
        }
        for (int i = 0; i < len; i++) {
            dst[off + i] = (byte) (i < 8 ? hi >>> (56 - 8 * i) : lo >>> (56 - 8 * (i - 8)));
        }
    }

    public byte byteAt(int i) {
        if (i < 0 || i >= len) {
            throw new IndexOutOfBoundsException(i);
        }
        return (byte) (i < 8 ? hi >>> (56 - 8 * i) : lo >>> (56 - 8 * (i - 8)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ufid u && u.hi == hi && u.lo == lo && u.len == len;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = 0; i < len; i++) {
            byte b = byteAt(i);
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
