package ovsj.datapath.genl;

import java.util.List;

import ovsj.netlink.NlWriter;

/**
 * {@code nlctrl} (family id 0x10): {@code CTRL_CMD_GETFAMILY} by name or id answers with
 * {@code CTRL_CMD_NEWFAMILY} describing a family as {@code ctrl_fill_info} does: name, id, version,
 * header size, max attribute, its commands with their capability flags, and its multicast groups.
 */
final class CtrlFamily extends GenlFamily {
    static final int CTRL_CMD_NEWFAMILY = 1;
    static final int CTRL_CMD_GETFAMILY = 3;
    static final int CTRL_CMD_GETPOLICY = 10;

    static final int CTRL_ATTR_FAMILY_ID = 1;
    static final int CTRL_ATTR_FAMILY_NAME = 2;
    static final int CTRL_ATTR_VERSION = 3;
    static final int CTRL_ATTR_HDRSIZE = 4;
    static final int CTRL_ATTR_MAXATTR = 5;
    static final int CTRL_ATTR_OPS = 6;
    static final int CTRL_ATTR_MCAST_GROUPS = 7;
    static final int CTRL_ATTR_OP = 10;
    static final int CTRL_ATTR_OP_ID = 1;
    static final int CTRL_ATTR_OP_FLAGS = 2;
    static final int CTRL_ATTR_MCAST_GRP_NAME = 1;
    static final int CTRL_ATTR_MCAST_GRP_ID = 2;

    /** {@code GENL_NAMSIZ}. */
    static final int GENL_NAMSIZ = 16;
    /** Multicast group ids: nlctrl's "notify" is the first, as in Linux. */
    static final int FIRST_MCAST_GROUP_ID = 0x10;

    private static final AttrPolicy[] POLICY = ctrlPolicy();

    private final GenlServer server;

    CtrlFamily(GenlServer server) {
        super("nlctrl", 2, 0, POLICY,
                List.of(new GenlOp(CTRL_CMD_GETFAMILY, true, true, false),
                        new GenlOp(CTRL_CMD_GETPOLICY, false, true, false)),
                List.of("notify"));
        this.server = server;
    }

    private static AttrPolicy[] ctrlPolicy() {
        AttrPolicy[] p = new AttrPolicy[CTRL_ATTR_OP + 1];
        p[CTRL_ATTR_FAMILY_ID] = AttrPolicy.U16;
        p[CTRL_ATTR_FAMILY_NAME] = AttrPolicy.nulString(GENL_NAMSIZ - 1);
        p[CTRL_ATTR_OP] = AttrPolicy.U32;
        return p;
    }

    @Override
    public int doit(GenlRequest req) {
        if (req.cmd() != CTRL_CMD_GETFAMILY) {
            return -95;
        }
        GenlFamily res = null;
        int err = -22;
        if (req.has(CTRL_ATTR_FAMILY_ID)) {
            int id = ovsj.netlink.Wire.u16(req.buf(), req.payload(CTRL_ATTR_FAMILY_ID));
            for (GenlFamily f : server.families()) {
                if (f.id() == id) {
                    res = f;
                }
            }
            err = -2;
        }
        if (req.has(CTRL_ATTR_FAMILY_NAME)) {
            res = server.family(req.string(CTRL_ATTR_FAMILY_NAME));
            err = -2;
        }
        if (res == null) {
            return err;
        }
        NlWriter w = new NlWriter(512);
        int msg = req.beginReply(w, id(), 0, CTRL_CMD_NEWFAMILY, version());
        fillInfo(w, res);
        w.endMessage(msg);
        req.send(w);
        return 0;
    }

    /** {@code ctrl_fill_info} (without the message header). */
    private void fillInfo(NlWriter w, GenlFamily f) {
        w.putString(CTRL_ATTR_FAMILY_NAME, f.name());
        w.putU16(CTRL_ATTR_FAMILY_ID, f.id());
        w.putU32(CTRL_ATTR_VERSION, f.version());
        w.putU32(CTRL_ATTR_HDRSIZE, f.hdrSize());
        w.putU32(CTRL_ATTR_MAXATTR, f.maxAttr());
        if (!f.ops().isEmpty()) {
            int ops = w.beginNest(CTRL_ATTR_OPS);
            int i = 1;
            for (GenlOp op : f.ops()) {
                int nest = w.beginNest(i++);
                w.putU32(CTRL_ATTR_OP_ID, op.cmd());
                w.putU32(CTRL_ATTR_OP_FLAGS, op.ctrlFlags(true));
                w.endNest(nest);
            }
            w.endNest(ops);
        }
        if (!f.mcastGroups().isEmpty()) {
            int grps = w.beginNest(CTRL_ATTR_MCAST_GROUPS);
            int i = 1;
            for (String g : f.mcastGroups()) {
                int nest = w.beginNest(i);
                w.putU32(CTRL_ATTR_MCAST_GRP_ID, mcastGroupId(f, i - 1));
                w.putString(CTRL_ATTR_MCAST_GRP_NAME, g);
                w.endNest(nest);
                i++;
            }
            w.endNest(grps);
        }
    }

    /** Group ids are handed out in registration order, one per group. */
    private int mcastGroupId(GenlFamily family, int index) {
        int id = FIRST_MCAST_GROUP_ID;
        for (GenlFamily f : server.families()) {
            if (f == family) {
                return id + index;
            }
            id += f.mcastGroups().size();
        }
        return id + index;
    }
}
