package ovsj.bench.dump;

import java.util.Arrays;
import java.util.stream.Collectors;

import ovsj.datapath.DumpMode;

/**
 * The three ways a revalidator's dump can be answered: the datapath's {@link DumpMode} plus the UFID
 * flags of the request.
 */
public enum DumpKind {
    /** Full dumps, key and mask encoded on every dump: the kernel before the seed patch. */
    SERIALIZE("serialize", DumpMode.SERIALIZE, 0),
    /** Full dumps, key and mask copied from the match cache built by the first dump: the seed. */
    MATCH_CACHE("match-cache", DumpMode.MATCH_CACHE, 0),
    /**
     * Terse dumps (UFID_FLAGS = OMIT_KEY|OMIT_MASK|OMIT_ACTIONS: identifier and stats only), on a
     * datapath that serialises: what upstream OVS does with UFIDs, without any cache.
     */
    TERSE("terse", DumpMode.SERIALIZE, Megaflows.TERSE);

    private final String cliName;
    private final DumpMode mode;
    private final int ufidFlags;

    DumpKind(String cliName, DumpMode mode, int ufidFlags) {
        this.cliName = cliName;
        this.mode = mode;
        this.ufidFlags = ufidFlags;
    }

    public String cliName() {
        return cliName;
    }

    public DumpMode mode() {
        return mode;
    }

    public int ufidFlags() {
        return ufidFlags;
    }

    /** Parses a {@link #cliName()}; throws with the valid names otherwise. */
    public static DumpKind of(String name) {
        for (DumpKind k : values()) {
            if (k.cliName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown dump mode '" + name + "' (expected one of "
                + Arrays.stream(values()).map(DumpKind::cliName).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
