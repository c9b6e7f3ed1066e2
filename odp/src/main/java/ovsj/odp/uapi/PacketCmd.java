package ovsj.odp.uapi;

/** Commands of the {@link Families#PACKET_FAMILY} family ({@code enum ovs_packet_cmd}). */
public final class PacketCmd {

    private PacketCmd() {
    }

    /** {@code OVS_PACKET_CMD_UNSPEC}. */
    public static final int UNSPEC = 0;
    /** Kernel to user: no flow matched the packet. */
    public static final int MISS = 1;
    /** Kernel to user: sent by an {@link ActionAttr#USERSPACE} action. */
    public static final int ACTION = 2;
    /** User to kernel: run a list of actions on a supplied packet. */
    public static final int EXECUTE = 3;

    /** Highest command value (the kernel defines no MAX for this enum). */
    public static final int MAX = EXECUTE;

    private static final String[] NAMES = UapiNames.table("OVS_PACKET_CMD_",
            "UNSPEC", "MISS", "ACTION", "EXECUTE");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
