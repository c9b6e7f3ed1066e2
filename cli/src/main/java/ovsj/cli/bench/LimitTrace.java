package ovsj.cli.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code ovsj bench limit} records, and the pure arithmetic over it: one {@link Round} per
 * revalidator round (the TSV), {@link Sample}s of the flow count every 100 ms (for the install rate),
 * and the {@link Summary} of a run: where the limit settles, how many flows stay alive, how long the
 * rounds take and how fast the flows were installed.
 *
 * <p>TSV: a header line {@value #HEADER} (tab-separated), then one line per round: the policy, the
 * round's end in seconds since the run started (3 decimals), the flow limit after the round, the
 * round's duration in ms ({@code max(ms, 1)}, what the controller sees), the datapath's flow count at
 * the round's start (the daemon's cached count, at most 100 ms old) and the flows the handlers had
 * installed by the round's end.
 */
public final class LimitTrace {
    /** The TSV's header line. */
    public static final String HEADER = "policy\tt_s\tlimit\tdump_ms\tflows\tinstalled";
    /** A run has reached its flows once it holds this fraction of its target. */
    public static final double REACHED = 0.98;
    /** The limit has settled once it stays within this fraction of the settled value. */
    public static final double SETTLED = 0.10;

    private LimitTrace() {
    }

    /** One revalidator round. */
    public record Round(String policy, double t, long limit, long dumpMs, long flows, long installed) {
        /** The TSV line (no newline). */
        public String tsv() {
            return String.format(Locale.ROOT, "%s\t%.3f\t%d\t%d\t%d\t%d", policy, t, limit, dumpMs, flows, installed);
        }

        /** Parses a {@link #tsv()} line. */
        public static Round parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length != 6) {
                throw new IllegalArgumentException("expected 6 tab-separated fields, not " + f.length + ": " + line);
            }
            return new Round(f[0], Double.parseDouble(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]));
        }
    }

    /** The datapath's flow count and the handlers' installs at time {@code t} (s since the start). */
    public record Sample(double t, long flows, long installed) {
    }

    /** Writes the header and the rounds, one line each. */
    public static void write(Appendable out, List<Round> rounds) throws IOException {
        out.append(HEADER).append('\n');
        for (Round r : rounds) {
            out.append(r.tsv()).append('\n');
        }
    }

    /** Reads what {@link #write} wrote (blank lines skipped). */
    public static List<Round> read(List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException("not a flow-limit trace: the first line is not '" + HEADER + "'");
        }
        List<Round> rounds = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (!l.isBlank()) {
                rounds.add(Round.parse(l));
            }
        }
        return rounds;
    }

    /**
     * One policy's run, summarised.
     *
     * @param policy       the policy
     * @param rounds       revalidator rounds in the run
     * @param windowStart  the settle window: rounds that ended at or after this time (s)
     * @param limit        median flow limit over the window: where the limit settled
     * @param settleS      when the limit entered {@code limit ± 10%} for good (s), NaN if the last round is
     *                     outside it
     * @param flows        median datapath flows over the window: the flows kept alive
     * @param flowsMin     least datapath flows over the window
     * @param flowsMax     most datapath flows over the window
     * @param dumpMs       median round duration over the window, ms
     * @param dumpMinMs    shortest round over the window, ms
     * @param dumpMaxMs    longest round over the window, ms
     * @param overBudget   rounds over the window that took longer than the budget
     * @param reachS       when the datapath first held 98% of {@code min(offered, limit)} flows (s), NaN if
     *                     never
     * @param reachFlows   the flows it held then
     * @param peakInstall  the most flows the handlers installed in one second (over any window of at least
     *                     1 s between samples), per second
     */
    public record Summary(String policy, int rounds, double windowStart, long limit, double settleS, long flows,
            long flowsMin, long flowsMax, long dumpMs, long dumpMinMs, long dumpMaxMs, int overBudget, double reachS,
            long reachFlows, double peakInstall) {

        /** Flows per second until the datapath held its flows: {@code reachFlows / reachS}, NaN if never. */
        public double reachRate() {
            return Double.isNaN(reachS) || reachS <= 0 ? Double.NaN : reachFlows / reachS;
        }
    }

    /**
     * Summarises one policy's rounds and samples. The settle window is the last {@code windowS} seconds
     * before the last round; {@code offered} is the number of distinct flows the traffic offers.
     */
    public static Summary summarize(String policy, List<Round> rounds, List<Sample> samples, long offered,
            double windowS, long budgetMs) {
        if (rounds.isEmpty()) {
            return new Summary(policy, 0, Double.NaN, 0, Double.NaN, 0, 0, 0, 0, 0, 0, 0, Double.NaN, 0, Double.NaN);
        }
        double end = rounds.get(rounds.size() - 1).t();
        double windowStart = end - windowS;
        List<Round> window = rounds.stream().filter(r -> r.t() >= windowStart).toList();
        long[] limits = window.stream().mapToLong(Round::limit).toArray();
        long[] flows = window.stream().mapToLong(Round::flows).toArray();
        long[] dumps = window.stream().mapToLong(Round::dumpMs).toArray();
        long limit = median(limits);
        int over = (int) window.stream().filter(r -> r.dumpMs() > budgetMs).count();

        double reachS = Double.NaN;
        long reachFlows = 0;
        double target = REACHED * Math.min(offered, limit);
        for (Sample s : samples) {
            if (s.flows() >= target) {
                reachS = s.t();
                reachFlows = s.flows();
                break;
            }
        }
        return new Summary(policy, rounds.size(), windowStart, limit, settleTime(rounds, limit), median(flows),
                Arrays.stream(flows).min().orElse(0), Arrays.stream(flows).max().orElse(0), median(dumps),
                Arrays.stream(dumps).min().orElse(0), Arrays.stream(dumps).max().orElse(0), over, reachS, reachFlows,
                peakRate(samples));
    }

    /**
     * The time of the first round from which every limit stays within {@code settled ± 10%}; NaN if the
     * last round's limit is outside.
     */
    public static double settleTime(List<Round> rounds, long settled) {
        double lo = settled * (1 - SETTLED);
        double hi = settled * (1 + SETTLED);
        double t = Double.NaN;
        for (int i = rounds.size() - 1; i >= 0; i--) {
            long l = rounds.get(i).limit();
            if (l < lo || l > hi) {
                break;
            }
            t = rounds.get(i).t();
        }
        return t;
    }

    /** The highest install rate between two samples at least 1 s apart (the nearest such pairs), per s. */
    public static double peakRate(List<Sample> samples) {
        double best = Double.NaN;
        int j = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample a = samples.get(i);
            while (j < samples.size() && samples.get(j).t() - a.t() < 1.0) {
                j++;
            }
            if (j == samples.size()) {
                break;
            }
            Sample b = samples.get(j);
            double rate = (b.installed() - a.installed()) / (b.t() - a.t());
            if (Double.isNaN(best) || rate > best) {
                best = rate;
            }
        }
        return best;
    }

    /** The lower median (the middle value, or the lower of the two middle ones); 0 if empty. */
    public static long median(long[] values) {
        if (values.length == 0) {
            return 0;
        }
        long[] v = values.clone();
        Arrays.sort(v);
        return v[(v.length - 1) / 2];
    }
}
