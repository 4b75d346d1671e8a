#!/usr/bin/env bash
# Fault-injection run: starts the system as run.sh does (fresh database and virtual host, services under
# run.sh's supervisor), streams observations through the ingestion API and, meanwhile, kills each service
# with kill -9 at random moments, restarts the broker, restarts PostgreSQL and stops PostgreSQL for 60 s.
# Afterwards it checks that every cell Anonymization released was harmonized (or held for review) exactly
# once, every harmonized batch evaluated, every alert raised once, and that no error or dead-letter queue
# holds anything; prints lost=, duplicated=, error-queue= and the time, and exits 1 if any is not 0.
# With --cluster (first argument) the broker is a three-node RabbitMQ cluster on this machine (ports
# EW_CLUSTER_PORT_BASE..+2, default 5750..5752; quorum queues on all three) and, instead of a broker restart,
# one node is killed with kill -9 mid-stream and started again a minute later.
# Other arguments go to faults.py, e.g. --observations 200000 --kills-per-service 3.
set -euo pipefail
cluster=0
if [ "${1:-}" = "--cluster" ]; then cluster=1; shift; export EW_AMQP_PORT="${EW_CLUSTER_PORT_BASE:-5750}"; fi
source "$(dirname "${BASH_SOURCE[0]}")/infra.sh"
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"

broker=single
if [ "$cluster" = 1 ]; then
  broker=cluster
  # Node 1 is the node the scripts talk to; services and the shovel know all three.
  export EW_RABBIT_DIR="$EW_STATE/cluster/node1" EW_AMQP_PORTS="$(ew_cluster_ports)"
fi

cleanup() {
  trap - INT TERM EXIT; ew_services_stop
  if [ "$cluster" = 1 ]; then ew_cluster_down; ew_pg_down; else ew_down; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$cluster" = 1 ]; then ew_install; ew_cluster_up; ew_pg_up; else ew_up; fi
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
  --infra "$EW_REPO/deploy/local/infra.sh" --pids "$EW_STATE/pids" --database earlywarning_faults --vhost earlywarning-faults \
  --broker "$broker" "$@"
