package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyIntervalsTest {
    /** 10 validation then 40 test units, every fifth one an anomaly. */
    private static boolean[] labels() {
        boolean[] l = new boolean[50];
        for (int i = 0; i < l.length; i += 5) l[i] = true;
        return l;
    }

    /** A score that separates the anomalies perfectly: the threshold from validation catches every test anomaly. */
    private static AnomalyEvaluation.Figures perfect() {
        boolean[] labels = labels();
        double[] scores = new double[labels.length];
        for (int i = 0; i < scores.length; i++) scores[i] = labels[i] ? 2 + i % 3 : i % 2;
        return AnomalyEvaluation.thresholded(scores, labels, 10);
    }

    /** A rule that flags every third unit. */
    private static AnomalyEvaluation.Figures middling() {
        boolean[] flags = new boolean[labels().length];
        for (int i = 0; i < flags.length; i += 3) flags[i] = true;
        return AnomalyEvaluation.rule(flags, labels(), 10);
    }

    @Test
    void perfectlySeparatedRowHasIntervalOneToOneAndIsAboveTheRest() {
        AnomalyEvaluation.Row primaryRow = AnomalyEvaluation.Row.measured("model, score", perfect(), null);
        AnomalyEvaluation.Row baseline = AnomalyEvaluation.Row.measured("baseline", middling(), null);
        AnomalyEvaluation.Row same = AnomalyEvaluation.Row.measured("the same score again", perfect(), null);
        AnomalyEvaluation.Row published = new AnomalyEvaluation.Row("published", null, null, 0.285, 0.9);
        List<AnomalyEvaluation.Row> rows = List.of(primaryRow, baseline, same, published);
        AnomalyIntervals.Primary p = new AnomalyIntervals.Primary("model", primaryRow, null);
        AnomalyIntervals iv = new AnomalyIntervals(rows, List.of(p), List.of(baseline, same), new Bootstrap(2000, 1));
        assertEquals(1.0, primaryRow.bgl().test().f1(), 0.0);
        assertEquals(new Bootstrap.Interval(1, 1), iv.bgl(primaryRow));
        assertNull(iv.hdfs(primaryRow), "not measured on HDFS");
        Bootstrap.Interval b = iv.bgl(baseline);
        double f1 = baseline.bgl().test().f1();
        assertTrue(b.low() < f1 && f1 < b.high(), b + " around " + f1);
        assertEquals(Bootstrap.Verdict.ABOVE, iv.verdict(p, AnomalyIntervals.BGL, baseline));
        assertEquals(Bootstrap.Verdict.TIES, iv.verdict(p, AnomalyIntervals.BGL, same), "identical decisions tie");
        assertEquals(
                Bootstrap.Verdict.ABOVE, iv.verdict(p, AnomalyIntervals.BGL, published), "[1, 1] lies clear of 0.285");
        assertNull(iv.verdict(p, AnomalyIntervals.HDFS, published), "no primary on HDFS");
        assertEquals(3, iv.comparisons().size());

        assertEquals("primary (BGL_2k)", iv.verdictCell(primaryRow));
        assertEquals("BGL_2k above", iv.verdictCell(baseline));
        assertEquals("BGL_2k ties", iv.verdictCell(same));
        String table = AnomalyEvaluation.table(rows, iv);
        assertTrue(table.contains("| BGL_2k F1 95% | HDFS F1 95% | verdict of the primary score |"), table);
        assertTrue(
                table.contains(
                        "| model, score | 1.000 | 1.000 | 1.000 | n/a | n/a | n/a | 1.000-1.000 | n/a | primary (BGL_2k) |"),
                table);
        assertTrue(table.contains("| published | - | - | 0.285 | - | - | 0.900 | - | - | BGL_2k above |"), table);
        String comparisons = iv.comparisonTable();
        assertTrue(
                comparisons.contains(
                        "| model, score | BGL_2k | the same score again | 1.000 | 1.000 | +0.000 | +0.000 to +0.000 | ties |"),
                comparisons);
        assertTrue(
                comparisons.contains(
                        "| model, score | BGL_2k | published (fixed figure, other data) | 1.000 | 0.285 | +0.715 | +0.715 to +0.715 | above |"),
                comparisons);
        assertTrue(
                iv.describe().contains("2000 resamples (seed 1)")
                        && iv.describe().contains("its 40 lines"),
                iv.describe());
    }

    @Test
    void severalModelsAreNamedInTheVerdictAndTheSeedReproducesIt() {
        AnomalyEvaluation.Row a = AnomalyEvaluation.Row.measured("a, score", perfect(), null);
        AnomalyEvaluation.Row b = AnomalyEvaluation.Row.measured("b, score", middling(), null);
        AnomalyEvaluation.Row baseline = AnomalyEvaluation.Row.measured("baseline", middling(), null);
        List<AnomalyEvaluation.Row> rows = List.of(a, b, baseline);
        List<AnomalyIntervals.Primary> primaries =
                List.of(new AnomalyIntervals.Primary("a", a, null), new AnomalyIntervals.Primary("b", b, null));
        AnomalyIntervals iv = new AnomalyIntervals(rows, primaries, List.of(baseline), new Bootstrap(500, 9));
        assertEquals("a: BGL_2k above; b: BGL_2k ties", iv.verdictCell(baseline));
        AnomalyIntervals again = new AnomalyIntervals(rows, primaries, List.of(baseline), new Bootstrap(500, 9));
        assertEquals(iv.bgl(b), again.bgl(b), "seeded");
        assertEquals(iv.comparisonTable(), again.comparisonTable());
    }

    @Test
    void rowsOnOtherUnitsAreRefused() {
        AnomalyEvaluation.Row a = AnomalyEvaluation.Row.measured("a", perfect(), null);
        boolean[] other = labels();
        other[20] = !other[20];
        AnomalyEvaluation.Row b =
                AnomalyEvaluation.Row.measured("b", AnomalyEvaluation.rule(new boolean[50], other, 10), null);
        assertThrows(
                IllegalArgumentException.class,
                () -> new AnomalyIntervals(List.of(a, b), List.of(), List.of(), new Bootstrap(10, 1)));
    }

    @Test
    void scoresAreNamedByShortNameOrLabel() {
        assertEquals(AnomalyEvaluation.LineScore.EXCEEDANCE, AnomalyEvaluation.LineScore.parse("exceedance"));
        assertEquals(
                AnomalyEvaluation.LineScore.EXCEEDANCE,
                AnomalyEvaluation.LineScore.parse("line score's exceedance so far"));
        assertEquals(
                AnomalyEvaluation.LineScore.JOB_Z_VALIDATION, AnomalyEvaluation.LineScore.parse("Job-Z-Validation"));
        assertEquals(
                AnomalyEvaluation.SessionScore.EMBEDDING,
                AnomalyEvaluation.SessionScore.parse("session embedding, nearest normal"));
        assertEquals(
                AnomalyEvaluation.SessionScore.LARGEST_LINE_SCORE,
                AnomalyEvaluation.SessionScore.parse("largest-line-score"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AnomalyEvaluation.LineScore.parse("top-3"));
        assertTrue(e.getMessage().contains("exceedance, job-z"), e.getMessage());
        assertEquals("m", AnomalyEvaluation.LineScore.MEAN_SURPRISAL.row("m"));
        assertEquals("m, line score's exceedance so far", AnomalyEvaluation.LineScore.EXCEEDANCE.row("m"));
        assertEquals("m, job's other rule, exceedance >= 4.6", AnomalyEvaluation.LineScore.JOB_EXCEEDANCE.row("m"));
    }
}
