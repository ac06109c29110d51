package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.flink.kafka.KafkaTestClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The topic-digest job end to end against a broker given by its bootstrap servers (in-JVM or a container). */
final class TopicDigestScenario {

    private static final String[] KEYS = {"chan-a", "chan-b", "chan-c"};
    private static final int PER_KEY = 25;

    private final String bootstrap;
    private final Path model;

    TopicDigestScenario(String bootstrap, Path model) {
        this.bootstrap = bootstrap;
        this.model = model;
    }

    /** Three keys, one record a second in turn (so each key has one every 3 s), 25 per key. */
    private KafkaEndpoints feed(String prefix) throws Exception {
        KafkaEndpoints k = new KafkaEndpoints(
                bootstrap,
                prefix + "-in",
                prefix + "-out",
                prefix + "-dlq",
                prefix,
                prefix,
                StartingOffsets.EARLIEST,
                true,
                Map.of());
        KafkaTestClients.createTopics(bootstrap, 2, k.inputTopic(), k.outputTopic(), k.deadLetterTopic());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        long t = System.currentTimeMillis() - 3_600_000L; // recent: old timestamps fall to retention
        for (int i = 0; i < PER_KEY; i++) {
            for (String key : KEYS) {
                String line = i % 7 == 3
                        ? "ERROR disk " + key + " failed with code " + (i * 31)
                        : "message " + i + " on " + key;
                records.add(new ProducerRecord<>(
                        k.inputTopic(), null, t, LogAnomalyScenario.utf8(key), LogAnomalyScenario.utf8(line)));
                t += 1000;
            }
        }
        KafkaTestClients.produce(bootstrap, k.inputTopic(), records);
        return k;
    }

    private Map<String, List<DigestRecord>> run(KafkaEndpoints k, DigestSettings digest, int expected)
            throws Exception {
        ScorerTuning tuning =
                new ScorerTuning(model.toString(), 2048, Duration.ofMillis(20), 3, StatePrecision.FLOAT32);
        StreamExecutionEnvironment env = LogAnomalyScenario.environment();
        TopicDigestJob.build(
                env,
                new TopicDigestSettings(
                        k,
                        TokenizerSpec.byteLevel(),
                        LineParseSettings.defaults(),
                        tuning,
                        digest,
                        Duration.ofMillis(200),
                        2));
        env.execute("topic digest " + k.inputTopic());
        ObjectMapper json = JsonEncoder.mapper();
        Map<String, List<DigestRecord>> byKey = new TreeMap<>();
        List<String> values =
                KafkaTestClients.readCommitted(bootstrap, k.outputTopic(), expected, Duration.ofSeconds(60));
        assertEquals(expected, values.size(), "digests, exactly once");
        for (String v : values) {
            DigestRecord d = json.readValue(v, DigestRecord.class);
            byKey.computeIfAbsent(d.key, x -> new ArrayList<>()).add(d);
        }
        for (List<DigestRecord> ds : byKey.values()) {
            ds.sort(Comparator.comparingLong(d -> d.sequence));
        }
        return byKey;
    }

    void everyNRecordsWithNovelRepresentativeAndSummary() throws Exception {
        KafkaEndpoints k = feed("digest-count");
        Map<String, List<DigestRecord>> byKey =
                run(k, new DigestSettings(10, null, 3, 6, "\nSummary:", Duration.ZERO), KEYS.length * 3);
        assertEquals(List.of(KEYS), new ArrayList<>(byKey.keySet()));
        for (String key : KEYS) {
            List<DigestRecord> ds = byKey.get(key);
            assertEquals(List.of(10L, 10L, 5L), ds.stream().map(d -> d.records).toList(), key);
            assertEquals(
                    List.of("records", "records", "end-of-input"),
                    ds.stream().map(d -> d.closedBy).toList(),
                    key);
            long tokens = 0;
            for (int i = 0; i < ds.size(); i++) {
                DigestRecord d = ds.get(i);
                assertEquals(i, d.sequence);
                tokens += d.tokens;
                assertEquals(tokens, d.streamTokens, "the stream's tokens when digest " + i + " closed");
                assertEquals(3, d.novel.size());
                for (int j = 1; j < d.novel.size(); j++) {
                    assertTrue(d.novel.get(j - 1).meanSurprisal >= d.novel.get(j).meanSurprisal, "novel sorted");
                }
                assertEquals(3, d.representative.size());
                for (DigestItem r : d.representative) {
                    assertTrue(r.similarity >= -1.0001 && r.similarity <= 1.0001);
                    assertTrue(r.line.contains(key), r.line);
                }
                assertNotNull(d.summary, "summary text");
                assertEquals("\nSummary:", d.summaryPrompt);
                assertTrue(
                        d.lastTimestamp - d.firstTimestamp == (d.records - 1) * 3000L,
                        "records of the digest are consecutive");
            }
        }
    }

    /** Digests close at the same records whatever the watermarks: a record past the period closes it. */
    void everyTOfEventTimeClosesDigests() throws Exception {
        KafkaEndpoints k = feed("digest-time");
        // each key has a record every 3 s: a 10 s digest holds 4 of them; 25 = 6 x 4 + 1
        Map<String, List<DigestRecord>> byKey = run(
                k, new DigestSettings(100, Duration.ofSeconds(10), 2, 0, "x", Duration.ofSeconds(1)), KEYS.length * 7);
        for (String key : KEYS) {
            List<DigestRecord> ds = byKey.get(key);
            assertEquals(
                    List.of(4L, 4L, 4L, 4L, 4L, 4L, 1L),
                    ds.stream().map(d -> d.records).toList(),
                    key);
            for (int i = 0; i < 6; i++) {
                assertEquals("time", ds.get(i).closedBy);
                assertEquals(9000L, ds.get(i).lastTimestamp - ds.get(i).firstTimestamp);
            }
            assertEquals("end-of-input", ds.get(6).closedBy);
            assertNull(ds.get(0).summary, "no summary unless asked for");
            assertEquals(2, ds.get(0).novel.size());
        }
    }
}
