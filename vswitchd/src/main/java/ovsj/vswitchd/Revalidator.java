package ovsj.vswitchd;

/**
 * A revalidator thread of a {@link Udpif} ({@code struct revalidator}). This file also holds the
 * contract between revalidators and the translation side: {@link Revalidation} and {@link Result}.
 */
public final class Revalidator {

    /**
     * How a revalidator re-checks a flow against the current pipeline: implemented by the handler side
     * (OVS's {@code revalidate_ukey__}, i.e. {@code xlate_key} + comparing actions and masks). Called from
     * revalidator threads, concurrently, each call with the ukey's lock held.
     */
    public interface Revalidation {
        /**
         * Re-translates {@code ukey}'s flow (its {@link Ukey#key() key} and {@link Ukey#mask() mask})
         * under the current pipeline; called when {@link Ukey#revalSeq()} differs from
         * the Udpif's revalSeq. Answers {@link Result#KEEP} if the installed actions and mask are
         * still right, {@link Result#modify(byte[])} with the new actions if only the actions changed,
         * {@link Result#DELETE} if the flow must go (the mask would differ, or the flow is no longer
         * wanted). May update {@link Ukey#setTag}. The revalidator then records the new actions and
         * the Udpif's revalSeq on the ukey itself.
         */
        Result revalidate(Ukey ukey);

        /**
         * Statistics the datapath counted for {@code ukey}'s flow since the last push (OVS's
         * {@code xlate_push_stats}): for rule counters, MAC learning refresh... Called with the ukey's
         * lock held, for every nonzero delta, including the final one of a deleted flow. Default: none.
         *
         * @param packets  packets since the last push
         * @param bytes    bytes since the last push
         * @param tcpFlags TCP flags seen (cumulative OR)
         * @param usedMs   the datapath's {@code used} time (datapath ms, 0 = never)
         */
        default void pushStats(Ukey ukey, long packets, long bytes, int tcpFlags, long usedMs) {
        }

        /** A policy that keeps every flow as it is. */
        Revalidation KEEP_ALL = ukey -> Result.KEEP;
    }

    /** {@code enum reval_result} with the new actions of a MODIFY. */
    public record Result(Kind kind, byte[] actions) {
        /** {@code UKEY_KEEP}, {@code UKEY_MODIFY}, {@code UKEY_DELETE}. */
        public enum Kind { KEEP, MODIFY, DELETE }

        /** Keep the flow as installed. */
        public static final Result KEEP = new Result(Kind.KEEP, null);
        /** Delete the flow. */
        public static final Result DELETE = new Result(Kind.DELETE, null);

        /** Replace the flow's actions by {@code actions} (action attribute bytes). */
        public static Result modify(byte[] actions) {
            return new Result(Kind.MODIFY, java.util.Objects.requireNonNull(actions, "actions"));
        }
    }

    private Revalidator() {
    }
}
