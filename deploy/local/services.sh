#!/usr/bin/env bash
# Starting and stopping the four services as background processes (sourced by run.sh and bench.sh).

EW_SERVICES=(Ingestion Anonymization Classification Alerting)
# EW_PORT_BASE moves all four (default 5101: Ingestion 5101 ... Alerting 5104), e.g. for two checkouts at once.
EW_PORT_BASE="${EW_PORT_BASE:-5101}"
declare -A EW_SERVICE_PORT=([Ingestion]=$EW_PORT_BASE [Anonymization]=$((EW_PORT_BASE + 1)) [Classification]=$((EW_PORT_BASE + 2)) [Alerting]=$((EW_PORT_BASE + 3)))
# Management ports (/metrics, the health report; loopback), 50 above the API ports unless EW_MANAGEMENT_PORT_BASE moves them:
# the API ports never serve /metrics (docs/security-metrics.md).
EW_MANAGEMENT_PORT_BASE="${EW_MANAGEMENT_PORT_BASE:-$((EW_PORT_BASE + 50))}"
declare -A EW_MANAGEMENT_PORT=([Ingestion]=$EW_MANAGEMENT_PORT_BASE [Anonymization]=$((EW_MANAGEMENT_PORT_BASE + 1)) [Classification]=$((EW_MANAGEMENT_PORT_BASE + 2)) [Alerting]=$((EW_MANAGEMENT_PORT_BASE + 3)))
EW_SERVICE_PIDS=()

ew_build() {
  ew_log "building (Release)"
  dotnet build "$EW_REPO/EarlyWarning.sln" -c Release -v quiet -nologo -clp:ErrorsOnly >&2
}

# Runs one service and starts it again whenever it dies (crash, OOM kill, kill -9), as a process manager
# would; TERM stops it for good. The current process id is in $EW_STATE/pids/<service> (deploy/local/faults.sh kills it).
ew_supervise() {
  local service="$1" child=0 log="$EW_STATE/logs/$1.log"
  trap 'kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
  # This service's own settings (EW_INGESTION__Database__ConnectionString → Database__ConnectionString, ...).
  local own=() name value
  while IFS='=' read -r name value; do own+=("${name#EW_${service^^}__}=$value"); done < <(env | grep "^EW_${service^^}__" || true)
  # Only its own secrets: every other EW_ variable (other services' database and broker passwords, the administrator's,
  # the demo keys) is removed from its environment; Anonymization alone keeps the pseudonym secrets its agreements name.
  local unset=()
  while IFS='=' read -r name value; do
    [ "$service" = Anonymization ] && [[ "$name" == EW_PSEUDONYM_SECRET_* ]] && continue
    unset+=(-u "$name")
  done < <(env | grep '^EW_' || true)
  while true; do
    # The content root is the build output, so that the service reads its appsettings.json wherever the script was started.
    env "${unset[@]}" Management__Port="${EW_MANAGEMENT_PORT[$service]}" "${own[@]}" ASPNETCORE_URLS="http://127.0.0.1:${EW_SERVICE_PORT[$service]}" ASPNETCORE_ENVIRONMENT=Production \
      ASPNETCORE_CONTENTROOT="$EW_REPO/services/$service/bin/Release/net10.0" \
      dotnet "$EW_REPO/services/$service/bin/Release/net10.0/EarlyWarning.$service.dll" >>"$log" 2>&1 &
    child=$!
    echo "$child" > "$EW_STATE/pids/$service"
    local code=0
    wait "$child" || code=$?
    ew_log "$service exited with code $code; starting it again"
    echo "[supervisor] $(date -u +%FT%TZ) exited with code $code; restarting" >>"$log"
    sleep 1 & wait $!
  done
}

ew_services_start() {
  mkdir -p "$EW_STATE/logs" "$EW_STATE/pids"
  for service in "${EW_SERVICES[@]}"; do
    : >"$EW_STATE/logs/$service.log"
    ew_supervise "$service" &
    EW_SERVICE_PIDS+=($!)
  done
  for service in "${EW_SERVICES[@]}"; do
    local url="http://127.0.0.1:${EW_SERVICE_PORT[$service]}/health/ready"
    for i in $(seq 1 120); do
      curl -fs "$url" >/dev/null 2>&1 && break
      if [ "$i" = 120 ]; then ew_log "$service is not ready; see $EW_STATE/logs/$service.log"; tail -n 20 "$EW_STATE/logs/$service.log" >&2; return 1; fi
      sleep 0.5
    done
    ew_log "$service ready on http://127.0.0.1:${EW_SERVICE_PORT[$service]}, metrics on http://127.0.0.1:${EW_MANAGEMENT_PORT[$service]}/metrics (log: $EW_STATE/logs/$service.log)"
  done
}

ew_services_stop() {
  [ ${#EW_SERVICE_PIDS[@]} -gt 0 ] || return 0
  ew_log "stopping the services"
  kill -TERM "${EW_SERVICE_PIDS[@]}" 2>/dev/null || true
  wait "${EW_SERVICE_PIDS[@]}" 2>/dev/null || true
  EW_SERVICE_PIDS=()
}

# earlywarning-admin (tools/EarlyWarning.Admin) against the run's database, as the administrator's role.
ew_admin() {
  Database__ConnectionString="${EW_ADMIN__Database__ConnectionString:-$Database__ConnectionString}" \
    dotnet "$EW_REPO/tools/EarlyWarning.Admin/bin/Release/net10.0/earlywarning-admin.dll" "$@"
}
