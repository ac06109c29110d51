#!/usr/bin/env bash
# Runs real servers on this machine (PostgreSQL, Redis, nginx, a Kafka broker) under varied workloads with
# faults injected (kills, refused connections, bad configs, full disks, auth failures, overload) and keeps
# what they log. Every server listens on loopback only; every loop is bounded in time. About 25 minutes.
#   [PHASES="postgres redis nginx kafka demo"] [PG_ROUNDS=3] [NGINX_CLIENTS=1] [SEED=0] bash make_logs.sh OUTDIR     (run as root: it mounts small tmpfs disks and runs PostgreSQL as postgres)
# OUTDIR/<source>.log are training/held-out logs; OUTDIR/demo/ is a separate PostgreSQL run with a few
# faults at recorded moments, kept out of training for the demo.
set -u
OUT=$(realpath -m "${1:?usage: make_logs.sh OUTDIR}")
HERE=$(cd "$(dirname "$0")" && pwd)
W=/tmp/linnet-logs-work
mkdir -p "$OUT/demo" "$W"; chmod 1777 "$W"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { runuser -u postgres -- "$@"; }
note() { echo "[make_logs $(date +%T)] $*"; }
cleanup() {
  for p in $(cat "$W"/*.pid 2>/dev/null); do kill "$p" 2>/dev/null; done
  for d in "$W"/pg "$W"/pg2 "$W"/pgdemo; do [ -f "$d/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1; done
  redis-cli -p 6390 shutdown nosave >/dev/null 2>&1; redis-cli -p 6391 shutdown nosave >/dev/null 2>&1
  [ -f "$W/nginx/nginx.pid" ] && nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -s stop 2>/dev/null
  for m in "$W"/tiny*; do mountpoint -q "$m" && umount -l "$m"; done
}
trap cleanup EXIT

# ---------------------------------------------------------------- PostgreSQL
pg_setup() {  # $1 data dir, $2 port, $3 log file
  rm -rf "$1"; install -d -o postgres -g postgres "$1"
  as_pg "$PGBIN/initdb" -D "$1" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  cat >> "$1/postgresql.conf" <<CONF
port = $2
listen_addresses = '127.0.0.1'
unix_socket_directories = '$W'
max_connections = 20
log_line_prefix = '%m [%p] %q%u@%d '
log_connections = on
log_disconnections = on
log_checkpoints = on
log_lock_waits = on
deadlock_timeout = 200ms
log_min_duration_statement = 250
log_autovacuum_min_duration = 0
log_temp_files = 0
log_statement = 'ddl'
checkpoint_timeout = 30s
CONF
  touch "$3"; chown postgres "$3"
}
pg_start() { as_pg "$PGBIN/pg_ctl" -D "$1" -l "$2" -w -t 30 start >/dev/null; }
pg_wait_ready() { for _ in $(seq 1 60); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && return; sleep 0.5; done; }
psql_() { PGPASSWORD=${PGPW:-linnet} "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U "${PGU:-postgres}" -X -q "$@" 2>/dev/null; }

postgres_run() {
  local D=$W/pg LOG=$OUT/postgresql.log; PORT=5499
  note postgres start; pg_setup "$D" $PORT "$LOG"; pg_start "$D" "$LOG"
  "$PGBIN/psql" -h "$W" -p $PORT -U postgres -X -q -c "ALTER USER postgres PASSWORD 'linnet'" -c "CREATE DATABASE shop" -c "CREATE USER app PASSWORD 'apppw'" -c "GRANT ALL ON DATABASE shop TO app" >/dev/null
  PGPASSWORD=linnet "$PGBIN/pgbench" -h 127.0.0.1 -p $PORT -U postgres -i -s 4 shop >/dev/null 2>&1
  psql_ -d shop -c "CREATE TABLE accounts_audit(id serial primary key, acct int unique, note text)" -c "GRANT ALL ON ALL TABLES IN SCHEMA public TO app" -c "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO app"
  for round in $(seq 1 "${PG_ROUNDS:-3}"); do
    note postgres round $round
    PGPASSWORD=linnet timeout 40 "$PGBIN/pgbench" -h 127.0.0.1 -p $PORT -U postgres -c $((2 * (round % 3 + 1))) -j 2 -T 30 shop >/dev/null 2>&1 &
    # application errors: missing tables, bad syntax, constraint violations, division by zero, timeouts
    for i in $(seq 1 12); do
      psql_ -d shop -c "SELECT * FROM orders WHERE id = $i" ; psql_ -d shop -c "SELEC 1"
      psql_ -d shop -c "INSERT INTO accounts_audit(acct, note) VALUES ($((i % 5)), 'n$i')"
      psql_ -d shop -c "SELECT 1/0"; psql_ -d shop -c "SET statement_timeout = '100ms'; SELECT pg_sleep(0.3)"
      psql_ -d shop -c "SELECT count(*) FROM pgbench_accounts a JOIN pgbench_history h ON a.aid = h.aid" >/dev/null
      sleep 0.5
    done
    # authentication failures: wrong passwords, unknown users and databases
    for i in $(seq 1 $((3 * (round % 3 + 1)))); do
      PGPW=wrong$i psql_ -d shop -c "select 1"; PGU=admin$i psql_ -d shop -c "select 1"
      PGU=app PGPW=apppw psql_ -d analytics -c "select 1"; PGU=app PGPW=apppw psql_ -d shop -c "DROP TABLE pgbench_branches"
    done
    # deadlock: two sessions lock rows in opposite order
    psql_ -d shop -c "BEGIN; UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = 1; SELECT pg_sleep(1); UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = 2; COMMIT" &
    psql_ -d shop -c "BEGIN; UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = 2; SELECT pg_sleep(1); UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = 1; COMMIT" &
    wait
    # too many clients
    for i in $(seq 1 24); do psql_ -d shop -c "SELECT pg_sleep(3)" & done; wait
    psql_ -d shop -c "VACUUM ANALYZE pgbench_accounts" -c "CHECKPOINT"
  done
  note postgres crash: kill -9 a backend
  psql_ -d shop -c "SELECT pg_sleep(20)" & sleep 1
  pid=$(psql_ -d postgres -At -c "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%' LIMIT 1")
  [ -n "$pid" ] && kill -9 "$pid"; sleep 2; pg_wait_ready; wait
  PGPASSWORD=linnet timeout 15 "$PGBIN/pgbench" -h 127.0.0.1 -p $PORT -U postgres -c 2 -T 10 shop >/dev/null 2>&1
  note postgres full disk: tablespace on a 6 MB tmpfs
  mkdir -p "$W/tinypg"; mount -t tmpfs -o size=6m tmpfs "$W/tinypg"; chown postgres "$W/tinypg"
  psql_ -d shop -c "CREATE TABLESPACE tiny LOCATION '$W/tinypg'" -c "CREATE TABLE big(x text) TABLESPACE tiny"
  for i in 1 2 3; do psql_ -d shop -c "INSERT INTO big SELECT repeat(md5(g::text), 20) FROM generate_series(1, 20000) g"; done
  psql_ -d shop -c "DROP TABLE big" -c "DROP TABLESPACE tiny"; umount -l "$W/tinypg"
  note postgres second instance on a used port, then a bad config
  pg_setup "$W/pg2" $PORT "$OUT/postgresql-2.log"; pg_start "$W/pg2" "$OUT/postgresql-2.log"
  sed -i "s/^port = $PORT/port = 5498/" "$W/pg2/postgresql.conf"; echo "shared_buffers = lots" >> "$W/pg2/postgresql.conf"
  pg_start "$W/pg2" "$OUT/postgresql-2.log"
  sed -i '$d' "$W/pg2/postgresql.conf"; echo "work_mem = '4MB" >> "$W/pg2/postgresql.conf"; pg_start "$W/pg2" "$OUT/postgresql-2.log"
  sed -i '$d' "$W/pg2/postgresql.conf"; pg_start "$W/pg2" "$OUT/postgresql-2.log"
  PORT=5498; psql_ -d postgres -c "select 1"; "$PGBIN/psql" -h "$W" -p 5498 -U postgres -X -q -c "CREATE DATABASE t2" -c "SELECT 1/0" 2>/dev/null
  as_pg "$PGBIN/pg_ctl" -D "$W/pg2" -m smart stop >/dev/null
  PORT=5499
  note postgres restart cycles
  as_pg "$PGBIN/pg_ctl" -D "$D" -m fast stop >/dev/null; pg_start "$D" "$LOG"
  PGPASSWORD=linnet timeout 25 "$PGBIN/pgbench" -h 127.0.0.1 -p $PORT -U postgres -c 4 -T 20 -S shop >/dev/null 2>&1
  as_pg "$PGBIN/pg_ctl" -D "$D" -m immediate stop >/dev/null; pg_start "$D" "$LOG"
  PGPASSWORD=linnet timeout 15 "$PGBIN/pgbench" -h 127.0.0.1 -p $PORT -U postgres -c 2 -T 10 shop >/dev/null 2>&1
  as_pg "$PGBIN/pg_ctl" -D "$D" -m fast stop >/dev/null
}

# ---------------------------------------------------------------- PostgreSQL demo (held out)
postgres_demo() {  # normal work with three faults at recorded moments, for the demo's sample
  local D=$W/pgdemo LOG=$OUT/demo/postgresql-demo.log FAULTS=$OUT/demo/faults.tsv; PORT=5497
  note postgres demo; pg_setup "$D" $PORT "$LOG"; pg_start "$D" "$LOG"
  printf 'time\tfault\n' > "$FAULTS"
  "$PGBIN/psql" -h "$W" -p $PORT -U postgres -X -q -c "ALTER USER postgres PASSWORD 'linnet'" -c "CREATE DATABASE shop" >/dev/null
  PGPASSWORD=linnet "$PGBIN/pgbench" -h 127.0.0.1 -p $PORT -U postgres -i -s 2 shop >/dev/null 2>&1
  normal() { for i in $(seq 1 "$1"); do psql_ -d shop -c "SELECT abalance FROM pgbench_accounts WHERE aid = $((RANDOM % 1000 + 1))" >/dev/null; PGPASSWORD=linnet timeout 5 "$PGBIN/pgbench" -h 127.0.0.1 -p $PORT -U postgres -c 2 -T 2 shop >/dev/null 2>&1; done; }
  normal 25
  printf '%s\tauthentication failures (wrong password x5)\n' "$(date '+%F %T')" >> "$FAULTS"
  for i in 1 2 3 4 5; do PGPW=guess$i psql_ -d shop -c "select 1"; done
  normal 25
  printf '%s\tbackend killed with SIGKILL (crash recovery)\n' "$(date '+%F %T')" >> "$FAULTS"
  psql_ -d shop -c "SELECT pg_sleep(20)" & sleep 1
  pid=$(psql_ -d postgres -At -c "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%' LIMIT 1"); [ -n "$pid" ] && kill -9 "$pid"; sleep 2; pg_wait_ready; wait
  normal 25
  printf '%s\tdisk full on a tablespace\n' "$(date '+%F %T')" >> "$FAULTS"
  mkdir -p "$W/tinydemo"; mount -t tmpfs -o size=4m tmpfs "$W/tinydemo"; chown postgres "$W/tinydemo"
  psql_ -d shop -c "CREATE TABLESPACE tiny LOCATION '$W/tinydemo'" -c "CREATE TABLE big(x text) TABLESPACE tiny" -c "INSERT INTO big SELECT repeat(md5(g::text), 20) FROM generate_series(1, 20000) g"
  psql_ -d shop -c "DROP TABLE big" -c "DROP TABLESPACE tiny"; umount -l "$W/tinydemo"
  normal 25
  as_pg "$PGBIN/pg_ctl" -D "$D" -m fast stop >/dev/null
}

# ---------------------------------------------------------------- Redis
redis_run() {
  local R=$W/redis LOG=$OUT/redis.log; rm -rf "$R"; mkdir -p "$R"
  cat > "$R/redis.conf" <<CONF
port 6390
bind 127.0.0.1
daemonize yes
pidfile $R/redis.pid
logfile $LOG
loglevel verbose
dir $R
save 5 100
appendonly yes
maxmemory 24mb
maxmemory-policy noeviction
requirepass linnetpw
CONF
  note redis start; redis-server "$R/redis.conf"; sleep 1
  rc() { redis-cli -p 6390 -a linnetpw --no-auth-warning "$@" >/dev/null 2>&1; }
  for round in 1 2; do
    timeout 40 redis-benchmark -p 6390 -a linnetpw -q -n 60000 -c 20 -r 100000 -t set,get,lpush,incr,hset >/dev/null 2>&1
    for i in $(seq 1 20); do redis-cli -p 6390 -a wrong$i --no-auth-warning ping >/dev/null 2>&1; done
    timeout 30 redis-benchmark -p 6390 -a linnetpw -q -n 200000 -d 512 -r 1000000 -t set >/dev/null 2>&1   # fills maxmemory: OOM errors
    rc flushall; rc bgsave; sleep 2; rc bgrewriteaof; sleep 2; rc config set loglevel debug; rc debug sleep 0; rc config set loglevel verbose
  done
  note redis replica of a master that is not there
  redis-server --port 6391 --bind 127.0.0.1 --daemonize yes --logfile "$OUT/redis-replica.log" --dir "$R" --dbfilename r.rdb --replicaof 127.0.0.1 6399 --pidfile "$R/r.pid"
  sleep 12; redis-cli -p 6391 replicaof no one >/dev/null; sleep 1; redis-cli -p 6391 shutdown nosave >/dev/null 2>&1
  note redis kill -9 and restart with AOF
  kill -9 "$(cat "$R/redis.pid")"; sleep 1; redis-server "$R/redis.conf"; sleep 2
  timeout 20 redis-benchmark -p 6390 -a linnetpw -q -n 30000 -t set,get >/dev/null 2>&1
  note redis full disk
  rc config set appendonly no; mkdir -p "$W/tinyredis"; mount -t tmpfs -o size=3m tmpfs "$W/tinyredis"
  rc config set dir "$W/tinyredis"; rc config set maxmemory 64mb
  timeout 20 redis-benchmark -p 6390 -a linnetpw -q -n 20000 -d 1000 -r 1000000 -t set >/dev/null 2>&1
  rc bgsave; sleep 3; rc bgsave; sleep 6; rc config set dir "$R"; rc bgsave; sleep 2
  rc shutdown; sleep 1; umount -l "$W/tinyredis"
  note redis bad configs
  printf 'port 6392\nmaxmemory lots\n' > "$R/bad1.conf"; redis-server "$R/bad1.conf" >> "$LOG" 2>&1
  printf 'port 6392\nenable-turbo yes\n' > "$R/bad2.conf"; redis-server "$R/bad2.conf" >> "$LOG" 2>&1
  printf 'port 6390\nbind 127.0.0.1\ndir /nonexistent/dir\n' > "$R/bad3.conf"; redis-server "$R/bad3.conf" >> "$LOG" 2>&1
}

# ---------------------------------------------------------------- nginx
nginx_run() {
  local N=$W/nginx; rm -rf "$N"; mkdir -p "$N/logs" "$N/html/static" "$N/html/docs" "$N/html/images" "$N/tmp"
  echo '<html>hello</html>' > "$N/html/index.html"; echo 'console.log(1)' > "$N/html/static/app.js"
  echo 'body{}' > "$N/html/static/style.css"; echo '<p>guide</p>' > "$N/html/docs/guide.html"
  echo 'User-agent: *' > "$N/html/robots.txt"; head -c 3000 /dev/urandom > "$N/html/images/logo.png"
  nginx_conf() {  # $1: upstream port
    cat > "$N/nginx.conf" <<CONF
worker_processes 2;
pid $N/nginx.pid;
error_log $OUT/nginx-error.log info;
events { worker_connections 64; }
http {
  access_log $OUT/nginx-access.log combined;
  client_body_temp_path $N/tmp/body; proxy_temp_path $N/tmp/proxy; fastcgi_temp_path $N/tmp/fcgi;
  uwsgi_temp_path $N/tmp/uwsgi; scgi_temp_path $N/tmp/scgi;
  limit_req_zone \$binary_remote_addr zone=lim:1m rate=5r/s;
  upstream app { server 127.0.0.1:$1 max_fails=3 fail_timeout=5s; }
  server {
    listen 127.0.0.1:8088;
    root $N/html;
    client_max_body_size 64k;
    location /api/ { proxy_pass http://app; proxy_read_timeout 2s; proxy_connect_timeout 1s; }
    location /upload { proxy_pass http://app; }
    location /limited/ { limit_req zone=lim burst=3 nodelay; return 200 "ok\n"; }
  }
}
CONF
  }
  clients() {  # $1 seconds, $2 seed: NGINX_CLIENTS clients at once
    local pids=""  # wait for these alone: the upstream server is a background job of this shell too
    for c in $(seq 1 "${NGINX_CLIENTS:-1}"); do python3 "$HERE/http_traffic.py" client http://127.0.0.1:8088 "$1" $(( $2 * 100 + c + ${SEED:-0} )) & pids="$pids $!"; done; wait $pids
  }
  nginx_conf 9099
  note nginx start; nginx -p "$N" -c "$N/nginx.conf"
  python3 "$HERE/http_traffic.py" backend 9099 2>> "$OUT/app-backend.log" & echo $! > "$W/backend.pid"
  sleep 1
  clients 70 1
  note nginx upstream down: connection refused
  kill "$(cat "$W/backend.pid")"; clients 25 2
  python3 "$HERE/http_traffic.py" backend 9099 2>> "$OUT/app-backend.log" & echo $! > "$W/backend.pid"; sleep 1
  clients 40 3
  note nginx bad config and reloads
  cp "$N/nginx.conf" "$N/good.conf"; sed -i 's/worker_connections 64;/worker_connections 64/' "$N/nginx.conf"
  nginx -t -p "$N" -c "$N/nginx.conf" >> "$OUT/nginx-error.log" 2>&1; nginx -p "$N" -c "$N/nginx.conf" -s reload >> "$OUT/nginx-error.log" 2>&1
  cp "$N/good.conf" "$N/nginx.conf"; sed -i 's#proxy_pass http://app;#proxy_pass http://missing_upstream;#' "$N/nginx.conf"
  nginx -t -p "$N" -c "$N/nginx.conf" >> "$OUT/nginx-error.log" 2>&1
  cp "$N/good.conf" "$N/nginx.conf"; nginx -p "$N" -c "$N/nginx.conf" -s reload; sleep 1
  nginx -p "$N" -c "$N/nginx.conf" >> "$OUT/nginx-error.log" 2>&1   # second master: address in use
  note nginx full disk for request bodies
  mkdir -p "$W/tinynginx"; mount -t tmpfs -o size=1m tmpfs "$W/tinynginx"; chmod 777 "$W/tinynginx"
  sed -i "s#client_body_temp_path $N/tmp/body#client_body_temp_path $W/tinynginx#; s#client_max_body_size 64k#client_max_body_size 8m#" "$N/nginx.conf"
  nginx -p "$N" -c "$N/nginx.conf" -s reload; sleep 1
  local up=""
  for i in $(seq 1 6); do head -c 1500000 /dev/zero | curl -s -o /dev/null -X POST --data-binary @- http://127.0.0.1:8088/upload & up="$up $!"; done; wait $up
  cp "$N/good.conf" "$N/nginx.conf"; nginx -p "$N" -c "$N/nginx.conf" -s reload; sleep 1; umount -l "$W/tinynginx"
  clients 40 4
  kill "$(cat "$W/backend.pid")"; nginx -p "$N" -c "$N/nginx.conf" -s quit; sleep 1
}

# ---------------------------------------------------------------- Kafka broker (KRaft), from Maven jars
kafka_run() {
  local K=$W/kafka CP=${KAFKA_CP:-}
  if [ -z "$CP" ]; then note "kafka skipped: KAFKA_CP (classpath of kafka_2.13 + kafka-tools + log4j) not set"; return; fi
  rm -rf "$K"; mkdir -p "$K/data"
  cat > "$K/server.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:19093
listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$K/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.segment.bytes=1048576
log.retention.check.interval.ms=5000
CONF
  cat > "$K/log4j2.properties" <<CONF
appender.f.type = File
appender.f.name = f
appender.f.fileName = $OUT/kafka-broker.log
appender.f.append = true
appender.f.layout.type = PatternLayout
appender.f.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.f.ref = f
CONF
  kjava() { java -Xmx512m -Dlog4j2.configurationFile="$K/log4j2.properties" -cp "$CP" "$@"; }
  broker() {  # exec, so that the pid written is the JVM's own and the kills below reach it
    ( exec java -Xmx512m -Dlog4j2.configurationFile="$K/log4j2.properties" -cp "$CP" kafka.Kafka "$K/server.properties" ) > "$1" 2>&1 &
    echo $! > "$W/kafka.pid"
  }
  note kafka format and start
  kjava kafka.tools.StorageTool format -t "$(kjava kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" -c "$K/server.properties" --standalone >/dev/null 2>&1 \
    || kjava kafka.tools.StorageTool format -t q1Sh-9_ISia_zwGINzRvyQ -c "$K/server.properties" >/dev/null 2>&1
  broker "$K/stdout"
  sleep 15
  tool() { timeout 60 java -Xmx256m -Dlog4j2.configurationFile="$K/log4j2.properties" -cp "$CP" "$@" >/dev/null 2>&1; }
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:19092 --create --topic logs --partitions 6
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:19092 --create --topic logs --partitions 6   # exists
  tool org.apache.kafka.tools.ProducerPerformance --topic logs --num-records 300000 --record-size 200 --throughput 20000 --producer-props bootstrap.servers=127.0.0.1:19092
  tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server 127.0.0.1:19092 --topic logs --group g1 --from-beginning --max-messages 50000 --timeout-ms 20000
  tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server 127.0.0.1:19092 --topic logs --group g1 --max-messages 10 --timeout-ms 5000
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:19092 --delete --topic logs
  note kafka kill -9 and restart
  kill -9 "$(cat "$W/kafka.pid")"; sleep 2
  broker "$K/stdout2"
  sleep 15
  tool org.apache.kafka.tools.ProducerPerformance --topic events --num-records 100000 --record-size 100 --throughput 20000 --producer-props bootstrap.servers=127.0.0.1:19092
  kill "$(cat "$W/kafka.pid")"; sleep 8; kill -9 "$(cat "$W/kafka.pid")" 2>/dev/null
  note kafka bad config
  sed 's/^node.id=1/node.id=banana/' "$K/server.properties" > "$K/bad.properties"
  timeout 30 java -Xmx256m -Dlog4j2.configurationFile="$K/log4j2.properties" -cp "$CP" kafka.Kafka "$K/bad.properties" >> "$OUT/kafka-broker.log" 2>&1
}

SECONDS=0
for phase in ${PHASES:-postgres redis nginx kafka demo}; do
  case $phase in postgres) postgres_run;; redis) redis_run;; nginx) nginx_run;; kafka) kafka_run;; demo) postgres_demo;; esac
done
# what this machine's package manager logged while the servers were installed
cat /var/log/dpkg.log /var/log/apt/history.log /var/log/apt/term.log > "$OUT/apt-dpkg.log" 2>/dev/null
note done in ${SECONDS}s; ls -la "$OUT" "$OUT/demo"
