package ovsj.vswitchd;

import java.security.SecureRandom;
import java.util.Arrays;

import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlWriter;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.codec.KeyEmitter;
import ovsj.odp.codec.KeyParser;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FragType;
import ovsj.odp.uapi.KeyAttr;

/**
 * Turns a translation into what {@code OVS_FLOW_CMD_NEW} carries, as OVS's handler does
 * ({@code ukey_create_from_upcall}, {@code odp_flow_key_from_mask}, {@code odp_flow_key_hash}):
 * <ul>
 *   <li>the <b>UFID</b>: a 128-bit hash (MurmurHash3 x64-128) of the upcall's key attributes seeded
 *       with a per-process random 32-bit secret (as {@code hash_bytes128} with a random basis), with
 *       the UUID version-4 bits set as {@code uuid_set_bits_v4} sets them on OVS's four host-order
 *       32-bit words — the same key always gives the same UFID in one process;</li>
 *   <li>the <b>mask</b>: the translation's wildcards completed as {@code xlate_wc_finish} does
 *       ({@link #finishWildcards}), written as mask attributes for the key
 *       ({@link KeyEmitter} with the key choosing the attributes; no tunnel mask for a flow without a
 *       tunnel), then parsed back together with the key exactly as the datapath will
 *       ({@link KeyParser#parseMatch}), which both checks that the datapath accepts the match and yields
 *       the mask the datapath will hold (the kernel always matches the VLAN TCI of untagged frames
 *       exactly, for instance).</li>
 * </ul>
 * One per thread (holds a parser and buffers). Not thread-safe.
 */
public final class MegaflowBuilder {
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;

    /** OVS's {@code odp_flow_key_hash} secret: a random 32-bit basis, drawn once per process. */
    private static final int PROCESS_SECRET = new SecureRandom().nextInt();

    private final int secret;
    private final KeyParser parser = new KeyParser();
    private final NlWriter w = new NlWriter(2048);
    private final NlWriter scratch = new NlWriter(1024);
    private final FlowKey parsedKey = new FlowKey();
    private final FlowKey finished = new FlowKey();
    private final StringBuilder log = new StringBuilder();
    private final KernelLog klog = line -> log.append(line);
    private String error;

    /** A builder hashing UFIDs with this process's secret. */
    public MegaflowBuilder() {
        this(PROCESS_SECRET);
    }

    /** A builder hashing UFIDs with {@code secret} (tests: reproducible UFIDs). */
    public MegaflowBuilder(int secret) {
        this.secret = secret;
    }

    /** Why the last {@link #parseKey} or {@link #buildMask} failed (the kernel's log line). */
    public String error() {
        return error;
    }

    // ---- UFID -----------------------------------------------------------------------------------

    /** {@code odp_flow_key_hash}: the 16-byte UFID of the key attributes {@code key[off, off+len)}. */
    public byte[] ufid(byte[] key, int off, int len) {
        byte[] u = new byte[16];
        murmur3x64x128(key, off, len, secret, u);
        // uuid_set_bits_v4 on the u32 words (little-endian in the bytes): version 4 in word 1 bits
        // 12..15, variant 10 in word 2 bits 30..31.
        u[5] = (byte) ((u[5] & 0x0f) | 0x40);
        u[11] = (byte) ((u[11] & 0x3f) | 0x80);
        return u;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static long le64(byte[] b, int p, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[p + i] & 0xff);
        }
        return v;
    }

    /**
     * MurmurHash3_x64_128 of {@code b[off, off+len)} with a 32-bit seed (the reference algorithm:
     * {@code h1 = h2 = seed}); {@code out} gets h1 then h2, little-endian.
     */
    static void murmur3x64x128(byte[] b, int off, int len, int seed, byte[] out) {
        final long c1 = 0x87c37b91114253d5L;
        final long c2 = 0x4cf5ad432745937fL;
        long h1 = seed & 0xffffffffL;
        long h2 = h1;
        int nblocks = len / 16;
        for (int i = 0; i < nblocks; i++) {
            int p = off + 16 * i;
            long k1 = le64(b, p, 8);
            long k2 = le64(b, p + 8, 8);
            k1 *= c1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= c2;
            h1 ^= k1;
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            k2 *= c2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= c1;
            h2 ^= k2;
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = off + 16 * nblocks;
        int rem = len & 15;
        long k1 = 0;
        long k2 = 0;
        if (rem > 8) {
            k2 = le64(b, tail + 8, rem - 8);
            k2 *= c2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= c1;
            h2 ^= k2;
        }
        if (rem > 0) {
            k1 = le64(b, tail, Math.min(rem, 8));
            k1 *= c1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= c2;
            h1 ^= k1;
        }
        h1 ^= len;
        h2 ^= len;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (h1 >>> (8 * i));
            out[8 + i] = (byte) (h2 >>> (8 * i));
        }
    }

    // ---- key ------------------------------------------------------------------------------------

    /**
     * Parses key attributes {@code key[off, off+len)} (the payload of an upcall's
     * {@code OVS_PACKET_ATTR_KEY}) into {@code out}, as the datapath parses a flow key. Returns false
     * (see {@link #error()}) if the datapath would refuse it.
     */
    public boolean parseKey(byte[] key, int off, int len, FlowKey out) {
        w.reset();
        int nest = w.beginNest(FlowAttr.KEY);
        w.putRaw(key, off, len);
        w.endNest(nest);
        log.setLength(0);
        int err = parser.parseMatch(w.buffer(), 0, -1, out, null, klog);
        error = err == 0 ? null : "flow key refused (" + err + "): " + log;
        return err == 0;
    }

    // ---- mask -----------------------------------------------------------------------------------

    /**
     * {@code xlate_wc_finish}: completes the wildcards {@code wc} of a translation of {@code flow} with
     * what the datapath needs to accept and apply the match: an exact IP protocol when L4 ports are
     * matched (none at all where the key has no ports: non-IP packets and later fragments), only the
     * low 8 bits of ICMP type and code, and the VLAN tag-present bit whenever any TCI bit is matched.
     */
    public static void finishWildcards(FlowKey flow, FlowKey wc) {
        int t = flow.ethType();
        boolean ip = t == ETH_P_IP || t == ETH_P_IPV6;
        boolean ports = XlateField.TP_SRC.get(wc) != 0 || XlateField.TP_DST.get(wc) != 0;
        if (ports) {
            if (!ip || flow.ipFrag() == FragType.LATER) {
                XlateField.TP_SRC.set(wc, 0);
                XlateField.TP_DST.set(wc, 0);
            } else {
                XlateField.NW_PROTO.set(wc, 0xff);
                int proto = flow.ipProto();
                if ((t == ETH_P_IP && proto == IPPROTO_ICMP) || (t == ETH_P_IPV6 && proto == IPPROTO_ICMPV6)) {
                    XlateField.TP_SRC.set(wc, XlateField.TP_SRC.get(wc) & 0xff);
                    XlateField.TP_DST.set(wc, XlateField.TP_DST.get(wc) & 0xff);
                }
            }
        }
        if (XlateField.VLAN_TCI.get(wc) != 0) {
            XlateField.VLAN_TCI.or(wc, XlateField.VLAN_CFI);
        }
    }

    /**
     * The mask attributes (payload of {@code OVS_FLOW_ATTR_MASK}) for the flow {@code flow}, whose key
     * attributes are {@code key[off, off+len)}, with wildcards {@code wc} (not modified:
     * {@link #finishWildcards} is applied to a copy). {@code datapathMask} receives the mask as the
     * datapath will hold it. Returns null if the datapath would refuse the match ({@link #error()}).
     */
    public byte[] buildMask(byte[] key, int off, int len, FlowKey flow, FlowKey wc, FlowKey datapathMask) {
        finished.copyFrom(wc);
        finishWildcards(flow, finished);
        scratch.reset();
        KeyEmitter.putFields(scratch, flow, finished, true);
        w.reset();
        int keyNest = w.beginNest(FlowAttr.KEY);
        w.putRaw(key, off, len);
        w.endNest(keyNest);
        int maskAt = w.position();
        int maskNest = w.beginNest(FlowAttr.MASK);
        // Copy the attributes, leaving out the tunnel of a flow without one (all-zero, and a tunnel
        // mask is only meaningful with a tunnel key).
        NlAttrReader r = new NlAttrReader().wrap(scratch.buffer(), 0, scratch.position());
        while (r.next()) {
            if (r.type() == KeyAttr.TUNNEL && flow.tunProto() == 0) {
                continue;
            }
            w.putRaw(scratch.buffer(), r.offset(), r.length());
        }
        w.endNest(maskNest);
        log.setLength(0);
        int err = parser.parseMatch(w.buffer(), 0, maskAt, parsedKey, datapathMask, klog);
        if (err != 0) {
            error = "megaflow refused (" + err + "): " + log;
            return null;
        }
        error = null;
        int payload = maskAt + NlAttr.HEADER_LENGTH;
        return Arrays.copyOfRange(w.buffer(), payload, w.position());
    }
}
