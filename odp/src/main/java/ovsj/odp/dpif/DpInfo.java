package ovsj.odp.dpif;

import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.DpAttr;
import ovsj.odp.uapi.DpMegaflowStats;
import ovsj.odp.uapi.DpStats;
import ovsj.odp.uapi.OvsHeader;

/**
 * A datapath as {@code OVS_DP_CMD_*} replies describe it ({@code ovs_dp_cmd_fill_info}).
 *
 * @param name           {@code OVS_DP_ATTR_NAME}
 * @param ifindex        the header's {@code dp_ifindex}: how requests name this datapath
 * @param hit            {@code ovs_dp_stats.n_hit} (and so on for the next three)
 * @param megaflowStats  whether {@code OVS_DP_ATTR_MEGAFLOW_STATS} came
 * @param maskHit        {@code ovs_dp_megaflow_stats.n_mask_hit}
 * @param masks          {@code n_masks}
 * @param cacheHit       {@code n_cache_hit}
 * @param userFeatures   {@code OVS_DP_ATTR_USER_FEATURES}, 0 if absent
 * @param masksCacheSize {@code OVS_DP_ATTR_MASKS_CACHE_SIZE}, -1 if absent
 */
public record DpInfo(String name, int ifindex, long hit, long missed, long lost, long flows,
        boolean megaflowStats, long maskHit, int masks, long cacheHit, int userFeatures,
        int masksCacheSize) {

    /** Parses the datapath message at {@code buf[msg]}. */
    public static DpInfo parse(byte[] buf, int msg) {
        int len = NlMsgHdr.len(buf, msg);
        int hdr = msg + NlMsgHdr.LENGTH + GenlMsgHdr.LENGTH;
        int ifindex = Wire.u32(buf, hdr + OvsHeader.DP_IFINDEX_OFFSET);
        int attrs = hdr + OvsHeader.LENGTH;
        String name = null;
        long hit = 0, missed = 0, lost = 0, flows = 0, maskHit = 0, cacheHit = 0;
        int masks = 0, features = 0, cacheSize = -1;
        boolean mf = false;
        NlAttrReader r = new NlAttrReader().wrap(buf, attrs, msg + len - attrs);
        while (r.next()) {
            int p = r.payloadOffset();
            switch (r.type()) {
                case DpAttr.NAME -> name = r.string();
                case DpAttr.STATS -> {
                    if (r.payloadLength() >= DpStats.LENGTH) {
                        hit = Wire.u64(buf, p + DpStats.N_HIT_OFFSET);
                        missed = Wire.u64(buf, p + DpStats.N_MISSED_OFFSET);
                        lost = Wire.u64(buf, p + DpStats.N_LOST_OFFSET);
                        flows = Wire.u64(buf, p + DpStats.N_FLOWS_OFFSET);
                    }
                }
                case DpAttr.MEGAFLOW_STATS -> {
                    if (r.payloadLength() >= DpMegaflowStats.LENGTH) {
                        mf = true;
                        maskHit = Wire.u64(buf, p + DpMegaflowStats.N_MASK_HIT_OFFSET);
                        masks = Wire.u32(buf, p + DpMegaflowStats.N_MASKS_OFFSET);
                        cacheHit = Wire.u64(buf, p + DpMegaflowStats.N_CACHE_HIT_OFFSET);
                    }
                }
                case DpAttr.USER_FEATURES -> features = r.u32();
                case DpAttr.MASKS_CACHE_SIZE -> cacheSize = r.u32();
                default -> {
                }
            }
        }
        return new DpInfo(name, ifindex, hit, missed, lost, flows, mf, maskHit, masks, cacheHit, features,
                cacheSize);
    }
}
