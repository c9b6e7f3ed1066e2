package ovsj.datapath.genl;

import ovsj.datapath.Datapath;
import ovsj.datapath.DumpMode;
import ovsj.datapath.table.Flow;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.codec.ActionCodec;
import ovsj.odp.codec.KeyEmitter;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.UfidFlags;

/**
 * How a flow is written into a reply or a dump batch: the twin of {@code ovs_flow_cmd_fill_info} and
 * {@code ovs_flow_cmd_msg_size}, and the home of the seed's match cache.
 *
 * <p>A flow message is {@code [UFID | KEY(unmasked)] [KEY(masked)] [MASK] [USED] [STATS] [TCP_FLAGS]
 * [ACTIONS]}. The first three never change for the life of a flow; in {@link DumpMode#MATCH_CACHE} a
 * flow's first dump builds their netlink bytes once ({@code [identifier][masked key][mask]}, the masked
 * key only for UFID flows) and later dumps copy the parts the request's UFID flags ask for.
 */
public final class FlowMessages {
    /** A generous bound of an identifier + key + mask: {@code ovs_key_attr_size()} and more. */
    static final int MATCH_BYTES_MAX = 3 * 640;

    private FlowMessages() {
    }

    static boolean fillKey(Flow flow, int ufidFlags) {
        return flow.hasUfid() && (ufidFlags & UfidFlags.OMIT_KEY) == 0;
    }

    static boolean fillMask(int ufidFlags) {
        return (ufidFlags & UfidFlags.OMIT_MASK) == 0;
    }

    static boolean fillActions(int ufidFlags) {
        return (ufidFlags & UfidFlags.OMIT_ACTIONS) == 0;
    }

    /** {@code ovs_flow_cmd_msg_size}: an upper bound of a single-flow reply. */
    static int msgSize(Flow flow, int ufidFlags) {
        byte[] acts = flow.actions();
        return 4 + MATCH_BYTES_MAX + NlAttr.totalSize(16) + NlAttr.totalSize(1) + NlAttr.totalSize(8)
                + (fillActions(ufidFlags) ? ActionCodec.replySize(acts, 0, acts.length) + 64 : 0)
                + 64;
    }

    /**
     * {@code ovs_flow_cmd_fill_info}: appends one flow message. Returns 0, or -EMSGSIZE when a bounded
     * writer had no room (the writer is then back where it was).
     *
     * @param batchStart where the current batch began: a flow that is first in its batch may go out
     *                   without its actions when they do not fit (as the kernel's {@code skb_orig_len})
     */
    static int fillInfo(NlWriter w, Flow flow, int dpIfindex, int portId, int seq, int flags, int cmd,
                        int ufidFlags, DumpMode mode, int batchStart, Datapath dp, long[] statsScratch) {
        int start = w.position();
        int msg = w.beginMessage(0, flags, seq, portId); // type patched below
        w.putGenlHeader(cmd, 1);
        w.putRawU32(dpIfindex);
        if (mode == DumpMode.MATCH_CACHE) {
            putCachedMatch(w, flow, ufidFlags, dp);
        } else {
            putMatch(w, flow, ufidFlags);
        }
        putStats(w, flow, statsScratch);
        if (w.overflowed()) {
            w.rewind(start);
            return -90;
        }
        if (fillActions(ufidFlags)) {
            int beforeActions = w.position();
            byte[] acts = flow.actions();
            if (ActionCodec.putActions(w, acts, 0, acts.length) != 0) {
                if (start != batchStart) {
                    w.rewind(start);
                    return -90;
                }
                // First in its batch: go out without actions rather than never.
                w.rewind(beforeActions);
            }
        }
        w.endMessage(msg);
        return 0;
    }

    /** Sets the family id of the message at {@code msg} (known only to the family). */
    static void setType(NlWriter w, int msg, int familyId) {
        Wire.putU16(w.buffer(), msg + 4, familyId);
    }

    /** {@code ovs_nla_put_identifier}, {@code ovs_nla_put_masked_key}, {@code ovs_nla_put_mask}. */
    static void putMatch(NlWriter w, Flow flow, int ufidFlags) {
        if (flow.hasUfid()) {
            int p = w.reserve(FlowAttr.UFID, flow.ufidLength());
            if (p >= 0) {
                flow.copyUfidTo(w.buffer(), p);
            }
        } else {
            KeyEmitter.putKey(w, flow.unmaskedKey());
        }
        if (fillKey(flow, ufidFlags)) {
            KeyEmitter.putKey(w, flow.key());
        }
        if (fillMask(ufidFlags)) {
            KeyEmitter.putMask(w, flow.key(), flow.mask());
        }
    }

    /**
     * The seed: copy the parts of the cached match the flags ask for. A flow's first dump encodes the
     * match straight into the batch and keeps a copy of those bytes (one exact-size allocation); when
     * the whole match does not fit the batch (a terse message may still fit) it is built aside.
     */
    static void putCachedMatch(NlWriter w, Flow flow, int ufidFlags, Datapath dp) {
        byte[] cache = flow.matchCache();
        if (cache == null) {
            if (w.overflowed()) {
                return; // the message is lost already: fillInfo rewinds
            }
            int at = w.position();
            putMatch(w, flow, 0);
            byte[] built;
            if (w.overflowed()) {
                w.rewind(at);
                NlWriter aside = new NlWriter(512);
                putMatch(aside, flow, 0);
                built = aside.toByteArray();
            } else {
                built = java.util.Arrays.copyOfRange(w.buffer(), at, w.position());
                if (fillKey(flow, ufidFlags) == flow.hasUfid() && fillMask(ufidFlags)) {
                    publish(flow, built, dp);
                    return; // what was asked for is what was just written
                }
                w.rewind(at);
            }
            cache = publish(flow, built, dp);
        }
        int ident = NlAttr.align(NlAttr.len(cache, 0));
        int keyLen = flow.hasUfid() ? NlAttr.align(NlAttr.len(cache, ident)) : 0;
        int maskAt = ident + keyLen;
        w.putRawUnpadded(cache, 0, ident);
        if (fillKey(flow, ufidFlags)) {
            w.putRawUnpadded(cache, ident, keyLen);
        }
        if (fillMask(ufidFlags)) {
            w.putRawUnpadded(cache, maskAt, cache.length - maskAt);
        }
    }

    private static byte[] publish(Flow flow, byte[] built, Datapath dp) {
        byte[] cache = flow.publishMatchCache(built);
        if (cache == built && dp != null) {
            dp.matchCacheBytes.addAndGet(built.length);
        }
        return cache;
    }

    /** {@code ovs_flow_cmd_fill_stats}: USED once hit, STATS once counted, TCP_FLAGS if any. */
    static void putStats(NlWriter w, Flow flow, long[] s) {
        flow.stats().read(s);
        if (s[2] != 0) {
            w.putU64Aligned(FlowAttr.USED, s[2], FlowAttr.PAD);
        }
        if (s[0] != 0) {
            int p = w.reserve64(FlowAttr.STATS, 16, FlowAttr.PAD);
            if (p >= 0) {
                Wire.putU64(w.buffer(), p, s[0]);
                Wire.putU64(w.buffer(), p + 8, s[1]);
            }
        }
        if ((s[3] & 0xff) != 0) {
            w.putU8(FlowAttr.TCP_FLAGS, (int) (s[3] & 0xff));
        }
    }

    /** The key a flow is looked up with for NEW-as-modify checks (see {@code ovs_flow_cmp}). */
    static boolean sameMatch(Flow flow, FlowKey key) {
        return flow.hasUfid() ? flow.key().equals(key) : flow.unmaskedKey().equals(key);
    }
}
