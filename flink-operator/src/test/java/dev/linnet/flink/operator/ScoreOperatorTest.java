package dev.linnet.flink.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.model.Model;
import dev.linnet.flink.state.IncompatibleModelStateException;
import dev.linnet.flink.testing.GoldenModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The operator alone, in Flink's test harness, on the HashMap and RocksDB backends. */
class ScoreOperatorTest {

    private static final Duration NEVER = Duration.ofHours(1);

    static Stream<Arguments> backends() {
        return Stream.of(Arguments.of("hashmap"), Arguments.of("rocksdb"));
    }

    private static StateBackend backend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    /** Savepoints find the operator by its uid and its state by the descriptor's name: neither may change. */
    @Test
    void savepointNamesAreThoseOfEarlierVersions() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<ScorerInput> in = env.fromData(new ScorerInput("k", "1", new int[] {1}));
        assertEquals(
                "linnet-encoder", scorer().build().apply(in).getTransformation().getUid());
        assertEquals("linnet-stream-state", ScoreOperator.STATE_NAME);
        assertEquals("linnet-rejected", LinnetScorer.REJECTED.getId());
    }

    private static LinnetScorer.Builder scorer() {
        return LinnetScorer.builder().model(GoldenModels.tinyDir()).batchMaxDelay(NEVER);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScorerInput, ScoredRecord> harness(
            LinnetScorer scorer, String backend) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ScorerInput, ScoredRecord> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new ScoreOperator(scorer.settings()), ScorerInput::getKey, Types.STRING);
        h.setStateBackend(backend(backend));
        return h;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void matchesTheBareEngineBitForBitWhateverTheBatching(String backend) throws Exception {
        Model model = GoldenModels.tiny();
        List<ScorerInput> records =
                TestStreams.records(11, 5, 12, model.config().vocabSize(), 60);
        Map<String, ScoredRecord> expected = TestStreams.expected(model, records, 3, true);

        for (int budget : new int[] {1, 40, 100_000}) {
            LinnetScorer enc =
                    scorer().batchMaxTokens(budget).emitEmbedding(true).build();
            try (var h = harness(enc, backend)) {
                h.open();
                long ts = 0;
                for (ScorerInput in : records) {
                    h.processElement(in, ts++);
                }
                h.prepareSnapshotPreBarrier(1);
                List<ScoredRecord> out = h.extractOutputValues();
                assertEquals(records.size(), out.size(), "outputs at budget " + budget);
                for (ScoredRecord r : out) {
                    assertEquals(expected.get(r.recordId), r, "record " + r.recordId + " at budget " + budget);
                }
                assertPerKeyOrder(records, out);
            }
        }
    }

    static Stream<Arguments> backendsAndLayouts() {
        return Stream.of(
                Arguments.of("hashmap", StateLayout.WHOLE),
                Arguments.of("rocksdb", StateLayout.WHOLE),
                Arguments.of("hashmap", StateLayout.PAGED),
                Arguments.of("rocksdb", StateLayout.PAGED));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("backendsAndLayouts")
    void aRestoredOperatorContinuesEveryStreamExactly(String backend, StateLayout layout) throws Exception {
        Model model = GoldenModels.tiny();
        List<ScorerInput> records =
                TestStreams.records(23, 4, 10, model.config().vocabSize(), 50);
        Map<String, ScoredRecord> expected = TestStreams.expected(model, records, 3, false);
        LinnetScorer enc = scorer().batchMaxTokens(32)
                .cacheMaxStates(2)
                .stateLayout(layout)
                .build();

        List<ScoredRecord> out = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = harness(enc, backend)) {
            h.open();
            for (ScorerInput in : records.subList(0, 25)) {
                h.processElement(in, 0);
            }
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            out.addAll(h.extractOutputValues());
        }
        assertEquals(25, out.size(), "everything before the barrier was emitted before the snapshot");
        try (var h = harness(enc, backend)) {
            h.initializeState(snapshot);
            h.open();
            for (ScorerInput in : records.subList(25, records.size())) {
                h.processElement(in, 0);
            }
            h.prepareSnapshotPreBarrier(2);
            out.addAll(h.extractOutputValues());
        }
        assertEquals(records.size(), out.size());
        for (ScoredRecord r : out) {
            assertEquals(expected.get(r.recordId), r, "record " + r.recordId);
        }
    }

    /**
     * A model with a history, its streams stored whole, then as pages (twice), then whole again, each phase restored
     * from the last one's snapshot: every output equals the bare engine's, so each layout reads the other's states
     * exactly, and the paged form reads back what it wrote.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void streamsContinueExactlyAcrossChangesOfLayout(String backend, @TempDir Path tmp) throws Exception {
        Path dir = GoldenModels.tinyWithHistory(tmp.resolve("with-history"));
        Model model = Model.load(dir);
        List<ScorerInput> records =
                TestStreams.records(41, 4, 30, model.config().vocabSize(), 120);
        Map<String, ScoredRecord> expected = TestStreams.expected(model, records, 3, false);
        StateLayout[] phases = {StateLayout.WHOLE, StateLayout.PAGED, StateLayout.PAGED, StateLayout.WHOLE};
        List<ScoredRecord> out = new ArrayList<>();
        OperatorSubtaskState snapshot = null;
        for (int phase = 0; phase < phases.length; phase++) {
            LinnetScorer enc = LinnetScorer.builder()
                    .model(dir)
                    .batchMaxDelay(NEVER)
                    .batchMaxTokens(64)
                    .cacheMaxStates(2)
                    .stateLayout(phases[phase])
                    .build();
            try (var h = harness(enc, backend)) {
                if (snapshot != null) h.initializeState(snapshot);
                h.open();
                for (ScorerInput in : records.subList(phase * 30, phase * 30 + 30)) h.processElement(in, 0);
                h.prepareSnapshotPreBarrier(phase + 1);
                snapshot = h.snapshot(phase + 1, phase + 1);
                out.addAll(h.extractOutputValues());
            }
        }
        assertEquals(records.size(), out.size());
        for (ScoredRecord r : out) assertEquals(expected.get(r.recordId), r, "record " + r.recordId);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void pagedStateOfAnotherModelFailsNamingBothOrIsReset(String backend, @TempDir Path tmp) throws Exception {
        Path other = tmp.resolve("tweaked");
        copyWithOneWeightChanged(GoldenModels.tinyDir(), other);
        OperatorSubtaskState snapshot;
        try (var h = harness(scorer().stateLayout(StateLayout.PAGED).build(), backend)) {
            h.open();
            h.processElement(new ScorerInput("k", "1", new int[] {1, 2, 3}), 0);
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
        }
        // the whole layout's state is registered in either layout: its serializer checks the model on restore
        var failing =
                harness(scorer().model(other).stateLayout(StateLayout.PAGED).build(), backend);
        Exception e = assertThrows(Exception.class, () -> {
            failing.initializeState(snapshot);
            failing.open();
        });
        IncompatibleModelStateException cause = findCause(e, IncompatibleModelStateException.class);
        assertTrue(cause.getMessage().contains(GoldenModels.tiny().fingerprint().substring(0, 12)), cause.getMessage());
        failing.close();
        ScoreOperator op = new ScoreOperator(scorer().model(other)
                .stateLayout(StateLayout.PAGED)
                .onModelChange(ModelChangePolicy.RESET)
                .build()
                .settings());
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, ScorerInput::getKey, Types.STRING)) {
            h.setStateBackend(backend(backend));
            h.initializeState(snapshot);
            h.open();
            h.processElement(new ScorerInput("k", "2", new int[] {4}), 0);
            h.prepareSnapshotPreBarrier(2);
            assertEquals(1, op.metrics().streamsReset.getCount());
            assertEquals(0, h.extractOutputValues().get(0).streamOffset, "the stream starts afresh");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void restoringUnderAnotherModelFailsNamingBoth(String backend, @TempDir Path tmp) throws Exception {
        Path other = tmp.resolve("tweaked");
        copyWithOneWeightChanged(GoldenModels.tinyDir(), other);
        OperatorSubtaskState snapshot;
        try (var h = harness(scorer().build(), backend)) {
            h.open();
            h.processElement(new ScorerInput("k", "1", new int[] {1, 2, 3}), 0);
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
        }
        var h = harness(scorer().model(other).build(), backend);
        Exception e = assertThrows(Exception.class, () -> {
            h.initializeState(snapshot);
            h.open();
        });
        IncompatibleModelStateException cause = findCause(e, IncompatibleModelStateException.class);
        assertTrue(cause.getMessage().contains("model fingerprint"), cause.getMessage());
        assertTrue(cause.getMessage().contains(GoldenModels.tiny().fingerprint().substring(0, 12)), cause.getMessage());
        try {
            h.close();
        } catch (Exception ignored) {
            // the harness was never fully opened
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void withResetAnotherModelRestartsEveryRestoredStreamAndCountsThem(String backend, @TempDir Path tmp)
            throws Exception {
        Path otherDir = tmp.resolve("tweaked");
        copyWithOneWeightChanged(GoldenModels.tinyDir(), otherDir);
        Model model = GoldenModels.tiny();
        Model other = Model.load(otherDir);
        List<ScorerInput> records = TestStreams.records(31, 3, 6, model.config().vocabSize(), 30);
        OperatorSubtaskState snapshot;
        try (var h = harness(scorer().build(), backend)) {
            h.open();
            for (ScorerInput in : records.subList(0, 15)) {
                h.processElement(in, 0);
            }
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
        }
        ScoreOperator op = new ScoreOperator(scorer().model(otherDir)
                .onModelChange(ModelChangePolicy.RESET)
                .build()
                .settings());
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, ScorerInput::getKey, Types.STRING)) {
            h.setStateBackend(backend(backend));
            h.initializeState(snapshot);
            h.open();
            assertEquals(3, op.metrics().streamsReset.getCount(), "streams restored, then reset");
            List<ScorerInput> rest = records.subList(15, records.size());
            for (ScorerInput in : rest) {
                h.processElement(in, 0);
            }
            h.prepareSnapshotPreBarrier(2);
            Map<String, ScoredRecord> expected = TestStreams.expected(other, rest, 3, false);
            List<ScoredRecord> out = h.extractOutputValues();
            assertEquals(rest.size(), out.size());
            for (ScoredRecord r : out) {
                assertEquals(expected.get(r.recordId), r, "record " + r.recordId + " continues from an empty state");
            }
        }
    }

    /**
     * A flush starts once the buffer holds records of as many distinct keys as the heap leaves room for beside the
     * cache: here a heap of 4 states, a cache of 1, so 3 keys a flush; more records of a buffered key do not count.
     */
    @Test
    void aFlushStartsWhenTheBufferHoldsAsManyKeysAsTheHeapLeavesRoomFor() throws Exception {
        Model model = GoldenModels.tiny();
        long stateBytes = model.newState().memoryBytes();
        long heap = (long) Math.ceil(4 * stateBytes / CacheBudget.HEAP_SHARE);
        assertEquals(3, CacheBudget.flushKeys(CacheBudget.states(1, stateBytes, heap, 1), stateBytes, heap, 1));
        LinnetScorer enc = scorer().batchMaxTokens(100_000).cacheMaxStates(1).build();
        ScoreOperator op = new ScoreOperator(enc.settings(), ScoreOperator.TtlClock.SYSTEM, heap);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, ScorerInput::getKey, Types.STRING)) {
            h.open();
            h.processElement(new ScorerInput("a", "a1", new int[] {1, 2}), 0);
            h.processElement(new ScorerInput("b", "b1", new int[] {3}), 0);
            h.processElement(new ScorerInput("a", "a2", new int[] {4}), 0);
            assertEquals(0, h.extractOutputValues().size(), "two keys buffered: no flush yet");
            h.processElement(new ScorerInput("c", "c1", new int[] {5}), 0);
            assertEquals(4, h.extractOutputValues().size(), "the third key started a flush of all four records");
            h.processElement(new ScorerInput("d", "d1", new int[] {6}), 0);
            assertEquals(4, h.extractOutputValues().size(), "a new buffer counts its keys afresh");
            h.prepareSnapshotPreBarrier(1);
            assertEquals(5, h.extractOutputValues().size());
        }
    }

    @Test
    void badRecordsGoToTheSideOutputWithTheirReason() throws Exception {
        LinnetScorer enc =
                scorer().maxTokensPerRecord(4, OverLengthPolicy.REJECT).build();
        try (var h = harness(enc, "hashmap")) {
            h.open();
            h.processElement(new ScorerInput("a", "empty", new int[0]), 0);
            h.processElement(new ScorerInput("a", "null", null), 0);
            h.processElement(new ScorerInput("a", "oov", new int[] {1, 512}), 0);
            h.processElement(new ScorerInput("a", "negative", new int[] {-1}), 0);
            h.processElement(new ScorerInput("a", "long", new int[] {1, 2, 3, 4, 5}), 0);
            h.processElement(new ScorerInput("a", "fine", new int[] {1, 2, 3, 4}), 0);
            h.prepareSnapshotPreBarrier(1);
            Map<String, RejectReason> reasons = new LinkedHashMap<>();
            for (StreamRecord<RejectedRecord> r : h.getSideOutput(LinnetScorer.REJECTED)) {
                reasons.put(r.getValue().recordId, r.getValue().reason);
                assertFalse(r.getValue().detail.isBlank());
            }
            assertEquals(
                    Map.of(
                            "empty",
                            RejectReason.EMPTY,
                            "null",
                            RejectReason.EMPTY,
                            "oov",
                            RejectReason.TOKEN_OUT_OF_VOCABULARY,
                            "negative",
                            RejectReason.TOKEN_OUT_OF_VOCABULARY,
                            "long",
                            RejectReason.TOO_LONG),
                    reasons);
            List<ScoredRecord> out = h.extractOutputValues();
            assertEquals(1, out.size());
            assertEquals("fine", out.get(0).recordId);
            assertEquals(0, out.get(0).streamOffset, "rejected records do not advance the stream");
        }
    }

    @Test
    void overLongRecordsAreTruncatedAndFlagged() throws Exception {
        Model model = GoldenModels.tiny();
        LinnetScorer enc =
                scorer().maxTokensPerRecord(4, OverLengthPolicy.TRUNCATE).build();
        ScorerInput longOne = new ScorerInput("a", "long", new int[] {5, 6, 7, 8, 9, 10});
        ScoredRecord expected = TestStreams.expected(
                        model, List.of(new ScorerInput("a", "long", new int[] {5, 6, 7, 8})), 3, false)
                .get("long");
        expected.truncated = true;
        try (var h = harness(enc, "hashmap")) {
            h.open();
            h.processElement(longOne, 0);
            h.prepareSnapshotPreBarrier(1);
            assertEquals(List.of(expected), h.extractOutputValues());
        }
    }

    @Test
    void aWatermarkWaitsForTheBufferedRecordsAndTheTimerFlushes() throws Exception {
        LinnetScorer enc = LinnetScorer.builder()
                .model(GoldenModels.tinyDir())
                .batchMaxDelay(Duration.ofMillis(50))
                .build();
        try (var h = harness(enc, "hashmap")) {
            h.setProcessingTime(1000);
            h.open();
            h.processElement(new ScorerInput("a", "1", new int[] {1, 2}), 10);
            h.processWatermark(new Watermark(20));
            assertTrue(h.getOutput().isEmpty(), "nothing may pass before the buffered record: " + h.getOutput());
            h.setProcessingTime(1049);
            assertTrue(h.getOutput().isEmpty(), "flushed before the delay");
            h.setProcessingTime(1050);
            List<Object> out = new ArrayList<>(h.getOutput());
            assertEquals(2, out.size(), out.toString());
            assertInstanceOf(StreamRecord.class, out.get(0));
            assertEquals(10, ((StreamRecord<?>) out.get(0)).getTimestamp(), "the input's timestamp is kept");
            assertEquals(new Watermark(20), out.get(1));
        }
    }

    @Test
    void settingsAreValidatedWithTheOptionName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LinnetScorer.builder().batchMaxTokens(10).build());
        assertTrue(e.getMessage().contains(LinnetOptions.MODEL_PATH.key()), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> LinnetScorer.builder()
                        .model(Path.of("m"))
                        .batchMaxTokens(0)
                        .build());
        assertTrue(e.getMessage().contains(LinnetOptions.BATCH_MAX_TOKENS.key()), e.getMessage());
    }

    private static void assertPerKeyOrder(List<ScorerInput> in, List<ScoredRecord> out) {
        Map<String, List<String>> sent = new HashMap<>();
        Map<String, List<String>> got = new HashMap<>();
        in.forEach(r -> sent.computeIfAbsent(r.key, k -> new ArrayList<>()).add(r.recordId));
        out.forEach(r -> got.computeIfAbsent(r.key, k -> new ArrayList<>()).add(r.recordId));
        assertEquals(sent, got, "each key's outputs in its input order");
    }

    /** Copies a checkpoint and flips the lowest byte of its last weight: same shapes, other fingerprint. */
    static void copyWithOneWeightChanged(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        Path weights = to.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 4] ^= 1;
        weights.toFile().setWritable(true);
        Files.write(weights, bytes);
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the cause chain of " + t, t);
    }
}
