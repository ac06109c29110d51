package dev.linnet.flink.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linnet.engine.model.Model;
import dev.linnet.flink.testing.GoldenModels;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * linnet.state.ttl: a stream idle for the TTL or longer starts afresh, also while its decoded state is still in the
 * operator's cache (the cache must not outlive Flink's state), and a stream written within the TTL continues, up to
 * the last millisecond. Time is the test's own: Flink's TTL clock (the harness's) and the operator's, which its
 * cache checks, read one counter that the test moves; nothing waits.
 */
class ScorerStateTtlTest {

    private static final long TTL = Duration.ofMinutes(10).toMillis();

    private static StateBackend backend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"hashmap, WHOLE", "rocksdb, WHOLE", "hashmap, PAGED", "rocksdb, PAGED"})
    void anIdleStreamStartsAfreshAndAnActiveOneContinues(String backend, StateLayout layout) throws Exception {
        Model model = GoldenModels.tiny();
        ScorerInput idle1 = new ScorerInput("idle", "idle#1", new int[] {5, 9, 14, 2});
        ScorerInput edge1 = new ScorerInput("edge", "edge#1", new int[] {8, 2, 30});
        ScorerInput active1 = new ScorerInput("active", "active#1", new int[] {7, 3, 11});
        ScorerInput active2 = new ScorerInput("active", "active#2", new int[] {4, 4, 8});
        ScorerInput edge2 = new ScorerInput("edge", "edge#2", new int[] {6, 1});
        ScorerInput active3 = new ScorerInput("active", "active#3", new int[] {1, 6});
        ScorerInput idle2 = new ScorerInput("idle", "idle#2", new int[] {12, 1, 3});
        LinnetScorer enc = LinnetScorer.builder()
                .model(GoldenModels.tinyDir())
                .batchMaxDelay(Duration.ofHours(1))
                .cacheMaxStates(100)
                .stateTtl(Duration.ofMillis(TTL))
                .stateLayout(layout)
                .build();
        AtomicLong now = new AtomicLong();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new ScoreOperator(enc.settings(), now::get), ScorerInput::getKey, Types.STRING)) {
            h.setStateBackend(backend(backend));
            h.setStateTtlProcessingTime(0);
            h.open();
            long checkpoint = 0;
            // each step: set both clocks, feed the records, flush them (a checkpoint barrier is due)
            record Step(long at, List<ScorerInput> records) {}
            for (Step step : List.of(
                    new Step(0, List.of(idle1, edge1, active1)),
                    new Step(TTL / 2, List.of(active2)),
                    new Step(TTL - 1, List.of(edge2)), // one millisecond before edge's state expires
                    new Step(TTL, List.of(active3, idle2)))) { // idle's expires now; active's was written at TTL / 2
                now.set(step.at());
                h.setStateTtlProcessingTime(step.at());
                for (ScorerInput in : step.records()) h.processElement(in, 0);
                h.prepareSnapshotPreBarrier(++checkpoint);
            }

            Map<String, ScoredRecord> out = new HashMap<>();
            for (ScoredRecord r : h.extractOutputValues()) out.put(r.recordId, r);
            assertEquals(7, out.size());
            Map<String, ScoredRecord> continued =
                    TestStreams.expected(model, List.of(idle1, edge1, active1, active2, edge2, active3), 3, false);
            Map<String, ScoredRecord> fresh = TestStreams.expected(model, List.of(idle2), 3, false);
            assertEquals(continued.get("active#3"), out.get("active#3"), "a stream written within the TTL continues");
            assertEquals(continued.get("edge#2"), out.get("edge#2"), "the TTL's last millisecond still continues");
            assertEquals(fresh.get("idle#2"), out.get("idle#2"), "a stream idle for the TTL starts afresh");
            assertEquals(0, out.get("idle#2").streamOffset);
        }
    }

    /**
     * Paged state: pages a stream wrote once (the ring blocks of its first record) outlive the head as long as the
     * stream is active, because every page is rewritten each half TTL; a stream written every 0.4 TTL for 3 TTLs
     * continues exactly, its first pages long past the pages' own TTL of twice the TTL.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void pagesOfAnActiveStreamNeverExpire(String backend) throws Exception {
        Model model = GoldenModels.tiny();
        List<ScorerInput> records = new java.util.ArrayList<>();
        records.add(new ScorerInput(
                "k",
                "k#0",
                new java.util.SplittableRandom(3)
                        .ints(40, 0, model.config().vocabSize())
                        .toArray()));
        for (int i = 1; i <= 8; i++) records.add(new ScorerInput("k", "k#" + i, new int[] {i, 2 * i}));
        LinnetScorer enc = LinnetScorer.builder()
                .model(GoldenModels.tinyDir())
                .batchMaxDelay(Duration.ofHours(1))
                .cacheMaxStates(1)
                .stateTtl(Duration.ofMillis(TTL))
                .stateLayout(StateLayout.PAGED)
                .build();
        AtomicLong now = new AtomicLong();
        ScoreOperator op = new ScoreOperator(enc.settings(), now::get);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, ScorerInput::getKey, Types.STRING)) {
            h.setStateBackend(backend(backend));
            h.setStateTtlProcessingTime(0);
            h.open();
            for (int i = 0; i < records.size(); i++) {
                long at = i * TTL * 4 / 10;
                now.set(at);
                h.setStateTtlProcessingTime(at);
                h.processElement(records.get(i), 0);
                // another key between the steps evicts k's decoded state: each step reads k's pages back
                h.processElement(new ScorerInput("other", "other#" + i, new int[] {1}), 0);
                h.prepareSnapshotPreBarrier(i + 1);
            }
            Map<String, ScoredRecord> expected = TestStreams.expected(model, records, 3, false);
            int seen = 0;
            for (ScoredRecord r : h.extractOutputValues()) {
                if (r.key.equals("k")) {
                    assertEquals(expected.get(r.recordId), r, "record " + r.recordId);
                    seen++;
                }
            }
            assertEquals(records.size(), seen);
            assertEquals(0, op.metrics().streamsExpired.getCount());
        }
    }
}
