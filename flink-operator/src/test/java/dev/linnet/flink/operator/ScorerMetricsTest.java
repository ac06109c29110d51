package dev.linnet.flink.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.flink.testing.GoldenModels;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ScorerMetricsTest {

    /** Remembers every metric by its dotted name below the group it started from. */
    static final class RecordingGroup extends UnregisteredMetricsGroup {
        final String prefix;
        final Map<String, Metric> all;

        RecordingGroup(String prefix, Map<String, Metric> all) {
            this.prefix = prefix;
            this.all = all;
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            all.put(prefix + name, counter);
            return counter;
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            all.put(prefix + name, histogram);
            return histogram;
        }

        @Override
        public <M extends Meter> M meter(String name, M meter) {
            all.put(prefix + name, meter);
            return meter;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(prefix + name + ".", all);
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(prefix + key + "." + value + ".", all);
        }
    }

    @Test
    void everyMetricIsUnderTheLinnetGroup() {
        Map<String, Metric> all = new TreeMap<>();
        new ScorerMetrics(new RecordingGroup("", all));
        for (String name : new String[] {
            "numRecordsIn",
            "numTokensIn",
            "numRecordsInPerSecond",
            "numTokensInPerSecond",
            "batchRecords",
            "batchTokens",
            "modelLatencyMs",
            "stateBytes",
            "stateBytesWritten",
            "cacheHits",
            "cacheMisses",
            "numRecordsTruncated",
            "reason.empty.numRecordsRejected",
            "reason.too-long.numRecordsRejected",
            "reason.token-out-of-vocabulary.numRecordsRejected"
        }) {
            assertTrue(all.containsKey("linnet." + name), "missing linnet." + name + " in " + all.keySet());
        }
        assertTrue(
                all.keySet().stream().allMatch(k -> k.startsWith("linnet.")),
                all.keySet().toString());
    }

    @Test
    void theOperatorCountsWhatItDoes() throws Exception {
        ScoreOperator op = new ScoreOperator(LinnetScorer.builder()
                .model(GoldenModels.tinyDir())
                .batchMaxDelay(Duration.ofHours(1))
                .cacheMaxStates(1)
                .build()
                .settings());
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, ScorerInput::getKey, Types.STRING)) {
            h.open();
            h.processElement(new ScorerInput("a", "1", new int[] {1, 2, 3}), 0);
            h.processElement(new ScorerInput("b", "2", new int[] {4, 5}), 0);
            h.processElement(new ScorerInput("a", "3", new int[] {6}), 0);
            h.processElement(new ScorerInput("a", "4", new int[0]), 0);
            h.prepareSnapshotPreBarrier(1);
            h.processElement(new ScorerInput("b", "5", new int[] {7}), 0);
            h.prepareSnapshotPreBarrier(2);
            ScorerMetrics m = op.metrics();
            assertEquals(4, m.recordsIn.getCount());
            assertEquals(7, m.tokensIn.getCount());
            assertEquals(1, m.rejected(RejectReason.EMPTY).getCount());
            // flush 1 reads a and b from state (misses); the cache keeps one; flush 2 finds b: a hit
            assertEquals(2, m.cacheMisses.getCount());
            assertEquals(1, m.cacheHits.getCount());
            // flush 1: round {a1, b2} then round {a3}; flush 2: {b5}
            assertEquals(3, m.batchRecords.getCount());
            assertEquals(3, m.stateBytes.getCount(), "states written: a and b, then b");
            long written = 0;
            for (long b : m.stateBytes.getStatistics().getValues()) {
                written += b;
            }
            assertEquals(written, m.stateBytesWritten.getCount(), "the counter sums what the histogram saw");
        }
    }
}
