#!/usr/bin/env bash
# Runs every test of EarlyWarning: starts RabbitMQ and PostgreSQL on loopback (installing them if missing),
# gives the run a fresh database and virtual host, runs `dotnet test EarlyWarning.sln`, stops what it
# started, and ends with the line "N passed, N failed". Extra arguments go to dotnet test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/infra.sh"
source "$(dirname "${BASH_SOURCE[0]}")/prometheus.sh"

rabbit_was_up=0; pg_was_up=0
ew_port_open "$EW_AMQP_PORT" && rabbit_was_up=1
ew_port_open "$EW_PG_PORT" && pg_was_up=1
cleanup() {
  [ "$rabbit_was_up" = 1 ] || ew_rabbit_down
  [ "$pg_was_up" = 1 ] || ew_pg_down
}
trap cleanup EXIT

ew_up
ew_prometheus_install  # the integration tests run Prometheus and promtool on the project's configuration
ew_database earlywarning_test 1
ew_vhost earlywarning-test 1
ew_service_env earlywarning_test earlywarning-test

# docker-compose.yml cannot run here (no Docker engine); it is linted instead, offline, with dclint.
command -v npx >/dev/null 2>&1 || { ew_log "installing npm for dclint"; DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm >/dev/null; }
ew_log "linting docker-compose.yml with dclint"
npx --yes dclint@3.1.0 "$EW_REPO/docker-compose.yml" 2>&1 | { grep -v 'npm warn' || true; } >&2

results="$EW_STATE/test-results"
rm -rf "$results"
ew_log "dotnet test EarlyWarning.sln"
status=0
dotnet test "$EW_REPO/EarlyWarning.sln" --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx")"
  passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
  failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
done
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; ew_log "dotnet test failed before or outside the tests (build error or crash); see above"; fi
trap - EXIT
cleanup
echo "$passed passed, $failed failed"
exit "$status"
