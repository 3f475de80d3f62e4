#!/usr/bin/env bash
# Sourced by test.sh and bench.sh: installs what farine's tests and benchmarks need (JDK,
# RabbitMQ, PostgreSQL, etcd) from Debian packages when missing, and starts the servers that are
# not running. Idempotent: on a prepared machine it only checks.

log() { printf '[%s] %s\n' "${0##*/}" "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root (or sudo) to run: $*"; exit 1; fi
}

apt_updated=0
ensure_package() { # ensure_package <command-that-must-exist> <debian-package>
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
    if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
    log "installing $2"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
  fi
}

ensure_package javac openjdk-17-jdk-headless
ensure_package /usr/sbin/rabbitmq-server rabbitmq-server
ensure_package pg_ctlcluster postgresql
ensure_package etcd etcd-server
# Debian's python3 with kombu: the Python farine peer of the interop tests (KombuInteropTests).
ensure_package /usr/bin/python3 python3
if ! /usr/bin/python3 -c 'import kombu' >/dev/null 2>&1; then
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  log "installing python3-kombu"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-kombu >/dev/null
fi

# node and npm, with the official AsyncAPI parser the contract tests run (docs/contracts.md):
# @asyncapi/parser as pinned in farine-autoconfigure/src/test/asyncapi/package-lock.json.
ensure_package node nodejs
ensure_package npm npm
if [ ! -d farine-autoconfigure/src/test/asyncapi/node_modules/@asyncapi/parser ]; then
  log "installing @asyncapi/parser (npm ci)"
  (cd farine-autoconfigure/src/test/asyncapi && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
fi

# RabbitMQ on 127.0.0.1:5672, guest/guest (guest may connect from loopback by default).
if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting RabbitMQ"
  as_root rabbitmq-server -detached
  as_root rabbitmqctl -q await_startup --timeout 120 >/dev/null 2>&1 || as_root rabbitmqctl -q wait --timeout 120 --pid "$(pgrep -f beam.smp | head -n 1)"
fi

# PostgreSQL on 127.0.0.1:5432, user postgres, trust on loopback for the tests.
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  log "starting PostgreSQL"
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi
if ! psql -h 127.0.0.1 -U postgres -w -Atc 'select 1' >/dev/null 2>&1; then
  log "allowing the postgres user from loopback without a password (test machine)"
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
fi

# etcd: the tests start their own etcd processes on free ports; only the binary is needed.
command -v etcd >/dev/null


# Three more RabbitMQ nodes, clustered, for the failover tests: farine-a, farine-b and farine-c on
# 127.0.0.1:5681-5683 (docs/contributing.md). Each has its own config, data and logs under
# /var/lib/rabbitmq/farine-<node>; the machine's own node on 5672 is left alone. A node a test
# stopped (stop_app) is started again here.
start_cluster_node() { # start_cluster_node <name> <port>
  local dir=/var/lib/rabbitmq/$1
  if as_root rabbitmqctl -q -n "$1@localhost" status >/dev/null 2>&1; then
    as_root rabbitmqctl -q -n "$1@localhost" start_app >/dev/null 2>&1 || true
    return
  fi
  log "starting RabbitMQ node $1 on 127.0.0.1:$2"
  as_root mkdir -p "$dir"
  printf 'listeners.tcp.local = 127.0.0.1:%s\n' "$2" | as_root tee "$dir/rabbitmq.conf" >/dev/null
  as_root chown -R rabbitmq:rabbitmq "$dir"
  as_root runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq RABBITMQ_NODENAME="$1@localhost" \
    RABBITMQ_NODE_PORT="$2" RABBITMQ_DIST_PORT=$(($2 + 20000)) RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" /usr/lib/rabbitmq/bin/rabbitmq-server -detached
}
start_cluster_node farine-a 5681
start_cluster_node farine-b 5682
start_cluster_node farine-c 5683
for node in farine-a farine-b farine-c; do
  # await_startup fails at once while the node has not registered with epmd yet
  for _ in $(seq 1 60); do
    as_root rabbitmqctl -q -n "$node@localhost" await_startup --timeout 120 >/dev/null 2>&1 && break
    sleep 1
  done
  as_root rabbitmqctl -q -n "$node@localhost" await_startup --timeout 10 >/dev/null
done
for node in farine-b farine-c; do
  if ! as_root rabbitmqctl -q -n farine-a@localhost cluster_status 2>/dev/null | grep -q "$node@localhost"; then
    log "joining $node to the farine-a cluster"
    as_root rabbitmqctl -q -n "$node@localhost" stop_app >/dev/null
    as_root rabbitmqctl -q -n "$node@localhost" reset >/dev/null
    as_root rabbitmqctl -q -n "$node@localhost" join_cluster farine-a@localhost >/dev/null
    # start_app prints the feature-flag warnings of a node that was reset: noise, not errors
    as_root rabbitmqctl -q -n "$node@localhost" start_app >/dev/null 2>&1
  fi
done
as_root rabbitmqctl -q -n farine-a@localhost cluster_status 2>/dev/null | grep -q farine-c@localhost \
  || { log "the farine-a/b/c RabbitMQ cluster did not form"; exit 1; }
