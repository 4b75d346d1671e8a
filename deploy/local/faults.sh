#!/usr/bin/env bash
# Fault-injection run: starts the system as run.sh does (fresh database and virtual host, services under
# run.sh's supervisor), streams observations through the ingestion API and, meanwhile, kills each service
# with kill -9 at random moments, restarts the broker, restarts PostgreSQL and stops PostgreSQL for 60 s.
# Afterwards it checks that every accepted observation was harmonized and evaluated exactly once and that
# no error or dead-letter queue holds anything, prints lost=, duplicated=, error-queue= and the time, and
# exits 1 if any is not 0. Arguments go to faults.py, e.g. --observations 200000 --kills-per-service 3.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/infra.sh"
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"

cleanup() { trap - INT TERM EXIT; ew_services_stop; ew_down; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ew_up
ew_database earlywarning_faults 1
ew_vhost earlywarning-faults
ew_service_env earlywarning_faults earlywarning-faults
ew_build
# The run's border points are synthetic (not in policy/places): give them derived codes, as bench.sh does, so that
# its cells are harmonized and judged rather than all held for review.
export Classification__UnlistedPlaces=Derive
ew_services_start
EW_API_KEY="$(ew_admin keys issue --name "fault-injection publisher" --role publisher --country CHL 2>/dev/null)" \
python3 "$EW_REPO/deploy/local/faults.py" --ingestion "http://127.0.0.1:${EW_SERVICE_PORT[Ingestion]}" \
  --infra "$EW_REPO/deploy/local/infra.sh" --pids "$EW_STATE/pids" --database earlywarning_faults --vhost earlywarning-faults "$@"
