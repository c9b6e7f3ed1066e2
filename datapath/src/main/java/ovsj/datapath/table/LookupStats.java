package ovsj.datapath.table;

/**
 * The out-parameters of {@link FlowTable#lookupStats}: {@code n_mask_hit} (masks probed) and
 * {@code n_cache_hit} (lookups answered by the mask the cache pointed at). One instance per forwarding
 * thread, reused for every packet; the lookup writes it and allocates nothing.
 */
public final class LookupStats {
    int nMaskHit;
    int nCacheHit;
    /** Scratch: the mask index the last {@code flow_lookup} settled on (its {@code *index}). */
    int index;

    /** Masks probed by the last lookup (the kernel's {@code n_mask_hit}). */
    public int nMaskHit() {
        return nMaskHit;
    }

    /** 1 if the last lookup was answered by the cached mask index, else 0 ({@code n_cache_hit}). */
    public int nCacheHit() {
        return nCacheHit;
    }

    @Override
    public String toString() {
        return "LookupStats[nMaskHit=" + nMaskHit + ", nCacheHit=" + nCacheHit + "]";
    }
}
