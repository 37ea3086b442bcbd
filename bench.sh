#!/usr/bin/env bash
# Runs the standard benchmark set against a fresh stack and prints the tables.
#   ./bench.sh                 # defaults below
#   COUNT=10000 CONCURRENCY=500 ./bench.sh
# The stack is started with ./run.sh on temporary data, no processing delay in the notifier, and per-client limits
# lifted (every request comes from this one machine); it is stopped again at the end.
set -euo pipefail
cd "$(dirname "$0")"

COUNT=${COUNT:-1000}
CONCURRENCY=${CONCURRENCY:-100}
SITE=http://localhost:8080
LOADTEST=(dotnet run -c Release --no-build --project bench/EventBooking.LoadTest --)

dotnet build -c Release bench/EventBooking.LoadTest --nologo -v quiet -clp:ErrorsOnly

./run.sh --EventBooking:UseTemporaryData=true --Promo:StepDelay=00:00:00 \
  --RateLimits:Orders:PermitLimit=100000000 --RateLimits:PromoSignUps:PermitLimit=100000000 \
  --RateLimits:SignIn:PermitLimit=100000000 --WebSockets:MaxPerClient=100000 > .bench-stack.log 2>&1 &
stack=$!
trap 'kill -TERM $stack 2>/dev/null || true; wait $stack 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "$SITE/health" 2>/dev/null && break
  kill -0 $stack 2>/dev/null || { echo "the stack did not start; see .bench-stack.log" >&2; exit 1; }
  sleep 1
done

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME")"
echo "== baseline"
"${LOADTEST[@]}" baseline --count "$COUNT" --concurrency "$CONCURRENCY"
echo "== orders"
"${LOADTEST[@]}" orders --url "$SITE" --count "$COUNT" --concurrency "$CONCURRENCY"
echo "== promo-burst"
"${LOADTEST[@]}" promo-burst --url "$SITE" --count "$COUNT" --concurrency "$CONCURRENCY"
