package dev.linnet.flink.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linnet.engine.model.Model;
import dev.linnet.flink.testing.GoldenModels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * linnet.state.ttl: a stream idle for longer than the TTL starts afresh, also while its decoded state is still
 * in the operator's cache (the cache must not outlive Flink's state), and a stream written within the TTL
 * continues. Flink's TTL runs on the wall clock (the harness's TTL clock is set from it here), and so does the
 * cache's check, so the test waits for real.
 */
class ScorerStateTtlTest {

    private static final Duration TTL = Duration.ofMillis(400);

    private static StateBackend backend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void anIdleStreamStartsAfreshAndAnActiveOneContinues(String backend) throws Exception {
        Model model = GoldenModels.tiny();
        int vocab = model.config().vocabSize();
        ScorerInput idle1 = new ScorerInput("idle", "idle#1", new int[] {5, 9, 14, 2});
        ScorerInput active1 = new ScorerInput("active", "active#1", new int[] {7, 3, 11});
        ScorerInput active2 = new ScorerInput("active", "active#2", new int[] {4, 4, 8});
        ScorerInput active3 = new ScorerInput("active", "active#3", new int[] {1, 6});
        ScorerInput idle2 = new ScorerInput("idle", "idle#2", new int[] {12, 1, 3 % vocab});
        LinnetScorer enc = LinnetScorer.builder()
                .model(GoldenModels.tinyDir())
                .batchMaxDelay(Duration.ofHours(1))
                .cacheMaxStates(100)
                .stateTtl(TTL)
                .build();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new ScoreOperator(enc.settings()), ScorerInput::getKey, Types.STRING)) {
            h.setStateBackend(backend(backend));
            long t0 = System.currentTimeMillis();
            h.setStateTtlProcessingTime(0);
            h.open();
            h.processElement(idle1, 0);
            h.processElement(active1, 0);
            h.prepareSnapshotPreBarrier(1);
            // the active stream is written every ~TTL/2; the idle one not at all for 2.5 TTLs
            for (ScorerInput in : List.of(active2, active3)) {
                Thread.sleep(TTL.toMillis() / 2);
                h.setStateTtlProcessingTime(System.currentTimeMillis() - t0);
                h.processElement(in, 0);
                h.prepareSnapshotPreBarrier(2);
            }
            Thread.sleep(TTL.toMillis() * 3 / 2);
            h.setStateTtlProcessingTime(System.currentTimeMillis() - t0);
            h.processElement(idle2, 0);
            h.prepareSnapshotPreBarrier(3);

            Map<String, ScoredRecord> out = new java.util.HashMap<>();
            for (ScoredRecord r : h.extractOutputValues()) out.put(r.recordId, r);
            // expected: active continues through its three records; idle's second record starts a new stream
            Map<String, ScoredRecord> continued =
                    TestStreams.expected(model, List.of(idle1, active1, active2, active3), 3, false);
            Map<String, ScoredRecord> fresh = TestStreams.expected(model, List.of(idle2), 3, false);
            assertEquals(continued.get("active#3"), out.get("active#3"), "a stream written within the TTL continues");
            assertEquals(fresh.get("idle#2"), out.get("idle#2"), "a stream idle past the TTL starts afresh");
            assertEquals(0, out.get("idle#2").streamOffset);
        }
    }
}
