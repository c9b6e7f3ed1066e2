package ovsj.odp.dpif;

import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.OvsHeader;
import ovsj.odp.uapi.VportAttr;
import ovsj.odp.uapi.VportStats;

/**
 * A datapath port as {@code OVS_VPORT_CMD_*} replies describe it ({@code ovs_vport_cmd_fill_info}).
 *
 * @param dpIfindex  the header's {@code dp_ifindex}
 * @param portNo     {@code OVS_VPORT_ATTR_PORT_NO}
 * @param type       {@code OVS_VPORT_ATTR_TYPE} ({@link ovsj.odp.uapi.VportType})
 * @param name       {@code OVS_VPORT_ATTR_NAME}
 * @param ifindex    {@code OVS_VPORT_ATTR_IFINDEX}, 0 if absent
 * @param stats      the eight {@code ovs_vport_stats} counters in struct order, or null if absent
 * @param upcallPids {@code OVS_VPORT_ATTR_UPCALL_PID}, empty if absent
 * @param options    the payload of {@code OVS_VPORT_ATTR_OPTIONS}, or null
 */
public record VportInfo(int dpIfindex, int portNo, int type, String name, int ifindex, long[] stats,
        int[] upcallPids, byte[] options) {

    /** Index into {@link #stats()} ({@code ovs_vport_stats} order). */
    public static final int RX_PACKETS = 0;
    public static final int TX_PACKETS = 1;
    public static final int RX_BYTES = 2;
    public static final int TX_BYTES = 3;
    public static final int RX_ERRORS = 4;
    public static final int TX_ERRORS = 5;
    public static final int RX_DROPPED = 6;
    public static final int TX_DROPPED = 7;

    /** Parses the vport message at {@code buf[msg]}. */
    public static VportInfo parse(byte[] buf, int msg) {
        int len = NlMsgHdr.len(buf, msg);
        int hdr = msg + NlMsgHdr.LENGTH + GenlMsgHdr.LENGTH;
        int dp = Wire.u32(buf, hdr + OvsHeader.DP_IFINDEX_OFFSET);
        int attrs = hdr + OvsHeader.LENGTH;
        int portNo = -1, type = 0, ifindex = 0;
        String name = null;
        long[] stats = null;
        int[] pids = new int[0];
        byte[] options = null;
        NlAttrReader r = new NlAttrReader().wrap(buf, attrs, msg + len - attrs);
        while (r.next()) {
            switch (r.type()) {
                case VportAttr.PORT_NO -> portNo = r.u32();
                case VportAttr.TYPE -> type = r.u32();
                case VportAttr.NAME -> name = r.string();
                case VportAttr.IFINDEX -> ifindex = r.u32();
                case VportAttr.STATS -> {
                    if (r.payloadLength() >= VportStats.LENGTH) {
                        stats = new long[8];
                        for (int i = 0; i < 8; i++) {
                            stats[i] = Wire.u64(buf, r.payloadOffset() + 8 * i);
                        }
                    }
                }
                case VportAttr.UPCALL_PID -> {
                    pids = new int[r.payloadLength() / 4];
                    for (int i = 0; i < pids.length; i++) {
                        pids[i] = Wire.u32(buf, r.payloadOffset() + 4 * i);
                    }
                }
                case VportAttr.OPTIONS -> options = r.bytes();
                default -> {
                }
            }
        }
        return new VportInfo(dp, portNo, type, name, ifindex, stats, pids, options);
    }
}
