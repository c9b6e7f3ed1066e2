package ovsj.datapath.genl;

import java.util.List;

import ovsj.netlink.NlWriter;

/**
 * A generic-netlink family ({@code struct genl_family}): its name, id, version, the size of its own
 * header after the genl header, its attribute policy, its commands and multicast groups; and the
 * handlers. The ovs families keep {@code doit} and {@code dumpit} apart as the kernel does, and their
 * {@code *MsgSize} beside their {@code *FillInfo}.
 */
public abstract class GenlFamily {
    private final String name;
    private final int version;
    private final int hdrSize;
    private final AttrPolicy[] policy;
    private final List<GenlOp> ops;
    private final List<String> mcastGroups;
    private int id;

    protected GenlFamily(String name, int version, int hdrSize, AttrPolicy[] policy, List<GenlOp> ops,
                         List<String> mcastGroups) {
        this.name = name;
        this.version = version;
        this.hdrSize = hdrSize;
        this.policy = policy;
        this.ops = List.copyOf(ops);
        this.mcastGroups = List.copyOf(mcastGroups);
    }

    public String name() {
        return name;
    }

    public int id() {
        return id;
    }

    void id(int id) {
        this.id = id;
    }

    public int version() {
        return version;
    }

    public int hdrSize() {
        return hdrSize;
    }

    /** {@code maxattr}: the highest attribute type the policy knows. */
    public int maxAttr() {
        return policy.length - 1;
    }

    public AttrPolicy[] policy() {
        return policy;
    }

    public List<GenlOp> ops() {
        return ops;
    }

    public List<String> mcastGroups() {
        return mcastGroups;
    }

    public GenlOp op(int cmd) {
        for (GenlOp op : ops) {
            if (op.cmd() == cmd) {
                return op;
            }
        }
        return null;
    }

    /** Handles a non-dump request; returns 0 or a negative errno (then acked with that error). */
    public abstract int doit(GenlRequest req);

    /**
     * Fills one dump batch ({@code dumpit}): returns the number of bytes written (more to come), 0 when
     * the dump is over, or a negative errno (reported in NLMSG_DONE).
     */
    public int dumpit(GenlRequest req, DumpState state, NlWriter batch) {
        return 0;
    }
}
