package ovsj.odp.uapi;

/**
 * Hash algorithms of {@link ActionHash#HASH_ALG_OFFSET} ({@code enum ovs_hash_alg}). Linux 6.1
 * knows only the L4 hash; the symmetric variant came later.
 */
public final class HashAlg {

    private HashAlg() {
    }

    /** Hash over the L4 flow (the skb's flow hash). */
    public static final int L4 = 0;

    /** Highest value (the kernel defines no MAX for this enum). */
    public static final int MAX = L4;

    private static final String[] NAMES = UapiNames.table("OVS_HASH_ALG_", "L4");

    /** Kernel name of {@code type}, or {@code "unknown(N)"}. */
    public static String name(int type) {
        return UapiNames.lookup(NAMES, type);
    }
}
