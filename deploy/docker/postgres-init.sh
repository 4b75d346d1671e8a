#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d): the same least
# privilege as deploy/local/infra.sh. One login role per service owning only its schema, the administrator's
# role owning the identity schema (credentials), which services may only read. Passwords come from the
# environment (docker-compose.yml takes them from the uncommitted .env).
set -euo pipefail
# An example file's placeholder is a password everyone knows: refuse to initialise with one.
if env | grep -E '^(EW_PG_PASSWORD_[A-Z_]+|POSTGRES_PASSWORD)=change-me' >/dev/null; then
  echo "postgres-init: a password in .env is still 'change-me'; generate each (see earlywarning.env.example)" >&2; exit 1
fi
services=(ingestion anonymization classification alerting)
psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB")
readers="$(printf 'ew_%s,' "${services[@]}")"; readers="${readers%,}"
for role in admin "${services[@]}"; do
  variable="EW_PG_PASSWORD_${role^^}"
  "${psql[@]}" -q -v role="ew_$role" -v password="${!variable:?$variable is not set}" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SQL
done
{
  echo "REVOKE ALL ON DATABASE $POSTGRES_DB FROM PUBLIC;"
  echo "GRANT CONNECT ON DATABASE $POSTGRES_DB TO ew_admin, $readers;"
  echo "REVOKE ALL ON SCHEMA public FROM PUBLIC;"
  for service in "${services[@]}"; do echo "CREATE SCHEMA $service AUTHORIZATION ew_$service;"; done
  echo "CREATE SCHEMA identity AUTHORIZATION ew_admin;"
  echo "GRANT USAGE ON SCHEMA identity TO $readers;"
  echo "ALTER DEFAULT PRIVILEGES FOR ROLE ew_admin IN SCHEMA identity GRANT SELECT ON TABLES TO $readers;"
} | "${psql[@]}" -q
