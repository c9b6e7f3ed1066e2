package ovsj.vswitchd;

import ovsj.odp.FlowKey;

/**
 * What a handler knew when it built a megaflow, kept as the {@link Ukey#tag() tag} of its ukey (the
 * part of OVS's {@code xlate_cache} ovsj needs): the flow's key and the mask as the datapath holds
 * them (parsed back from the netlink attributes, so the kernel's normalisations are in), the pipeline
 * revision it was translated under, and whether the translation went through the learning switch
 * (statistics pushed later refresh the MAC table). Immutable.
 */
public final class Megaflow {
    private final FlowKey key;
    private final FlowKey mask;
    private final long revision;
    private final boolean normalUsed;

    public Megaflow(FlowKey key, FlowKey mask, long revision, boolean normalUsed) {
        this.key = new FlowKey(key);
        this.mask = new FlowKey(mask);
        this.revision = revision;
        this.normalUsed = normalUsed;
    }

    /** The flow key (read-only). */
    public FlowKey key() {
        return key;
    }

    /** The mask as the datapath holds it (read-only). */
    public FlowKey mask() {
        return mask;
    }

    /** The pipeline revision of the translation. */
    public long revision() {
        return revision;
    }

    /** Whether the translation used {@code normal}. */
    public boolean normalUsed() {
        return normalUsed;
    }

    /** Whether {@code flow} is in this megaflow: equal to the key on every mask bit. */
    public boolean covers(FlowKey flow) {
        long[] k = key.words();
        long[] m = mask.words();
        long[] f = flow.words();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if (((k[i] ^ f[i]) & m[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code other} has a mask bit that this megaflow's mask lacks ({@code flow_wildcards_has_extra}). */
    public static boolean hasExtra(FlowKey mask, FlowKey other) {
        long[] a = mask.words();
        long[] b = other.words();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if ((b[i] & ~a[i]) != 0) {
                return true;
            }
        }
        return false;
    }
}
