package ovsj.odp;

/**
 * Where the codecs report what the Linux module writes to the kernel log when it refuses a key, mask or
 * action ({@code OVS_NLERR}). Lines carry the kernel's full text, e.g.
 * {@code "openvswitch: netlink: Key type 40 is out of range max 32"}, so the datapath can log what
 * Linux logs. {@link #NONE} is for probes ({@code OVS_FLOW_ATTR_PROBE}), which log nothing.
 */
@FunctionalInterface
public interface KernelLog {
    KernelLog NONE = line -> {
    };

    void log(String line);

    /** {@code OVS_NLERR(log, fmt, ...)}: the openvswitch module's netlink error prefix. */
    default void nlerr(String msg) {
        log("openvswitch: netlink: " + msg);
    }
}
