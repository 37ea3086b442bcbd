#!/usr/bin/env bash
# Runs the standard benchmark set on a fresh stack and prints the table (also written to bench/results/latest.md
# and latest.json). The load-test tool starts ./run.sh itself (Release build, temporary data, no processing delay,
# per-client limits lifted) and stops it at the end.
#   ./bench.sh                          # baseline, sockets 5,000, orders 5,000 × 100, promo-burst 10,000 × 500
#   ./bench.sh promo-burst --count 1000 --concurrency 100
#   ./bench.sh orders --url http://localhost:8080    # against a stack that is already running
#   ./bench.sh promo-burst --shape scale-out          # PostgreSQL, two API replicas, two notifiers (bench/results/scale-out)
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

ensure_dotnet
ensure_broker
use_private_tmpdir

# Thousands of sockets on each side of the proxy, plus the client's own.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

dotnet build -c Release bench/EventBooking.LoadTest --nologo -v quiet -clp:ErrorsOnly
stop_build_servers
dotnet run -c Release --no-build --project bench/EventBooking.LoadTest -- "${@:-standard}"
