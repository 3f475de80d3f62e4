#!/usr/bin/env bash
# Runs farine's benchmarks against the local RabbitMQ: farine, plain Spring AMQP and the raw
# RabbitMQ client in one run, alternating. Prints a table and writes benchmarks/target/results.json.
# --quick: fewer rounds and messages (about 4 minutes); without it, under 10 minutes on 2 cores.
# --curves: how cost grows with the work instead (calls in flight, body size, consumers, services
# per process, db_batch_size), written to benchmarks/target/curves.json and drawn as PNG charts in
# benchmarks/target/charts (docs/benchmarks.md's charts are copies of these, under docs/benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh
ensure_package fc-list fontconfig # the charts' fonts

log "building"
./mvnw -B -q -DskipTests install
./mvnw -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
log "running the benchmarks $*"
exec java -Xms256m -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  io.farine.benchmarks.Benchmarks "$@"
