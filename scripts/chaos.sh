#!/usr/bin/env bash
# The chaos run (docs/operations.md, "Reliability: the chaos run"): the database sample's service `users`
# under a steady load on the farine-a/b/c RabbitMQ cluster while RabbitMQ nodes, PostgreSQL, etcd, TCP
# connections and the service itself fail at moments drawn from a seed; then one table of what
# arrived. Exits with 0 only when nothing was lost or left behind.
#
#   scripts/chaos.sh [--messages N] [--seed S] [--quick]
#
# N defaults to 20,000; without --seed a seed is drawn and printed. --quick: one fault of each kind
# instead of two and a shorter load. Not part of CI: it restarts the machine's PostgreSQL (briefly)
# and takes several minutes. Installs and starts what it needs (scripts/services.sh), builds the
# sample and the run's driver under /tmp/maven.lock, and stops every process it started on exit.
# With CHAOS_CLASSPATH set (ChaosScriptTests does) it builds nothing: the driver runs from that
# classpath, and the service from CHAOS_SERVICE_CLASSPATH.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh

if [ -n "${CHAOS_CLASSPATH:-}" ]; then
  classpath=$CHAOS_CLASSPATH
  service=(--service-classpath "${CHAOS_SERVICE_CLASSPATH:-$CHAOS_CLASSPATH}")
else
  log "building the database sample and the chaos run"
  flock /tmp/maven.lock ./mvnw -B -q -DskipTests -pl chaos -am package
  classpath="chaos/target/classes:$(cat chaos/target/classpath.txt)"
  service=(--service-jar "$(ls samples/database/target/farine-sample-database-*-exec.jar)")
fi

# the driver, the service and etcd in a process group of their own, so that one signal stops them all
setsid java -Xmx512m -cp "$classpath" io.farine.chaos.ChaosRun "${service[@]}" "$@" &
driver=$!
stop_driver() {
  if kill -0 -- "-$driver" 2>/dev/null; then
    # the driver stops the service (which may take 30 s to shut down) and etcd, and deletes etcd's data
    kill -TERM -- "-$driver" 2>/dev/null || true
    for _ in $(seq 1 180); do kill -0 -- "-$driver" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$driver" 2>/dev/null || true
    # what a fault in progress may have left stopped, if the driver could not start it again
    for node in farine-a farine-b farine-c; do
      as_root rabbitmqctl -q -n "$node@localhost" start_app >/dev/null 2>&1 || true
    done
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
    fi
  fi
}
trap 'stop_driver; exit 130' INT TERM
trap stop_driver EXIT
status=0
wait "$driver" || status=$?
exit "$status"
