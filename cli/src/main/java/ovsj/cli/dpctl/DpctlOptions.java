package ovsj.cli.dpctl;

/**
 * The options of {@code ovs-dpctl} that change what a command does ({@code struct dpctl_params}).
 */
public final class DpctlOptions {
    /** {@code -m}/{@code --more}, counted. */
    public int verbosity;
    /** {@code --names} (true) / {@code --no-names} (false); null: names iff {@code verbosity > 0}. */
    public Boolean names;
    /** {@code -s}/{@code --statistics}. */
    public boolean statistics;
    /** {@code --clear}: {@code mod-flow} zeroes the statistics. */
    public boolean clear;
    /** {@code --may-create}: {@code mod-flow} creates a missing flow. */
    public boolean mayCreate;

    /** Whether port numbers print as names. */
    public boolean names() {
        return names != null ? names : verbosity > 0;
    }
}
