#!/usr/bin/env bash
# Starts the whole EventBooking stack with its dashboard. Ctrl+C or SIGTERM stops everything.
# Extra arguments go to the app host, e.g. ./run.sh --RabbitMQ:Mode=local
# CONFIGURATION=Release ./run.sh builds and runs optimised code (the benchmarks do).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

ensure_dotnet
ensure_dotnet_tools
ensure_broker
if [[ " $* " == *"Database=postgres"* ]]; then ensure_postgres; fi
use_private_tmpdir

CONFIGURATION=${CONFIGURATION:-Debug}
SITE_URL=http://localhost:8080
DASHBOARD_URL=http://localhost:15080

echo "==> building"
dotnet build src/EventBooking.AppHost -c "$CONFIGURATION" --nologo -v quiet -clp:ErrorsOnly
stop_build_servers

echo "==> starting the app host (broker, api, notifier, frontend)"
# Its output is kept (readable by this user alone) to find the dashboard's login link, with its browser token, in it.
apphost_log="$TMPDIR/apphost.log"
(umask 077 && : > "$apphost_log")
dotnet run --project src/EventBooking.AppHost -c "$CONFIGURATION" --no-build --launch-profile http -- "$@" > >(tee -a "$apphost_log") 2>&1 &
apphost=$!

descendants() {
  local children
  children=$(ps -eo pid=,ppid= | awk -v parent="$1" '$2 == parent { print $1 }')
  for child in $children; do
    echo "$child"
    descendants "$child"
  done
}

stop() {
  trap - INT TERM
  echo "==> stopping" || true  # the terminal may be gone (a closed pipe must not stop the clean-up)
  # The orchestrator stops services through their `dotnet run` wrappers, which do not pass the signal on when
  # they are not in the foreground; the services then linger for seconds. Ask them to shut down first, directly.
  local host orchestrators
  host=$(pgrep -P "$apphost" -f EventBooking.AppHost || true)
  orchestrators=$(pgrep -f -- "--monitor ${host:-none}" || true)
  for pid in $orchestrators; do
    for service in $(descendants "$pid"); do
      if ps -o args= -p "$service" 2>/dev/null | grep -q '/bin/.*/EventBooking\.'; then
        kill -TERM "$service" 2>/dev/null || true
      fi
    done
  done
  kill -TERM ${host:-} "$apphost" 2>/dev/null || true
  wait "$apphost" 2>/dev/null || true
  exit 0
}
trap stop INT TERM

for _ in $(seq 1 120); do
  if ! kill -0 "$apphost" 2>/dev/null; then
    wait "$apphost" || true
    echo "error: the app host exited before the site came up (see the messages above)." >&2
    exit 1
  fi
  if curl -fsS -m 5 -o /dev/null "$SITE_URL/health" 2>/dev/null; then
    echo
    echo "  Site:       $SITE_URL"
    # The dashboard asks for its browser token, new at each start: the link signs this browser in.
    echo "  Dashboard:  $(grep -o "$DASHBOARD_URL/login?t=[0-9A-Za-z]*" "$apphost_log" | tail -1 || echo "$DASHBOARD_URL")"
    echo
    echo "  Ctrl+C stops everything."
    break
  fi
  sleep 1
done

wait "$apphost"
