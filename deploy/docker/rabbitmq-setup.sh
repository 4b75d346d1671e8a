#!/bin/sh
# One-shot set-up of the broker through its management API (docker-compose service broker-setup), the same
# design as deploy/local/infra.sh: a national and a regional virtual host, one user per service limited to its
# side and its own queues, and the shovel that moves anonymized batches from the national side to the regional
# one. Passwords come from the environment (.env). Idempotent: PUT replaces what exists.
set -eu
# An example file's placeholder is a password everyone knows: refuse to set up with one.
if env | grep -E '^EW_RABBIT_PASSWORD_[A-Z_]+=change-me' >/dev/null; then
  echo "broker-setup: a password in .env is still 'change-me'; generate each (see earlywarning.env.example)" >&2; exit 1
fi
api="http://rabbitmq:15672/api"
call() { curl -fsS -u "ew-admin:$EW_RABBIT_PASSWORD_ADMIN" -H 'content-type: application/json' -X "$1" "$api/$2" ${3:+-d "$3"}; }
outbound=regional-outbound-observations-anonymized
# Progress and fault events of the regional stages, back to Ingestion (GET /api/submissions/{id}).
return=regional-return-progress
return_exchanges='^(EarlyWarning\\.Contracts:SubmissionProgressed|MassTransit:Fault--EarlyWarning\\.Contracts:Observations(Anonymized|Harmonized)--)$'
for vhost in national regional; do call PUT "vhosts/$vhost"; call PUT "permissions/$vhost/ew-admin" '{"configure":".*","write":".*","read":".*"}'; done
user() { # name password vhost pattern
  call PUT "users/$1" "{\"password\":\"$2\",\"tags\":\"\"}"
  call PUT "permissions/$3/$1" "{\"configure\":\"$4\",\"write\":\"$4\",\"read\":\"$4\"}"
}
common='EarlyWarning\\.Contracts:.*|MassTransit:Fault.*|.*_bus_.*'
user ew-ingestion "$EW_RABBIT_PASSWORD_INGESTION" national "^(ingestion-.*|$common)$"
user ew-anonymization "$EW_RABBIT_PASSWORD_ANONYMIZATION" national "^(anonymization-.*|$outbound|$common)$"
user ew-classification "$EW_RABBIT_PASSWORD_CLASSIFICATION" regional "^(classification-.*|$return|$common)$"
user ew-alerting "$EW_RABBIT_PASSWORD_ALERTING" regional "^(alerting-.*|$return|earlywarning\\.alerts|$common)$"
# Bus subscribers of alert delivery: their own queues (alert-subscriber-*), bound to the topic exchange only with the
# routing keys of the countries they may see (topic authorisation; EW_ALERT_SUBSCRIBER_COUNTRIES, e.g. "CHL|PER").
if [ -n "${EW_RABBIT_PASSWORD_ALERT_SUBSCRIBER:-}" ]; then
  countries="${EW_ALERT_SUBSCRIBER_COUNTRIES:-}"; [ -n "$countries" ] || countries='[A-Z]{3}'
  call PUT users/ew-alert-subscriber "{\"password\":\"$EW_RABBIT_PASSWORD_ALERT_SUBSCRIBER\",\"tags\":\"\"}"
  call PUT permissions/regional/ew-alert-subscriber '{"configure":"^alert-subscriber-.*$","write":"^alert-subscriber-.*$","read":"^(alert-subscriber-.*|earlywarning\\.alerts)$"}'
  call PUT topic-permissions/regional/ew-alert-subscriber "{\"exchange\":\"earlywarning.alerts\",\"write\":\"^$\",\"read\":\"^($countries)\\\\..*\"}"
fi
call PUT users/ew-shovel "{\"password\":\"$EW_RABBIT_PASSWORD_SHOVEL\",\"tags\":\"\"}"
call PUT permissions/national/ew-shovel "{\"configure\":\"^$outbound\$\",\"write\":\"$return_exchanges\",\"read\":\"^$outbound\$\"}"
call PUT permissions/regional/ew-shovel "{\"configure\":\"^$return\$\",\"write\":\"^EarlyWarning\\\\.Contracts:ObservationsAnonymized\$\",\"read\":\"^$return\$\"}"
# The shovels' source queues are quorum queues, declared before the shovels (which would declare classic ones).
call PUT "queues/national/$outbound" '{"durable":true,"arguments":{"x-queue-type":"quorum"}}'
call PUT "queues/regional/$return" '{"durable":true,"arguments":{"x-queue-type":"quorum"}}'
# In a split deployment the regional URI names the regional broker instead.
uri="amqp://ew-shovel:$EW_RABBIT_PASSWORD_SHOVEL@rabbitmq:5672"
call PUT parameters/shovel/national/national-to-regional "{\"value\":{\"src-protocol\":\"amqp091\",\"src-uri\":\"$uri/national\",\"src-queue\":\"$outbound\",\"dest-protocol\":\"amqp091\",\"dest-uri\":\"$uri/regional\",\"dest-exchange\":\"EarlyWarning.Contracts:ObservationsAnonymized\",\"ack-mode\":\"on-confirm\",\"reconnect-delay\":1}}"
# No dest-exchange: each event is republished to the exchange it was published to.
call PUT parameters/shovel/regional/regional-to-national "{\"value\":{\"src-protocol\":\"amqp091\",\"src-uri\":\"$uri/regional\",\"src-queue\":\"$return\",\"dest-protocol\":\"amqp091\",\"dest-uri\":\"$uri/national\",\"ack-mode\":\"on-confirm\",\"reconnect-delay\":1}}"
echo "broker set up: vhosts national and regional, users ew-ingestion, ew-anonymization, ew-classification, ew-alerting, ew-shovel"
