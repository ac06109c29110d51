package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamReportTest {
    /** A file of {@code bytes} bytes whose quarters cost the given bits per byte. */
    private static SegmentBits bits(long bytes, double... quarterBpb) {
        SegmentBits b = new SegmentBits(bytes, 4);
        for (int q = 0; q < 4; q++) b.add(b.partStart(q), quarterBpb[q] * b.partBytes(q) * Math.log(2));
        return b;
    }

    @Test
    void summaryCountsFilesAtOrBelowXzAndTakesTheGeometricMeanOfTheRatios() {
        List<StreamReport.Row> rows = List.of(
                new StreamReport.Row("m", "Good", 30, bits(400, 1, 1, 0.4, 0.4), 1.2, 1.0, 1.4), // 0.7 / 1.4 = 0.5
                new StreamReport.Row("m", "Bad", 30, bits(400, 2, 2, 2, 2), 1.5, 1.2, 1.0)); // 2.0 / 1.0 = 2
        assertEquals(0.5, rows.get(0).overXz(), 1e-9);
        assertTrue(rows.get(0).atOrBelowXz() && !rows.get(1).atOrBelowXz());
        assertEquals(0.4, rows.get(0).bits().lastOverFirst(), 1e-9);
        String summary = StreamReport.summary("m", rows);
        assertTrue(summary.contains("at or below xz -9e on 1 of 2 systems; geometric mean of model/xz 1.00"), summary);
        assertTrue(summary.contains("last quarter at most half the first on 1 of 2"), summary);
        String table = StreamReport.table(rows);
        assertTrue(
                table.contains(
                        "| Good | 400 | 30 | 0.700 | 1.000 | 1.000 | 0.400 | 0.400 | 0.40 | 1.200 | 1.000 | 1.400 | n/a | 0.50 | yes |"),
                table);
        assertTrue(table.contains("| Bad | 400 | 30 | 2.000 |"), table);
        String csv = StreamReport.csv(rows);
        assertEquals(3, csv.split("\n").length);
        assertTrue(csv.startsWith("model,system,bytes,tokens,model_bpb,q1_bpb,"), csv);
        assertTrue(
                csv.contains(
                        "\nm,Good,400,30,0.700000,1.000000,1.000000,0.400000,0.400000,0.400000,1.200000,1.000000,1.400000,,0.500000,true\n"),
                csv);
    }

    @Test
    void theHalvingTargetCountsOnlyFilesWhoseXzLastQuarterIsHalvedToo() {
        List<StreamReport.Row> rows = List.of(
                new StreamReport.Row("m", "both", 30, bits(400, 1, 1, 1, 0.4), 1, 1, 1, new double[] {1.0, 0.3}),
                new StreamReport.Row("m", "xz only", 30, bits(400, 1, 1, 1, 0.8), 1, 1, 1, new double[] {1.0, 0.5}),
                new StreamReport.Row("m", "model only", 30, bits(400, 1, 1, 1, 0.2), 1, 1, 1, new double[] {1.0, 0.9}));
        assertEquals(0.3, rows.get(0).xzLastOverFirst(), 1e-12);
        String summary = StreamReport.summary("m", rows);
        assertTrue(
                summary.contains("last quarter at most half the first on 2 of 3, and on 1 of the 2 where xz's is"),
                summary);
    }

    @Test
    void xzQuartersAreTheCostOfTheFirstAloneAndOfTheLastGivenTheRest() throws Exception {
        // a file whose last quarter repeats its first: xz codes it as a match, for far less than the first
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        byte[] q = new byte[20_000];
        for (int i = 0; i < q.length; i++) q[i] = (byte) ('a' + r.nextInt(26));
        byte[] other = new byte[40_000];
        for (int i = 0; i < other.length; i++) other[i] = (byte) ('a' + r.nextInt(26));
        byte[] file = new byte[80_000];
        System.arraycopy(q, 0, file, 0, 20_000);
        System.arraycopy(other, 0, file, 20_000, 40_000);
        System.arraycopy(q, 0, file, 60_000, 20_000);
        double[] x = StreamEvaluation.xzFirstAndLastQuarter(Compressors.librariesOnly(), file);
        assertTrue(x[0] > 4 && x[0] < 6, "random letters cost about log2(26) bits: " + x[0]);
        assertTrue(x[1] < 0.1 * x[0], "the repeated quarter: " + x[1] + " against " + x[0]);
    }

    @Test
    void unavailableFiguresReadNotApplicable() {
        List<StreamReport.Row> rows =
                List.of(new StreamReport.Row("m", "a,b", 3, bits(8, 1, 1, 1, 1), 1, Double.NaN, Double.NaN));
        assertTrue(StreamReport.table(rows).contains("| n/a | n/a | n/a | n/a | n/a |"), StreamReport.table(rows));
        assertTrue(StreamReport.summary("m", rows).contains("xz -9e n/a"));
        assertTrue(StreamReport.csv(rows).contains("\nm,\"a,b\",8,3,"), StreamReport.csv(rows));
    }
}
