#!/usr/bin/env bash
# The agreement engine alone (no broker, no database): records/s through the record-level step and cells/s
# through the table release, for Chile's and Peru's agreements. Arguments go to the benchmark
# (--records 1000000 --weeks 104). The running pipeline's figures come from bench.sh.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dotnet build "$repo/bench/EarlyWarning.Anonymization.Benchmarks" -c Release -v quiet -nologo -clp:ErrorsOnly >&2
dotnet "$repo/bench/EarlyWarning.Anonymization.Benchmarks/bin/Release/net10.0/EarlyWarning.Anonymization.Benchmarks.dll" "$@"
