#!/usr/bin/env bash
# PostgreSQL 15 as a plain process, for the app host when no container runtime answers: a cluster of its own in
# $PGDATA (made on the first start, trust authentication on 127.0.0.1 only), listening on $PGPORT.
# PostgreSQL refuses to run as root: as root it runs as the postgres user through setpriv, which execs in place,
# so the app host's stop signal reaches postgres itself and nothing is left behind.
set -euo pipefail
bin="${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PGDATA"; fi
  "${as_postgres[@]}" "$bin/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
fi

# Its log (every line on stderr, routine ones included) goes to stdout, so the dashboard does not show it as errors.
exec "${as_postgres[@]}" "$bin/postgres" -D "$PGDATA" -p "$PGPORT" -k "$PGDATA" \
  -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=on -c synchronous_commit=on 2>&1
