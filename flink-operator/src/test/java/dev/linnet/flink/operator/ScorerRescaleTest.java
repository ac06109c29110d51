package dev.linnet.flink.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linnet.engine.model.Model;
import dev.linnet.flink.testing.GoldenModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rescaling: state snapshotted at parallelism 2, redistributed by key group to parallelism 1 or 3, and the
 * streams continued there. Results before and after must equal an uninterrupted run of the bare engine.
 */
class ScorerRescaleTest {

    private static final int MAX_PARALLELISM = 128;

    @ParameterizedTest(name = "{0}, {2}: 2 -> {1}")
    @CsvSource({
        "hashmap, 1, WHOLE",
        "hashmap, 3, WHOLE",
        "rocksdb, 1, WHOLE",
        "rocksdb, 3, WHOLE",
        "hashmap, 3, PAGED",
        "rocksdb, 1, PAGED"
    })
    void streamsContinueExactlyAfterRescaling(String backend, int newParallelism, StateLayout layout) throws Exception {
        Model model = GoldenModels.tiny();
        List<ScorerInput> records = TestStreams.records(5, 9, 8, model.config().vocabSize(), 80);
        Map<String, ScoredRecord> expected = TestStreams.expected(model, records, 3, false);
        ScorerSettings settings = LinnetScorer.builder()
                .model(GoldenModels.tinyDir())
                .batchMaxDelay(Duration.ofHours(1))
                .batchMaxTokens(30)
                .stateLayout(layout)
                .build()
                .settings();
        List<ScoredRecord> out = new ArrayList<>();

        OperatorSubtaskState[] before = new OperatorSubtaskState[2];
        for (int subtask = 0; subtask < 2; subtask++) {
            try (var h = harness(settings, backend, 2, subtask)) {
                h.open();
                feed(h, records.subList(0, 40), 2, subtask);
                h.prepareSnapshotPreBarrier(1);
                before[subtask] = h.snapshot(1, 1);
                out.addAll(h.extractOutputValues());
            }
        }
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repackageState(before);
        for (int subtask = 0; subtask < newParallelism; subtask++) {
            try (var h = harness(settings, backend, newParallelism, subtask)) {
                h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(
                        merged, MAX_PARALLELISM, 2, newParallelism, subtask));
                h.open();
                feed(h, records.subList(40, records.size()), newParallelism, subtask);
                h.prepareSnapshotPreBarrier(2);
                out.addAll(h.extractOutputValues());
            }
        }

        assertEquals(records.size(), out.size(), "one output per record");
        for (ScoredRecord r : out) {
            assertEquals(expected.get(r.recordId), r, "record " + r.recordId);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScorerInput, ScoredRecord> harness(
            ScorerSettings settings, String backend, int parallelism, int subtask) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new ScoreOperator(settings), ScorerInput::getKey, Types.STRING, MAX_PARALLELISM, parallelism, subtask);
        StateBackend b = backend.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
        h.setStateBackend(b);
        return h;
    }

    /** Sends this subtask the records whose key Flink would route to it. */
    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, ScorerInput, ScoredRecord> h,
            List<ScorerInput> records,
            int parallelism,
            int subtask)
            throws Exception {
        for (ScorerInput in : records) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(in.key, MAX_PARALLELISM, parallelism) == subtask) {
                h.processElement(in, 0);
            }
        }
    }
}
