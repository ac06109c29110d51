package dev.linnet.evaluation;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Confidence intervals for the anomaly table and the verdicts of the pre-declared primary scores: every measured
 * row's test F1 is recomputed on the same {@link Bootstrap} resamples of the test part's units (BGL lines, HDFS
 * sessions), with its decisions fixed where validation put its threshold. Each primary row is compared with each
 * baseline row on those resamples (the 95% interval of the paired F1 difference: above, below, or ties when it
 * holds 0), and with each published figure by its own interval (a fixed number on other data: above or below when
 * the interval lies clear of it, else ties).
 */
public final class AnomalyIntervals {
    public static final String BGL = "BGL_2k";
    public static final String HDFS = "HDFS";

    /** One model's pre-declared rows: its line score on BGL and its session score on HDFS (either may be null). */
    public record Primary(String model, AnomalyEvaluation.Row bgl, AnomalyEvaluation.Row hdfs) {}

    /**
     * A primary row against another row on one dataset.
     *
     * @param difference the 95% interval of primary F1 minus the other's, paired; for a published figure, the
     *                   primary's own F1 interval less that figure
     */
    public record Comparison(
            Primary primary,
            String dataset,
            AnomalyEvaluation.Row against,
            boolean published,
            double primaryF1,
            double againstF1,
            Bootstrap.Interval difference,
            Bootstrap.Verdict verdict) {}

    private final Bootstrap bootstrap;
    private final Map<AnomalyEvaluation.Row, Bootstrap.Interval> bgl = new IdentityHashMap<>();
    private final Map<AnomalyEvaluation.Row, Bootstrap.Interval> hdfs = new IdentityHashMap<>();
    private final List<Primary> primaries;
    private final List<Comparison> comparisons = new ArrayList<>();
    private final int bglUnits;
    private final int hdfsUnits;

    /**
     * @param rows       every row of the table (published ones included)
     * @param primaries  the pre-declared rows, one entry a model; each must be among rows
     * @param baselines  the rows to judge the primaries against on the same resamples (among rows)
     */
    public AnomalyIntervals(
            List<AnomalyEvaluation.Row> rows,
            List<Primary> primaries,
            List<AnomalyEvaluation.Row> baselines,
            Bootstrap bootstrap) {
        this.bootstrap = bootstrap;
        this.primaries = List.copyOf(primaries);
        Map<AnomalyEvaluation.Row, double[]> bglF1 = resample(rows, true, bgl);
        Map<AnomalyEvaluation.Row, double[]> hdfsF1 = resample(rows, false, hdfs);
        this.bglUnits = units(rows, true);
        this.hdfsUnits = units(rows, false);
        for (Primary p : primaries) {
            for (boolean isBgl : new boolean[] {true, false}) {
                AnomalyEvaluation.Row primary = isBgl ? p.bgl() : p.hdfs();
                if (primary == null) continue;
                Map<AnomalyEvaluation.Row, double[]> f1 = isBgl ? bglF1 : hdfsF1;
                double[] mine = f1.get(primary);
                if (mine == null)
                    throw new IllegalArgumentException(
                            "primary row '" + primary.method() + "' is not measured on " + (isBgl ? BGL : HDFS));
                double primaryF1 = figures(primary, isBgl).test().f1();
                for (AnomalyEvaluation.Row b : baselines) {
                    double[] theirs = f1.get(b);
                    if (theirs == null) continue;
                    Bootstrap.Interval d = Bootstrap.difference(mine, theirs, Bootstrap.LEVEL);
                    comparisons.add(new Comparison(
                            p,
                            isBgl ? BGL : HDFS,
                            b,
                            false,
                            primaryF1,
                            figures(b, isBgl).test().f1(),
                            d,
                            Bootstrap.Verdict.of(d, 0)));
                }
                Bootstrap.Interval own = (isBgl ? bgl : hdfs).get(primary);
                for (AnomalyEvaluation.Row r : rows) {
                    double published = isBgl ? r.publishedBgl() : r.publishedHdfs();
                    if (figures(r, isBgl) != null || Double.isNaN(published)) continue;
                    Bootstrap.Interval d = new Bootstrap.Interval(own.low() - published, own.high() - published);
                    comparisons.add(new Comparison(
                            p, isBgl ? BGL : HDFS, r, true, primaryF1, published, d, Bootstrap.Verdict.of(d, 0)));
                }
            }
        }
    }

    private static AnomalyEvaluation.Figures figures(AnomalyEvaluation.Row r, boolean isBgl) {
        return isBgl ? r.bgl() : r.hdfs();
    }

    private static int units(List<AnomalyEvaluation.Row> rows, boolean isBgl) {
        for (AnomalyEvaluation.Row r : rows) {
            AnomalyEvaluation.Figures f = figures(r, isBgl);
            if (f != null) return f.testLabels().length;
        }
        return 0;
    }

    /** F1 on every resample for each row measured on the dataset; fills the rows' intervals. */
    private Map<AnomalyEvaluation.Row, double[]> resample(
            List<AnomalyEvaluation.Row> rows, boolean isBgl, Map<AnomalyEvaluation.Row, Bootstrap.Interval> intervals) {
        List<AnomalyEvaluation.Row> measured = new ArrayList<>();
        List<boolean[]> flags = new ArrayList<>();
        boolean[] labels = null;
        for (AnomalyEvaluation.Row r : rows) {
            AnomalyEvaluation.Figures f = figures(r, isBgl);
            if (f == null) continue;
            if (labels == null) {
                labels = f.testLabels();
            } else if (!java.util.Arrays.equals(labels, f.testLabels())) {
                throw new IllegalArgumentException(
                        "row '" + r.method() + "' is judged on other test units than the rows before it");
            }
            measured.add(r);
            flags.add(f.testFlags());
        }
        Map<AnomalyEvaluation.Row, double[]> out = new IdentityHashMap<>();
        if (measured.isEmpty()) return out;
        double[][] f1 = bootstrap.f1(labels, flags);
        for (int i = 0; i < measured.size(); i++) {
            out.put(measured.get(i), f1[i]);
            intervals.put(measured.get(i), Bootstrap.percentile(f1[i], Bootstrap.LEVEL));
        }
        return out;
    }

    /** The row's 95% interval of BGL_2k test F1; null when the row is not measured there. */
    public Bootstrap.Interval bgl(AnomalyEvaluation.Row r) {
        return bgl.get(r);
    }

    /** The row's 95% interval of HDFS test F1; null when the row is not measured there. */
    public Bootstrap.Interval hdfs(AnomalyEvaluation.Row r) {
        return hdfs.get(r);
    }

    public List<Comparison> comparisons() {
        return comparisons;
    }

    /** The verdict of a primary against one row on one dataset, or null when not compared. */
    public Bootstrap.Verdict verdict(Primary p, String dataset, AnomalyEvaluation.Row against) {
        for (Comparison c : comparisons) {
            if (c.primary() == p && c.dataset().equals(dataset) && c.against() == against) return c.verdict();
        }
        return null;
    }

    /**
     * The table's verdict cell for a row: "primary (BGL_2k)" on a primary row; on a row a primary was compared with,
     * the primary's verdict against it per dataset ("BGL_2k ties, HDFS above"), after the model's name when there
     * are several; empty otherwise.
     */
    public String verdictCell(AnomalyEvaluation.Row r) {
        List<String> parts = new ArrayList<>();
        for (Primary p : primaries) {
            List<String> datasets = new ArrayList<>();
            if (p.bgl() == r) datasets.add(BGL);
            if (p.hdfs() == r) datasets.add(HDFS);
            if (!datasets.isEmpty()) parts.add("primary (" + String.join(", ", datasets) + ")");
        }
        if (!parts.isEmpty()) return String.join("; ", parts);
        for (Primary p : primaries) {
            List<String> verdicts = new ArrayList<>();
            for (Comparison c : comparisons) {
                if (c.primary() == p && c.against() == r)
                    verdicts.add(c.dataset() + " " + c.verdict().word());
            }
            if (!verdicts.isEmpty())
                parts.add((primaries.size() > 1 ? p.model() + ": " : "") + String.join(", ", verdicts));
        }
        return String.join("; ", parts);
    }

    /** What the intervals and verdicts are, in words (printed before the table). */
    public String describe() {
        return String.format(
                Locale.ROOT,
                String.join(
                        "\n",
                        "Intervals: 95%% percentile bootstrap, %d resamples (seed %d) of the test part's units (%s: its %d lines; %s: its %d",
                        "  sessions), drawn with replacement; each row's decisions stay those of its validation threshold, and every row is",
                        "  recomputed on the same resamples. Verdict of the primary score against a baseline row: the 95%% interval of the",
                        "  paired F1 difference (primary minus baseline): \"above\" or \"below\" when it lies clear of 0, \"ties\" when it",
                        "  holds 0. Against a published figure (a fixed number on other data): the primary's own interval against it."),
                bootstrap.resamples(),
                bootstrap.seed(),
                BGL,
                bglUnits,
                HDFS,
                hdfsUnits);
    }

    /** One row per comparison: both F1 figures, the difference's interval and the verdict. */
    public String comparisonTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| primary score | dataset | against | primary F1 | its F1 | difference | 95% interval of the difference | verdict |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---|\n");
        for (Comparison c : comparisons) {
            AnomalyEvaluation.Row primary =
                    c.dataset().equals(BGL) ? c.primary().bgl() : c.primary().hdfs();
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s%s | %.3f | %.3f | %+.3f | %+.3f to %+.3f | %s |%n",
                    primary.method(),
                    c.dataset(),
                    c.against().method(),
                    c.published() ? " (fixed figure, other data)" : "",
                    c.primaryF1(),
                    c.againstF1(),
                    c.primaryF1() - c.againstF1(),
                    c.difference().low(),
                    c.difference().high(),
                    c.verdict().word()));
        }
        return sb.toString();
    }
}
