package ovsj.netlink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte accessors over {@code byte[]} for the two byte orders netlink mixes: host order (the kernel's
 * {@code u16}/{@code u32}/{@code u64}; little-endian, as on x86_64 where the vectors were recorded) and
 * network order ({@code __be16}/{@code __be32}). Unsigned values come back widened into {@code int} or
 * {@code long} so callers never see sign extension.
 */
public final class Wire {
    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Wire() {
    }

    public static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static int u16(byte[] b, int off) {
        return (short) LE16.get(b, off) & 0xffff;
    }

    public static int u32(byte[] b, int off) {
        return (int) LE32.get(b, off);
    }

    public static long u64(byte[] b, int off) {
        return (long) LE64.get(b, off);
    }

    public static int be16(byte[] b, int off) {
        return (short) BE16.get(b, off) & 0xffff;
    }

    public static int be32(byte[] b, int off) {
        return (int) BE32.get(b, off);
    }

    public static long be64(byte[] b, int off) {
        return (long) BE64.get(b, off);
    }

    /** Big-endian 48-bit value (a MAC address) as the low bits of a long. */
    public static long be48(byte[] b, int off) {
        return ((long) be16(b, off) << 32) | (be32(b, off + 2) & 0xffffffffL);
    }

    public static void putU8(byte[] b, int off, int v) {
        b[off] = (byte) v;
    }

    public static void putU16(byte[] b, int off, int v) {
        LE16.set(b, off, (short) v);
    }

    public static void putU32(byte[] b, int off, int v) {
        LE32.set(b, off, v);
    }

    public static void putU64(byte[] b, int off, long v) {
        LE64.set(b, off, v);
    }

    public static void putBe16(byte[] b, int off, int v) {
        BE16.set(b, off, (short) v);
    }

    public static void putBe32(byte[] b, int off, int v) {
        BE32.set(b, off, v);
    }

    public static void putBe64(byte[] b, int off, long v) {
        BE64.set(b, off, v);
    }

    public static void putBe48(byte[] b, int off, long v) {
        putBe16(b, off, (int) (v >>> 32));
        putBe32(b, off + 2, (int) v);
    }

    /** Lower-case hex of {@code len} bytes: for logs and tests. */
    public static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = 0; i < len; i++) {
            sb.append(Character.forDigit((b[off + i] >> 4) & 0xf, 16)).append(Character.forDigit(b[off + i] & 0xf, 16));
        }
        return sb.toString();
    }

    public static byte[] unhex(CharSequence s) {
        if ((s.length() & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + s.length());
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex digit at " + (2 * i));
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}
