package ovsj.datapath;

/**
 * How flow dumps produce each flow's identifier, key and mask. Terse dumps are not a mode: the client
 * asks for them per request with the UFID flags.
 */
public enum DumpMode {
    /** Encode key and mask on every dump: the kernel before the seed patch. */
    SERIALIZE("serialize"),
    /** The seed: encode on a flow's first dump, copy the cached bytes afterwards. */
    MATCH_CACHE("match-cache");

    private final String cliName;

    DumpMode(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Parses {@code serialize} or {@code match-cache}; null if neither. */
    public static DumpMode fromCliName(String s) {
        for (DumpMode m : values()) {
            if (m.cliName.equals(s)) {
                return m;
            }
        }
        return null;
    }
}
