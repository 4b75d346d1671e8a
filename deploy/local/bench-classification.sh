#!/usr/bin/env bash
# Classification benchmark: cells/s through the classifier alone and rows/s of the harmonized store's bulk
# write into PostgreSQL (started as run.sh does, in a database of its own). Argument: number of cells
# (default 1,000,000).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/infra.sh"

pg_was_up=0
ew_port_open "$EW_PG_PORT" && pg_was_up=1
cleanup() { [ "$pg_was_up" = 1 ] || ew_pg_down; }
trap cleanup EXIT

ew_install
ew_pg_up
ew_database earlywarning_bench_classification 1
ew_service_env earlywarning_bench_classification
ew_log "building the benchmark (Release)"
dotnet build "$EW_REPO/bench/EarlyWarning.Classification.Benchmarks" -c Release -v quiet -nologo -clp:ErrorsOnly >&2
dotnet "$EW_REPO/bench/EarlyWarning.Classification.Benchmarks/bin/Release/net10.0/EarlyWarning.Classification.Benchmarks.dll" "$EW_REPO/policy" "${1:-1000000}"
