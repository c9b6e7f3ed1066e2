package ovsj.odp.codec;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.uapi.NshKeyAttr;

/**
 * The NSH part of a flow key ({@code OVS_KEY_ATTR_NSH}): the twin of the kernel's
 * {@code nsh_key_put_from_nlattr} and {@code nsh_key_to_nlattr}. MD type 2 context is accepted only
 * for push_nsh, as in Linux.
 *
 * <pre>
 * OVS_NSH_KEY_ATTR_BASE (8):  flags(u8) ttl(u8) mdtype(u8) np(u8) path_hdr(be32)
 * OVS_NSH_KEY_ATTR_MD1 (16):  context[4] (be32 each)
 * </pre>
 */
public final class NshCodec {
    static final int BASE_LENGTH = 8;
    static final int MD1_LENGTH = 16;
    /** {@code NSH_CTX_HDRS_MAX_LEN}. */
    static final int CTX_HDRS_MAX_LEN = 248;

    private NshCodec() {
    }

    /**
     * Parses the NSH nest whose header is at {@code buf[attr]} into {@code t}. Returns 0 or -errno.
     */
    public static int parse(byte[] buf, int attr, FlowKey t, boolean isMask, boolean isPushNsh, KernelLog log) {
        boolean hasBase = false;
        boolean hasMd1 = false;
        boolean hasMd2 = false;
        int mdtype = 0;
        NlAttrReader r = new NlAttrReader().wrap(buf, attr + NlAttr.HEADER_LENGTH,
                NlAttr.len(buf, attr) - NlAttr.HEADER_LENGTH);
        while (r.next()) {
            int type = r.type();
            int plen = r.payloadLength();
            if (type > NshKeyAttr.MAX) {
                log.nlerr("nsh attr " + type + " is out of range max " + NshKeyAttr.MAX);
                return -22;
            }
            if (!NshKeyAttr.lengthAccepted(type, plen)) {
                log.nlerr("nsh attr " + type + " has unexpected len " + plen + " expected "
                        + NshKeyAttr.expectedLength(type));
                return -22;
            }
            int p = r.payloadOffset();
            switch (type) {
                case NshKeyAttr.BASE -> {
                    hasBase = true;
                    mdtype = Wire.u8(buf, p + 2);
                    t.u8(FlowKey.NSH_FLAGS_OFFSET, Wire.u8(buf, p));
                    t.u8(FlowKey.NSH_TTL_OFFSET, Wire.u8(buf, p + 1));
                    t.u8(FlowKey.NSH_MDTYPE_OFFSET, mdtype);
                    t.u8(FlowKey.NSH_NP_OFFSET, Wire.u8(buf, p + 3));
                    t.u32(FlowKey.NSH_PATH_HDR_OFFSET, Wire.be32(buf, p + 4));
                }
                case NshKeyAttr.MD1 -> {
                    hasMd1 = true;
                    for (int i = 0; i < 4; i++) {
                        t.u32(FlowKey.NSH_CONTEXT_OFFSET + 4 * i, Wire.be32(buf, p + 4 * i));
                    }
                }
                case NshKeyAttr.MD2 -> {
                    if (!isPushNsh) {
                        return -524; // ENOTSUPP (kernel-internal)
                    }
                    hasMd2 = true;
                    if (plen > CTX_HDRS_MAX_LEN || plen <= 0) {
                        log.nlerr("Invalid MD length " + plen + " for MD type " + mdtype);
                        return -22;
                    }
                }
                default -> {
                    log.nlerr("Unknown nsh attribute " + type);
                    return -22;
                }
            }
        }
        if (r.remaining() > 0) {
            log.nlerr("nsh attribute has " + r.remaining() + " unknown bytes.");
            return -22;
        }
        if (hasMd1 && hasMd2) {
            log.nlerr("invalid nsh attribute: md1 and md2 are exclusive.");
            return -22;
        }
        if (!isMask) {
            if ((hasMd1 && mdtype != KeyParser.NSH_M_TYPE1) || (hasMd2 && mdtype != KeyParser.NSH_M_TYPE2)) {
                log.nlerr("nsh attribute has unmatched MD type " + mdtype + ".");
                return -22;
            }
            if (isPushNsh && (!hasBase || (!hasMd1 && !hasMd2))) {
                log.nlerr("push_nsh: missing base or metadata attributes");
                return -22;
            }
        }
        return 0;
    }

    /** {@code nsh_key_to_nlattr}. */
    public static void put(NlWriter w, FlowKey output, boolean isMask) {
        int nest = w.beginNest(ovsj.odp.uapi.KeyAttr.NSH);
        int p = w.reserve(NshKeyAttr.BASE, BASE_LENGTH);
        if (p >= 0) {
            byte[] b = w.buffer();
            b[p] = (byte) output.u8(FlowKey.NSH_FLAGS_OFFSET);
            b[p + 1] = (byte) output.u8(FlowKey.NSH_TTL_OFFSET);
            b[p + 2] = (byte) output.u8(FlowKey.NSH_MDTYPE_OFFSET);
            b[p + 3] = (byte) output.u8(FlowKey.NSH_NP_OFFSET);
            Wire.putBe32(b, p + 4, output.u32(FlowKey.NSH_PATH_HDR_OFFSET));
        }
        if (isMask || output.u8(FlowKey.NSH_MDTYPE_OFFSET) == KeyParser.NSH_M_TYPE1) {
            int q = w.reserve(NshKeyAttr.MD1, MD1_LENGTH);
            if (q >= 0) {
                for (int i = 0; i < 4; i++) {
                    Wire.putBe32(w.buffer(), q + 4 * i, output.u32(FlowKey.NSH_CONTEXT_OFFSET + 4 * i));
                }
            }
        }
        w.endNest(nest);
    }
}
