package ovsj.datapath.actions;

import java.util.Arrays;

import ovsj.datapath.Packet;
import ovsj.netlink.Errno;
import ovsj.netlink.NlAttr;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.NshKeyAttr;

/**
 * The NSH actions: {@code push_nsh} ({@code nsh_hdr_from_nlattr} + {@code nsh_push}), {@code pop_nsh}
 * ({@code nsh_pop}) and {@code set_nsh} ({@code nsh_key_from_nlattr}), with the header layout of
 * {@code include/net/nsh.h}:
 *
 * <pre>
 * be16 ver(2) flags(2) ttl(6) len(6, in 4-byte words) | u8 mdtype | u8 np | be32 path_hdr | context...
 * </pre>
 */
final class NshActions {
    static final int NSH_BASE_HDR_LEN = 8;
    static final int NSH_HDR_MAX_LEN = 256;
    static final int NSH_M_TYPE1 = 1;
    static final int NSH_M_TYPE2 = 2;
    private static final int FLAGS_MASK = 0x3000;
    private static final int TTL_MASK = 0x0fc0;
    private static final int LEN_MASK = 0x003f;

    static final int TUN_P_IPV4 = 1;
    static final int TUN_P_IPV6 = 2;
    static final int TUN_P_ETHERNET = 3;
    static final int TUN_P_NSH = 4;
    static final int TUN_P_MPLS_UC = 5;

    /** {@code ENOTSUPP}, the kernel-internal errno {@code nsh_key_from_nlattr} returns for MD type 2. */
    static final int ENOTSUPP = -524;

    private NshActions() {
    }

    static int tunPFromEthP(int ethType) {
        return switch (ethType) {
            case VlanMplsEth.ETH_P_IP -> TUN_P_IPV4;
            case VlanMplsEth.ETH_P_IPV6 -> TUN_P_IPV6;
            case VlanMplsEth.ETH_P_TEB -> TUN_P_ETHERNET;
            case VlanMplsEth.ETH_P_NSH -> TUN_P_NSH;
            case VlanMplsEth.ETH_P_MPLS_UC -> TUN_P_MPLS_UC;
            default -> 0;
        };
    }

    static int tunPToEthP(int np) {
        return switch (np) {
            case TUN_P_IPV4 -> VlanMplsEth.ETH_P_IP;
            case TUN_P_IPV6 -> VlanMplsEth.ETH_P_IPV6;
            case TUN_P_ETHERNET -> VlanMplsEth.ETH_P_TEB;
            case TUN_P_NSH -> VlanMplsEth.ETH_P_NSH;
            case TUN_P_MPLS_UC -> VlanMplsEth.ETH_P_MPLS_UC;
            default -> 0;
        };
    }

    private static int hdrLen(byte[] b, int nh) {
        return (Wire.be16(b, nh) & LEN_MASK) << 2;
    }

    /**
     * {@code push_nsh}: builds the header from the NSH key attribute at {@code a[attr]} in {@code scratch}
     * ({@link #NSH_HDR_MAX_LEN} bytes) and pushes it in front of the packet, which then has no L2 header.
     */
    static int pushNsh(Packet p, FlowKey key, byte[] a, int attr, byte[] scratch) {
        Arrays.fill(scratch, 0, NSH_BASE_HDR_LEN, (byte) 0);
        int flags = 0;
        int ttl = 0;
        int mdlen = 0;
        int q = attr + NlAttr.HEADER_LENGTH;
        int rem = NlAttr.len(a, attr) - NlAttr.HEADER_LENGTH;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(a, q);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            int d = q + NlAttr.HEADER_LENGTH;
            switch (NlAttr.type(a, q)) {
                case NshKeyAttr.BASE -> {
                    flags = a[d] & 0xff;
                    ttl = a[d + 1] & 0xff;
                    scratch[2] = a[d + 2]; // mdtype
                    scratch[3] = a[d + 3]; // np, overwritten by nsh_push
                    System.arraycopy(a, d + 4, scratch, 4, 4);
                }
                case NshKeyAttr.MD1, NshKeyAttr.MD2 -> {
                    mdlen = alen - NlAttr.HEADER_LENGTH;
                    if (mdlen > NSH_HDR_MAX_LEN - NSH_BASE_HDR_LEN) {
                        return -Errno.ENOBUFS;
                    }
                    System.arraycopy(a, d, scratch, NSH_BASE_HDR_LEN, mdlen);
                }
                default -> {
                    return -Errno.EINVAL;
                }
            }
            q += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
        }
        // nsh_set_flags_ttl_len takes the length as a u8
        int words = (((NSH_BASE_HDR_LEN + mdlen) & 0xff) >> 2) & LEN_MASK;
        Wire.putBe16(scratch, 0, ((flags << 12) & FLAGS_MASK) | ((ttl << 6) & TTL_MASK) | words);
        int length = hdrLen(scratch, 0);

        int nextProto;
        if (p.macOff != p.networkOff) {
            nextProto = TUN_P_ETHERNET;
        } else {
            nextProto = tunPFromEthP(VlanMplsEth.protocol(p, key));
            if (nextProto == 0) {
                return -Errno.EAFNOSUPPORT;
            }
        }
        p.insertGap(p.off, length);
        System.arraycopy(scratch, 0, p.buf, p.off, length);
        if (length > 3) {
            p.buf[p.off + 3] = (byte) nextProto;
        }
        p.macOff = p.off;
        p.networkOff = p.off;
        key.u8(FlowKey.MAC_PROTO_OFFSET, FlowKey.MAC_PROTO_NONE);
        ActionExecutor.invalidate(key);
        VlanMplsEth.setL3Protocol(key, VlanMplsEth.ETH_P_NSH);
        return 0;
    }

    /** {@code pop_nsh}: removes the NSH header at the start of the packet. */
    static int popNsh(Packet p, FlowKey key) {
        if (p.len < NSH_BASE_HDR_LEN) {
            return -Errno.ENOMEM;
        }
        int length = hdrLen(p.buf, p.off);
        if (length < NSH_BASE_HDR_LEN) {
            return -Errno.EINVAL;
        }
        int inner = tunPToEthP(p.buf[p.off + 3] & 0xff);
        if (p.len < length) {
            return -Errno.ENOMEM;
        }
        if (inner == 0) {
            return -Errno.EAFNOSUPPORT;
        }
        p.off += length;
        p.len -= length;
        p.macOff = p.off;
        p.networkOff = p.off;
        key.u8(FlowKey.MAC_PROTO_OFFSET,
                inner == VlanMplsEth.ETH_P_TEB ? FlowKey.MAC_PROTO_ETHERNET : FlowKey.MAC_PROTO_NONE);
        ActionExecutor.invalidate(key);
        VlanMplsEth.setL3Protocol(key, inner);
        return 0;
    }

    /**
     * {@code set_nsh} for the masked NSH key attribute at {@code a[attr]}. As {@code nsh_key_from_nlattr}
     * does, each nested attribute's mask is read from the bytes that follow its value, whatever they are:
     * for the stored form of a plain SET (value attributes, then all-ones) that is the next attribute's
     * bytes or the all-ones tail, exactly as in Linux. Fields without an attribute are left alone.
     */
    static int setNsh(Packet p, FlowKey key, byte[] a, int attr) {
        int flagsV = 0;
        int flagsM = 0;
        int ttlV = 0;
        int ttlM = 0;
        int pathV = 0;
        int pathM = 0;
        int ctx = -1; // offset of the MD1 value (mask at +16)
        int q = attr + NlAttr.HEADER_LENGTH;
        int rem = NlAttr.len(a, attr) - NlAttr.HEADER_LENGTH;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(a, q);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            int d = q + NlAttr.HEADER_LENGTH;
            switch (NlAttr.type(a, q)) {
                case NshKeyAttr.BASE -> {
                    if (d + 16 > a.length) {
                        return -Errno.EINVAL;
                    }
                    flagsV = a[d] & 0xff;
                    ttlV = a[d + 1] & 0xff;
                    pathV = Wire.be32(a, d + 4);
                    flagsM = a[d + 8] & 0xff;
                    ttlM = a[d + 9] & 0xff;
                    pathM = Wire.be32(a, d + 12);
                }
                case NshKeyAttr.MD1 -> {
                    if (d + 32 > a.length) {
                        return -Errno.EINVAL;
                    }
                    ctx = d;
                }
                case NshKeyAttr.MD2 -> {
                    return ENOTSUPP;
                }
                default -> {
                    return -Errno.EINVAL;
                }
            }
            q += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
        }
        int nh = p.networkOff;
        int end = p.off + p.len;
        if (nh < p.off || nh + NSH_BASE_HDR_LEN > end) {
            return -Errno.ENOMEM;
        }
        int length = hdrLen(p.buf, nh);
        int mdtype = p.buf[nh + 2] & 0xff;
        if (nh + length > end || (mdtype == NSH_M_TYPE1 && nh + NSH_BASE_HDR_LEN + 16 > end)) {
            return -Errno.ENOMEM;
        }
        byte[] b = p.buf;
        int word = Wire.be16(b, nh);
        int flags = (flagsV | (((word & FLAGS_MASK) >> 12) & ~flagsM)) & 0xff;
        int ttl = (ttlV | (((word & TTL_MASK) >> 6) & ~ttlM)) & 0xff;
        key.u8(FlowKey.NSH_FLAGS_OFFSET, flags);
        key.u8(FlowKey.NSH_TTL_OFFSET, ttl);
        Wire.putBe16(b, nh, (word & ~(FLAGS_MASK | TTL_MASK)) | ((flags << 12) & FLAGS_MASK) | ((ttl << 6) & TTL_MASK));
        int path = pathV | (Wire.be32(b, nh + 4) & ~pathM);
        Wire.putBe32(b, nh + 4, path);
        key.u32(FlowKey.NSH_PATH_HDR_OFFSET, path);
        switch (mdtype) {
            case NSH_M_TYPE1 -> {
                for (int i = 0; i < 4; i++) {
                    int at = nh + NSH_BASE_HDR_LEN + 4 * i;
                    int c = Wire.be32(b, at);
                    if (ctx >= 0) {
                        c = Wire.be32(a, ctx + 4 * i) | (c & ~Wire.be32(a, ctx + 16 + 4 * i));
                        Wire.putBe32(b, at, c);
                    }
                    key.u32(FlowKey.NSH_CONTEXT_OFFSET + 4 * i, c);
                }
            }
            case NSH_M_TYPE2 -> {
                for (int i = 0; i < 4; i++) {
                    key.u32(FlowKey.NSH_CONTEXT_OFFSET + 4 * i, 0);
                }
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
        return 0;
    }
}
