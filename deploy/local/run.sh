#!/usr/bin/env bash
# Starts the whole EarlyWarning system on this machine and shows it working:
# installs RabbitMQ and PostgreSQL if missing, starts them on loopback, starts the four services,
# publishes the bundled sample dataset through the ingestion API and prints the alerts that come out.
# Ctrl-C stops everything. With --once it stops by itself after printing the alerts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/infra.sh"
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
source "$(dirname "${BASH_SOURCE[0]}")/prometheus.sh"

once=0
[ "${1:-}" = "--once" ] && once=1

cleanup() { trap - INT TERM EXIT; ew_prometheus_down; ew_services_stop; ew_down; kill $(jobs -p) 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ew_up
ew_log "fresh database '$EW_DATABASE' and virtual host 'earlywarning'"
ew_database "$EW_DATABASE" 1
ew_vhost earlywarning
ew_service_env "$EW_DATABASE" earlywarning
ew_build
ew_services_start
ew_prometheus_up

# Demo credentials: one publisher key per sample country, one analyst for all six, one operator.
# The keys are printed once by earlywarning-admin and kept here only for this run (readable by root alone).
demo_keys="$EW_STATE/demo-keys.env"
( umask 077; : > "$demo_keys" )
declare -A publisher_key
countries=()
for file in "$EW_REPO"/deploy/sample/*.csv "$EW_REPO"/deploy/sample/*.json; do countries+=("$(basename "$file" | cut -d. -f1)"); done
for country in "${countries[@]}"; do
  publisher_key[$country]="$(ew_admin keys issue --name "demo publisher $country" --role publisher --country "$country" 2>/dev/null)"
  echo "EW_KEY_$country=${publisher_key[$country]}" >> "$demo_keys"
done
analyst_key="$(ew_admin keys issue --name "demo regional analyst" --role analyst --countries "$(IFS=,; echo "${countries[*]}")" 2>/dev/null)"
operator_key="$(ew_admin keys issue --name "demo operator" --role operator 2>/dev/null)"
printf 'EW_KEY_ANALYST=%s\nEW_KEY_OPERATOR=%s\n' "$analyst_key" "$operator_key" >> "$demo_keys"
echo
echo "Demo credentials issued with earlywarning-admin: a publisher key for each of ${countries[*]}, an analyst key"
echo "scoped to those countries and an operator key (saved in $demo_keys). Issue your own:"
echo "  dotnet tools/EarlyWarning.Admin/bin/Release/net10.0/earlywarning-admin.dll keys issue --name 'you' --role publisher --country CHL"
echo "  (with Database__ConnectionString of the administrator's role; keys list | rotate KEY-ID | revoke KEY-ID; see README.md)"

echo
echo "Publishing the sample dataset (deploy/sample: six countries, 2024-2025, weekly) to the ingestion API, each with its country's key:"
total=0; batches=0
for file in "$EW_REPO"/deploy/sample/*.csv "$EW_REPO"/deploy/sample/*.json; do
  country="$(basename "$file" | cut -d. -f1)"
  type=text/csv; [[ "$file" == *.json ]] && type=application/json
  receipt="$(curl -fsS -X POST -H "X-Api-Key: ${publisher_key[$country]}" -H "Content-Type: $type" --data-binary "@$file" "http://127.0.0.1:${EW_SERVICE_PORT[Ingestion]}/api/submissions?country=$country")"
  rows="$(grep -o '"observations":[0-9]*' <<<"$receipt" | cut -d: -f2)"
  n="$(grep -o '"batches":[0-9]*' <<<"$receipt" | cut -d: -f2)"
  total=$((total + rows)); batches=$((batches + n))
  printf '  %-9s %6s rows  -> 202 Accepted, submission %s\n' "$(basename "$file")" "$rows" "$(grep -o '"submissionId":"[^"]*"' <<<"$receipt" | cut -d'"' -f4)"
done

echo
echo "Waiting for Anonymization, Classification and Alerting to process all $total observations ($batches batches)..."
# Done when every submission was released whole under its agreement and every message each stage sent on was
# consumed by the next (the outboxes and inboxes of a fresh database count exactly the messages of this run).
for _ in $(seq 1 480); do
  read -r released anonymized classified harmonized evaluated < <(ew_psql "$EW_DATABASE" -tAF ' ' -c \
    "SELECT (SELECT count(*) FROM anonymization.submission_audit),
            (SELECT count(*) FROM anonymization.outbox WHERE message_type = 'EarlyWarning.Contracts.ObservationsAnonymized'),
            (SELECT count(*) FROM classification.inbox),
            (SELECT count(*) FROM classification.outbox WHERE message_type = 'EarlyWarning.Contracts.ObservationsHarmonized'),
            (SELECT count(*) FROM alerting.inbox) - (SELECT count(*) FROM alerting.wide_judging_due)")
  [ "$released" = "${#countries[@]}" ] && [ "$classified" = "$anonymized" ] && [ "$evaluated" = "$harmonized" ] && break
  sleep 0.5
done
ew_psql "$EW_DATABASE" -tA -c "SELECT format('  %s published cells harmonized (series totals and their breakdowns); %s cells suppressed under the agreements (below k, or to protect one that is); %s cells held for review (%s distinct unmapped values).',
  (SELECT count(*) FROM classification.harmonized_observations),
  (SELECT coalesce(sum(primary_suppressed + secondary_suppressed), 0) FROM anonymization.submission_audit),
  (SELECT count(*) FROM classification.held_cells),
  (SELECT count(*) FROM classification.unmapped_values))"

alerts="$(ew_psql "$EW_DATABASE" -tA -c "SELECT count(*) || ' in all (' || count(*) FILTER (WHERE state = 'active') || ' active, ' || count(*) FILTER (WHERE state = 'closed') || ' closed, ' || count(*) FILTER (WHERE state = 'withdrawn') || ' withdrawn), ' || (SELECT count(*) FROM alerting.alert_revisions) || ' revisions' FROM alerting.alerts")"
echo
echo "Alerts (one per surge; weekly series at each watched level, from country totals to country, border point, nationality and regional category; detector by history): $alerts."
ew_psql "$EW_DATABASE" -tA -F ': ' -c "SELECT level, count(*) || ' alert(s)' FROM alerting.alerts GROUP BY level ORDER BY level" | sed 's/^/  /'
echo "The 15 strongest (observed count over the alert threshold):"
echo
curl -fsS -H "X-Api-Key: $analyst_key" "http://127.0.0.1:${EW_SERVICE_PORT[Alerting]}/api/alerts?format=text&order=strength&limit=15"
echo
echo "All alerts as JSON: source $demo_keys; curl -H \"X-Api-Key: \$EW_KEY_ANALYST\" http://127.0.0.1:${EW_SERVICE_PORT[Alerting]}/api/alerts"
echo "Every revision as CAP 1.2 in an Atom feed: curl -H \"X-Api-Key: \$EW_KEY_ANALYST\" http://127.0.0.1:${EW_SERVICE_PORT[Alerting]}/api/feeds/alerts"
echo "  (subscriptions with signed webhooks, the bus topic earlywarning.alerts: README.md, \"Alert delivery\")"
echo "Without a key every API answers 401. Submit your own data: see README.md"
echo
echo "Operators: Prometheus at http://127.0.0.1:$EW_PROMETHEUS_PORT (alerting rules loaded: /alerts; every service and RabbitMQ scraped: /targets);"
echo "  each service's metrics at http://127.0.0.1:<management port>/metrics, on loopback (Ingestion ${EW_MANAGEMENT_PORT[Ingestion]}, Anonymization ${EW_MANAGEMENT_PORT[Anonymization]},"
echo "  Classification ${EW_MANAGEMENT_PORT[Classification]}, Alerting ${EW_MANAGEMENT_PORT[Alerting]}); the API ports answer 404 for /metrics (docs/security-metrics.md);"
echo "  a service that dies is started again (logs: $EW_STATE/logs)."
if [ "$once" = 1 ]; then exit 0; fi
echo "The system keeps running. Press Ctrl-C to stop it."
# wait (unlike a foreground sleep) returns as soon as a signal arrives, so the trap runs at once.
while true; do sleep 3600 & wait $!; done
