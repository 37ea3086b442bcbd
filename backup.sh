#!/usr/bin/env bash
# Backs up every database of the running stack now, verified (./backup.sh), or lists the backups (./backup.sh --list).
# The stack also takes one every Backup:Interval (hourly). Restore with ./restore.sh. See docs/operations.md.
# EVENTBOOKING_DATA names the data folder when it is not .data (EventBooking:DataDirectory).
set -euo pipefail
cd "$(dirname "$0")"
socket="${EVENTBOOKING_DATA:-.data}/control.sock"

if ! curl -fsS -m 5 --unix-socket "$socket" -o /dev/null http://stack/backups 2>/dev/null; then
  echo "error: the stack is not running (nothing answers on $socket): start it with ./run.sh" >&2
  exit 1
fi

case "${1:-}" in
  "") curl -sS --fail-with-body --unix-socket "$socket" -X POST http://stack/backups ;;
  --list) curl -fsS --unix-socket "$socket" http://stack/backups ;;
  *) echo "usage: ./backup.sh [--list]" >&2; exit 2 ;;
esac
