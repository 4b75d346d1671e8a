#!/usr/bin/env bash
# Detection quality end to end: starts the system as bench.sh does (fresh database and virtual hosts), issues a
# publisher key per country and an operator key, then earlywarning-evaluation generates realistic national files with
# planted surges, publishes them through the ingestion API (the agreements on), waits until Alerting has judged
# everything, and scores the alerts against the same detector rules run in process on the unprotected series (the
# ceiling). Stops everything at the end. Arguments go to the tool's `run` command, e.g.
#   deploy/local/evaluate.sh --seed 7 --scale 0.5 --countries CHL,PER --weekly-tail 8 --results /tmp/eval
# Ports: EW_AMQP_PORT, EW_PG_PORT, EW_PORT_BASE as for the other scripts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/infra.sh"
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"

cleanup() { trap - INT TERM EXIT; ew_services_stop; ew_down; }
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$(date +%s)
ew_up
ew_database earlywarning_eval 1
ew_vhost earlywarning-eval
ew_service_env earlywarning_eval earlywarning-eval
ew_build
ew_services_start

# A publisher key for every country the generator can use (an agreement, a mapping table and a gazetteer), and an
# operator key to follow every submission; kept in this process's environment only.
for file in "$EW_REPO"/policy/agreements/[A-Z][A-Z][A-Z].yaml; do
  country="$(basename "$file" .yaml)"
  [ -f "$EW_REPO/policy/mappings/$country.yaml" ] && [ -f "$EW_REPO/policy/places/$country.yaml" ] || continue
  export "EW_KEY_$country=$(ew_admin keys issue --name "evaluation publisher $country" --role publisher --country "$country" 2>/dev/null)"
done
export EW_KEY_OPERATOR="$(ew_admin keys issue --name "evaluation operator" --role operator 2>/dev/null)"
# Alerting's own role reads its schema (alerts, judgements, wide_judging_due); nothing else.
export EW_EVAL_DATABASE="$EW_ALERTING__Database__ConnectionString"
export EW_INGESTION_URL="http://127.0.0.1:${EW_SERVICE_PORT[Ingestion]}"
ew_log "system up in $(( $(date +%s) - started )) s; evaluating"
cd "$EW_REPO"
code=0
dotnet "$EW_REPO/tools/EarlyWarning.Evaluation/bin/Release/net10.0/earlywarning-evaluation.dll" run "$@" || code=$?
ew_log "evaluate.sh finished in $(( $(date +%s) - started )) s (exit code $code)"
exit "$code"
