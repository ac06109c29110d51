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

-- The output table takes the PTF's columns (CREATE TABLE AS): the partition key `host` first, then the
-- scores. uid keeps the PTF's keyed state addressable across savepoints and upgrades.
CREATE TABLE log_scores WITH (
  'connector' = 'kafka',
  'topic' = 'log-scores',
  'properties.bootstrap.servers' = 'kafka:9092',
  'sink.delivery-guarantee' = 'exactly-once',
  'sink.transactional-id-prefix' = 'linnet-sql-log-scores',
  'properties.transaction.timeout.ms' = '900000',
  'key.format' = 'raw',
  'key.fields' = 'host',
  'value.format' = 'json'
) AS
SELECT * FROM LINNET_SCORE(
  input => TABLE logs PARTITION BY `host`,
  text => 'line',
  uid => 'linnet-log-scores'
);
