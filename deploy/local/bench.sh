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
# The benchmark's border points are synthetic (not in policy/places): give them derived codes instead of holding them.
export Classification__UnlistedPlaces=Derive
ew_services_start
EW_API_KEY="$(ew_admin keys issue --name "benchmark publisher" --role publisher --country CHL 2>/dev/null)" \
dotnet "$EW_REPO/bench/EarlyWarning.Benchmarks/bin/Release/net10.0/EarlyWarning.Benchmarks.dll" --ingestion "http://127.0.0.1:${EW_SERVICE_PORT[Ingestion]}" "$@"
echo "CPU seconds used during the run (ps; PostgreSQL by the role of its connections still open):"
ps -eo time=,args= | awk '
  function seconds(t,  p, n) { n = split(t, p, /[-:]/); return n == 4 ? p[1] * 86400 + p[2] * 3600 + p[3] * 60 + p[4] : p[1] * 3600 + p[2] * 60 + p[3] }
  /beam\.smp/ { cpu["RabbitMQ"] += seconds($1) }
  match($0, /EarlyWarning\.[A-Za-z]+\.dll/) && $0 !~ /Benchmarks|awk/ { cpu[substr($0, RSTART + 13, RLENGTH - 17)] += seconds($1) }
  $2 == "postgres:" && $3 ~ /^ew_/ { cpu["PostgreSQL, " substr($3, 4)] += seconds($1) }
  END { for (k in cpu) printf "%6d s  %s\n", cpu[k], k }' | sort -rn
