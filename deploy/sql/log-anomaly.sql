-- Log anomaly scoring in SQL: Kafka topic `logs` (record key = host or service, value = the log line)
-- scored per key by LINNET_SCORE, written exactly once to topic `log-scores`.
--   sql-client.sh -i /opt/flink/linnet-sql/functions.sql -f /opt/flink/linnet-sql/log-anomaly.sql
-- Bootstrap servers: kafka:9092 is the Compose service; on Kubernetes use linnet-kafka-kafka-bootstrap:9092.

SET 'execution.checkpointing.interval' = '10s';
SET 'execution.checkpointing.mode' = 'EXACTLY_ONCE';
SET 'state.backend.type' = 'rocksdb';
SET 'pipeline.name' = 'linnet-sql-log-scores';
-- the default idle-state retention of SQL operators: keys silent for a week are forgotten
SET 'table.exec.state.ttl' = '7 d';

CREATE TEMPORARY TABLE logs (
  `host` STRING,
  `line` STRING,
  `event_time` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  `source_partition` INT METADATA FROM 'partition' VIRTUAL,
  `source_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  WATERMARK FOR `event_time` AS `event_time` - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'logs',
  'properties.bootstrap.servers' = 'kafka:9092',
  'properties.group.id' = 'linnet-sql-log-scores',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'key.format' = 'raw',
  'key.fields' = 'host',
  'value.format' = 'raw',
  'value.fields-include' = 'EXCEPT_KEY'
);

-- The output table: the stream key, the input record's identity and time, then LINNET_SCORE's columns.
-- It is declared and filled by INSERT because Flink 2.2.1's planner cannot plan CREATE TABLE ... AS SELECT
-- over a table function with PARTITION BY. Readable back (read_committed, from the start) in the SQL client.
CREATE TABLE log_scores (
  `host` STRING,
  `source_partition` INT,
  `source_offset` BIGINT,
  `event_time` TIMESTAMP_LTZ(3),
  `stream_offset` BIGINT,
  `tokens` INT,
  `truncated` BOOLEAN,
  `mean_surprisal` DOUBLE,
  `max_surprisal` FLOAT,
  `top_positions` ARRAY<INT>,
  `top_surprisals` ARRAY<FLOAT>,
  `top_spans` ARRAY<ROW<`start_char` INT, `end_char` INT, `token_text` STRING>>,
  `embedding` ARRAY<FLOAT>,
  `tokens_seen` BIGINT,
  `reject_reason` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'log-scores',
  'properties.bootstrap.servers' = 'kafka:9092',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'linnet-sql-log-scores',
  'properties.transaction.timeout.ms' = '900000',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'host',
  'value.format' = 'json'
);

-- LINNET_SCORE passes every input column through and adds its own; uid keeps its keyed state addressable
-- across savepoints and upgrades.
INSERT INTO log_scores
SELECT `host`, `source_partition`, `source_offset`, `event_time`, `stream_offset`, `tokens`, `truncated`,
       `mean_surprisal`, `max_surprisal`, `top_positions`, `top_surprisals`, `top_spans`, `embedding`,
       `tokens_seen`, `reject_reason`
FROM LINNET_SCORE(
  input => TABLE logs PARTITION BY `host`,
  text => 'line',
  uid => 'linnet-log-scores'
);
