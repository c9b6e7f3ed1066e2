package ovsj.odp.uapi;

/**
 * {@code struct ovs_key_ipv6_exthdrs}: payload of {@link KeyAttr#IPV6_EXTHDRS}, kept apart from
 * {@link KeyIpv6} so older userspace keeps working.
 *
 * <pre>
 *         0        1
 *       +--------+--------+
 *     0 |   hdrs (u16)    |
 *       +--------+--------+
 * </pre>
 *
 * <p>sizeof 2, alignment 2.
 */
public final class KeyIpv6Exthdrs {

    private KeyIpv6Exthdrs() {
    }

    /**
     * u16 in <em>host</em> order (plain {@code __u16}, not {@code __be16}): one bit per kind of
     * IPv6 extension header seen.
     */
    public static final int HDRS_OFFSET = 0;

    /** {@code sizeof(struct ovs_key_ipv6_exthdrs)}. */
    public static final int LENGTH = 2;
}
