#!/usr/bin/env bash
# Puts every database back to a backup set, with the stack stopped: ./restore.sh <backup> (an id from
# ./backup.sh --list, or a set's folder). What was there before is moved aside, never deleted. At their next start
# the services reconcile: the API sends the notifier every sign-up again with what it was told. See docs/operations.md.
# EVENTBOOKING_DATA names the data folder when it is not .data; EVENTBOOKING_BACKUPS the backups' when not .data/backups.
set -euo pipefail
cd "$(dirname "$0")"
data="${EVENTBOOKING_DATA:-.data}"
backups="${EVENTBOOKING_BACKUPS:-$data/backups}"
fail() { echo "error: $*" >&2; exit 1; }

[ $# -eq 1 ] || { echo "usage: ./restore.sh <backup>   (the ids: ./backup.sh --list, or ls $backups)" >&2; exit 2; }
set_dir="$1"
[ -d "$set_dir" ] || set_dir="$backups/$1"
[ -f "$set_dir/manifest.json" ] || fail "$1 is not a finished backup set (no manifest.json in $set_dir)"
if curl -fsS -m 5 --unix-socket "$data/control.sock" -o /dev/null http://stack/backups 2>/dev/null; then
  fail "the stack is running: stop it first (Ctrl+C where ./run.sh runs)"
fi
set_dir="$(cd "$set_dir" && pwd)"

aside="$data/before-restore-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$aside"
if grep -q '"database": "postgres"' "$set_dir/manifest.json"; then
  # The server is not running now: the app host loads the dumps at its next start, before the services start.
  echo "$set_dir" > "$data/restore-pending"
  echo "==> the PostgreSQL dumps of $(basename "$set_dir") are loaded at the next start (./run.sh --EventBooking:Database=postgres)"
else
  for copy in "$set_dir"/*/*.db; do
    target="$data/${copy#"$set_dir"/}"
    mkdir -p "$(dirname "$target")" "$aside/$(dirname "${copy#"$set_dir"/}")"
    for live in "$target" "$target-wal" "$target-shm"; do
      if [ -e "$live" ]; then mv "$live" "$aside/${live#"$data"/}"; fi
    done
    cp "$copy" "$target"
    echo "==> restored $target"
  done
fi

# The broker's queues hold what happened after the backup: they go aside too, and the API sends again what the
# restored databases need (a broker in a container keeps its volume: purge its queues in its management UI).
if [ -d "$data/broker/mnesia" ]; then
  mv "$data/broker/mnesia" "$aside/broker-mnesia"
  echo "==> emptied the broker's queues"
fi
printf '{ "backup": "%s", "restoredAt": "%s" }\n' "$(basename "$set_dir")" "$(date -u +%FT%TZ)" > "$data/restored.json"
echo "==> done: start the stack with ./run.sh; what was there before is in $aside (remove it once you are satisfied)"
