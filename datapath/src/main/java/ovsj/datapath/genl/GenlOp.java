package ovsj.datapath.genl;

/**
 * One command of a family ({@code struct genl_ops}) as nlctrl reports it: the command number and its
 * {@code CTRL_ATTR_OP_FLAGS} ({@code GENL_CMD_CAP_DO} / {@code _DUMP} / {@code _HASPOL},
 * {@code GENL_UNS_ADMIN_PERM}).
 */
public record GenlOp(int cmd, boolean doit, boolean dumpit, boolean unsAdminPerm) {
    public static final int GENL_ADMIN_PERM = 0x01;
    public static final int GENL_CMD_CAP_DO = 0x02;
    public static final int GENL_CMD_CAP_DUMP = 0x04;
    public static final int GENL_CMD_CAP_HASPOL = 0x08;
    public static final int GENL_UNS_ADMIN_PERM = 0x10;

    /** The flags nlctrl reports (every ovs command has a policy). */
    public int ctrlFlags(boolean hasPolicy) {
        int f = 0;
        if (unsAdminPerm) {
            f |= GENL_UNS_ADMIN_PERM;
        }
        if (doit) {
            f |= GENL_CMD_CAP_DO;
        }
        if (dumpit) {
            f |= GENL_CMD_CAP_DUMP;
        }
        if (hasPolicy) {
            f |= GENL_CMD_CAP_HASPOL;
        }
        return f;
    }
}
