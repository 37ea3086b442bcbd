#!/usr/bin/env bash
# PostgreSQL 15 as a plain process, for the app host when no container runtime answers: a cluster of its own in
# $PGDATA (made on the first start, trust authentication on 127.0.0.1 only), listening on $PGPORT.
# PostgreSQL refuses to run as root: as root it runs as the postgres user through setpriv, which execs in place,
# so the app host's stop signal reaches postgres itself and nothing is left behind. As any other user it runs as
# that user.
set -euo pipefail
bin="${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi

# A clone in a private folder (mode 700, as /root or a `mktemp -d` folder is) keeps the postgres user out of the
# cluster's folder. Each folder above it that the postgres user cannot pass gets an ACL entry letting that user alone
# pass through (x: no listing, no reading), from the root down, so every check sees the folders above it fixed.
grant_passage() {
  local path="" part
  IFS=/ read -ra parts <<< "${PGDATA%/*}"
  for part in "${parts[@]}"; do
    [ -n "$part" ] || continue
    path="$path/$part"
    if ! "${as_postgres[@]}" test -x "$path"; then
      if ! command -v setfacl >/dev/null 2>&1; then
        echo "error: the postgres user cannot enter $path; install the acl package (apt-get install acl) or move the clone" >&2
        exit 1
      fi
      setfacl -m u:postgres:x "$path"
    fi
  done
}

if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$PGDATA"
  grant_passage
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
