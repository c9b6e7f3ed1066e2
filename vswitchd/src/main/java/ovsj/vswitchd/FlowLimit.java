package ovsj.vswitchd;

import java.util.Locale;

/**
 * The dynamic datapath flow limit ({@code udpif->flow_limit}): handlers do not install a flow while the
 * datapath holds this many, and revalidators evict idle flows fast (100 ms) above it and everything
 * above twice it. The lead revalidator {@link #update updates} it after each round from the number of
 * flows at the round's start and the round's duration, with one of two policies.
 *
 * <h2>{@code ovs}: OVS's controller, bit for bit</h2>
 * As {@code udpif_revalidator} in {@code ofproto-dpif-upcall.c} (32-bit unsigned limit, 64-bit flow
 * count): start at {@code min(flow-limit, 10000)}; after a round of {@code d = max(ms, 1)}:
 * <pre>
 *   if (d &gt; 2000)                                  limit /= d / 1000;
 *   else if (d &gt; 1300)                             limit = limit * 3 / 4;
 *   else if (d &lt; 1000 &amp;&amp; limit &lt; n_flows * 1000 / d) limit += 1000;
 *   limit = min(flow-limit, max(limit, 1000));
 * </pre>
 * and, when {@code d > 2000}, the log line "Spent an unreasonably long {d}ms dumping flows".
 *
 * <h2>{@code adaptive}: ovsj's controller</h2>
 * OVS's controller climbs by 1000 flows per round (about 2000 flows a second), so a datapath that
 * could hold a million flows within a one-second dump takes minutes to be allowed them. The adaptive
 * policy keeps OVS's goal, dumps within a time budget {@code B} (1000 ms by default: the duration under
 * which OVS still grows), and estimates directly how many flows fit in it:
 * <ol>
 * <li><b>Cost per flow.</b> Every round with {@code d >= 10 ms} (so the ms resolution is within 10%)
 * gives a sample {@code d / n_flows}; the estimate {@code c} is their EWMA with weight 1/2. Fixed
 * per-round costs make {@code c} too high at small {@code n_flows}, never too low: the estimate errs on
 * the safe side.</li>
 * <li><b>Never over budget.</b> A round with {@code d > B} cuts the limit at once, from that round's
 * own rate rather than the average: {@code limit = min(limit, n_flows * B / d)}, and {@code c} is raised
 * to at least that round's sample. So a limit whose dump has been measured over the budget is never
 * kept for another round.</li>
 * <li><b>Grow fast, not blindly.</b> Otherwise, with a cost estimate, the target is
 * {@code 0.9 B / c} (10% headroom for noise): a limit below it grows to it, but by at most
 * {@code max(1000, n_flows)} per round — the limit at most doubles while the flows press on it, since
 * the cost of a dump bigger than twice the one just measured is an extrapolation. A limit above
 * {@code B / c} comes down to it; between the two it stays (hysteresis).</li>
 * <li><b>No estimate yet</b> (only dumps under 10 ms): OVS's growth test scaled to the budget,
 * {@code limit < n_flows * B / d}, grows the limit by {@code max(1000, n_flows)}.</li>
 * </ol>
 * The limit is then clamped to {@code [1000, flow-limit]} as in OVS. From the starting 10000, flows
 * pressing on the limit double it every round (every 500 ms), so 1M flows are allowed within about
 * four seconds when the dump cost allows them; when the dumps slow down, the first round over budget
 * brings the limit to what the measured rate allows.
 *
 * <p>Thread-safe: the leader updates, handlers and {@code upcall/show} read.
 */
public final class FlowLimit {
    /** {@code OFPROTO_FLOW_LIMIT_DEFAULT}: the default {@code other_config:flow-limit}. */
    public static final long DEFAULT_MAX = 200_000;
    /** The limit never goes below this. */
    public static final long MIN = 1000;
    /** The starting limit is {@code min(flow-limit, START)}. */
    public static final long START = 10_000;
    /** The adaptive policy's default time budget for one dump, ms. */
    public static final long DEFAULT_BUDGET_MS = 1000;
    /** Duration over which a round logs a warning, ms. */
    public static final long WARN_MS = 2000;

    /** The adaptive policy's minimum round duration for a cost sample, ms. */
    static final long SAMPLE_MIN_MS = 10;
    /** The adaptive policy's headroom: it grows to this fraction of the budget. */
    static final double HEADROOM = 0.9;

    private static final long U32 = 0xffff_ffffL;

    /** The controller. */
    public enum Policy {
        /** OVS's controller. */
        OVS,
        /** ovsj's: largest limit within the budget, reached in a few rounds. */
        ADAPTIVE;

        /** {@code "ovs"} or {@code "adaptive"} (any case). */
        public static Policy parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "ovs" -> OVS;
                case "adaptive" -> ADAPTIVE;
                default -> throw new IllegalArgumentException(
                        "unknown flow limit policy '" + s + "' (ovs, adaptive)");
            };
        }

        /** The name {@link #parse} reads. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Policy policy;
    private final long budgetMs;
    private volatile long max;
    private volatile long limit;
    /** Adaptive: EWMA of ms per flow, NaN until a sample. Leader only. */
    private double costMs = Double.NaN;

    /** OVS's policy, the default flow-limit. */
    public FlowLimit() {
        this(Policy.OVS, DEFAULT_MAX, DEFAULT_BUDGET_MS);
    }

    /**
     * @param policy   the controller
     * @param max      {@code other_config:flow-limit}: the ceiling
     * @param budgetMs the adaptive policy's dump time budget (ignored by {@code ovs})
     */
    public FlowLimit(Policy policy, long max, long budgetMs) {
        if (max < 0 || max > U32) {
            throw new IllegalArgumentException("flow-limit " + max);
        }
        if (budgetMs < 1) {
            throw new IllegalArgumentException("budget " + budgetMs);
        }
        this.policy = policy;
        this.max = max;
        this.budgetMs = budgetMs;
        this.limit = Math.min(max, START);
    }

    public Policy policy() {
        return policy;
    }

    /** The adaptive policy's budget, ms. */
    public long budgetMs() {
        return budgetMs;
    }

    /** The current limit ({@code udpif->flow_limit}). */
    public long limit() {
        return limit;
    }

    /** {@code upcall/set-flow-limit}: sets the current limit (as a u32, like OVS's {@code atoi}). */
    public void set(long value) {
        limit = value & U32;
    }

    /** {@code other_config:flow-limit}: the ceiling. */
    public long max() {
        return max;
    }

    /** Changes the ceiling (applied by the next {@link #update}, as in OVS). */
    public void setMax(long value) {
        if (value < 0 || value > U32) {
            throw new IllegalArgumentException("flow-limit " + value);
        }
        max = value;
    }

    /** The adaptive policy's cost estimate, ms per flow (NaN if none yet). */
    public double costMsPerFlow() {
        return costMs;
    }

    /**
     * After a round: {@code nFlows} datapath flows at its start, {@code durationMs} its duration (OVS
     * takes {@code max(d, 1)}). Returns the new limit.
     */
    public synchronized long update(long nFlows, long durationMs) {
        long d = Math.max(durationMs, 1);
        long n = Math.max(nFlows, 0);
        long next = switch (policy) {
            case OVS -> ovsNext(limit, n, d, max);
            case ADAPTIVE -> adaptiveNext(n, d);
        };
        limit = next;
        return next;
    }

    /** Whether a round of {@code durationMs} is logged as unreasonably long ({@code > 2000}). */
    public static boolean isUnreasonable(long durationMs) {
        return durationMs > WARN_MS;
    }

    /** OVS's log line for an unreasonably long round. */
    public static String unreasonableMessage(long durationMs) {
        return "Spent an unreasonably long " + durationMs + "ms dumping flows";
    }

    /**
     * OVS's controller, one step, in OVS's integer types: {@code limit} is an unsigned int,
     * {@code nFlows} an unsigned long, {@code duration} (at least 1) a long long, {@code max} an
     * unsigned int.
     */
    public static long ovsNext(long limit, long nFlows, long duration, long max) {
        long l = limit & U32;
        if (duration > 2000) {
            l = Long.divideUnsigned(l, duration / 1000) & U32;
        } else if (duration > 1300) {
            l = ((l * 3) & U32) / 4;
        } else if (duration < 1000 && Long.compareUnsigned(l, Long.divideUnsigned(nFlows * 1000, duration)) < 0) {
            l = (l + 1000) & U32;
        }
        return Math.min(max & U32, Math.max(l, MIN));
    }

    private long adaptiveNext(long n, long d) {
        long l = limit;
        double sample = n > 0 ? (double) d / n : Double.NaN;
        if (d >= SAMPLE_MIN_MS && n > 0) {
            costMs = Double.isNaN(costMs) ? sample : 0.5 * sample + 0.5 * costMs;
        }
        if (d > budgetMs) {
            long fit = n > 0 ? (long) Math.floor((double) n * budgetMs / d) : MIN;
            l = Math.min(l, fit);
            if (n > 0) {
                costMs = Double.isNaN(costMs) ? sample : Math.max(costMs, sample);
            }
        } else if (!Double.isNaN(costMs)) {
            long grow = (long) Math.floor(HEADROOM * budgetMs / costMs);
            long hold = (long) Math.floor(budgetMs / costMs);
            if (l < grow) {
                l = Math.min(grow, l + Math.max(1000, n));
            } else if (l > hold) {
                l = hold;
            }
        } else if (l < n * budgetMs / d) {
            l += Math.max(1000, n);
        }
        return Math.min(max, Math.max(l, MIN));
    }

    @Override
    public String toString() {
        return policy.label() + " limit " + limit + " (max " + max + ")";
    }
}
