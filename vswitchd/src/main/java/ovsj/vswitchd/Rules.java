package ovsj.vswitchd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import ovsj.odp.FlowKey;

/**
 * A priority-ordered rule table (one OpenFlow table, as {@code ovs-ofctl add-flows} fills it),
 * immutable once built. {@link #lookup} finds the highest-priority rule that matches a flow (ties: the
 * earlier line wins) and un-wildcards in the {@link Xlate} exactly what the answer depended on.
 *
 * <h2>What the lookup un-wildcards (the megaflow rule)</h2>
 * Rules are examined in priority order until one matches. For every examined rule:
 * <ul>
 *   <li><b>the rule matches</b>: every bit the rule constrains (each field under the rule's mask,
 *       prefixes up to their length) is un-wildcarded, and the lookup stops;</li>
 *   <li><b>the rule does not match</b>, and some bit where the flow differs from the rule is already
 *       un-wildcarded (say {@code in_port} or {@code dl_type}, which every translation matches
 *       exactly): nothing more is needed — every packet of the megaflow differs from the rule there;</li>
 *   <li><b>otherwise</b>: one proof of the mismatch is un-wildcarded: in the first field (in stage
 *       order: {@code in_port}, {@code dl_type}, {@code dl_vlan}, {@code dl_src}, {@code dl_dst},
 *       {@code nw_proto}, {@code nw_src}, {@code nw_dst}, {@code tp_src}, {@code tp_dst}) where the flow
 *       differs from the rule, the rule's mask bits from the most significant one down to the highest
 *       bit that differs. For a prefix this is the prefix's first bits up to the first differing one,
 *       never more than the rule's prefix length (OVS's prefix tracking); for an exact field it is the
 *       field's top bits down to the first difference (OVS's port tries do the same for L4 ports).</li>
 * </ul>
 * This is correct: any packet that agrees with the flow on the un-wildcarded bits matches the chosen
 * rule (all its constrained bits are exact) and differs from every rule examined before it (at the
 * un-wildcarded differing bit), so it gets the same rule; rules after the chosen one are never
 * consulted. It is also no wider than needed per rule, in the way OVS's staged lookup with prefix
 * tracking is: no bit is un-wildcarded for a rule unless it decides that rule. (The kernel's own
 * prerequisites — exact {@code nw_proto} when ports are matched — are added when the megaflow is
 * built, see {@link MegaflowBuilder}.)
 */
public final class Rules {
    /** {@code OFP_DEFAULT_PRIORITY}. */
    public static final int DEFAULT_PRIORITY = 32768;

    /** The stage order of the match fields. */
    static final XlateField[] STAGE_ORDER = {
        XlateField.IN_PORT, XlateField.DL_TYPE, XlateField.VLAN_TCI, XlateField.DL_SRC, XlateField.DL_DST,
        XlateField.NW_PROTO, XlateField.NW_SRC, XlateField.NW_DST, XlateField.TP_SRC, XlateField.TP_DST,
    };

    /**
     * One rule: priority, the fields it constrains (in stage order, value already masked) and its
     * actions. {@code line} is its line in the source (tie-break between equal priorities).
     */
    public static final class Rule {
        private final int priority;
        private final int line;
        private final XlateField[] fields;
        private final long[] values;
        private final long[] masks;
        private final List<RulesAction> actions;
        private final boolean hasNormal;
        private final String text;

        Rule(int priority, int line, XlateField[] fields, long[] values, long[] masks,
                List<RulesAction> actions, String text) {
            this.priority = priority;
            this.line = line;
            this.fields = fields;
            this.values = values;
            this.masks = masks;
            this.actions = List.copyOf(actions);
            this.hasNormal = actions.stream().anyMatch(a -> a instanceof RulesAction.Normal);
            this.text = text;
        }

        public int priority() {
            return priority;
        }

        public int line() {
            return line;
        }

        public List<RulesAction> actions() {
            return actions;
        }

        /** Whether the actions include {@code normal}. */
        public boolean hasNormal() {
            return hasNormal;
        }

        /** Number of fields the rule constrains. */
        public int fieldCount() {
            return fields.length;
        }

        public XlateField field(int i) {
            return fields[i];
        }

        public long value(int i) {
            return values[i];
        }

        public long mask(int i) {
            return masks[i];
        }

        /** The mask the rule has on {@code f}, 0 if it does not constrain it. */
        public long maskOf(XlateField f) {
            for (int i = 0; i < fields.length; i++) {
                if (fields[i] == f) {
                    return masks[i];
                }
            }
            return 0;
        }

        /** Whether {@code flow} matches the rule. */
        public boolean matches(FlowKey flow) {
            for (int i = 0; i < fields.length; i++) {
                if (((fields[i].get(flow) ^ values[i]) & masks[i]) != 0) {
                    return false;
                }
            }
            return true;
        }

        /** The rule as it was written (its source line, trimmed). */
        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final List<Rule> rules;
    private final String source;

    /** A table of {@code rules} (any order; sorted here by priority, then line). */
    public Rules(List<Rule> rules, String source) {
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt(Rule::priority).reversed().thenComparingInt(Rule::line));
        this.rules = List.copyOf(sorted);
        this.source = source;
    }

    /** An empty table (every packet dropped). */
    public static Rules empty(String source) {
        return new Rules(List.of(), source);
    }

    /** The rules in lookup order. */
    public List<Rule> rules() {
        return rules;
    }

    public int size() {
        return rules.size();
    }

    /** Where the rules came from (a file name). */
    public String source() {
        return source;
    }

    /** The rule {@code flow} matches, without wildcard tracking (tests, {@code ofproto/trace}-like use). */
    public Rule classify(FlowKey flow) {
        for (Rule r : rules) {
            if (r.matches(flow)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The highest-priority rule matching the flow of {@code x}, or null (a table miss); un-wildcards
     * in {@code x} what the answer depended on (see the class comment).
     */
    public Rule lookup(Xlate x) {
        FlowKey flow = x.flow();
        FlowKey wc = x.wildcards();
        for (Rule r : rules) {
            int miss = -1;
            long missDiff = 0;
            boolean proven = false;
            for (int i = 0; i < r.fields.length; i++) {
                XlateField f = r.fields[i];
                long diff = (f.get(flow) ^ r.values[i]) & r.masks[i];
                if (diff != 0) {
                    if ((diff & f.get(wc)) != 0) {
                        proven = true;
                        break;
                    }
                    if (miss < 0) {
                        miss = i;
                        missDiff = diff;
                    }
                }
            }
            if (proven) {
                continue;
            }
            if (miss < 0) {
                for (int i = 0; i < r.fields.length; i++) {
                    x.unwildcard(r.fields[i], r.masks[i]);
                }
                return r;
            }
            long upper = -1L << (63 - Long.numberOfLeadingZeros(missDiff));
            x.unwildcard(r.fields[miss], r.masks[miss] & upper);
        }
        return null;
    }
}
