#!/bin/sh
# A sample log producer: synthetic service logs, keyed by service (record key = service name), with a rare
# burst of unusual lines so that the log-anomaly job has something to flag. Used by docker-compose.yml.
# Made up here (no real logs are shipped); stop it with `docker compose stop log-producer`.
set -eu
rate="${LINES_PER_SECOND:-20}"
services="auth billing gateway search storage"
i=0
while true; do
  for svc in $services; do
    i=$((i + 1))
    user=$((i % 97))
    ms=$(( (i * 37) % 250 + 5 ))
    case $(( i % 7 )) in
      0) line="INFO request id=$i user=u$user path=/api/v1/$svc status=200 took=${ms}ms" ;;
      1) line="INFO cache hit key=$svc:u$user took=$((ms / 10))ms" ;;
      2) line="DEBUG pool active=$((i % 16)) idle=$((16 - i % 16)) waiting=0" ;;
      3) line="INFO request id=$i user=u$user path=/api/v1/$svc/items status=200 took=${ms}ms" ;;
      4) line="WARN slow request id=$i path=/api/v1/$svc took=$((ms * 8))ms" ;;
      5) line="INFO heartbeat ok upstream=$svc-db latency=$((ms / 5))ms" ;;
      *) line="INFO request id=$i user=u$user path=/api/v1/$svc status=304 took=$((ms / 2))ms" ;;
    esac
    # about one line in 500: something the stream has not seen before
    if [ $(( i % 499 )) -eq 0 ]; then
      line="ERROR java.lang.OutOfMemoryError: Direct buffer memory at io.netty.buffer.PoolArena.allocate ($svc worker-$((i % 8)))"
    fi
    printf '%s|%s\n' "$svc" "$line"
  done
  sleep "$(awk "BEGIN { printf \"%.3f\", 5 / $rate }")"
done | /opt/kafka/bin/kafka-console-producer.sh --bootstrap-server "$BOOTSTRAP_SERVERS" --topic "$TOPIC" \
  --property parse.key=true --property key.separator='|' --producer-property acks=all
