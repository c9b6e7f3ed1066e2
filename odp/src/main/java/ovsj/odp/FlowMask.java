package ovsj.odp;

/**
 * A megaflow mask: a {@link FlowKey} of mask bits plus the word range {@code [start, end)} outside
 * which every word is zero (the kernel's {@code sw_flow_key_range}). Lookups mask, hash and compare
 * only inside that range.
 */
public final class FlowMask {
    private final FlowKey key;
    private int start;
    private int end;
    /** The kernel's range for this mask ({@code MaskRange.of}), part of its identity; -1 if unknown. */
    private int kernelRange = -1;

    public FlowMask() {
        this.key = new FlowKey();
    }

    public FlowMask(FlowKey bits) {
        this.key = new FlowKey(bits);
        updateRange();
    }

    public FlowKey key() {
        return key;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    /**
     * The range the Linux datapath would give this mask in its own key layout (packed start/end bytes,
     * see {@code ovsj.odp.codec.MaskRange}), or -1. Two masks with the same bits but different kernel
     * ranges are different masks, as in {@code mask_equal}.
     */
    public int kernelRange() {
        return kernelRange;
    }

    public FlowMask kernelRange(int packed) {
        this.kernelRange = packed;
        return this;
    }

    /** Whether {@code m} is the same mask: same kernel range, same bits over the same word range. */
    public boolean sameAs(FlowMask m) {
        return m.kernelRange == kernelRange && m.start == start && m.end == end
                && key.equalsRange(m.key, start, end);
    }

    /** Recomputes the range after the bits changed. */
    public FlowMask updateRange() {
        long[] w = key.words;
        int s = 0;
        while (s < w.length && w[s] == 0) {
            s++;
        }
        int e = w.length;
        while (e > s && w[e - 1] == 0) {
            e--;
        }
        if (s == e) {
            s = 0;
            e = 0;
        }
        start = s;
        end = e;
        return this;
    }

    /** Sets every bit: the mask of an exact-match flow over the whole key. */
    public FlowMask setAll() {
        java.util.Arrays.fill(key.words, -1L);
        return updateRange();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowMask m && m.kernelRange == kernelRange && m.start == start && m.end == end
                && key.equals(m.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return "FlowMask[" + start + "," + end + ")" + key;
    }
}
