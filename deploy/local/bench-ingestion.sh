#!/usr/bin/env bash
# Ingestion benchmark: one CSV submission of N rows (default 1,000,000) posted to Ingestion alone, on a fresh
# database and virtual host; prints rows per second (from the first byte sent to the 202, i.e. parsed, checked,
# stored and its outbox written) and Ingestion's peak resident memory (VmHWM).
# Usage: ./deploy/local/bench-ingestion.sh [rows]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/infra.sh"
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
rows="${1:-1000000}"

pid=""
cleanup() { trap - INT TERM EXIT; [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }; ew_down; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ew_up
ew_database earlywarning_bench_ingestion 1
ew_vhost earlywarning-bench-ingestion
ew_service_env earlywarning_bench_ingestion earlywarning-bench-ingestion
ew_build

# Distinct cells: 100 weeks x 100 border points x 10 nationalities x 5 categories x 2 sexes = 1,000,000.
file="$EW_STATE/bench-ingestion-$rows.csv"
if [ ! -f "$file" ]; then
  ew_log "writing $rows rows to $file"
  awk -v rows="$rows" 'BEGIN {
    split("venezolana,haitiana,colombiana,cubana,ecuatoriana,peruana,china,india,afgana,VEN", nat, ",");
    split("Ingreso regular,Ingreso por paso no habilitado,Solicitud de refugio,Reconduccion,Transito", cat, ",");
    print "period,border_point,nationality,category,sex,count,document_number";
    for (i = 0; i < rows; i++) {
      w = int(i / 10000) % 100; p = int(i / 100) % 100; n = int(i / 10) % 10; c = int(i / 2) % 5; s = i % 2;
      t = 1577664000 + w * 604800;  # Monday 2019-12-30 + w weeks
      printf "%s,Paso %d,%s,%s,%s,%d,P%07d\n", strftime("%Y-%m-%d", t, 1), p, nat[n + 1], cat[c + 1], (s ? "M" : "F"), (i * 7919) % 500, i;
    } }' > "$file"
fi
size="$(stat -c %s "$file")"

port="$EW_PORT_BASE"
mkdir -p "$EW_STATE/logs"
key="$(ew_admin keys issue --name "ingestion benchmark publisher" --role publisher --country CHL 2>/dev/null)"
ASPNETCORE_URLS="http://127.0.0.1:$port" Management__Port="$EW_MANAGEMENT_PORT_BASE" ASPNETCORE_ENVIRONMENT=Production Database__ConnectionString="$EW_INGESTION__Database__ConnectionString" \
  dotnet "$EW_REPO/services/Ingestion/bin/Release/net10.0/EarlyWarning.Ingestion.dll" >"$EW_STATE/logs/ingestion-bench.log" 2>&1 &
pid=$!
for i in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
idle="$(awk '/VmRSS/ {print $2}' /proc/$pid/status)"

ew_log "posting $rows rows ($((size / 1024 / 1024)) MiB)"
out="$(curl -sS -o "$EW_STATE/bench-ingestion-receipt.json" -w '%{http_code} %{time_total}' -X POST -H "X-Api-Key: $key" -H 'Content-Type: text/csv' \
  --data-binary "@$file" "http://127.0.0.1:$port/api/submissions?country=CHL")"
status="${out% *}"; seconds="${out#* }"
[ "$status" = 202 ] || { ew_log "Ingestion answered $status"; cat "$EW_STATE/bench-ingestion-receipt.json" >&2; exit 1; }
peak="$(awk '/VmHWM/ {print $2}' /proc/$pid/status)"
printf '%-34s %12s\n' "rows" "$rows" "body (MiB)" "$((size / 1024 / 1024))" "seconds to 202 Accepted" "$seconds" \
  "rows/s" "$(awk -v r="$rows" -v s="$seconds" 'BEGIN { printf "%d", r / s }')" \
  "Ingestion RSS when idle (MiB)" "$((idle / 1024))" "Ingestion peak RSS, VmHWM (MiB)" "$((peak / 1024))"
