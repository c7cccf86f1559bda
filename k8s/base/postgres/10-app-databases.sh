#!/bin/sh
# First start of PostgreSQL (empty data directory): one login and one database
# per app. Each app owns its database and can connect to no other app's, so a
# leaked DATABASE_URL exposes one service's data, not the system's. The apps
# then migrate their own tables at start-up.
#
# Run by the official postgres image from /docker-entrypoint-initdb.d, in
# docker-compose.yml and in the Kubernetes StatefulSet (k8s/base/postgres keeps
# a byte-identical copy; a test compares them). Passwords come from the
# environment: <APP>_DB_PASSWORD.
set -eu

create_app_database() {
  app="$1"
  password="$2"
  if [ -z "$password" ]; then
    echo "10-app-databases.sh: no password for $app" >&2
    exit 1
  fi
  # psql variables (:"name" for identifiers, :'name' for literals) quote the
  # values, so a password with quotes cannot break or inject SQL.
  psql --no-psqlrc --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    --set app="$app" --set password="$password" <<'SQL'
CREATE ROLE :"app" LOGIN PASSWORD :'password';
CREATE DATABASE :"app" OWNER :"app";
REVOKE ALL ON DATABASE :"app" FROM PUBLIC;
SQL
  echo "10-app-databases.sh: database and login $app created"
}

create_app_database orders "${ORDERS_DB_PASSWORD:-}"
create_app_database payments "${PAYMENTS_DB_PASSWORD:-}"
create_app_database shipping "${SHIPPING_DB_PASSWORD:-}"
create_app_database notifications "${NOTIFICATIONS_DB_PASSWORD:-}"
