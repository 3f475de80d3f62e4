#!/usr/bin/env bash
# Installs and starts what the tests need (scripts/services.sh), then runs the whole build with
# its tests. Idempotent: on a prepared machine it only runs the tests. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh

log "running ./mvnw -B verify $*"
exec ./mvnw -B verify "$@"
