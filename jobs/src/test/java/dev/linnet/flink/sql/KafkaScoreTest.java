package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.linnet.flink.kafka.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LINNET_SCORE over a Kafka-backed table, as deploy/sql/log-anomaly.sql declares it (record key = host, value =
 * the line, partition and offset as metadata), read from a real broker in this JVM: each row, found by its
 * partition and offset, equals the bare engine's result for its host's history.
 */
class KafkaScoreTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(SqlTestModel.clusterConfiguration())
            .build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void rowsReadFromKafkaAreScoredPerHostAsTheBareEngineDoes() throws Exception {
        KAFKA.broker().createTopics(2, "logs");
        List<LogLines.LogRow> rows = LogLines.rows(41, 5, 80);
        Map<String, LogLines.LogRow> byPosition = new HashMap<>();
        Properties props = KAFKA.broker().clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (LogLines.LogRow r : rows) {
                // keyed by host: one partition per host, in order, as the log shippers would write them
                RecordMetadata m = producer.send(new ProducerRecord<>(
                                "logs",
                                r.host().getBytes(StandardCharsets.UTF_8),
                                r.line().getBytes(StandardCharsets.UTF_8)))
                        .get();
                byPosition.put(m.partition() + "@" + m.offset(), r);
            }
        }

        SqlSession sql = new SqlSession("rocksdb").withFunctions();
        sql.tEnv.executeSql(
                "CREATE TEMPORARY TABLE logs (`host` STRING, `line` STRING, "
                        + "`source_partition` INT METADATA FROM 'partition' VIRTUAL, `source_offset` BIGINT METADATA FROM 'offset' VIRTUAL"
                        + ") WITH ('connector' = 'kafka', 'topic' = 'logs', 'properties.bootstrap.servers' = '"
                        + KAFKA.broker().bootstrapServers()
                        + "', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', "
                        + "'key.format' = 'raw', 'key.fields' = 'host', 'value.format' = 'raw', 'value.fields-include' = 'EXCEPT_KEY')");
        TableResult result = sql.tEnv.executeSql("SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY `host`, "
                + "text => 'line', uid => 'linnet-log-scores')");
        ScoreRowCheck check = new ScoreRowCheck(result.getResolvedSchema().getColumnNames());
        List<Row> out = SqlSession.collect(result);
        assertEquals(rows.size(), out.size());

        List<String> hosts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (LogLines.LogRow r : rows) {
            hosts.add(r.host());
            lines.add(r.line());
        }
        List<SqlTestModel.Expected> expected = SqlTestModel.streams(hosts, lines, null);
        for (Row got : out) {
            LogLines.LogRow r =
                    byPosition.get(check.get(got, "source_partition") + "@" + check.get(got, "source_offset"));
            assertNotNull(r, "a row from an unknown position: " + got);
            assertEquals(r.host(), check.get(got, "host"));
            check.assertScored(got, r.line(), expected.get(r.id()), 3, false);
        }
    }
}
