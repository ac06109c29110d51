-- Registers Linnet's SQL functions from the jobs jar. Run it as the SQL client's init script:
--   sql-client.sh -i /opt/flink/linnet-sql/functions.sql -f /opt/flink/linnet-sql/log-anomaly.sql
-- The model comes from linnet.model.path (the image sets it in config.yaml; SET it here to use another, which must
-- lie under the TaskManagers' linnet.model.allowed-dirs, /opt/flink/models in the image; 'default' names the model
-- bundled in the jar).

-- The Kafka connector is shaded into the jobs jar: adding the jar makes 'connector' = 'kafka' tables work.
ADD JAR '/opt/flink/usrlib/linnet-jobs.jar';

-- Per-key scoring over a table partitioned by the stream key: a ProcessTableFunction with keyed state.
CREATE TEMPORARY FUNCTION IF NOT EXISTS LINNET_SCORE
  AS 'dev.linnet.flink.sql.LinnetScoreFunction' LANGUAGE JAVA
  USING JAR '/opt/flink/usrlib/linnet-jobs.jar';

-- Stateless: the embedding of one text on an empty state (a scalar function).
CREATE TEMPORARY FUNCTION IF NOT EXISTS LINNET_EMBED
  AS 'dev.linnet.flink.sql.LinnetEmbedFunction' LANGUAGE JAVA
  USING JAR '/opt/flink/usrlib/linnet-jobs.jar';

-- Stateless: the mean surprisal (nats per token) of one text on an empty state (a scalar function).
CREATE TEMPORARY FUNCTION IF NOT EXISTS LINNET_SURPRISAL
  AS 'dev.linnet.flink.sql.LinnetSurprisalFunction' LANGUAGE JAVA
  USING JAR '/opt/flink/usrlib/linnet-jobs.jar';
