package dev.linnet.evaluation;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded bootstrap over the test part's units (BGL lines, HDFS sessions): each resample draws as many units as
 * the test part has, with replacement, and recomputes a detector's F1 from its fixed decisions (the threshold stays
 * where validation put it). The resamples depend only on the seed and the number of units, so detectors judged on
 * the same units share them, and a difference of two detectors' F1 can be read resample by resample (paired).
 */
public final class Bootstrap {
    public static final int DEFAULT_RESAMPLES = 2000;
    public static final double LEVEL = 0.95;

    /** A closed interval. */
    public record Interval(double low, double high) {
        public boolean contains(double v) {
            return v >= low && v <= high;
        }
    }

    /** Where one figure lies against another, by a 95% interval: above it, below it, or not told apart. */
    public enum Verdict {
        ABOVE,
        TIES,
        BELOW;

        /** "above", "ties", "below". */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** ABOVE when the interval lies above {@code reference}, BELOW when below it, else TIES. */
        public static Verdict of(Interval interval, double reference) {
            if (interval.low() > reference) return ABOVE;
            if (interval.high() < reference) return BELOW;
            return TIES;
        }
    }

    private final int resamples;
    private final long seed;

    public Bootstrap(int resamples, long seed) {
        if (resamples < 1) throw new IllegalArgumentException("need at least one resample, got " + resamples);
        this.resamples = resamples;
        this.seed = seed;
    }

    public int resamples() {
        return resamples;
    }

    public long seed() {
        return seed;
    }

    /**
     * F1 on every resample for each detector's decisions about the same units: result[d][b] is detector d's F1 on
     * resample b. Every detector sees the same resamples.
     */
    public double[][] f1(boolean[] labels, List<boolean[]> flags) {
        int n = labels.length;
        for (boolean[] f : flags) {
            if (f.length != n) throw new IllegalArgumentException(f.length + " decisions but " + n + " labels");
        }
        if (n == 0) throw new IllegalArgumentException("no unit to resample");
        int detectors = flags.size();
        double[][] out = new double[detectors][resamples];
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] pick = new int[n];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) pick[i] = rnd.nextInt(n);
            for (int d = 0; d < detectors; d++) {
                boolean[] f = flags.get(d);
                int tp = 0, fp = 0, fn = 0;
                for (int i : pick) {
                    if (f[i]) {
                        if (labels[i]) tp++;
                        else fp++;
                    } else if (labels[i]) {
                        fn++;
                    }
                }
                int denominator = 2 * tp + fp + fn;
                out[d][b] = denominator == 0 ? 0 : 2.0 * tp / denominator; // as Confusion.f1
            }
        }
        return out;
    }

    /** The percentile interval holding the central {@code level} of the values (linear between order statistics). */
    public static Interval percentile(double[] values, double level) {
        if (values.length == 0) throw new IllegalArgumentException("no value");
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double tail = (1 - level) / 2;
        return new Interval(quantile(sorted, tail), quantile(sorted, 1 - tail));
    }

    /** The percentile interval of a - b, resample by resample (a paired comparison on the same resamples). */
    public static Interval difference(double[] a, double[] b, double level) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " resamples against " + b.length);
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) d[i] = a[i] - b[i];
        return percentile(d, level);
    }

    /** Is a above, below or tied with b, by the 95% interval of their paired difference? */
    public static Verdict compare(double[] a, double[] b) {
        return Verdict.of(difference(a, b, LEVEL), 0);
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }
}
