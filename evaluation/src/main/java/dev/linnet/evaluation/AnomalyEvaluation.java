package dev.linnet.evaluation;

import dev.linnet.engine.model.Model;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Anomaly detection on BGL_2k lines and hdfs100k_sessions blocks under one {@link AnomalyProtocol}: the
 * plain baselines, any number of models, and the published figures, as rows of one table.
 */
public final class AnomalyEvaluation {
    /**
     * Test-part figures of one detector on one dataset.
     *
     * @param threshold     chosen on validation; NaN for a rule without one
     * @param validationF1  F1 on validation at that threshold; NaN for a rule
     * @param oracleTestF1  the best F1 any threshold would reach on the test (for reading the chosen one); NaN for a rule
     * @param testFlags     the decision about each test unit (BGL line, HDFS session), in the test part's order
     * @param testLabels    each test unit's label, in the same order
     */
    public record Figures(
            Confusion test,
            double threshold,
            double validationF1,
            double oracleTestF1,
            boolean[] testFlags,
            boolean[] testLabels) {}

    /** One table row; a null Figures is a dataset the method does not apply to; published figures are F1 only. */
    public record Row(String method, Figures bgl, Figures hdfs, double publishedBgl, double publishedHdfs) {
        static Row measured(String method, Figures bgl, Figures hdfs) {
            return new Row(method, bgl, hdfs, Double.NaN, Double.NaN);
        }
    }

    /**
     * The model's scores of a BGL line, as the rows of {@link #linnet} name them; one is declared the primary score
     * before a run. Each has a short name for the command line and the label its row carries after the model's name.
     */
    public enum LineScore {
        /** The mean surprisal of the line's message (nats/token); its row is the model's name alone. */
        MEAN_SURPRISAL("mean-surprisal", null),
        EXCEEDANCE("exceedance", "line score's exceedance so far"),
        JOB_Z("job-z", "job's rule z >= 3"),
        JOB_EXCEEDANCE("job-exceedance", "job's other rule, exceedance >= " + JOB_EXCEEDANCE_THRESHOLD),
        JOB_Z_VALIDATION("job-z-validation", "job's z-score, threshold on validation");

        private final String shortName;
        private final String label;

        LineScore(String shortName, String label) {
            this.shortName = shortName;
            this.label = label;
        }

        public String shortName() {
            return shortName;
        }

        /** The row's label after the model's name; "line score" for the plain score. */
        public String label() {
            return label == null ? "line score" : label;
        }

        /** The name of this score's row for a model's rows named {@code model}. */
        public String row(String model) {
            return label == null ? model : model + ", " + label;
        }

        /** By short name or by label, case ignored. */
        public static LineScore parse(String s) {
            for (LineScore v : values())
                if (v.shortName.equalsIgnoreCase(s.trim()) || v.label().equalsIgnoreCase(s.trim())) return v;
            throw new IllegalArgumentException("unknown line score '" + s + "'; one of " + names(values()));
        }
    }

    /** The model's scores of an HDFS session, as the rows of {@link #linnet} name them; one is declared the primary. */
    public enum SessionScore {
        /** The largest mean surprisal of the session's lines; its row is the model's name alone. */
        LARGEST_LINE_SCORE("largest-line-score", null),
        EMBEDDING("embedding", "session embedding, nearest normal");

        private final String shortName;
        private final String label;

        SessionScore(String shortName, String label) {
            this.shortName = shortName;
            this.label = label;
        }

        public String shortName() {
            return shortName;
        }

        /** The row's label after the model's name; "session's largest line score" for the plain score. */
        public String label() {
            return label == null ? "session's largest line score" : label;
        }

        public String row(String model) {
            return label == null ? model : model + ", " + label;
        }

        public static SessionScore parse(String s) {
            for (SessionScore v : values())
                if (v.shortName.equalsIgnoreCase(s.trim()) || v.label().equalsIgnoreCase(s.trim())) return v;
            throw new IllegalArgumentException("unknown session score '" + s + "'; one of " + names(values()));
        }
    }

    private static String names(Enum<?>[] values) {
        StringBuilder sb = new StringBuilder();
        for (Enum<?> v : values) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(v instanceof LineScore l ? l.shortName() : ((SessionScore) v).shortName());
        }
        return sb.toString();
    }

    private final AnomalyProtocol protocol;
    private final BglLog bgl;
    private final HdfsSessions hdfs;
    private final AnomalySplit bglSplit;
    private final AnomalySplit hdfsSplit;

    public AnomalyEvaluation(AnomalyProtocol protocol, BglLog bgl, HdfsSessions hdfs) {
        this.protocol = protocol;
        this.bgl = bgl;
        this.hdfs = hdfs;
        this.bglSplit = AnomalySplit.bgl(bgl, protocol.bglWarmShare(), protocol.bglValidationEnd());
        this.hdfsSplit = AnomalySplit.hdfs(hdfs, protocol.hdfsValidationShare());
        if (bglSplit.validation().isEmpty()
                || bglSplit.test().isEmpty()
                || hdfsSplit.validation().isEmpty()
                || hdfsSplit.test().isEmpty()
                || hdfsSplit.warm().isEmpty()) {
            throw new IllegalArgumentException("the protocol leaves an empty part; the data is too small for it");
        }
    }

    public AnomalySplit bglSplit() {
        return bglSplit;
    }

    public AnomalySplit hdfsSplit() {
        return hdfsSplit;
    }

    public String protocolText() {
        return protocol.describe(bglSplit, bgl, hdfsSplit, hdfs);
    }

    /** The plain baselines, computed here on the same parts. */
    public List<Row> baselines() {
        List<Row> rows = new ArrayList<>();
        // first-seen template
        List<List<String>> bglWarm = new ArrayList<>();
        for (int i : bglSplit.warm()) bglWarm.add(List.of(bgl.entries().get(i).template()));
        List<List<String>> bglScored = new ArrayList<>();
        for (int i : scoredBgl()) bglScored.add(List.of(bgl.entries().get(i).template()));
        List<List<String>> hdfsWarm = sessionEvents(hdfsSplit.warm());
        for (boolean learns : new boolean[] {true, false}) {
            boolean[] bglFlags = new FirstSeenTemplate(bglWarm, learns).flags(bglScored);
            boolean[] hdfsFlags = new FirstSeenTemplate(hdfsWarm, learns).flags(sessionEvents(scoredHdfs()));
            rows.add(Row.measured(
                    learns
                            ? "first-seen template, streaming (this split)"
                            : "template unseen in normal warm part (this split)",
                    rule(bglFlags, bglLabels(), bglSplit.validation().size()),
                    rule(hdfsFlags, hdfsLabels(), hdfsSplit.validation().size())));
        }
        // rarity of the line's template (BGL) / count vectors (HDFS)
        List<String> warmTemplates = new ArrayList<>();
        for (List<String> t : bglWarm) warmTemplates.add(t.get(0));
        List<String> scoredTemplates = new ArrayList<>();
        for (List<String> t : bglScored) scoredTemplates.add(t.get(0));
        double[] rarity = new TemplateRarity(warmTemplates).scores(scoredTemplates);
        rows.add(Row.measured(
                "template rarity, count so far (this split)",
                thresholded(rarity, bglLabels(), bglSplit.validation().size()),
                null));
        double[] distance = new CountVectorDistance(hdfsWarm).scores(sessionEvents(scoredHdfs()));
        rows.add(Row.measured(
                "template count-vector, nearest normal (this split)",
                null,
                thresholded(distance, hdfsLabels(), hdfsSplit.validation().size())));
        return rows;
    }

    /** Figures reported elsewhere (F1; full datasets and their own splits, so not this sample). */
    public static List<Row> published() {
        return List.of(
                new Row("DeepLog (published, LogLLM paper table)", null, null, 0.285, 0.908),
                new Row("LogRobust (published, LogLLM paper table)", null, null, 0.810, 0.980));
    }

    /**
     * The log-anomaly job's defaults: alarm at z >= 3, after 20 lines of history, statistics memory 1000 lines; with
     * its other rule ({@code --alarm exceedance}) at exceedance >= 4.6 (the job bins scores at 0.04 nats, which can
     * only lower an exceedance; here it is exact).
     */
    static final double JOB_Z_THRESHOLD = 3.0;

    static final double JOB_EXCEEDANCE_THRESHOLD = 4.6;
    static final int JOB_MIN_HISTORY = 20;
    static final int JOB_MEMORY = 1000;

    /**
     * The model's rows: its scores with a threshold chosen on validation (BGL as one stream, HDFS as one stream per
     * block from a shared warmed prior); then, on BGL, the log-anomaly job's own rule over the same scores (z-score
     * against the stream's running statistics, warm lines included): at the job's fixed z >= 3, and with the z
     * threshold chosen on validation (left out when validation has too little history for a z-score). HDFS blocks
     * are too short for running statistics: n/a there.
     */
    public List<Row> linnet(
            String name, Model model, TextEncoder encoder, int chunk, int batchTokens, PrintStream progress) {
        LinnetLogScorer scorer = new LinnetLogScorer(model, chunk, batchTokens);
        long t0 = System.nanoTime();
        // BGL: warm lines and scored lines in one stream, every line scored (the warm ones feed the z statistics)
        List<ScoredLine> all = new ArrayList<>();
        for (int i : bglSplit.warm()) all.add(bglLine(encoder, i));
        int warmCount = all.size();
        for (int i : scoredBgl()) all.add(bglLine(encoder, i));
        double[] allScores = scorer.scoreStream(List.of(), all);
        double[] bglScores = java.util.Arrays.copyOfRange(allScores, warmCount, allScores.length);
        if (progress != null) {
            progress.printf(
                    Locale.ROOT,
                    "  %s: BGL scored, %d tokens in %.0f s%n",
                    name,
                    scorer.tokensFed(),
                    (System.nanoTime() - t0) / 1e9);
        }
        Figures bglFigures =
                thresholded(bglScores, bglLabels(), bglSplit.validation().size());
        double[] exceedance =
                new ScoreExceedance(java.util.Arrays.copyOfRange(allScores, 0, warmCount)).scores(bglScores);
        Figures bglExceedance =
                thresholded(exceedance, bglLabels(), bglSplit.validation().size());
        boolean[] exceedanceFlags = new boolean[exceedance.length];
        for (int k = 0; k < exceedance.length; k++) {
            exceedanceFlags[k] = warmCount + k >= JOB_MIN_HISTORY && exceedance[k] >= JOB_EXCEEDANCE_THRESHOLD;
        }
        StreamZScores zs = new StreamZScores(JOB_MEMORY, JOB_MIN_HISTORY);
        for (int k = 0; k < warmCount; k++) zs.add(allScores[k]);
        double[] z = new double[bglScores.length];
        boolean[] jobFlags = new boolean[bglScores.length];
        for (int k = 0; k < z.length; k++) {
            z[k] = zs.next(bglScores[k]);
            jobFlags[k] = z[k] >= JOB_Z_THRESHOLD;
        }

        // HDFS: a prior from normal warm sessions, then each distinct event sequence once
        Map<String, ScoredLine> rendered = new HashMap<>();
        List<ScoredLine> prior = new ArrayList<>();
        int priorTokens = 0;
        for (int i : hdfsSplit.warm()) {
            if (priorTokens >= protocol.hdfsWarmTokens()) break;
            for (String e : hdfs.sessions().get(i).events()) {
                ScoredLine l = hdfsLine(encoder, rendered, e);
                prior.add(l);
                priorTokens += l.tokens().length;
            }
        }
        Map<List<String>, Integer> distinct = new LinkedHashMap<>();
        List<Integer> scored = scoredHdfs();
        int[] which = new int[scored.size()];
        for (int k = 0; k < scored.size(); k++) {
            List<String> ev = hdfs.sessions().get(scored.get(k)).events();
            which[k] = ev.isEmpty() ? -1 : distinct.computeIfAbsent(ev, x -> distinct.size());
        }
        // the normal warm sessions' distinct sequences are read too: their embeddings are the normal reference
        int scoredDistinct = distinct.size();
        java.util.Set<Integer> normal = new java.util.LinkedHashSet<>();
        for (int i : hdfsSplit.warm()) {
            List<String> ev = hdfs.sessions().get(i).events();
            if (!ev.isEmpty()) normal.add(distinct.computeIfAbsent(ev, x -> distinct.size()));
        }
        long before = scorer.tokensFed();
        LinnetLogScorer.SessionReadings readings = scorer.scoreSessionsSharingPrefixes(
                prior, new ArrayList<>(distinct.keySet()), e -> hdfsLine(encoder, rendered, e));
        List<float[]> normalEmbeddings = new ArrayList<>();
        for (int d : normal) normalEmbeddings.add(readings.embedding()[d]);
        NearestNormalEmbedding nearest = new NearestNormalEmbedding(normalEmbeddings);
        double[] hdfsScores = new double[scored.size()];
        double[] hdfsDistances = new double[scored.size()];
        for (int k = 0; k < scored.size(); k++) {
            hdfsScores[k] = which[k] < 0 ? Double.NaN : max(readings.lineScores()[which[k]]);
            hdfsDistances[k] = which[k] < 0 ? Double.NaN : nearest.score(readings.embedding()[which[k]]);
        }
        if (progress != null) {
            progress.printf(
                    Locale.ROOT,
                    "  %s: HDFS scored, %d distinct sequences of %d sessions and %d of the normal warm ones, %d tokens (total %.0f s)%n",
                    name,
                    scoredDistinct,
                    scored.size(),
                    distinct.size() - scoredDistinct,
                    scorer.tokensFed() - before,
                    (System.nanoTime() - t0) / 1e9);
        }
        Figures hdfsFigures =
                thresholded(hdfsScores, hdfsLabels(), hdfsSplit.validation().size());
        List<Row> rows = new ArrayList<>();
        rows.add(Row.measured(name, bglFigures, hdfsFigures));
        rows.add(Row.measured(LineScore.EXCEEDANCE.row(name), bglExceedance, null));
        rows.add(Row.measured(
                SessionScore.EMBEDDING.row(name),
                null,
                thresholded(hdfsDistances, hdfsLabels(), hdfsSplit.validation().size())));
        rows.add(Row.measured(
                LineScore.JOB_Z.row(name),
                rule(jobFlags, bglLabels(), bglSplit.validation().size()),
                null));
        rows.add(Row.measured(
                LineScore.JOB_EXCEEDANCE.row(name),
                rule(exceedanceFlags, bglLabels(), bglSplit.validation().size()),
                null));
        // a validation part shorter than the job's minimum history has no z-score to choose a threshold from
        boolean anyValidationZ = false;
        for (int k = 0; k < bglSplit.validation().size(); k++) anyValidationZ |= !Double.isNaN(z[k]);
        if (anyValidationZ) {
            rows.add(Row.measured(
                    LineScore.JOB_Z_VALIDATION.row(name),
                    thresholded(z, bglLabels(), bglSplit.validation().size()),
                    null));
        }
        return rows;
    }

    private ScoredLine bglLine(TextEncoder encoder, int i) {
        BglLog.Entry e = bgl.entries().get(i);
        return ScoredLine.of(encoder, e.header(), e.body());
    }

    private ScoredLine hdfsLine(TextEncoder encoder, Map<String, ScoredLine> cache, String event) {
        return cache.computeIfAbsent(event, e -> ScoredLine.of(encoder, "", hdfs.template(e)));
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) if (!Double.isNaN(v)) m = Math.max(m, v);
        return m == Double.NEGATIVE_INFINITY ? Double.NaN : m;
    }

    /** Validation then test, in order. */
    private List<Integer> scoredBgl() {
        List<Integer> l = new ArrayList<>(bglSplit.validation());
        l.addAll(bglSplit.test());
        return l;
    }

    private List<Integer> scoredHdfs() {
        List<Integer> l = new ArrayList<>(hdfsSplit.validation());
        l.addAll(hdfsSplit.test());
        return l;
    }

    private boolean[] bglLabels() {
        List<Integer> idx = scoredBgl();
        boolean[] out = new boolean[idx.size()];
        for (int k = 0; k < out.length; k++)
            out[k] = bgl.entries().get(idx.get(k)).alert();
        return out;
    }

    private boolean[] hdfsLabels() {
        List<Integer> idx = scoredHdfs();
        boolean[] out = new boolean[idx.size()];
        for (int k = 0; k < out.length; k++)
            out[k] = hdfs.sessions().get(idx.get(k)).anomaly();
        return out;
    }

    private List<List<String>> sessionEvents(List<Integer> idx) {
        List<List<String>> out = new ArrayList<>();
        for (int i : idx) out.add(hdfs.sessions().get(i).events());
        return out;
    }

    /** Scores of validation then test items: threshold on the first part, figures on the rest. */
    static Figures thresholded(double[] scores, boolean[] labels, int validationSize) {
        double[] vs = java.util.Arrays.copyOfRange(scores, 0, validationSize);
        boolean[] vl = java.util.Arrays.copyOfRange(labels, 0, validationSize);
        double[] ts = java.util.Arrays.copyOfRange(scores, validationSize, scores.length);
        boolean[] tl = java.util.Arrays.copyOfRange(labels, validationSize, labels.length);
        ThresholdChoice choice = ThresholdChoice.bestF1(vs, vl);
        boolean[] tf = new boolean[ts.length];
        for (int i = 0; i < ts.length; i++) tf[i] = ts[i] >= choice.threshold();
        return new Figures(
                Confusion.of(tf, tl),
                choice.threshold(),
                choice.validation().f1(),
                ThresholdChoice.oracleF1(ts, tl),
                tf,
                tl);
    }

    /** Decisions of validation then test items: figures on the test part. */
    static Figures rule(boolean[] flags, boolean[] labels, int validationSize) {
        boolean[] tf = java.util.Arrays.copyOfRange(flags, validationSize, flags.length);
        boolean[] tl = java.util.Arrays.copyOfRange(labels, validationSize, labels.length);
        return new Figures(Confusion.of(tf, tl), Double.NaN, Double.NaN, Double.NaN, tf, tl);
    }

    /** The one table: test precision, recall and F1 per dataset, then each threshold's provenance. */
    public static String table(List<Row> rows) {
        return table(rows, null);
    }

    /**
     * As {@link #table(List)}, with three columns more when intervals are given: each dataset's 95% bootstrap interval
     * of F1, and the verdict of the pre-declared primary rows against the row.
     */
    public static String table(List<Row> rows, AnomalyIntervals intervals) {
        StringBuilder sb = new StringBuilder();
        sb.append("| method | BGL_2k P | BGL_2k R | BGL_2k F1 | HDFS P | HDFS R | HDFS F1 |");
        sb.append(intervals == null ? "\n" : " BGL_2k F1 95% | HDFS F1 95% | verdict of the primary score |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|").append(intervals == null ? "\n" : "---:|---:|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.method()).append(" |");
            cells(sb, r.bgl(), r.publishedBgl());
            cells(sb, r.hdfs(), r.publishedHdfs());
            if (intervals != null) {
                sb.append(' ')
                        .append(
                                r.bgl() != null
                                        ? intervalCell(intervals.bgl(r))
                                        : Double.isNaN(r.publishedBgl()) ? "n/a" : "-")
                        .append(" |");
                sb.append(' ')
                        .append(
                                r.hdfs() != null
                                        ? intervalCell(intervals.hdfs(r))
                                        : Double.isNaN(r.publishedHdfs()) ? "n/a" : "-")
                        .append(" |");
                String verdict = intervals.verdictCell(r);
                sb.append(' ').append(verdict.isEmpty() ? "-" : verdict).append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n');
        for (Row r : rows) {
            for (String[] part : new String[][] {{"BGL_2k", "b"}, {"HDFS", "h"}}) {
                Figures f = part[1].equals("b") ? r.bgl() : r.hdfs();
                if (f == null) continue;
                Confusion c = f.test();
                if (Double.isNaN(f.threshold())) {
                    sb.append(String.format(
                            Locale.ROOT,
                            "- %s, %s: rule, no threshold; test TP %d FP %d FN %d TN %d%n",
                            r.method(),
                            part[0],
                            c.truePositives(),
                            c.falsePositives(),
                            c.falseNegatives(),
                            c.trueNegatives()));
                } else {
                    sb.append(String.format(
                            Locale.ROOT,
                            "- %s, %s: threshold %.4g (validation F1 %.3f); test TP %d FP %d FN %d TN %d; best F1 any threshold reaches on the test: %.3f%n",
                            r.method(),
                            part[0],
                            f.threshold(),
                            f.validationF1(),
                            c.truePositives(),
                            c.falsePositives(),
                            c.falseNegatives(),
                            c.trueNegatives(),
                            f.oracleTestF1()));
                }
            }
        }
        return sb.toString();
    }

    private static String intervalCell(Bootstrap.Interval i) {
        return i == null ? "n/a" : String.format(Locale.ROOT, "%.3f-%.3f", i.low(), i.high());
    }

    private static void cells(StringBuilder sb, Figures f, double published) {
        if (f != null) {
            sb.append(String.format(
                    Locale.ROOT,
                    " %.3f | %.3f | %.3f |",
                    f.test().precision(),
                    f.test().recall(),
                    f.test().f1()));
        } else if (!Double.isNaN(published)) {
            sb.append(String.format(Locale.ROOT, " - | - | %.3f |", published));
        } else {
            sb.append(" n/a | n/a | n/a |");
        }
    }
}
