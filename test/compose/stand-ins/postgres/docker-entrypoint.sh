#!/bin/sh
# The part of the official postgres image's entrypoint that the project uses:
# on an empty PGDATA, initdb with POSTGRES_USER / POSTGRES_PASSWORD, run
# /docker-entrypoint-initdb.d/* against a server on its socket only, then start
# PostgreSQL listening on every address, password (scram) required over TCP.
set -eu

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

export POSTGRES_USER="${POSTGRES_USER:-postgres}"
export POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set on the first start}"
  password_file="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
  initdb --username="$POSTGRES_USER" --pwfile="$password_file" \
    --auth-local=trust --auth-host=scram-sha-256 --pgdata="$PGDATA"
  rm -f "$password_file"
  echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"

  pg_ctl --pgdata="$PGDATA" --options="-c listen_addresses=''" --wait start
  if [ "$POSTGRES_DB" != postgres ]; then
    psql --no-psqlrc --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
      --set db="$POSTGRES_DB" <<'SQL'
CREATE DATABASE :"db";
SQL
  fi
  for file in /docker-entrypoint-initdb.d/*; do
    case "$file" in
      *.sh)
        echo "docker-entrypoint.sh: running $file"
        if [ -x "$file" ]; then "$file"; else . "$file"; fi
        ;;
      *.sql)
        echo "docker-entrypoint.sh: running $file"
        psql --no-psqlrc --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" --file "$file"
        ;;
      *) ;;
    esac
  done
  pg_ctl --pgdata="$PGDATA" --mode=fast --wait stop
  echo 'docker-entrypoint.sh: PostgreSQL init process complete; ready for start up.'
fi

if [ "${1:-}" = postgres ]; then
  shift
  exec postgres -D "$PGDATA" "$@"
fi
exec "$@"
