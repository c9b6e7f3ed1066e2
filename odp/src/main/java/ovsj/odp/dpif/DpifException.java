package ovsj.odp.dpif;

import java.io.IOException;

/**
 * A request the datapath refused: the positive errno of its {@code NLMSG_ERROR} (or of a dump's
 * {@code NLMSG_DONE}), and the extended-ack message when the reply carried one.
 */
public final class DpifException extends IOException {
    private final int errno;
    private final String extAckMessage;

    public DpifException(int errno, String extAckMessage) {
        super(Strerror.of(errno) + (extAckMessage != null ? " (" + extAckMessage + ")" : ""));
        this.errno = errno;
        this.extAckMessage = extAckMessage;
    }

    /** The positive errno, e.g. {@code ENOENT} = 2. */
    public int errno() {
        return errno;
    }

    /** {@code NLMSGERR_ATTR_MSG} of the reply, or null. */
    public String extAckMessage() {
        return extAckMessage;
    }
}
