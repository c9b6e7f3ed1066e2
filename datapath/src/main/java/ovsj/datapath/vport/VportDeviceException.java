package ovsj.datapath.vport;

/**
 * A device could not be created from the options a client sent: carries the negative errno that
 * {@code OVS_VPORT_CMD_NEW} answers with, and a message (naming the file, for pcap ports) for the log.
 */
public final class VportDeviceException extends Exception {
    private final int errno;

    /** {@code errno} is negative, as the families return it (e.g. {@code -Errno.ENOENT}). */
    public VportDeviceException(int errno, String message) {
        super(message);
        if (errno >= 0) {
            throw new IllegalArgumentException("errno must be negative: " + errno);
        }
        this.errno = errno;
    }

    /** The negative errno for the NLMSG_ERROR. */
    public int errno() {
        return errno;
    }
}
