package ovsj.datapath.genl;

import java.util.List;

import ovsj.netlink.Errno;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.MeterAttr;
import ovsj.odp.uapi.MeterCmd;
import ovsj.odp.uapi.OvsHeader;

/**
 * {@code ovs_meter}: registered so that nlctrl describes it as Linux 6.1 does (its commands in the
 * kernel's order FEATURES, SET, GET, DEL with their flags, maxattr, version, multicast group), and so
 * that clients probing for meters find the family. Meters are NOT IMPLEMENTED: every command that
 * passes the attribute policy answers -EOPNOTSUPP, which vswitchd takes as "no meter support".
 */
public final class MeterFamily extends GenlFamily {
    private static final AttrPolicy[] POLICY = meterPolicy();

    public MeterFamily() {
        super(Families.METER_FAMILY, Families.METER_VERSION, OvsHeader.LENGTH, POLICY,
                List.of(new GenlOp(MeterCmd.FEATURES, true, false, false),
                        new GenlOp(MeterCmd.SET, true, false, true),
                        new GenlOp(MeterCmd.GET, true, false, false),
                        new GenlOp(MeterCmd.DEL, true, false, true)),
                List.of(Families.METER_MCGROUP));
    }

    /** {@code meter_policy}. */
    private static AttrPolicy[] meterPolicy() {
        AttrPolicy[] p = new AttrPolicy[MeterAttr.MAX + 1];
        p[MeterAttr.ID] = AttrPolicy.U32;
        p[MeterAttr.KBPS] = AttrPolicy.FLAG;
        p[MeterAttr.STATS] = AttrPolicy.unspec(16); // sizeof(struct ovs_flow_stats)
        p[MeterAttr.BANDS] = AttrPolicy.NESTED;
        p[MeterAttr.USED] = AttrPolicy.U64;
        p[MeterAttr.CLEAR] = AttrPolicy.FLAG;
        p[MeterAttr.MAX_METERS] = AttrPolicy.U32;
        p[MeterAttr.MAX_BANDS] = AttrPolicy.U32;
        return p;
    }

    @Override
    public int doit(GenlRequest req) {
        return -Errno.EOPNOTSUPP;
    }
}
