package ovsj.netlink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds netlink messages and attributes into a reusable buffer.
 *
 * <p>Two modes. A <em>growable</em> writer (requests, tests) enlarges its array as needed. A
 * <em>bounded</em> writer (a dump batch, a reply sized like the kernel's skb) never grows: a put that
 * would pass the limit writes nothing and sets {@link #overflowed()}, the twin of the kernel's
 * {@code -EMSGSIZE}, so that a caller can {@link #rewind(int)} to a mark and end the batch. No put
 * allocates once the buffer is large enough.
 *
 * <p>Attributes are padded to 4 bytes with zeros; {@code nla_len} excludes the padding. Nests record
 * their start and have their length back-patched by {@link #endNest(int)}.
 */
public final class NlWriter {
    /**
     * Whether 64-bit attributes need an 8-byte aligned payload (the kernel's
     * {@code nla_need_padding_for_64bit}). False on x86_64 and arm64
     * ({@code CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS}), where the vectors were recorded.
     */
    public static final boolean ALIGN_64BIT_DEFAULT = false;

    private byte[] buf;
    private int pos;
    private int limit;
    private final boolean growable;
    private boolean overflow;
    private boolean align64 = ALIGN_64BIT_DEFAULT;

    /** A growable writer. */
    public NlWriter(int initialCapacity) {
        this.buf = new byte[Math.max(64, initialCapacity)];
        this.limit = Integer.MAX_VALUE;
        this.growable = true;
    }

    /** A bounded writer over {@code buf[0, limit)}. */
    public NlWriter(byte[] buf, int limit) {
        this.buf = buf;
        this.limit = limit;
        this.growable = false;
    }

    /** Starts over at offset 0 (bounded writers keep their limit). */
    public NlWriter reset() {
        pos = 0;
        overflow = false;
        return this;
    }

    /** Bounded writers only: a new limit, at most the buffer's length. */
    public NlWriter limit(int newLimit) {
        if (growable || newLimit > buf.length) {
            throw new IllegalArgumentException("limit " + newLimit + " for a buffer of " + buf.length);
        }
        this.limit = newLimit;
        return this;
    }

    public NlWriter align64(boolean on) {
        this.align64 = on;
        return this;
    }

    public byte[] buffer() {
        return buf;
    }

    public int position() {
        return pos;
    }

    /** Bytes that still fit. */
    public int remaining() {
        return (growable ? Integer.MAX_VALUE : limit) - pos;
    }

    public boolean overflowed() {
        return overflow;
    }

    /** Goes back to a mark taken with {@link #position()}, forgetting any overflow after it. */
    public void rewind(int mark) {
        pos = mark;
        overflow = false;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Makes room for {@code n} more bytes; false (and overflow set) if a bounded writer cannot. */
    private boolean ensure(int n) {
        if (overflow) {
            return false;
        }
        long need = (long) pos + n;
        if (need <= (growable ? buf.length : limit)) {
            return true;
        }
        if (!growable) {
            overflow = true;
            return false;
        }
        int cap = buf.length;
        while (cap < need) {
            cap = cap << 1;
        }
        buf = Arrays.copyOf(buf, cap);
        return true;
    }

    // ---- messages -------------------------------------------------------------------------------

    /** Writes an nlmsghdr with a length to be patched by {@link #endMessage(int)}; returns its offset or -1. */
    public int beginMessage(int type, int flags, int seq, int pid) {
        if (!ensure(NlMsgHdr.LENGTH)) {
            return -1;
        }
        int start = pos;
        NlMsgHdr.put(buf, start, 0, type, flags, seq, pid);
        pos += NlMsgHdr.LENGTH;
        return start;
    }

    public void putGenlHeader(int cmd, int version) {
        if (!ensure(GenlMsgHdr.LENGTH)) {
            return;
        }
        buf[pos] = (byte) cmd;
        buf[pos + 1] = (byte) version;
        buf[pos + 2] = 0;
        buf[pos + 3] = 0;
        pos += GenlMsgHdr.LENGTH;
    }

    /** Patches {@code nlmsg_len}; the message then ends at the current (aligned) position. */
    public void endMessage(int start) {
        if (start >= 0 && !overflow) {
            Wire.putU32(buf, start + NlMsgHdr.LEN_OFFSET, pos - start);
        }
    }

    // ---- raw payload ----------------------------------------------------------------------------

    public void putRawU32(int v) {
        if (ensure(4)) {
            Wire.putU32(buf, pos, v);
            pos += 4;
        }
    }

    /** Copies bytes as they are, then pads to 4 with zeros. */
    public void putRaw(byte[] src, int off, int len) {
        int total = NlAttr.align(len);
        if (ensure(total)) {
            System.arraycopy(src, off, buf, pos, len);
            Arrays.fill(buf, pos + len, pos + total, (byte) 0);
            pos += total;
        }
    }

    /** Copies bytes as they are, without padding (the caller keeps alignment). */
    public void putRawUnpadded(byte[] src, int off, int len) {
        if (ensure(len)) {
            System.arraycopy(src, off, buf, pos, len);
            pos += len;
        }
    }

    // ---- attributes -----------------------------------------------------------------------------

    /**
     * {@code nla_reserve}: writes the header of an attribute with a {@code len}-byte zeroed payload and
     * returns the payload offset (fill it with {@link Wire}), or -1 on overflow.
     */
    public int reserve(int type, int len) {
        int total = NlAttr.totalSize(len);
        if (!ensure(total)) {
            return -1;
        }
        Wire.putU16(buf, pos + NlAttr.LEN_OFFSET, NlAttr.HEADER_LENGTH + len);
        Wire.putU16(buf, pos + NlAttr.TYPE_OFFSET, type);
        Arrays.fill(buf, pos + NlAttr.HEADER_LENGTH, pos + total, (byte) 0);
        int payload = pos + NlAttr.HEADER_LENGTH;
        pos += total;
        return payload;
    }

    public void putFlag(int type) {
        reserve(type, 0);
    }

    public void putU8(int type, int v) {
        int p = reserve(type, 1);
        if (p >= 0) {
            buf[p] = (byte) v;
        }
    }

    public void putU16(int type, int v) {
        int p = reserve(type, 2);
        if (p >= 0) {
            Wire.putU16(buf, p, v);
        }
    }

    public void putBe16(int type, int v) {
        int p = reserve(type, 2);
        if (p >= 0) {
            Wire.putBe16(buf, p, v);
        }
    }

    public void putU32(int type, int v) {
        int p = reserve(type, 4);
        if (p >= 0) {
            Wire.putU32(buf, p, v);
        }
    }

    public void putBe32(int type, int v) {
        int p = reserve(type, 4);
        if (p >= 0) {
            Wire.putBe32(buf, p, v);
        }
    }

    /** {@code nla_put_u64}: an unaligned 64-bit attribute, for attributes the kernel puts without padding. */
    public void putU64(int type, long v) {
        int p = reserve(type, 8);
        if (p >= 0) {
            Wire.putU64(buf, p, v);
        }
    }

    public void putBe64(int type, long v) {
        int p = reserve(type, 8);
        if (p >= 0) {
            Wire.putBe64(buf, p, v);
        }
    }

    /**
     * {@code nla_put_u64_64bit}: on platforms that need it, first an empty {@code padType} attribute so
     * that the 8-byte payload lands on an 8-byte boundary of the buffer.
     */
    public void putU64Aligned(int type, long v, int padType) {
        padFor64(padType);
        putU64(type, v);
    }

    /** {@code nla_reserve_64bit}: as {@link #reserve} with the kernel's 64-bit alignment padding. */
    public int reserve64(int type, int len, int padType) {
        padFor64(padType);
        return reserve(type, len);
    }

    private void padFor64(int padType) {
        if (align64 && ((pos + NlAttr.HEADER_LENGTH) & 7) != 0) {
            reserve(padType, 0);
        }
    }

    public void putBytes(int type, byte[] src, int off, int len) {
        int p = reserve(type, len);
        if (p >= 0) {
            System.arraycopy(src, off, buf, p, len);
        }
    }

    public void putBytes(int type, byte[] src) {
        putBytes(type, src, 0, src.length);
    }

    /** {@code nla_put_string}: the string and its terminating NUL. */
    public void putString(int type, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int p = reserve(type, b.length + 1);
        if (p >= 0) {
            System.arraycopy(b, 0, buf, p, b.length);
        }
    }

    /** {@code nla_nest_start_noflag}: returns the nest's offset for {@link #endNest(int)}, or -1. */
    public int beginNest(int type) {
        if (!ensure(NlAttr.HEADER_LENGTH)) {
            return -1;
        }
        int start = pos;
        Wire.putU16(buf, pos + NlAttr.LEN_OFFSET, NlAttr.HEADER_LENGTH);
        Wire.putU16(buf, pos + NlAttr.TYPE_OFFSET, type);
        pos += NlAttr.HEADER_LENGTH;
        return start;
    }

    /** {@code nla_nest_start}: as {@link #beginNest(int)} with {@code NLA_F_NESTED} set. */
    public int beginNestFlagged(int type) {
        return beginNest(type | NlAttr.F_NESTED);
    }

    /** {@code nla_nest_end}: patches the nest's length to cover everything written since it began. */
    public void endNest(int start) {
        if (start >= 0 && !overflow) {
            Wire.putU16(buf, start + NlAttr.LEN_OFFSET, pos - start);
        }
    }

    /** {@code nla_nest_cancel}: drops a nest and everything in it. */
    public void cancelNest(int start) {
        if (start >= 0) {
            rewind(start);
        }
    }
}
