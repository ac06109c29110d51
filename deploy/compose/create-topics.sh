#!/bin/sh
# Creates the log-anomaly job's topics (idempotent). Used by docker-compose.yml's kafka-topics service.
set -eu
for topic in logs log-anomalies log-anomalies-dlq; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$topic" --partitions "${PARTITIONS:-4}" --replication-factor 1
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --list
