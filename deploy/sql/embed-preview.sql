-- Stateless use: the embedding and the mean surprisal of each log line on an empty state, printed by the SQL client
-- (no keyed state, no checkpoints needed). Stop it with Ctrl-C.
--   sql-client.sh -i /opt/flink/linnet-sql/functions.sql -f /opt/flink/linnet-sql/embed-preview.sql

SET 'sql-client.execution.result-mode' = 'tableau';

CREATE TEMPORARY TABLE logs_preview (
  `host` STRING,
  `line` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'logs',
  'properties.bootstrap.servers' = 'kafka:9092',
  'properties.group.id' = 'linnet-sql-embed-preview',
  'scan.startup.mode' = 'latest-offset',
  'key.format' = 'raw',
  'key.fields' = 'host',
  'value.format' = 'raw',
  'value.fields-include' = 'EXCEPT_KEY'
);

SELECT `host`, `line`, LINNET_SURPRISAL(`line`) AS surprisal, LINNET_EMBED(`line`) AS embedding FROM logs_preview;
