package ovsj.odp;

import java.util.Arrays;

/**
 * A unique flow identifier ({@code OVS_FLOW_ATTR_UFID}): 1 to 16 bytes chosen by userspace
 * ({@code MAX_UFID_LENGTH} = 16). OVS uses 16-byte UUIDs; the kernel accepts any length in range.
 */
public final class Ufid {
    public static final int MAX_LENGTH = 16;

    private final byte[] bytes;
    private final int hash;

    private Ufid(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A UFID from {@code len} bytes; {@code len} must be 1..16. */
    public static Ufid of(byte[] src, int off, int len) {
        if (len < 1 || len > MAX_LENGTH) {
            throw new IllegalArgumentException("UFID length " + len + " is not in 1.." + MAX_LENGTH);
        }
        return new Ufid(Arrays.copyOfRange(src, off, off + len));
    }

    /** Whether {@code len} is a valid UFID length (the kernel's {@code ovs_nla_get_ufid}). */
    public static boolean isValidLength(int len) {
        return len >= 1 && len <= MAX_LENGTH;
    }

    public int length() {
        return bytes.length;
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    public void copyTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, bytes.length);
    }

    public byte byteAt(int i) {
        return bytes[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ufid u && u.hash == hash && Arrays.equals(bytes, u.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
