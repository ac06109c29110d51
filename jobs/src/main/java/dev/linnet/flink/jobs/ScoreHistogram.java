package dev.linnet.flink.jobs;

/**
 * A key's histogram of per-line mean surprisal, as keyed state of a fixed size (512 bins of 0.04 nats, the last
 * open-ended: 2 KB a key), from which a line's exceedance is read: -ln((earlier lines scoring at least as high + 1)
 * / (earlier lines + 1)), "this key logs a line this surprising once in e^exceedance lines". Unlike the z-score
 * of {@link RunningStats} it assumes no shape of the scores' distribution, so one threshold means the same rate on
 * every key. It counts every line the key ever logged (no forgetting); when the count reaches 2^30 all bins are
 * halved, which keeps the shares. The engine's evaluation computes the exact form ({@code ScoreExceedance});
 * here a line's own bin counts as "at least as high", so a score may be taken as up to 0.04 nats lower: the
 * exceedance can only come out lower, never raise a false alarm. A POJO.
 */
public final class ScoreHistogram {
    static final int BINS = 512;
    static final double BIN_WIDTH = 0.04;
    private static final long HALVE_AT = 1L << 30;

    public int[] counts;
    public long total;

    public ScoreHistogram() {}

    static int bin(double score) {
        if (!(score > 0)) {
            return 0;
        }
        return (int) Math.min(BINS - 1, Math.floor(score / BIN_WIDTH));
    }

    /** Counts one line's score; NaN (nothing scored) is not counted. */
    public void add(double score) {
        if (Double.isNaN(score)) {
            return;
        }
        if (counts == null) {
            counts = new int[BINS];
        }
        counts[bin(score)]++;
        total++;
        if (total >= HALVE_AT) {
            total = 0;
            for (int i = 0; i < BINS; i++) {
                counts[i] /= 2;
                total += counts[i];
            }
        }
    }

    /** The exceedance of a score against the lines counted so far; NaN below minHistory lines or for NaN. */
    public double exceedance(double score, int minHistory) {
        if (Double.isNaN(score) || total < minHistory || counts == null) {
            return Double.NaN;
        }
        long atLeast = 0;
        for (int i = bin(score); i < BINS; i++) {
            atLeast += counts[i];
        }
        return -Math.log((atLeast + 1.0) / (total + 1.0));
    }
}
