#!/usr/bin/env bash
# Prometheus for the local run (sourced by run.sh after infra.sh and services.sh): Debian's package,
# installed with apt when missing, on loopback, with deploy/prometheus's scrape configuration and
# alerting rules, scraping the four services (on their management ports) and RabbitMQ's queue metrics; data in the state folder.

EW_PROMETHEUS_PORT="${EW_PROMETHEUS_PORT:-9090}"
EW_PROMETHEUS_PID=""

ew_prometheus_install() {
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 && return
  ew_log "installing prometheus with apt"
  local policy=/usr/sbin/policy-rc.d created_policy=0
  # As for RabbitMQ and PostgreSQL: the package must not start its own system-wide server.
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null \
    || { apt-get update -q >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null; }
  if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi
}

# Writes the configuration for services with management ports $1..$1+3 (Ingestion ... Alerting) into folder $2 and checks it with promtool.
ew_prometheus_config() {
  local base="$1" dir="$2"
  mkdir -p "$dir/targets"
  cp "$EW_REPO/deploy/prometheus/prometheus.yml" "$EW_REPO/deploy/prometheus/rules.yml" "$dir/"
  printf '[{"targets": ["127.0.0.1:%s"], "labels": {"service": "ingestion"}},
 {"targets": ["127.0.0.1:%s"], "labels": {"service": "anonymization"}},
 {"targets": ["127.0.0.1:%s"], "labels": {"service": "classification"}},
 {"targets": ["127.0.0.1:%s"], "labels": {"service": "alerting"}}]\n' "$base" $((base + 1)) $((base + 2)) $((base + 3)) > "$dir/targets/services.json"
  printf '[{"targets": ["127.0.0.1:%s"], "labels": {"service": "rabbitmq"}}]\n' "$EW_RABBIT_PROMETHEUS_PORT" > "$dir/targets/rabbitmq.json"
  printf '[{"targets": ["127.0.0.1:%s"], "labels": {"service": "prometheus"}}]\n' "$EW_PROMETHEUS_PORT" > "$dir/targets/prometheus.json"
  promtool check config "$dir/prometheus.yml" >/dev/null
}

ew_prometheus_up() {
  ew_prometheus_install
  local dir="$EW_STATE/prometheus"
  ew_prometheus_config "${EW_MANAGEMENT_PORT[Ingestion]}" "$dir"
  ew_log "starting Prometheus on 127.0.0.1:$EW_PROMETHEUS_PORT (rules: deploy/prometheus/rules.yml, log: $dir/prometheus.log)"
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$EW_PROMETHEUS_PORT" >"$dir/prometheus.log" 2>&1 &
  EW_PROMETHEUS_PID=$!
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$EW_PROMETHEUS_PORT/-/ready" >/dev/null 2>&1 && return
    sleep 0.5
  done
  ew_log "Prometheus did not start; see $dir/prometheus.log"; tail -n 10 "$dir/prometheus.log" >&2; return 1
}

ew_prometheus_down() {
  [ -n "$EW_PROMETHEUS_PID" ] || return 0
  kill -TERM "$EW_PROMETHEUS_PID" 2>/dev/null || true
  wait "$EW_PROMETHEUS_PID" 2>/dev/null || true
  EW_PROMETHEUS_PID=""
}
