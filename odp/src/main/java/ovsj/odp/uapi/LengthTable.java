package ovsj.odp.uapi;

/**
 * Immutable, value-indexed table of expected attribute payload lengths, the Java form of the
 * kernel's {@code struct ovs_len_tbl} arrays. Entries not set behave like the zero-filled slots of
 * a C designated-initializer array: length 0 and no entry.
 */
final class LengthTable {

    /** Marker for a nested attribute (the kernel's {@code OVS_ATTR_NESTED}). */
    static final int NESTED = -1;
    /** Marker for a variable-length attribute (the kernel's {@code OVS_ATTR_VARIABLE}). */
    static final int VARIABLE = -2;

    private final int[] lengths;
    private final boolean[] present;

    private LengthTable(int[] lengths, boolean[] present) {
        this.lengths = lengths;
        this.present = present;
    }

    /** Starts a table sized {@code max + 1}. */
    static Builder builder(int max) {
        return new Builder(max);
    }

    int size() {
        return lengths.length;
    }

    boolean has(int type) {
        return type >= 0 && type < present.length && present[type];
    }

    int length(int type) {
        if (type < 0 || type >= lengths.length) {
            throw new IllegalArgumentException("attribute type " + type + " is outside 0.." + (lengths.length - 1));
        }
        return lengths[type];
    }

    /** Same rule as the kernel's {@code check_attr_len()}. */
    boolean accepts(int type, int payloadLength) {
        if (type < 0 || type >= lengths.length) {
            return false;
        }
        int expected = lengths[type];
        return expected == payloadLength || expected == NESTED || expected == VARIABLE;
    }

    static final class Builder {
        private final int[] lengths;
        private final boolean[] present;

        private Builder(int max) {
            this.lengths = new int[max + 1];
            this.present = new boolean[max + 1];
        }

        Builder put(int type, int length) {
            if (present[type]) {
                throw new IllegalStateException("duplicate length entry for type " + type);
            }
            lengths[type] = length;
            present[type] = true;
            return this;
        }

        LengthTable build() {
            return new LengthTable(lengths.clone(), present.clone());
        }
    }
}
