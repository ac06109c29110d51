package dev.linnet.flink.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.flink.jobs.AnomalyRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void leadingTimesOfCommonLogFormats() {
        assertEquals(
                Instant.parse("2026-11-28T18:00:42.288Z").toEpochMilli(),
                BundledSamples.leadingTime("2026-11-28 18:00:42.288 UTC [4859] LOG:  starting"));
        assertEquals(
                Instant.parse("2026-11-28T16:00:42Z").toEpochMilli(),
                BundledSamples.leadingTime("2026-11-28T18:00:42+02:00 host sshd[1]: x"));
        assertEquals(
                Instant.parse("2026-11-28T18:00:42Z").toEpochMilli(),
                BundledSamples.leadingTime("2026-11-28 18:00:42 x"));
        assertNull(BundledSamples.leadingTime("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok"));
    }

    @Test
    void streamsAreInterleavedInProportionToTheirLength() {
        List<SampleLog.Line> a = List.of(
                new SampleLog.Line("a", "1"),
                new SampleLog.Line("a", "2"),
                new SampleLog.Line("a", "3"),
                new SampleLog.Line("a", "4"));
        List<SampleLog.Line> b = List.of(new SampleLog.Line("b", "1"), new SampleLog.Line("b", "2"));
        List<SampleLog.Line> merged = BundledSamples.interleave(List.of(a, b), 100);
        assertEquals(
                "a b a a b a".replace(" ", ""),
                String.join("", merged.stream().map(SampleLog.Line::key).toList()));
        assertEquals(3, BundledSamples.interleave(List.of(a, b), 3).size());
    }

    @Test
    void sampleFilesAreLogsOrGzippedLogs() {
        assertEquals("postgresql-demo", BundledSamples.streamName("postgresql-demo.log.gz"));
        assertEquals("web", BundledSamples.streamName("web.log"));
        assertNull(BundledSamples.streamName("postgresql-demo.faults.tsv"));
    }

    @Test
    void eventTimesKeepTheGapsAndEndNow() {
        List<SampleLog.Line> lines = List.of(
                new SampleLog.Line("k", 1, 1_000L, "a"),
                new SampleLog.Line("k", 2, null, "b"),
                new SampleLog.Line("k", 3, 4_000L, "c"));
        assertArrayEquals(new long[] {97_000L, 97_000L, 100_000L}, SampleFeeder.eventTimes(lines, 100_000L));
        List<SampleLog.Line> untimed = List.of(new SampleLog.Line("k", "a"), new SampleLog.Line("k", "b"));
        assertArrayEquals(new long[] {99_000L, 100_000L}, SampleFeeder.eventTimes(untimed, 100_000L));
    }

    @Test
    void aFaultIsCaughtWhenALineInOrJustAfterItIsFlagged() {
        Map<String, SampleLog.Line> lines = Map.of(
                "0@0", new SampleLog.Line("pg", 10, null, "ok"),
                "0@1", new SampleLog.Line("pg", 11, null, "FATAL"),
                "0@2", new SampleLog.Line("pg", 15, null, "after"),
                "0@3", new SampleLog.Line("pg", 40, null, "later"));
        List<AnomalyRecord> scored = List.of(record(0, false), record(1, false), record(2, true), record(3, true));
        FaultReport r = FaultReport.of(
                List.of(new SampleLog.Fault("pg", "crash", 11, 12), new SampleLog.Fault("pg", "quiet", 30, 30)),
                lines,
                scored);
        assertTrue(r.outcomes.get(0).caught(), "line 15 is within 3 lines after the fault");
        assertEquals(2, r.outcomes.get(0).lines());
        assertEquals(0, r.outcomes.get(1).anomalies());
        assertEquals(1, r.anomaliesOutside);
        assertEquals(2, r.linesOutside);
    }

    private static AnomalyRecord record(long offset, boolean anomaly) {
        AnomalyRecord r = new AnomalyRecord();
        r.partition = 0;
        r.offset = offset;
        r.anomaly = anomaly;
        r.timestamp = offset * 1000;
        return r;
    }
}
