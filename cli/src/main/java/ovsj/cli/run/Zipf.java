package ovsj.cli.run;

import java.util.SplittableRandom;

/**
 * A Zipf distribution over the ranks {@code 0 .. n-1}: rank {@code r} has probability
 * {@code (r+1)^-s / H(n, s)}, {@code H(n, s) = sum over k = 1..n of k^-s}. With {@code s = 1} and
 * {@code n = 10000}, rank 0 draws about 10% of the samples and the last rank 0.001%: a few flows carry
 * most of the packets and most flows are rare, as in measured traffic.
 *
 * <p>Sampling is by inversion on the cumulative table ({@code n} doubles, a binary search per sample),
 * exact and fast enough for millions of samples; the randomness comes from the caller's seeded
 * {@link SplittableRandom}, so the same seed gives the same samples.
 */
final class Zipf {
    private final double[] cdf;
    private final double exponent;

    Zipf(int n, double exponent) {
        if (n < 1 || !(exponent >= 0)) {
            throw new IllegalArgumentException("Zipf over " + n + " ranks, exponent " + exponent);
        }
        this.exponent = exponent;
        cdf = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += Math.pow(r + 1, -exponent);
            cdf[r] = sum;
        }
        for (int r = 0; r < n; r++) {
            cdf[r] /= sum;
        }
        cdf[n - 1] = 1.0;
    }

    int size() {
        return cdf.length;
    }

    double exponent() {
        return exponent;
    }

    /** The probability of rank {@code r}. */
    double probability(int r) {
        return r == 0 ? cdf[0] : cdf[r] - cdf[r - 1];
    }

    /** One sample: the smallest rank whose cumulative probability exceeds a uniform draw. */
    int sample(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
