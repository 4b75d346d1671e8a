#!/usr/bin/env bash
# End-to-end benchmark: starts the system as run.sh does (fresh database and virtual host), pushes
# observations through all four services in batches and one per message, prints the figures, stops.
# Arguments go to the benchmark, e.g. --observations 200000 --baseline-observations 5000.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/infra.sh"
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"

cleanup() { trap - INT TERM EXIT; ew_services_stop; ew_down; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ew_up
ew_database earlywarning_bench 1
ew_vhost earlywarning-bench
ew_service_env earlywarning_bench earlywarning-bench
ew_build
ew_services_start
EW_API_KEY="$(ew_admin keys issue --name "benchmark publisher" --role publisher --country CHL 2>/dev/null)" \
dotnet "$EW_REPO/bench/EarlyWarning.Benchmarks/bin/Release/net10.0/EarlyWarning.Benchmarks.dll" --ingestion "http://127.0.0.1:${EW_SERVICE_PORT[Ingestion]}" "$@"
echo "CPU time used during the run, by process (ps):"
ps -eo time,rss,args --sort=-time | grep -E "EarlyWarning|beam.smp|postgres" | grep -v grep | head -12 | cut -c1-120
