#!/usr/bin/env bash
# PostgreSQL 15 as a plain process, for the app host when no container runtime answers: a cluster of its own in
# $PGDATA (made on the first start), listening on $PGPORT on 127.0.0.1 only, every connection (the local socket
# included) with the postgres account's password, $POSTGRES_PASSWORD (the app host's secret parameter postgres-password).
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

: "${POSTGRES_PASSWORD:?the postgres account needs a password: the app host passes its parameter postgres-password}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PGDATA"; fi
  pwfile="${PGDATA%/*}/.initdb-password"
  (umask 077 && printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile")
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pwfile"; fi
  "${as_postgres[@]}" "$bin/initdb" -D "$PGDATA" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" -E UTF8 >/dev/null
  rm -f "$pwfile"
  initialised=yes
fi

# A new cluster, one made before passwords (trust), or a new password in the app host's secrets: set it before the
# server listens, in single-user mode (through stdin, never on a command line), and remember a hash of it.
password_hash=$(printf '%s' "$POSTGRES_PASSWORD" | sha256sum | cut -d' ' -f1)
if [ "$("${as_postgres[@]}" cat "$PGDATA/eventbooking-password.sha256" 2>/dev/null)" != "$password_hash" ]; then
  if [ -z "${initialised:-}" ]; then  # initdb has just set it
    printf "ALTER ROLE postgres PASSWORD '%s';\n" "$POSTGRES_PASSWORD" | "${as_postgres[@]}" "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null
  fi
  printf '%s\n' "local all all scram-sha-256" "host all all 127.0.0.1/32 scram-sha-256" | "${as_postgres[@]}" tee "$PGDATA/pg_hba.conf" >/dev/null
  printf '%s' "$password_hash" | "${as_postgres[@]}" tee "$PGDATA/eventbooking-password.sha256" >/dev/null
fi

# Its log (every line on stderr, routine ones included) goes to stdout, so the dashboard does not show it as errors.
exec "${as_postgres[@]}" "$bin/postgres" -D "$PGDATA" -p "$PGPORT" -k "$PGDATA" \
  -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=on -c synchronous_commit=on 2>&1
