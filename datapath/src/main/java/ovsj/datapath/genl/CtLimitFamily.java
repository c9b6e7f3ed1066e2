package ovsj.datapath.genl;

import java.util.List;

import ovsj.netlink.Errno;
import ovsj.odp.uapi.CtLimitAttr;
import ovsj.odp.uapi.CtLimitCmd;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.OvsHeader;

/**
 * {@code ovs_ct_limit}: registered so that nlctrl describes it as Linux 6.1 does (SET, DEL, GET with
 * their flags, maxattr, version, multicast group). Conntrack zone limits are NOT IMPLEMENTED (there is
 * no conntrack): every command that passes the attribute policy answers -EOPNOTSUPP.
 */
public final class CtLimitFamily extends GenlFamily {
    private static final AttrPolicy[] POLICY = ctLimitPolicy();

    public CtLimitFamily() {
        super(Families.CT_LIMIT_FAMILY, Families.CT_LIMIT_VERSION, OvsHeader.LENGTH, POLICY,
                List.of(new GenlOp(CtLimitCmd.SET, true, false, true),
                        new GenlOp(CtLimitCmd.DEL, true, false, true),
                        new GenlOp(CtLimitCmd.GET, true, false, false)),
                List.of(Families.CT_LIMIT_MCGROUP));
    }

    /** {@code ct_limit_policy}. */
    private static AttrPolicy[] ctLimitPolicy() {
        AttrPolicy[] p = new AttrPolicy[CtLimitAttr.MAX + 1];
        p[CtLimitAttr.ZONE_LIMIT] = AttrPolicy.NESTED;
        return p;
    }

    @Override
    public int doit(GenlRequest req) {
        return -Errno.EOPNOTSUPP;
    }
}
