package ovsj.odp.uapi;

/** Shared helpers behind the {@code name(int)} methods of this package. */
final class UapiNames {

    private UapiNames() {
    }

    /**
     * Builds a table indexed by value: entry {@code i} is {@code prefix + suffixes[i]}, or
     * {@code null} where the suffix is {@code null} (a value with no kernel name).
     */
    static String[] table(String prefix, String... suffixes) {
        String[] out = new String[suffixes.length];
        for (int i = 0; i < suffixes.length; i++) {
            out[i] = suffixes[i] == null ? null : prefix + suffixes[i];
        }
        return out;
    }

    /** Looks {@code value} up in a table built by {@link #table}. */
    static String lookup(String[] table, int value) {
        if (value >= 0 && value < table.length && table[value] != null) {
            return table[value];
        }
        return unknown(value);
    }

    /** Name of a single-bit flag; {@code bits[i]} names the value {@code 1 << i}. */
    static String flag(String[] bits, int value) {
        if (Integer.bitCount(value) == 1) {
            int bit = Integer.numberOfTrailingZeros(value);
            if (bit < bits.length && bits[bit] != null) {
                return bits[bit];
            }
        }
        return unknown(value);
    }

    /** Renders a flag word as {@code A|B|0xNN}, naming every known bit; {@code "0"} when empty. */
    static String describeFlags(String[] bits, int value) {
        if (value == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        int rest = value;
        for (int i = 0; i < bits.length; i++) {
            int bit = 1 << i;
            if ((value & bit) != 0 && bits[i] != null) {
                if (!sb.isEmpty()) {
                    sb.append('|');
                }
                sb.append(bits[i]);
                rest &= ~bit;
            }
        }
        if (rest != 0) {
            if (!sb.isEmpty()) {
                sb.append('|');
            }
            sb.append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }

    static String unknown(int value) {
        return "unknown(" + value + ")";
    }
}
