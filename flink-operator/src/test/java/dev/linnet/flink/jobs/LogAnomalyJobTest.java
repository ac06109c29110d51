package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linnet.flink.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The log-anomaly job on a MiniCluster against the in-JVM KRaft broker. */
class LogAnomalyJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path models;

    private static EmbeddedKafka kafka;
    private static Path model;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        model = StandInModel.write(models.resolve("stand-in"));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyRecordIsScoredOrDeadLetteredExactlyOnceDespiteAFailure() throws Exception {
        LogAnomalyScenario scenario = new LogAnomalyScenario(kafka.bootstrapServers(), model, "failure");
        var sent = scenario.feed();
        scenario.run(true);
        scenario.check(sent);
    }

    @Test
    void jsonLinesWithoutTheConfiguredFieldsGoToTheDeadLetterTopic() throws Exception {
        LogAnomalyScenario scenario = new LogAnomalyScenario(kafka.bootstrapServers(), model, "json");
        KafkaTestClients.createTopics(kafka.bootstrapServers(), 2, scenario.input(), scenario.output(), scenario.deadLetters());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new ProducerRecord<>(scenario.input(), null, null,
                    LogAnomalyScenario.utf8("{\"svc\":\"s" + (i % 2) + "\",\"msg\":\"event " + i + "\"}")));
        }
        records.add(new ProducerRecord<>(scenario.input(), null, null, LogAnomalyScenario.utf8("{\"msg\":\"no service\"}")));
        records.add(new ProducerRecord<>(scenario.input(), null, null, LogAnomalyScenario.utf8("{\"svc\":\"s0\"}")));
        records.add(new ProducerRecord<>(scenario.input(), null, null, LogAnomalyScenario.utf8("not json at all")));
        KafkaTestClients.produce(kafka.bootstrapServers(), scenario.input(), records);

        LineParseSettings json = new LineParseSettings(KeySource.JSON_FIELD, null, "svc", "msg", "no-svc", false, 64, "\n");
        StreamExecutionEnvironment env = LogAnomalyScenario.environment();
        LogAnomalyJob.build(env, scenario.settings(json));
        env.execute("log-anomaly json");

        ObjectMapper mapper = JsonRecordSerializer.mapper();
        Map<String, Integer> keys = new HashMap<>();
        for (String v : KafkaTestClients.readCommitted(kafka.bootstrapServers(), scenario.output(), 11, Duration.ofSeconds(60))) {
            AnomalyRecord r = mapper.readValue(v, AnomalyRecord.class);
            keys.merge(r.key, 1, Integer::sum);
            assertTrue(r.line.startsWith("event ") || r.line.equals("no service"), r.line);
        }
        assertEquals(Map.of("s0", 5, "s1", 5, "no-svc", 1), keys);

        Map<String, String> letters = new HashMap<>();
        for (String v : KafkaTestClients.readCommitted(kafka.bootstrapServers(), scenario.deadLetters(), 3, Duration.ofSeconds(30))) {
            DeadLetter d = mapper.readValue(v, DeadLetter.class);
            letters.put(d.reason + "/" + d.action, d.value);
        }
        assertEquals(Map.of(
                "MISSING_JSON_FIELD/scored-under-default-key", "{\"msg\":\"no service\"}",
                "MISSING_JSON_FIELD/dropped", "{\"svc\":\"s0\"}",
                "NOT_JSON/dropped", "not json at all"), letters);
    }
}
