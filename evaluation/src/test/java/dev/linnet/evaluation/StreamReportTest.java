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
                        "| Good | 400 | 30 | 0.700 | 1.000 | 1.000 | 0.400 | 0.400 | 0.40 | 1.200 | 1.000 | 1.400 | 0.50 | yes |"),
                table);
        assertTrue(table.contains("| Bad | 400 | 30 | 2.000 |"), table);
        String csv = StreamReport.csv(rows);
        assertEquals(3, csv.split("\n").length);
        assertTrue(csv.startsWith("model,system,bytes,tokens,model_bpb,q1_bpb,"), csv);
        assertTrue(
                csv.contains(
                        "\nm,Good,400,30,0.700000,1.000000,1.000000,0.400000,0.400000,0.400000,1.200000,1.000000,1.400000,0.500000,true\n"),
                csv);
    }

    @Test
    void unavailableFiguresReadNotApplicable() {
        List<StreamReport.Row> rows =
                List.of(new StreamReport.Row("m", "a,b", 3, bits(8, 1, 1, 1, 1), 1, Double.NaN, Double.NaN));
        assertTrue(StreamReport.table(rows).contains("| n/a | n/a | n/a | n/a |"), StreamReport.table(rows));
        assertTrue(StreamReport.summary("m", rows).contains("xz -9e n/a"));
        assertTrue(StreamReport.csv(rows).contains("\nm,\"a,b\",8,3,"), StreamReport.csv(rows));
    }
}
