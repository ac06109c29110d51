package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.model.Model;
import dev.linnet.engine.testing.Golden;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalyEvaluationTest {
    @TempDir
    Path dir;

    /** 40 BGL lines (warm 0-3, validation 4-19, test 20-39) and 14 HDFS sessions (8 warm rows, 2 validation, 4 test). */
    private AnomalyEvaluation fixture() throws Exception {
        return fixture(40);
    }

    /** BGL of n >= 40 lines: the alerts and new templates below, every other line template E1. */
    private AnomalyEvaluation fixture(int n) throws Exception {
        int[] templates = new int[n];
        java.util.Arrays.fill(templates, 1);
        templates[6] = 7; // alert, new template, validation
        templates[25] = 7; // alert, template already seen: first-seen misses it
        templates[30] = 8; // alert, new template: caught
        templates[35] = 9; // normal line with a new template: false alarm
        LoghubFixture.writeBgl(dir, n, List.of(6, 25, 30), templates);
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 8; i++)
            rows.add(new String[] {i == 5 ? "1" : "0", "train", i == 5 ? "T3 T5 T5" : "T3 T2 T4"});
        rows.add(new String[] {"0", "train", "T3 T2 T4"});
        rows.add(new String[] {"1", "train", "T3 T5"});
        rows.add(new String[] {"0", "test", "T3 T2 T4"});
        rows.add(new String[] {"1", "test", "T3 T5"});
        rows.add(new String[] {"1", "test", "T3 T2 T2 T4"});
        rows.add(new String[] {"0", "test", "T3 T2 T4 T1"});
        LoghubFixture.writeHdfs(dir, rows);
        return new AnomalyEvaluation(AnomalyProtocol.DEFAULT, BglLog.load(dir), HdfsSessions.load(dir));
    }

    @Test
    void baselinesOnTheSplitGiveTheHandCountedFigures() throws Exception {
        List<AnomalyEvaluation.Row> rows = fixture().baselines();
        AnomalyEvaluation.Row firstSeen = rows.get(0);
        // BGL test: line 30 caught, line 25 missed, line 35 a false alarm
        assertEquals(new Confusion(1, 1, 1, 17), firstSeen.bgl().test());
        // HDFS: T5 is learned from the validation anomaly, so the test's "T3 T5" is missed; T1 is a false alarm
        assertEquals(new Confusion(0, 1, 2, 1), firstSeen.hdfs().test());
        AnomalyEvaluation.Row fixed = rows.get(1);
        // fixed set {E1}: lines 25, 30 and 35 all alarm; HDFS {T2,T3,T4}: "T3 T5" and "T3 T2 T4 T1" alarm
        assertEquals(new Confusion(2, 1, 0, 17), fixed.bgl().test());
        assertEquals(new Confusion(1, 1, 1, 1), fixed.hdfs().test());
        AnomalyEvaluation.Row countVector = rows.get(3);
        assertNull(countVector.bgl());
        // validation: distances 0 (normal) and 3 (T3 T5) -> threshold 3; test distances 0, 3, 1, 1
        assertEquals(3.0, countVector.hdfs().threshold());
        assertEquals(new Confusion(1, 0, 1, 2), countVector.hdfs().test());
        assertEquals(2.0 / 3, countVector.hdfs().test().f1(), 1e-12);
        // threshold 1 would flag 3, 1, 1: TP 2, FP 1 -> F1 0.8, which validation could not know
        assertEquals(0.8, countVector.hdfs().oracleTestF1(), 1e-12);
        AnomalyEvaluation.Row rarity = rows.get(2);
        assertEquals(20, rarity.bgl().test().total());
    }

    @Test
    void thresholdComesFromValidationOnly() {
        // validation says 0.5; the test would prefer 0.2, but it must not be consulted
        double[] scores = {0.5, 0.1, 0.1, /* test */ 0.2, 0.3, 0.1};
        boolean[] labels = {true, false, false, /* test */ true, true, false};
        AnomalyEvaluation.Figures f = AnomalyEvaluation.thresholded(scores, labels, 3);
        assertEquals(0.5, f.threshold());
        assertEquals(new Confusion(0, 0, 2, 1), f.test());
        assertEquals(1.0, f.oracleTestF1(), 1e-12);
    }

    @Test
    void protocolTextNamesThePartsSizes() throws Exception {
        String text = fixture().protocolText();
        assertTrue(text.contains("lines 5-20 (1 alerts of 16)"), text);
        assertTrue(text.contains("lines 21-40 (2 alerts of 20)"), text);
        assertTrue(text.contains("(4, 2 anomalous)"), text);
    }

    @Test
    void tableHasEveryRowAndMarksWhatDoesNotApply() throws Exception {
        List<AnomalyEvaluation.Row> rows = new ArrayList<>(fixture().baselines());
        rows.addAll(AnomalyEvaluation.published());
        String table = AnomalyEvaluation.table(rows);
        assertTrue(
                table.contains("| DeepLog (published, LogLLM paper table) | - | - | 0.285 | - | - | 0.908 |"), table);
        assertTrue(
                table.contains(
                        "| template count-vector, nearest normal (this split) | n/a | n/a | n/a | 1.000 | 0.500 | 0.667 |"),
                table);
    }

    @Test
    void modelRowScoresEveryTestItemOnTheTinyModel() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        AnomalyEvaluation eval = fixture();
        List<AnomalyEvaluation.Row> rows = eval.linnet("tiny", model, new ByteEncoder(), 256, 1024, null);
        assertEquals(
                5,
                rows.size(),
                "scores, their exceedance, session embeddings and the job's two rules; validation is too short for a z threshold");
        AnomalyEvaluation.Row row = rows.get(0);
        assertEquals(20, row.bgl().test().total());
        assertEquals(4, row.hdfs().test().total());
        assertFalse(Double.isNaN(row.bgl().threshold()));
        assertFalse(Double.isNaN(row.hdfs().threshold()));
        assertTrue(row.bgl().oracleTestF1() >= row.bgl().test().f1() - 1e-12);
        AnomalyEvaluation.Row exceedance = rows.get(1);
        assertEquals("tiny, line score's exceedance so far", exceedance.method());
        assertNull(exceedance.hdfs(), "lines only");
        assertEquals(20, exceedance.bgl().test().total());
        AnomalyEvaluation.Row embedding = rows.get(2);
        assertEquals("tiny, session embedding, nearest normal", embedding.method());
        assertNull(embedding.bgl(), "sessions only");
        assertEquals(4, embedding.hdfs().test().total());
        // test sessions: T3 T2 T4 (a warm normal sequence: distance 0), T3 T5, T3 T2 T2 T4, T3 T2 T4 T1
        assertTrue(embedding.hdfs().threshold() > 0, "the validation anomaly T3 T5 ends where no normal session ends");
        assertTrue(embedding.hdfs().test().truePositives() >= 1, "T3 T5 again, as far from normal as in validation");
        assertTrue(embedding.hdfs().test().trueNegatives() >= 1, "T3 T2 T4 ends exactly where the normal ones end");
    }

    @Test
    void thePrimaryRowsOfTheTinyModelGetIntervalsAndVerdicts() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        AnomalyEvaluation eval = fixture();
        List<AnomalyEvaluation.Row> rows =
                new ArrayList<>(eval.linnet("tiny", model, new ByteEncoder(), 256, 1024, null));
        AnomalyEvaluation.Row line = rows.stream()
                .filter(r -> r.method().equals(AnomalyEvaluation.LineScore.EXCEEDANCE.row("tiny")))
                .findFirst()
                .orElseThrow();
        AnomalyEvaluation.Row session = rows.stream()
                .filter(r -> r.method().equals(AnomalyEvaluation.SessionScore.EMBEDDING.row("tiny")))
                .findFirst()
                .orElseThrow();
        assertEquals(20, line.bgl().testFlags().length);
        assertEquals(4, session.hdfs().testLabels().length);
        List<AnomalyEvaluation.Row> baselines = eval.baselines();
        rows.addAll(baselines);
        rows.addAll(AnomalyEvaluation.published());
        AnomalyIntervals.Primary p = new AnomalyIntervals.Primary("tiny", line, session);
        AnomalyIntervals iv = new AnomalyIntervals(rows, List.of(p), baselines, new Bootstrap(200, 1));
        for (AnomalyEvaluation.Row r : rows) {
            if (r.bgl() != null)
                assertTrue(
                        iv.bgl(r).low() <= iv.bgl(r).high()
                                && iv.bgl(r).low() >= 0
                                && iv.bgl(r).high() <= 1,
                        r.method());
            if (r.hdfs() != null) assertTrue(iv.hdfs(r).low() >= 0 && iv.hdfs(r).high() <= 1, r.method());
        }
        // three BGL baselines and three HDFS baselines, and the two published rows on each dataset
        assertEquals(3 + 3 + 2 + 2, iv.comparisons().size());
        String table = AnomalyEvaluation.table(rows, iv);
        assertTrue(table.contains("| primary (BGL_2k) |") && table.contains("| primary (HDFS) |"), table);
        for (AnomalyEvaluation.Row b : baselines)
            assertTrue(iv.verdictCell(b).matches("((BGL_2k|HDFS) (above|ties|below)(, )?)+"), iv.verdictCell(b));
    }

    @Test
    void theJobsRuleRowsJudgeTheSameTestLinesOnBglOnly() throws Exception {
        Model model = Model.load(Golden.tinyHybrid());
        // 120 lines: warm 1-12, validation 13-60 (long enough for the job's 20 lines of history), test 61-120
        List<AnomalyEvaluation.Row> rows = fixture(120).linnet("tiny", model, new ByteEncoder(), 256, 1024, null);
        assertEquals(6, rows.size());
        AnomalyEvaluation.Row rule = rows.get(3), other = rows.get(4), tuned = rows.get(5);
        assertEquals("tiny, job's rule z >= 3", rule.method());
        assertEquals(60, rule.bgl().test().total());
        assertTrue(Double.isNaN(rule.bgl().threshold()), "a fixed rule has no chosen threshold");
        assertEquals("tiny, job's other rule, exceedance >= 4.6", other.method());
        assertEquals(60, other.bgl().test().total());
        assertTrue(Double.isNaN(other.bgl().threshold()));
        // e^4.6 = 99.5: no line can reach it before the stream holds 99 lines (12 warm + 48 validation + 39 test)
        Confusion c = other.bgl().test();
        assertTrue(c.truePositives() + c.falsePositives() <= 60 - 39, "flags " + c);
        assertNull(other.hdfs());
        assertEquals(60, tuned.bgl().test().total());
        assertFalse(Double.isNaN(tuned.bgl().threshold()));
        assertNull(rule.hdfs());
        assertNull(tuned.hdfs());
    }

    @Test
    void streamZScoresFollowTheRunningMeanAndDeviation() {
        StreamZScores z = new StreamZScores(1000, 2);
        assertTrue(Double.isNaN(z.next(1.0)), "no history yet");
        assertTrue(Double.isNaN(z.next(3.0)), "one line of history is below the minimum");
        // history {1, 3}: mean 2, population deviation 1
        assertEquals(3.0, z.next(5.0), 1e-12);
        z.add(Double.NaN); // skipped, as the job skips it
        // history {1, 3, 5}: mean 3, deviation sqrt(8/3)
        assertEquals((7.0 - 3.0) / Math.sqrt(8.0 / 3.0), z.next(7.0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new StreamZScores(0, 1));
    }
}
