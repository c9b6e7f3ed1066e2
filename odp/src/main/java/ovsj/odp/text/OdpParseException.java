package ovsj.odp.text;

/**
 * A datapath flow or action string that does not parse. The message is OVS's: for a match
 * {@code "syntax error at <rest of the input>"} (what {@code ovs-dpctl} shows inside
 * {@code parsing flow key (...)}); {@link #errno()} is the positive errno OVS returns ({@code EINVAL},
 * or {@code E2BIG} for an oversized attribute).
 */
public final class OdpParseException extends Exception {
    public static final int EINVAL = 22;
    public static final int E2BIG = 7;

    private final int errno;

    public OdpParseException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
