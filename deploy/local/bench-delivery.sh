#!/usr/bin/env bash
# Alert delivery benchmark: starts the system as bench.sh does (fresh database and virtual host), subscribes
# webhooks of a receiver inside the benchmark (127.0.0.1:5480, EW_RECEIVER_PORT), plants surges through the
# ingestion API and prints webhook deliveries/s and surge-ingestion-to-webhook latency (p50/p99), then stops.
# Arguments go to the benchmark, e.g. --points 200 --subscriptions 25 --latency-samples 40.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/infra.sh"
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"

cleanup() { trap - INT TERM EXIT; ew_services_stop; ew_down; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ew_up
ew_database earlywarning_bench_delivery 1
ew_vhost earlywarning-bench-delivery
ew_service_env earlywarning_bench_delivery earlywarning-bench-delivery
ew_build
# The benchmark's border points are synthetic (not in policy/places): give them derived codes instead of holding them.
export Classification__UnlistedPlaces=Derive
# The benchmark's receiver is on loopback, which webhooks may not reach unless allowed (docs/security-webhooks.md).
export EW_ALERTING__Delivery__Webhooks__AllowedHosts__0=127.0.0.1
ew_services_start
EW_PUBLISHER_KEY="$(ew_admin keys issue --name "delivery benchmark publisher" --role publisher --country CHL 2>/dev/null)" \
EW_ANALYST_KEY="$(ew_admin keys issue --name "delivery benchmark analyst" --role analyst --countries CHL 2>/dev/null)" \
dotnet "$EW_REPO/bench/EarlyWarning.Delivery.Benchmarks/bin/Release/net10.0/EarlyWarning.Delivery.Benchmarks.dll" \
  --ingestion "http://127.0.0.1:${EW_SERVICE_PORT[Ingestion]}" --alerting "http://127.0.0.1:${EW_SERVICE_PORT[Alerting]}" \
  --receiver-port "${EW_RECEIVER_PORT:-5480}" "$@"
