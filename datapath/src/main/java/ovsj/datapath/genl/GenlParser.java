package ovsj.datapath.genl;

import java.util.Arrays;

import ovsj.netlink.ExtAck;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.Wire;
import ovsj.odp.KernelLog;

/**
 * The kernel's {@code __nla_validate_parse} in liberal mode ({@code NL_VALIDATE_LIBERAL}, what the
 * ovs families ask for with {@code GENL_DONT_VALIDATE_STRICT}): unknown and out-of-range attribute
 * types are ignored, a wrong-length integer is only warned about unless it is too short, trailing
 * bytes leave a message on the ACK, and the first policy violation fails the request with the
 * kernel's errno and extended ack.
 */
public final class GenlParser {
    public static final int EINVAL = 22;
    public static final int ERANGE = 34;

    private GenlParser() {
    }

    /**
     * Validates and indexes the attributes in {@code buf[off, off+len)}.
     *
     * @param attrs  filled with the header offset of the last attribute of each type (-1 when absent),
     *               as the kernel's {@code tb[]}
     * @param msgOff offset of the request's nlmsghdr, for the extended ack's attribute offset
     * @return 0 or a negative errno
     */
    public static int parse(byte[] buf, int off, int len, AttrPolicy[] policy, int[] attrs, int msgOff,
                            ExtAck ack, KernelLog klog, String comm) {
        Arrays.fill(attrs, -1);
        int maxType = policy.length - 1;
        NlAttrReader r = new NlAttrReader().wrap(buf, off, len);
        while (r.next()) {
            int type = r.type();
            if (type == 0 || type > maxType) {
                continue;
            }
            AttrPolicy pt = policy[type];
            if (pt != null) {
                int err = validate(buf, r, pt, msgOff, ack, klog, comm);
                if (err != 0) {
                    return err;
                }
            }
            attrs[type] = r.offset();
        }
        if (r.remaining() > 0) {
            klog.log("netlink: " + r.remaining() + " bytes leftover after parsing attributes in process `"
                    + comm + "'.");
            ack.msg("bytes leftover after parsing attributes");
        }
        return 0;
    }

    /** {@code validate_nla}. */
    private static int validate(byte[] buf, NlAttrReader r, AttrPolicy pt, int msgOff, ExtAck ack, KernelLog klog,
                                String comm) {
        int attrlen = r.payloadLength();
        int p = r.payloadOffset();
        int exact = pt.exactLength();
        if (exact != 0 && attrlen != exact) {
            klog.log("netlink: '" + comm + "': attribute type " + r.type() + " has an invalid length.");
        }
        switch (pt.type()) {
            case FLAG -> {
                if (attrlen > 0) {
                    return fail(ack, r, pt, msgOff, -ERANGE);
                }
            }
            case NUL_STRING -> {
                int minlen = pt.len() != 0 ? Math.min(attrlen, pt.len() + 1) : attrlen;
                if (minlen == 0 || indexOfNul(buf, p, minlen) < 0) {
                    return fail(ack, r, pt, msgOff, -EINVAL);
                }
                if (stringTooLong(buf, p, attrlen, pt)) {
                    return fail(ack, r, pt, msgOff, -ERANGE);
                }
            }
            case STRING -> {
                if (stringTooLong(buf, p, attrlen, pt)) {
                    return fail(ack, r, pt, msgOff, -ERANGE);
                }
            }
            case BINARY -> {
                if (pt.len() != 0 && attrlen > pt.len()) {
                    return fail(ack, r, pt, msgOff, -ERANGE);
                }
            }
            case NESTED -> {
                if (attrlen != 0 && attrlen < NlAttr.HEADER_LENGTH) {
                    return fail(ack, r, pt, msgOff, -ERANGE);
                }
            }
            case UNSPEC -> {
                if (attrlen < pt.len()) {
                    return fail(ack, r, pt, msgOff, -ERANGE);
                }
            }
            default -> {
                if (attrlen < exact) {
                    return fail(ack, r, pt, msgOff, -ERANGE);
                }
            }
        }
        if (pt.ranged()) {
            long v = switch (pt.type()) {
                case U8 -> Wire.u8(buf, p);
                case U16 -> Wire.u16(buf, p);
                case U32 -> Wire.u32(buf, p) & 0xffffffffL;
                case S32 -> Wire.u32(buf, p);
                default -> Wire.u64(buf, p);
            };
            if (v < pt.min() || v > pt.max()) {
                ack.msg("integer out of range").badAttr(r.offset() - msgOff, pt.reported());
                return -ERANGE;
            }
        }
        return 0;
    }

    private static boolean stringTooLong(byte[] buf, int p, int attrlen, AttrPolicy pt) {
        if (attrlen < 1) {
            return true;
        }
        if (pt.len() != 0) {
            int l = attrlen;
            if (buf[p + l - 1] == 0) {
                l--;
            }
            return l > pt.len();
        }
        return false;
    }

    private static int indexOfNul(byte[] b, int p, int n) {
        for (int i = 0; i < n; i++) {
            if (b[p + i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int fail(ExtAck ack, NlAttrReader r, AttrPolicy pt, int msgOff, int err) {
        ack.msg("Attribute failed policy validation").badAttr(r.offset() - msgOff, pt.reported());
        return err;
    }
}
