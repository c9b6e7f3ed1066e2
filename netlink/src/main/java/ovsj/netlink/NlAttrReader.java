package ovsj.netlink;

/**
 * A reusable, allocation-free cursor over a run of netlink attributes, with the kernel's
 * {@code nla_for_each_attr} semantics: iteration stops at the first attribute whose header does not fit
 * or whose {@code nla_len} is shorter than its header or longer than what remains; {@link #remaining()}
 * then tells how many bytes were left over (negative when the last attribute's padding ran past the
 * end, exactly as the kernel's {@code rem} does).
 *
 * <pre>{@code
 * NlAttrReader r = new NlAttrReader().wrap(buf, off, len);
 * while (r.next()) { switch (r.type()) { ... r.u32() ... } }
 * if (r.remaining() != 0) { ... "Message has N unknown bytes." }
 * }</pre>
 */
public final class NlAttrReader {
    private byte[] buf;
    private int next;
    private int rem;
    private int attr;
    private int len;
    private int rawType;

    public NlAttrReader wrap(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.next = offset;
        this.rem = length;
        this.attr = -1;
        return this;
    }

    /** Re-wraps this reader over the payload of the current attribute (a nest). Returns a new reader. */
    public NlAttrReader nested() {
        return new NlAttrReader().wrap(buf, payloadOffset(), payloadLength());
    }

    /** Advances to the next attribute; false when no valid attribute remains. */
    public boolean next() {
        if (rem < NlAttr.HEADER_LENGTH) {
            return false;
        }
        int l = NlAttr.len(buf, next);
        if (l < NlAttr.HEADER_LENGTH || l > rem) {
            return false;
        }
        attr = next;
        len = l;
        rawType = NlAttr.rawType(buf, next);
        int total = NlAttr.align(l);
        next += total;
        rem -= total;
        return true;
    }

    /** Bytes not consumed by valid attributes (the kernel's {@code rem} after the loop). */
    public int remaining() {
        return rem;
    }

    public byte[] buffer() {
        return buf;
    }

    /** Offset of the current attribute's header. */
    public int offset() {
        return attr;
    }

    /** Type without the NESTED / NET_BYTEORDER flags. */
    public int type() {
        return rawType & NlAttr.TYPE_MASK;
    }

    public int rawType() {
        return rawType;
    }

    /** {@code nla_len}: header plus payload, without padding. */
    public int length() {
        return len;
    }

    public int payloadOffset() {
        return attr + NlAttr.HEADER_LENGTH;
    }

    public int payloadLength() {
        return len - NlAttr.HEADER_LENGTH;
    }

    public int u8() {
        return Wire.u8(buf, payloadOffset());
    }

    public int u16() {
        return Wire.u16(buf, payloadOffset());
    }

    public int u32() {
        return Wire.u32(buf, payloadOffset());
    }

    public long u64() {
        return Wire.u64(buf, payloadOffset());
    }

    public int be16() {
        return Wire.be16(buf, payloadOffset());
    }

    public int be32() {
        return Wire.be32(buf, payloadOffset());
    }

    public long be64() {
        return Wire.be64(buf, payloadOffset());
    }

    /** The payload as a string, up to the first NUL (allocates; not for hot paths). */
    public String string() {
        int p = payloadOffset();
        int end = p + payloadLength();
        int n = p;
        while (n < end && buf[n] != 0) {
            n++;
        }
        return new String(buf, p, n - p, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A copy of the payload (allocates; not for hot paths). */
    public byte[] bytes() {
        return java.util.Arrays.copyOfRange(buf, payloadOffset(), payloadOffset() + payloadLength());
    }

    /** A copy of the whole attribute, header included. */
    public byte[] attrBytes() {
        return java.util.Arrays.copyOfRange(buf, attr, attr + len);
    }

    /**
     * Finds the first attribute of {@code type} among the attributes in {@code [offset, offset+length)}:
     * its header offset, or -1.
     */
    public static int find(byte[] buf, int offset, int length, int type) {
        int p = offset;
        int rem = length;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int l = NlAttr.len(buf, p);
            if (l < NlAttr.HEADER_LENGTH || l > rem) {
                return -1;
            }
            if (NlAttr.type(buf, p) == type) {
                return p;
            }
            int total = NlAttr.align(l);
            p += total;
            rem -= total;
        }
        return -1;
    }
}
