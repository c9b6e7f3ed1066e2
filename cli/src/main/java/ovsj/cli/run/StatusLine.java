package ovsj.cli.run;

import java.util.Locale;

/**
 * The texts of {@code ovsj run}'s live status: the line per second and the progress bar shown while a
 * large flow population loads. Rates and the hit rate are over the last interval; the totals since the
 * start are in parentheses.
 */
final class StatusLine {
    /** Width of the bar, in characters between the brackets. */
    static final int BAR = 30;

    private StatusLine() {
    }

    /**
     * {@code    5s  flows 10200/11000  dump 3ms  upcalls 12/s  hit rate 99.9%  50000 pkt/s  (hit 245000
     * missed 10212 lost 0)}.
     *
     * @param now    the numbers now
     * @param prev   the numbers at the previous line, or null (the rates are then since the start)
     * @param nanos  time since {@code prev} (or the start)
     */
    static String status(RunSession.Summary now, RunSession.Summary prev, long nanos) {
        long hit = now.hit() - (prev == null ? 0 : prev.hit());
        long missed = now.missed() - (prev == null ? 0 : prev.missed());
        long upcalls = now.upcalls() - (prev == null ? 0 : prev.upcalls());
        double secs = Math.max(nanos, 1) / 1e9;
        return String.format(Locale.ROOT,
                "%4ds  flows %d/%d  dump %dms  upcalls %d/s  hit rate %s  %d pkt/s  (hit %d missed %d lost %d)",
                now.seconds(), now.flowsNow(), now.limit(), now.dumpDurationMs(), Math.round(upcalls / secs),
                percent(hit, hit + missed), Math.round((hit + missed) / secs), now.hit(), now.missed(), now.lost());
    }

    /**
     * {@code loading flows [############..................] 41% 412000/1000000  (180000 in the datapath,
     * limit 200000)}.
     */
    static String loading(long offered, long total, long flowsNow, long limit) {
        int pct = total == 0 ? 100 : (int) Math.min(100, offered * 100 / total);
        int fill = total == 0 ? BAR : (int) Math.min(BAR, offered * BAR / total);
        return "loading flows [" + "#".repeat(fill) + ".".repeat(BAR - fill) + "] " + pct + "% " + offered + "/"
                + total + "  (" + flowsNow + " in the datapath, limit " + limit + ")";
    }

    /** {@code 99.9%}, or {@code -} when nothing was counted. */
    static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
