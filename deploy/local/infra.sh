#!/usr/bin/env bash
# Local infrastructure for EarlyWarning without Docker: a RabbitMQ node and a PostgreSQL cluster from
# Debian's packages, installed with apt when missing, listening on loopback only, with their data in
# a state folder of this checkout. Source it for the ew_* functions, or run: infra.sh up|down|status.
set -euo pipefail

EW_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The servers run as their own users, so the state lives where they can reach it, one folder per checkout.
EW_STATE="${EW_STATE:-/tmp/earlywarning-$(printf '%s' "$EW_REPO" | md5sum | cut -c1-8)}"
EW_AMQP_PORT="${EW_AMQP_PORT:-5682}"
EW_PG_PORT="${EW_PG_PORT:-5442}"
EW_DATABASE="${EW_DATABASE:-earlywarning}"
EW_RABBIT_NODE="earlywarning-${EW_AMQP_PORT}@localhost"
# Where the node keeps its data, configuration and logs (a cluster node has its own: ew_cluster_node).
EW_RABBIT_DIR="${EW_RABBIT_DIR:-$EW_STATE/rabbitmq}"
# RabbitMQ's Prometheus plugin (queue depths for deploy/prometheus), next to the AMQP port.
EW_RABBIT_PROMETHEUS_PORT="${EW_RABBIT_PROMETHEUS_PORT:-$((EW_AMQP_PORT + 10000))}"
# Exported so that processes started from here (tests that stop a server) find the same servers.
export EW_STATE EW_AMQP_PORT EW_PG_PORT

ew_log() { printf '\033[1;34m[earlywarning]\033[0m %s\n' "$*" >&2; }

ew_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

ew_install() {
  local missing=()
  command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
  [ -n "$(ew_pg_bin)" ] || missing+=(postgresql)
  command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    ew_log "installing ${missing[*]} with apt"
    export DEBIAN_FRONTEND=noninteractive
    # Stop the packages from starting their own system-wide servers; ours run from the state folder.
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1; fi
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi
  fi
}

ew_rabbit_env() {
  env HOME=/var/lib/rabbitmq \
    RABBITMQ_NODENAME="$EW_RABBIT_NODE" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$EW_AMQP_PORT" \
    RABBITMQ_DIST_PORT="$((EW_AMQP_PORT + 20000))" \
    RABBITMQ_MNESIA_BASE="$EW_RABBIT_DIR/mnesia" \
    RABBITMQ_LOG_BASE="$EW_RABBIT_DIR/log" \
    RABBITMQ_PID_FILE="$EW_RABBIT_DIR/rabbit.pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$EW_RABBIT_DIR/enabled_plugins" \
    RABBITMQ_CONFIG_FILE="$EW_RABBIT_DIR/rabbitmq" \
    ERL_EPMD_ADDRESS=127.0.0.1 \
    "$@"
}


ew_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ew_rabbit_up() {
  if ew_port_open "$EW_AMQP_PORT"; then
    ew_log "RabbitMQ already listening on 127.0.0.1:$EW_AMQP_PORT"
    # A node started by an older version of this script may lack the shovel plugin.
    ( cd / && runuser -u rabbitmq -- bash -c "$(declare -f ew_rabbit_env); EW_RABBIT_NODE='$EW_RABBIT_NODE' EW_AMQP_PORT='$EW_AMQP_PORT' EW_STATE='$EW_STATE' EW_RABBIT_DIR='$EW_RABBIT_DIR' ew_rabbit_env rabbitmq-plugins -n '$EW_RABBIT_NODE' enable --online rabbitmq_shovel" >/dev/null )
    return
  fi
  mkdir -p "$EW_RABBIT_DIR/mnesia" "$EW_RABBIT_DIR/log"
  # Prometheus metrics of the broker; the shovel joins the national and the regional virtual hosts (ew_vhost).
  printf '[rabbitmq_prometheus,rabbitmq_shovel].
' > "$EW_RABBIT_DIR/enabled_plugins"
  # Quorum queues keep every message in memory unless told otherwise; disk alarms would stop publishers on small disks.
  printf 'loopback_users.guest = true\ndisk_free_limit.absolute = 200MB\n' > "$EW_RABBIT_DIR/rabbitmq.conf"
  # The outbox sets aside a message larger than this (Outbox__MaxMessageBytes, the same 16 MiB) instead of offering it again and again.
  printf 'max_message_size = 16777216\n' >> "$EW_RABBIT_DIR/rabbitmq.conf"
  printf 'prometheus.tcp.ip = 127.0.0.1\nprometheus.tcp.port = %s\n' "$EW_RABBIT_PROMETHEUS_PORT" >> "$EW_RABBIT_DIR/rabbitmq.conf"
  chown -R rabbitmq:rabbitmq "$EW_RABBIT_DIR"
  ew_log "starting RabbitMQ on 127.0.0.1:$EW_AMQP_PORT (logs in $EW_RABBIT_DIR/log)"
  ( cd / && runuser -u rabbitmq -- bash -c "$(declare -f ew_rabbit_env); EW_RABBIT_NODE='$EW_RABBIT_NODE' EW_AMQP_PORT='$EW_AMQP_PORT' EW_STATE='$EW_STATE' EW_RABBIT_DIR='$EW_RABBIT_DIR' ew_rabbit_env setsid rabbitmq-server" \
      >"$EW_RABBIT_DIR/server.out" 2>&1 & )
  for _ in $(seq 1 120); do
    ew_port_open "$EW_AMQP_PORT" && { ew_log "RabbitMQ is up"; return; }
    sleep 0.5
  done
  ew_log "RabbitMQ did not start; last lines of its output:"; tail -n 30 "$EW_RABBIT_DIR/server.out" >&2; return 1
}

ew_rabbit_down() {
  local pidfile="$EW_RABBIT_DIR/rabbit.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    ew_log "stopping RabbitMQ"
    ( cd / && runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq ERL_EPMD_ADDRESS=127.0.0.1 rabbitmqctl -n "$EW_RABBIT_NODE" stop "$pidfile" >/dev/null 2>&1 ) \
      || kill "$(cat "$pidfile")" 2>/dev/null || true
  fi
}

ew_pg_up() {
  local bin; bin="$(ew_pg_bin)"
  local data="$EW_STATE/postgres/data"
  if ew_port_open "$EW_PG_PORT"; then ew_log "PostgreSQL already listening on 127.0.0.1:$EW_PG_PORT"; else
    mkdir -p "$EW_STATE/postgres"
    chown postgres:postgres "$EW_STATE/postgres"
    if [ ! -f "$data/PG_VERSION" ]; then
      ew_log "creating a PostgreSQL cluster in $data"
      ( cd / && runuser -u postgres -- "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null )
    fi
    ew_log "starting PostgreSQL on 127.0.0.1:$EW_PG_PORT"
    # PostgreSQL's defaults are for a small machine: a 128 MB cache and a checkpoint every 1 GB of WAL, which
    # bench.sh's 200,000 observations write in half a minute (each checkpoint followed by full-page writes).
    ( cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$EW_STATE/postgres/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $EW_PG_PORT -k $EW_STATE/postgres -c max_connections=300 -c shared_buffers=512MB -c max_wal_size=4GB -c checkpoint_timeout=15min" >/dev/null )
  fi
  ew_pg_auth
  ew_psql postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'earlywarning'" | grep -q 1 \
    || ew_psql postgres -qc "CREATE ROLE earlywarning LOGIN"
  # One login role per service (each owns only its schema) and the administrator's role (owns the identity
  # schema: credentials). Their passwords are generated once per state folder and never committed.
  local role
  for role in "${EW_PG_ROLES[@]}"; do
    ew_psql postgres -q -v role="$role" -v password="$(ew_secret "$role")" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SQL
  done
}

# Roles of the services and of the administrator (earlywarning-admin).
EW_PG_SERVICES=(ingestion anonymization classification alerting)
EW_PG_ROLES=(ew_admin ew_ingestion ew_anonymization ew_classification ew_alerting)

# A secret of this state folder (a password), created at first use, readable by root only.
ew_secret() {
  local file="$EW_STATE/secrets/$1"
  if [ ! -s "$file" ]; then
    ( umask 077; mkdir -p "$EW_STATE/secrets"; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$file" )
  fi
  cat "$file"
}

# Every role but the superuser must give its password, also on loopback; the superuser (postgres) is left to
# these scripts and the tests' inspection queries on this development machine only.
ew_pg_auth() {
  local hba="$EW_STATE/postgres/data/pg_hba.conf"
  local wanted
  wanted="$(printf '%s\n' '# Written by deploy/local/infra.sh.' \
    'local all postgres trust' 'host all postgres 127.0.0.1/32 trust' \
    'local all all scram-sha-256' 'host all all 127.0.0.1/32 scram-sha-256')"
  if [ "$(cat "$hba" 2>/dev/null)" != "$wanted" ]; then
    printf '%s\n' "$wanted" > "$hba"
    ew_psql postgres -qtAc "SELECT pg_reload_conf()" >/dev/null
  fi
}

ew_pg_down() {
  local bin; bin="$(ew_pg_bin)"
  if [ -f "$EW_STATE/postgres/data/postmaster.pid" ]; then
    ew_log "stopping PostgreSQL"
    ( cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$EW_STATE/postgres/data" -m fast -w stop >/dev/null 2>&1 ) || true
  fi
}

ew_psql() { local db="$1"; shift; psql -h 127.0.0.1 -p "$EW_PG_PORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"; }

# Creates the database afresh (drop=1) or only when missing, with one schema per service owned by that
# service's role and nothing else granted: no service can read another's tables. The identity schema
# (credentials) is the administrator's; services may only read its tables.
ew_database() {
  local name="$1" drop="${2:-0}"
  if [ "$drop" = 1 ]; then ew_psql postgres -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)"; fi
  ew_psql postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
    || ew_psql postgres -qc "CREATE DATABASE $name OWNER earlywarning"
  local service services
  services="$(printf 'ew_%s,' "${EW_PG_SERVICES[@]}")"; services="${services%,}"
  {
    echo "REVOKE ALL ON DATABASE $name FROM PUBLIC;"
    echo "GRANT CONNECT ON DATABASE $name TO ew_admin, $services;"
    # Ingestion streams a submission into a temporary table of its request's transaction (dropped at its end).
    echo "GRANT TEMPORARY ON DATABASE $name TO ew_ingestion;"
    echo "REVOKE ALL ON SCHEMA public FROM PUBLIC;"
    for service in "${EW_PG_SERVICES[@]}"; do echo "CREATE SCHEMA IF NOT EXISTS $service AUTHORIZATION ew_$service;"; done
    echo "CREATE SCHEMA IF NOT EXISTS identity AUTHORIZATION ew_admin;"
    echo "GRANT USAGE ON SCHEMA identity TO $services;"
    echo "ALTER DEFAULT PRIVILEGES FOR ROLE ew_admin IN SCHEMA identity GRANT SELECT ON TABLES TO $services;"
    echo "GRANT SELECT ON ALL TABLES IN SCHEMA identity TO $services;"
  } | ew_psql "$name" -q
}

ew_pg_url() { echo "Host=127.0.0.1;Port=$EW_PG_PORT;Database=$1;Username=$2;Password=$(ew_secret "$2")"; }

# The environment every service and test process reads (Section__Key overrides appsettings.json).
# EW_<SERVICE>__Section__Key is given to that service alone as Section__Key (services.sh, the tests' ServiceProcess):
# its own database role. Database__ConnectionString itself is the superuser's, for the scripts' and tests' inspection.
ew_service_env() {
  local db="${1:-$EW_DATABASE}" vhost="${2:-earlywarning}" service
  # The tests' own bus and inspection work on the regional side; EW_NATIONAL_VHOST names the other.
  export RabbitMq__Host=127.0.0.1 RabbitMq__Port="$EW_AMQP_PORT" RabbitMq__VirtualHost="$vhost-regional" EW_NATIONAL_VHOST="$vhost-national"
  for service in "${!EW_RABBIT_SIDE[@]}"; do
    export "EW_${service^^}__RabbitMq__VirtualHost=$vhost-${EW_RABBIT_SIDE[$service]}" \
      "EW_${service^^}__RabbitMq__Username=ew-$service" "EW_${service^^}__RabbitMq__Password=$(ew_secret "rabbit-ew-$service")"
  done
  # A cluster (EW_AMQP_PORTS, several ports): every service knows every node and connects to the next when one goes away.
  local ports=(${EW_AMQP_PORTS:-}) i
  if [ ${#ports[@]} -gt 1 ]; then
    for i in "${!ports[@]}"; do export "RabbitMq__ClusterNodes__$i=127.0.0.1:${ports[$i]}"; done
  fi
  export Database__ConnectionString="Host=127.0.0.1;Port=$EW_PG_PORT;Database=$db;Username=postgres;Maximum Pool Size=50"
  for service in "${EW_PG_SERVICES[@]}"; do
    export "EW_${service^^}__Database__ConnectionString=$(ew_pg_url "$db" "ew_$service");Maximum Pool Size=50"
  done
  export "EW_ADMIN__Database__ConnectionString=$(ew_pg_url "$db" ew_admin)"
  # The key Alerting encrypts webhook secrets under at rest.
  export "EW_ALERTING__Delivery__Webhooks__SecretKey=$(ew_secret webhook-secrets-key)"
  # Bus subscribers of alert delivery (the topic exchange earlywarning.alerts); the -per user only in tests.
  export EW_ALERT_SUBSCRIBER_USER=ew-alert-subscriber EW_ALERT_SUBSCRIBER_PASSWORD="$(ew_secret rabbit-ew-alert-subscriber)"
  export EW_ALERT_SUBSCRIBER_PER_USER=ew-alert-subscriber-per EW_ALERT_SUBSCRIBER_PER_PASSWORD="$(ew_secret rabbit-ew-alert-subscriber-per)"
  # The secret of the pseudonyms Chile's agreement keeps (policy/agreements/CHL.yaml): random, made once per
  # state folder, never in the repository. A real deployment provides its own.
  mkdir -p "$EW_STATE"
  [ -s "$EW_STATE/pseudonym-secret-chl" ] || head -c 48 /dev/urandom | base64 -w0 > "$EW_STATE/pseudonym-secret-chl"
  export EW_PSEUDONYM_SECRET_CHL="${EW_PSEUDONYM_SECRET_CHL:-$(cat "$EW_STATE/pseudonym-secret-chl")}"
}

ew_rabbitmqctl() { ( cd / && runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq ERL_EPMD_ADDRESS=127.0.0.1 rabbitmqctl -q -n "$EW_RABBIT_NODE" "$@" ); }

# Broker users of the services: each may configure, write and read only the exchanges and queues of its
# own endpoints (named after the service, with their _error, _skipped and _dead queues), the contracts'
# exchanges, MassTransit's fault exchanges and its own temporary bus queue, and only on its own side (vhost).
# Anonymization also fills the outbound queue the shovel takes to the regional side.
declare -A EW_RABBIT_SIDE=([ingestion]=national [anonymization]=national [classification]=regional [alerting]=regional)
ew_rabbit_pattern() {
  local own="$1-.*"
  [ "$1" = anonymization ] && own="$own|$EW_OUTBOUND_QUEUE"
  [ "${EW_RABBIT_SIDE[$1]}" = regional ] && own="$own|$EW_RETURN_QUEUE"
  [ "$1" = alerting ] && own="$own|$EW_ALERTS_EXCHANGE_PATTERN"
  printf '^(%s|EarlyWarning\\.Contracts:.*|MassTransit:Fault.*|.*_bus_.*)$' "$own"
}
EW_OUTBOUND_QUEUE=regional-outbound-observations-anonymized
EW_OUTBOUND_EXCHANGE='EarlyWarning.Contracts:ObservationsAnonymized'
# Progress and fault events of the regional stages go back to Ingestion (GET /api/submissions/{id}) this way.
EW_RETURN_QUEUE=regional-return-progress
EW_RETURN_EXCHANGES='^(EarlyWarning\.Contracts:SubmissionProgressed|MassTransit:Fault--EarlyWarning\.Contracts:Observations(Anonymized|Harmonized)--)$'

# Alert delivery's topic exchange (regional side), which Alerting declares and publishes CAP documents to, and
# the broker users of bus subscribers: each may only declare, bind and read queues named alert-subscriber-*,
# and bind them to the exchange only with routing keys of its countries (RabbitMQ's topic authorisation checks a
# binding's key against the user's read pattern): ew-alert-subscriber sees every country (EW_ALERT_SUBSCRIBER_COUNTRIES
# narrows it, e.g. "CHL|PER"); the tests add ew-alert-subscriber-per, which may bind PER's keys only.
EW_ALERTS_EXCHANGE=earlywarning.alerts
EW_ALERTS_EXCHANGE_PATTERN='earlywarning\.alerts'
ew_alert_subscriber() { # user vhost countries-regex
  ew_rabbit_user "$1"
  ew_rabbitmqctl set_permissions -p "$2" "$1" '^alert-subscriber-.*$' '^alert-subscriber-.*$' "^(alert-subscriber-.*|$EW_ALERTS_EXCHANGE_PATTERN)\$" >/dev/null
  ew_rabbitmqctl set_topic_permissions -p "$2" "$1" "$EW_ALERTS_EXCHANGE" '^$' "^($3)\\..*" >/dev/null
}

ew_rabbit_user() {
  local user="$1" password; password="$(ew_secret "rabbit-$user")"
  ew_rabbitmqctl add_user "$user" "$password" >/dev/null 2>&1 || ew_rabbitmqctl change_password "$user" "$password" >/dev/null
}

# Declares a durable quorum queue (rabbitmqctl has no command for it; this is what queue.declare does).
ew_quorum_queue() {
  ew_rabbitmqctl eval "{_, _} = rabbit_amqqueue:declare(rabbit_misc:r(<<\"$1\">>, queue, <<\"$2\">>), true, false, [{<<\"x-queue-type\">>, longstr, <<\"quorum\">>}], none, <<\"earlywarning\">>), ok." >/dev/null
}

# Gives a run its own empty pair of virtual hosts, so no message of an earlier run is delivered again:
# NAME-national carries record-level data (Ingestion, Anonymization, their error and dead-letter queues);
# NAME-regional everything from ObservationsAnonymized on. A shovel, with a user of its own that can only take
# from the outbound queue on one side and only publish to ObservationsAnonymized on the other, moves the
# anonymized batches across, acknowledging each only once the regional side confirmed it. With trace=1
# (tests) the regional side's firehose is on, so tests can read every message published there.
ew_vhost() {
  local name="$1" trace="${2:-0}" side service
  for side in national regional; do
    ew_rabbitmqctl delete_vhost "$name-$side" >/dev/null 2>&1 || true
    ew_rabbitmqctl add_vhost "$name-$side" >/dev/null
    # guest (refused by RabbitMQ outside loopback) only for the scripts' and tests' inspection.
    ew_rabbitmqctl set_permissions -p "$name-$side" guest '.*' '.*' '.*' >/dev/null
  done
  for service in "${!EW_RABBIT_SIDE[@]}"; do
    ew_rabbit_user "ew-$service"
    local pattern; pattern="$(ew_rabbit_pattern "$service")"
    ew_rabbitmqctl set_permissions -p "$name-${EW_RABBIT_SIDE[$service]}" "ew-$service" "$pattern" "$pattern" "$pattern" >/dev/null
  done
  ew_rabbit_user ew-shovel
  # The shovels' source queues are quorum queues, declared here before the shovels start: a shovel that finds no
  # queue declares a classic one, which lives on one node only; when that node of a cluster is down, the broker
  # confirms what is published to the queue and drops it.
  ew_quorum_queue "$name-national" "$EW_OUTBOUND_QUEUE"
  ew_quorum_queue "$name-regional" "$EW_RETURN_QUEUE"
  # Across: take from the outbound queue on one side, publish to ObservationsAnonymized on the other; and back:
  # take from the return queue, publish progress and fault events only.
  ew_rabbitmqctl set_permissions -p "$name-national" ew-shovel "^$EW_OUTBOUND_QUEUE\$" "$EW_RETURN_EXCHANGES" "^$EW_OUTBOUND_QUEUE\$" >/dev/null
  ew_rabbitmqctl set_permissions -p "$name-regional" ew-shovel "^$EW_RETURN_QUEUE\$" '^EarlyWarning\.Contracts:ObservationsAnonymized$' "^$EW_RETURN_QUEUE\$" >/dev/null
  # Every node of a cluster (EW_AMQP_PORTS): a shovel connects to another one when its node goes away.
  local port nationals=() regionals=() national regional
  for port in ${EW_AMQP_PORTS:-$EW_AMQP_PORT}; do
    nationals+=("\"amqp://ew-shovel:$(ew_secret rabbit-ew-shovel)@127.0.0.1:$port/$name-national\"")
    regionals+=("\"amqp://ew-shovel:$(ew_secret rabbit-ew-shovel)@127.0.0.1:$port/$name-regional\"")
  done
  national="[$(IFS=,; echo "${nationals[*]}")]" regional="[$(IFS=,; echo "${regionals[*]}")]"
  ew_rabbitmqctl set_parameter -p "$name-national" shovel national-to-regional \
    "{\"src-protocol\": \"amqp091\", \"src-uri\": $national, \"src-queue\": \"$EW_OUTBOUND_QUEUE\",
      \"dest-protocol\": \"amqp091\", \"dest-uri\": $regional, \"dest-exchange\": \"$EW_OUTBOUND_EXCHANGE\",
      \"ack-mode\": \"on-confirm\", \"reconnect-delay\": 1}" >/dev/null
  # No dest-exchange: each event is republished to the exchange it was published to (Ingestion's bindings).
  ew_rabbitmqctl set_parameter -p "$name-regional" shovel regional-to-national \
    "{\"src-protocol\": \"amqp091\", \"src-uri\": $regional, \"src-queue\": \"$EW_RETURN_QUEUE\",
      \"dest-protocol\": \"amqp091\", \"dest-uri\": $national,
      \"ack-mode\": \"on-confirm\", \"reconnect-delay\": 1}" >/dev/null
  local countries="${EW_ALERT_SUBSCRIBER_COUNTRIES:-}"; [ -n "$countries" ] || countries='[A-Z]{3}'
  ew_alert_subscriber ew-alert-subscriber "$name-regional" "$countries"
  if [ "$trace" = 1 ]; then
    ew_rabbitmqctl trace_on -p "$name-regional" >/dev/null
    ew_alert_subscriber ew-alert-subscriber-per "$name-regional" PER
  fi
}

# A three-node RabbitMQ cluster on this machine (deploy/local/faults.sh --cluster): node N (1..3) listens for AMQP on
# EW_CLUSTER_PORT_BASE + N - 1 (default 5750..5752), for Erlang distribution 20000 above it and for Prometheus 10000
# above it, and keeps its data in $EW_STATE/cluster/nodeN. Quorum queues declared on it get a member on every node.
EW_CLUSTER_PORT_BASE="${EW_CLUSTER_PORT_BASE:-5750}"
EW_CLUSTER_SIZE=3
ew_cluster_ports() { local i; for i in $(seq 0 $((EW_CLUSTER_SIZE - 1))); do printf '%s ' $((EW_CLUSTER_PORT_BASE + i)); done; }

# Makes node N the node the ew_rabbit_* functions act on (call it in a subshell).
ew_cluster_node() {
  EW_AMQP_PORT=$((EW_CLUSTER_PORT_BASE + $1 - 1))
  EW_RABBIT_NODE="earlywarning-${EW_AMQP_PORT}@localhost"
  EW_RABBIT_DIR="$EW_STATE/cluster/node$1"
  EW_RABBIT_PROMETHEUS_PORT=$((EW_AMQP_PORT + 10000))
}

# Starts the three nodes afresh (no data of an earlier run) and joins nodes 2 and 3 to node 1.
ew_cluster_up() {
  local i
  ew_cluster_down
  rm -rf "$EW_STATE/cluster"
  for i in $(seq 1 "$EW_CLUSTER_SIZE"); do ( ew_cluster_node "$i"; ew_rabbit_up ); done
  local first="earlywarning-${EW_CLUSTER_PORT_BASE}@localhost"
  for i in $(seq 2 "$EW_CLUSTER_SIZE"); do
    ( ew_cluster_node "$i"
      ew_rabbitmqctl stop_app >/dev/null
      ew_rabbitmqctl join_cluster "$first" >/dev/null
      ew_rabbitmqctl start_app >/dev/null )
  done
  ew_log "RabbitMQ cluster of $EW_CLUSTER_SIZE nodes on 127.0.0.1 ports $(ew_cluster_ports)"
}

ew_cluster_down() { local i; for i in $(seq 1 "$EW_CLUSTER_SIZE"); do ( ew_cluster_node "$i"; ew_rabbit_down ); done; }

# Fault injection: the node's Erlang VM dies at once (kill -9), as in a crash or power loss.
ew_cluster_kill() {
  local pidfile="$EW_STATE/cluster/node$1/rabbit.pid"
  [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
}

# Starts node N again with its data: it rejoins the cluster and its quorum queue members catch up.
ew_cluster_start() { ( ew_cluster_node "$1"; ew_rabbit_up ); }

ew_up() { ew_install; ew_rabbit_up; ew_pg_up; }
ew_down() { ew_rabbit_down; ew_pg_down; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    up) ew_up; ew_database "$EW_DATABASE" ;;
    down) ew_down ;;
    # Fault injection (tests and deploy/local/faults.sh): stop or start one server, keeping its data.
    pg-down) ew_pg_down ;;
    pg-up) ew_pg_up ;;
    rabbit-down) ew_rabbit_down ;;
    rabbit-up) ew_rabbit_up ;;
    cluster-up) ew_install; ew_cluster_up ;;
    cluster-down) ew_cluster_down ;;
    cluster-kill) ew_cluster_kill "$2" ;;
    cluster-start) ew_cluster_start "$2" ;;
    status) ew_port_open "$EW_AMQP_PORT" && echo "RabbitMQ: up on $EW_AMQP_PORT" || echo "RabbitMQ: down"
            ew_port_open "$EW_PG_PORT" && echo "PostgreSQL: up on $EW_PG_PORT" || echo "PostgreSQL: down" ;;
    *) echo "usage: $0 up|down|status|pg-down|pg-up|rabbit-down|rabbit-up|cluster-up|cluster-down|cluster-kill N|cluster-start N" >&2; exit 2 ;;
  esac
fi
