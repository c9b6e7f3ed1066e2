package ovsj.cli.dpctl;

/** A failure that ends the whole {@code dpctl} run (no datapath socket, a broken stream). */
public final class DpctlException extends RuntimeException {
    public DpctlException(String message, Throwable cause) {
        super(message, cause);
    }
}
