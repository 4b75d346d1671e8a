#!/usr/bin/env bash
# Surge-detection benchmark: evaluations per second of every algorithm, EarlyWarning against R's
# surveillance package on the same series in the same run, and the ratio. Installs R's package with apt
# if it is missing. Argument: number of series (default 40; R's Farrington takes about 5 ms per evaluation).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/infra.sh"

if ! Rscript -e 'suppressPackageStartupMessages(library(surveillance))' >/dev/null 2>&1; then
  ew_log "installing R's surveillance package (r-cran-surveillance) with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q r-cran-surveillance >/dev/null
fi
ew_log "building the benchmark (Release)"
dotnet build "$EW_REPO/bench/EarlyWarning.Detection.Benchmarks" -c Release -v quiet -nologo -clp:ErrorsOnly >&2
dotnet "$EW_REPO/bench/EarlyWarning.Detection.Benchmarks/bin/Release/net10.0/EarlyWarning.Detection.Benchmarks.dll" "${1:-40}"
