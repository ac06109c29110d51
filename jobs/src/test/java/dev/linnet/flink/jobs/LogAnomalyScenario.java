package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linnet.flink.kafka.KafkaTestClients;
import dev.linnet.flink.operator.ScorerInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The log-anomaly job end to end against a broker given by its bootstrap servers (in-JVM or a container):
 * good lines of three keys plus one record of each bad kind (poison records among them: a 2 MB and a 10 MB line,
 * an 800 KB line of invalid UTF-8, a key of invalid bytes), a failure injected after a checkpoint, and a
 * read_committed check of both output topics: every record answered exactly once, within the sinks' record size,
 * and no restart but the injected one.
 */
final class LogAnomalyScenario {

    static final int LINES_PER_KEY = 40;
    static final int MAX_TOKENS = 96;
    static final String[] KEYS = {"api", "db", "auth"};
    /** The z rule at 3 after 5 lines; every record's exceedance is checked too. */
    static final AnomalySettings ANOMALY = new AnomalySettings(3.0, 5, 1000);

    private final String bootstrap;
    private final Path modelDir;
    private final String prefix;

    LogAnomalyScenario(String bootstrap, Path modelDir, String prefix) {
        this.bootstrap = bootstrap;
        this.modelDir = modelDir;
        this.prefix = prefix;
    }

    String input() {
        return prefix + "-in";
    }

    String output() {
        return prefix + "-out";
    }

    String deadLetters() {
        return prefix + "-dlq";
    }

    LogAnomalySettings settings(LineParseSettings parse) {
        KafkaEndpoints kafka = new KafkaEndpoints(
                bootstrap,
                input(),
                output(),
                deadLetters(),
                prefix + "-group",
                prefix + "-tx",
                StartingOffsets.EARLIEST,
                true,
                Map.of());
        ScorerTuning tuning = new ScorerTuning(
                modelDir.toString(), 2048, Duration.ofMillis(20), 3, dev.linnet.engine.state.StatePrecision.FLOAT32);
        return new LogAnomalySettings(
                kafka, TokenizerSpec.byteLevel(), parse, tuning, ANOMALY, Duration.ofMillis(200), 2);
    }

    static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    /** The poison records, in the order {@link #feed} sends them after the four bad ones. */
    static final byte[] LINE_2MB = bigLine("api", 2_000_000);

    static final byte[] LINE_10MB = bigLine("db", 10_000_000);
    static final byte[] INVALID_800KB = invalidLine(800_000);
    static final byte[] INVALID_KEY = {(byte) 0xFF, (byte) 0xFE, 'k'};

    /**
     * The input records, sent; returns where each landed, in order: 120 good lines, the four bad ones, then the
     * four poison ones.
     */
    List<RecordMetadata> feed() throws Exception {
        KafkaTestClients.createInputTopic(bootstrap, 2, input());
        KafkaTestClients.createTopics(bootstrap, 2, output(), deadLetters());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        long t = System.currentTimeMillis() - 3_600_000L; // recent: old timestamps fall to retention
        for (int i = 0; i < LINES_PER_KEY; i++) {
            for (String key : KEYS) {
                String line = key + " request " + i + " served in " + (i * 7 % 50) + " ms";
                records.add(new ProducerRecord<>(input(), null, t += 1000, utf8(key), utf8(line)));
            }
        }
        records.add(new ProducerRecord<>(input(), null, t += 1000, utf8("api"), new byte[0]));
        records.add(new ProducerRecord<>(input(), null, t += 1000, utf8("db"), new byte[] {
            'b', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28, (byte) 0xFF
        }));
        records.add(new ProducerRecord<>(input(), null, t += 1000, null, utf8("a line without a key")));
        records.add(new ProducerRecord<>(input(), null, t += 1000, utf8("auth"), utf8("x".repeat(150))));
        records.add(new ProducerRecord<>(input(), null, t += 1000, utf8("api"), LINE_2MB));
        records.add(new ProducerRecord<>(input(), null, t += 1000, utf8("db"), LINE_10MB));
        records.add(new ProducerRecord<>(input(), null, t += 1000, utf8("auth"), INVALID_800KB));
        records.add(
                new ProducerRecord<>(input(), null, t += 1000, INVALID_KEY, utf8("a line under a key of bad bytes")));
        return KafkaTestClients.produce(bootstrap, input(), records);
    }

    /** A log line of {@code bytes} ASCII bytes. */
    private static byte[] bigLine(String key, int bytes) {
        StringBuilder b = new StringBuilder(bytes);
        b.append(key).append(" dump:");
        for (int i = 0; b.length() < bytes; i++) {
            b.append(' ').append(Integer.toHexString(i * 7919));
        }
        b.setLength(bytes);
        return utf8(b.toString());
    }

    /** A line of {@code bytes} bytes with an invalid UTF-8 byte every 1000 bytes. */
    private static byte[] invalidLine(int bytes) {
        byte[] b = bigLine("auth", bytes);
        for (int i = 500; i < bytes; i += 1000) {
            b[i] = (byte) 0xFF;
        }
        return b;
    }

    /** Runs the job to the end of its bounded input, failing once after a checkpoint when asked. */
    void run(boolean injectFailure) throws Exception {
        StreamExecutionEnvironment env = environment();
        FailOnceAfterCheckpoint.reset(injectFailure);
        UnaryOperator<DataStream<ScorerInput>> tap =
                s -> s.map(new FailOnceAfterCheckpoint()).name("failure injector");
        LogAnomalyJob.build(env, settings(LineParseSettings.defaults().withMaxTokens(MAX_TOKENS)), tap);
        env.execute("log-anomaly scenario " + prefix);
        if (injectFailure) {
            assertTrue(FailOnceAfterCheckpoint.FAILED.get(), "the injected failure never happened");
        }
        assertEquals(
                injectFailure ? 1 : 0,
                FailOnceAfterCheckpoint.LAST_ATTEMPT.get(),
                "the job restarted for no reason but the injected failure (no record failed it)");
    }

    /** Every input record scored or dead-lettered exactly once, state continuous per key, flags right. */
    void check(List<RecordMetadata> sent) throws Exception {
        ObjectMapper json = JsonEncoder.mapper();
        int good = KEYS.length * LINES_PER_KEY;
        RecordMetadata empty = sent.get(good);
        RecordMetadata invalid = sent.get(good + 1);
        RecordMetadata noKey = sent.get(good + 2);
        RecordMetadata tooLong = sent.get(good + 3);

        List<String> outValues =
                KafkaTestClients.readCommitted(bootstrap, output(), sent.size() - 1, Duration.ofSeconds(90));
        assertEquals(sent.size() - 1, outValues.size(), "scored records (all but the empty one), no duplicates");
        Map<String, AnomalyRecord> byCoordinates = new HashMap<>();
        for (String v : outValues) {
            AnomalyRecord r = json.readValue(v, AnomalyRecord.class);
            AnomalyRecord before = byCoordinates.put(r.partition + "@" + r.offset, r);
            assertEquals(null, before, "record " + r.partition + "@" + r.offset + " came out twice");
        }
        for (RecordMetadata m : sent) {
            boolean present = byCoordinates.containsKey(m.partition() + "@" + m.offset());
            assertEquals(m != empty, present, "output for input " + m.partition() + "@" + m.offset());
        }

        // each key's state went on exactly once per record, in order, failure or not
        Map<String, List<AnomalyRecord>> byKey = new HashMap<>();
        for (AnomalyRecord r : byCoordinates.values()) {
            byKey.computeIfAbsent(r.key, k -> new ArrayList<>()).add(r);
        }
        for (String key : KEYS) {
            List<AnomalyRecord> rs = byKey.get(key);
            rs.sort(Comparator.comparingLong(r -> r.offset));
            long tokens = 0;
            RunningStats stats = new RunningStats();
            ScoreHistogram histogram = new ScoreHistogram();
            for (int i = 0; i < rs.size(); i++) {
                AnomalyRecord r = rs.get(i);
                tokens += r.tokens;
                assertEquals(tokens, r.tokensSeen, key + " record " + i + ": tokens seen by its stream");
                assertEquals(i, r.history, key + " record " + i + ": lines in the running statistics before it");
                assertNotNull(r.meanSurprisal);
                // both keyed statistics hold exactly the key's earlier lines, once each, across the failover
                double z = stats.zScore(r.meanSurprisal, ANOMALY.minHistory());
                double exceedance = histogram.exceedance(r.meanSurprisal, ANOMALY.minHistory());
                assertEquals(Double.isNaN(z) ? null : z, r.zScore, key + " record " + i + ": z-score");
                assertEquals(
                        Double.isNaN(exceedance) ? null : exceedance,
                        r.exceedance,
                        key + " record " + i + ": exceedance");
                assertEquals(
                        i >= ANOMALY.minHistory(),
                        r.exceedance != null,
                        key + " record " + i + ": exceedance after enough history");
                assertEquals(ANOMALY.flags(z, exceedance), r.anomaly, key + " record " + i + ": flag");
                stats.add(r.meanSurprisal, ANOMALY.memory());
                histogram.add(r.meanSurprisal);
                assertTrue(
                        r.surprisingTokens.size() <= 3 && !r.surprisingTokens.isEmpty(),
                        "surprising tokens of " + key + " record " + i);
                for (SurprisingToken s : r.surprisingTokens) {
                    assertEquals(s.text, (r.line + "\n").substring(s.start, s.end), "span text matches its offsets");
                }
            }
        }
        AnomalyRecord bad = byCoordinates.get(invalid.partition() + "@" + invalid.offset());
        assertTrue(bad.invalidUtf8);
        assertTrue(bad.line.contains("\uFFFD"));
        AnomalyRecord unkeyed = byCoordinates.get(noKey.partition() + "@" + noKey.offset());
        assertEquals("unkeyed", unkeyed.key);
        assertTrue(unkeyed.defaultKey);
        AnomalyRecord cut = byCoordinates.get(tooLong.partition() + "@" + tooLong.offset());
        assertTrue(cut.truncated);
        assertEquals(MAX_TOKENS, cut.tokens);
        assertFalse(
                byCoordinates.get(sent.get(0).partition() + "@" + sent.get(0).offset()).truncated);

        checkPoison(sent, byCoordinates);

        // one dead letter per bad record, and per poison record what was repaired; none twice
        List<String> dlqValues = KafkaTestClients.readCommitted(bootstrap, deadLetters(), 9, Duration.ofSeconds(30));
        assertEquals(9, dlqValues.size(), "one dead letter per repair, no duplicates: " + dlqValues.size());
        Map<String, DeadLetter> letters = new HashMap<>();
        for (String v : dlqValues) {
            assertTrue(v.length() < 256 * 1024, "a dead letter is bounded: " + v.length() + " chars");
            DeadLetter d = json.readValue(v, DeadLetter.class);
            assertEquals(
                    null, letters.put(d.reason + "@" + d.partition + "/" + d.offset, d), "dead letter " + d + " twice");
        }
        expect(letter(letters, DeadLetterReason.EMPTY_VALUE, empty), empty, "dropped");
        expect(letter(letters, DeadLetterReason.INVALID_UTF8, invalid), invalid, "scored-with-replacement");
        expect(letter(letters, DeadLetterReason.NULL_KEY, noKey), noKey, "scored-under-default-key");
        expect(letter(letters, DeadLetterReason.OVER_MAX_TOKENS, tooLong), tooLong, "scored-truncated");
        assertNotNull(letter(letters, DeadLetterReason.INVALID_UTF8, invalid).valueBase64);

        int poison = good + 4;
        byte[][] values = {LINE_2MB, LINE_10MB, INVALID_800KB};
        DeadLetterReason[] reasons = {
            DeadLetterReason.OVER_MAX_BYTES, DeadLetterReason.OVER_MAX_BYTES, DeadLetterReason.INVALID_UTF8
        };
        for (int i = 0; i < values.length; i++) {
            RecordMetadata m = sent.get(poison + i);
            DeadLetter d = letter(letters, reasons[i], m);
            expect(d, m, reasons[i] == DeadLetterReason.INVALID_UTF8 ? "scored-with-replacement" : "scored-truncated");
            assertEquals(values[i].length, d.valueBytes, "the whole value's length");
            assertEquals(BoundedText.sha256(values[i]), d.valueSha256, "the whole value's hash");
            assertTrue(d.valueTruncated, "a prefix only");
        }
        assertEquals(
                "api dump:",
                letter(letters, DeadLetterReason.OVER_MAX_BYTES, sent.get(poison))
                        .value
                        .substring(0, 9));
        expect(
                letter(letters, DeadLetterReason.OVER_MAX_TOKENS, sent.get(poison + 2)),
                sent.get(poison + 2),
                "scored-truncated");
        DeadLetter badKey = letter(letters, DeadLetterReason.INVALID_KEY, sent.get(poison + 3));
        expect(badKey, sent.get(poison + 3), "scored-under-escaped-key");
        assertEquals(StreamKeys.of(INVALID_KEY).key(), badKey.key);
    }

    /** The poison records: scored from their first bytes, flagged, each output within the sink's record size. */
    private void checkPoison(List<RecordMetadata> sent, Map<String, AnomalyRecord> byCoordinates) {
        int poison = KEYS.length * LINES_PER_KEY + 4;
        byte[][] values = {LINE_2MB, LINE_10MB, INVALID_800KB};
        for (int i = 0; i < values.length; i++) {
            RecordMetadata m = sent.get(poison + i);
            AnomalyRecord r = byCoordinates.get(m.partition() + "@" + m.offset());
            assertTrue(r.truncated, "poison " + i + " scored from its first bytes");
            assertEquals(MAX_TOKENS, r.tokens);
            assertEquals(values[i].length, r.valueBytes);
            assertTrue(r.lineTruncated, "poison " + i + " carries the first part of its line");
            assertTrue(utf8(r.line).length <= BoundedText.LINE_JSON_BYTES);
            assertTrue(new String(values[i], StandardCharsets.UTF_8).startsWith(r.line), "the line's first part");
        }
        assertTrue(byCoordinates.get(sent.get(poison + 2).partition() + "@"
                        + sent.get(poison + 2).offset())
                .invalidUtf8);
        RecordMetadata k = sent.get(poison + 3);
        AnomalyRecord underBadKey = byCoordinates.get(k.partition() + "@" + k.offset());
        assertEquals(StreamKeys.of(INVALID_KEY).key(), underBadKey.key, "its own stream, not merged with another");
        assertEquals(0, underBadKey.history, "the first line of its stream");
        assertFalse(underBadKey.defaultKey);
    }

    private static DeadLetter letter(Map<String, DeadLetter> letters, DeadLetterReason reason, RecordMetadata m) {
        DeadLetter d = letters.get(reason + "@" + m.partition() + "/" + m.offset());
        assertNotNull(d, reason + " for " + m.partition() + "/" + m.offset() + " in " + letters.keySet());
        return d;
    }

    /** Lines keyed and texted by JSON fields: a missing key field, a missing text field and a non-JSON line. */
    void runJsonCase() throws Exception {
        KafkaTestClients.createTopics(bootstrap, 2, input(), output(), deadLetters());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new ProducerRecord<>(
                    input(), null, null, utf8("{\"svc\":\"s" + (i % 2) + "\",\"msg\":\"event " + i + "\"}")));
        }
        records.add(new ProducerRecord<>(input(), null, null, utf8("{\"msg\":\"no service\"}")));
        records.add(new ProducerRecord<>(input(), null, null, utf8("{\"svc\":\"s0\"}")));
        records.add(new ProducerRecord<>(input(), null, null, utf8("not json at all")));
        KafkaTestClients.produce(bootstrap, input(), records);

        LineParseSettings json =
                new LineParseSettings(KeySource.JSON_FIELD, null, "svc", "msg", "no-svc", false, 64, "\n");
        StreamExecutionEnvironment env = environment();
        LogAnomalyJob.build(env, settings(json));
        env.execute("log-anomaly json " + prefix);

        ObjectMapper mapper = JsonEncoder.mapper();
        Map<String, Integer> keys = new HashMap<>();
        for (String v : KafkaTestClients.readCommitted(bootstrap, output(), 11, Duration.ofSeconds(60))) {
            AnomalyRecord r = mapper.readValue(v, AnomalyRecord.class);
            keys.merge(r.key, 1, Integer::sum);
            assertTrue(r.line.startsWith("event ") || r.line.equals("no service"), r.line);
        }
        assertEquals(Map.of("s0", 5, "s1", 5, "no-svc", 1), keys);

        Map<String, String> letters = new HashMap<>();
        for (String v : KafkaTestClients.readCommitted(bootstrap, deadLetters(), 3, Duration.ofSeconds(30))) {
            DeadLetter d = mapper.readValue(v, DeadLetter.class);
            letters.put(d.reason + "/" + d.action, d.value);
        }
        assertEquals(
                Map.of(
                        "MISSING_JSON_FIELD/scored-under-default-key", "{\"msg\":\"no service\"}",
                        "MISSING_JSON_FIELD/dropped", "{\"svc\":\"s0\"}",
                        "NOT_JSON/dropped", "not json at all"),
                letters);
    }

    private static void expect(DeadLetter d, RecordMetadata source, String action) {
        assertNotNull(d);
        assertEquals(source.partition(), d.partition, d.toString());
        assertEquals(source.offset(), d.offset, d.toString());
        assertEquals(action, d.action, d.toString());
        assertFalse(d.detail.isBlank());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Passes records through; on the first attempt of subtask 0, at the first record past the 15th after a
     * checkpoint has completed, throws, so the job restores and replays part of its input.
     */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<ScorerInput, ScorerInput>
            implements CheckpointListener {
        static final AtomicBoolean ENABLED = new AtomicBoolean();
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicLong CHECKPOINTS = new AtomicLong();
        /** The highest attempt number any subtask of the job ran: 0 without a restart. */
        static final AtomicInteger LAST_ATTEMPT = new AtomicInteger();

        private transient boolean mayFail;
        private transient long records;

        static void reset(boolean enabled) {
            ENABLED.set(enabled);
            FAILED.set(false);
            CHECKPOINTS.set(0);
            LAST_ATTEMPT.set(0);
        }

        @Override
        public void open(OpenContext context) {
            LAST_ATTEMPT.accumulateAndGet(getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
            mayFail = ENABLED.get()
                    && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0
                    && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0;
        }

        @Override
        public ScorerInput map(ScorerInput value) throws Exception {
            records++;
            if (mayFail && records >= 15) {
                if (CHECKPOINTS.get() > 0) {
                    FAILED.set(true);
                    throw new IllegalStateException("injected failure after " + records + " records");
                }
                // slow down until a checkpoint completes; never wait inside one record, which would hold the
                // task's thread and with it the very barrier we wait for
                Thread.sleep(100);
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }
    }
}
