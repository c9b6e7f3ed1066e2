package ovsj.datapath.actions;

import ovsj.datapath.Packet;
import ovsj.netlink.NlAttr;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.CtAttr;
import ovsj.odp.uapi.CtState;

/**
 * The ct and ct_clear actions without a connection tracker.
 *
 * <h2>ct: the honest minimum</h2>
 *
 * ovsj has no conntrack table. Linux has a path for exactly that situation: when {@code nf_conntrack_in}
 * attaches no connection to the packet, {@code __ovs_ct_lookup} and {@code ovs_ct_commit} still update the
 * key through {@code ovs_ct_update_key(skb, info, key, post_ct = true, ...)}, which with no connection
 * gives {@code ct_state = +trk+inv}, {@code ct_zone} = the action's zone, {@code ct_mark} = 0,
 * {@code ct_label} = 0, and no original-direction tuple ({@code ct_orig_proto} = 0); commit, mark, labels,
 * NAT, helpers and timeouts then have no connection to act on and do nothing, and the packet goes on to the
 * next action. That is what this does for every packet, so a pipeline sees "conntrack could not track this
 * packet" rather than invented state. Before it, as {@code ovs_ct_execute} does, the key is re-extracted if
 * invalid (by the caller) and the packet is trimmed to its IP length ({@code ovs_skb_network_trim}).
 *
 * <p>Not done: IP fragments are not reassembled ({@code handle_fragments} would hold them back and release a
 * reassembled packet with an MRU); they get +trk+inv like any packet. Nothing is ever committed, so
 * {@code ct_state} is never +new, +est, +rel or +rpl.
 *
 * <h2>ct_clear</h2>
 *
 * {@code ovs_ct_clear} with a key: drops the packet's connection (none here) and refills the key's
 * conntrack fields with "untracked": state, zone, mark, labels and {@code ct_orig_proto} all 0.
 */
final class Conntrack {
    private Conntrack() {
    }

    /** {@code ovs_ct_execute} with no connection attached, for the stored CT payload {@code a[pay, pay+plen)}. */
    static int execute(Packet p, FlowKey key, byte[] a, int pay, int plen) {
        networkTrim(p, key);
        int zone = 0;
        int q = pay;
        int rem = plen;
        while (rem >= NlAttr.HEADER_LENGTH) {
            int alen = NlAttr.len(a, q);
            if (alen < NlAttr.HEADER_LENGTH || alen > rem) {
                break;
            }
            if (NlAttr.type(a, q) == CtAttr.ZONE && alen >= NlAttr.HEADER_LENGTH + 2) {
                zone = Wire.u16(a, q + NlAttr.HEADER_LENGTH);
            }
            q += NlAttr.align(alen);
            rem -= NlAttr.align(alen);
        }
        updateKey(key, CtState.TRACKED | CtState.INVALID, zone);
        return 0;
    }

    /** {@code ovs_ct_clear(skb, key)}. */
    static void clear(FlowKey key) {
        updateKey(key, 0, 0);
    }

    /** {@code __ovs_ct_update_key} with no connection. */
    private static void updateKey(FlowKey key, int state, int zone) {
        key.u8(FlowKey.CT_STATE_OFFSET, state);
        key.u16(FlowKey.CT_ZONE_OFFSET, zone);
        key.u32(FlowKey.CT_MARK_OFFSET, 0);
        for (int i = 0; i < FlowKey.CT_LABELS_LENGTH; i += 8) {
            key.u64(FlowKey.CT_LABELS_OFFSET + i, 0);
        }
        key.u8(FlowKey.CT_ORIG_PROTO_OFFSET, 0);
    }

    /** {@code ovs_skb_network_trim}: drop bytes past the IPv4 total length / IPv6 payload length. */
    private static void networkTrim(Packet p, FlowKey key) {
        int nh = p.networkOff;
        int end = p.off + p.len;
        if (nh < p.off) {
            return;
        }
        int proto = VlanMplsEth.protocol(p, key);
        int l3;
        if (proto == VlanMplsEth.ETH_P_IP && nh + 4 <= end) {
            l3 = Wire.be16(p.buf, nh + 2);
        } else if (proto == VlanMplsEth.ETH_P_IPV6 && nh + 6 <= end) {
            l3 = 40 + Wire.be16(p.buf, nh + 4);
        } else {
            return;
        }
        if (nh + l3 < end) {
            p.len = nh + l3 - p.off;
        }
    }
}
