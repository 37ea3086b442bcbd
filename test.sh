#!/usr/bin/env bash
# Installs what the tests need, then runs the whole test suite (it starts the real graph itself).
# Extra arguments go to dotnet test, e.g. ./test.sh --filter "Category=Chaos"
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

ensure_dotnet
ensure_dotnet_tools
ensure_broker
ensure_postgres
ensure_chromium
use_private_tmpdir

echo "==> building (code style is enforced by the build)"
dotnet build EventBooking.sln --nologo -v quiet -clp:ErrorsOnly
echo "==> checking formatting (dotnet format EventBooking.sln fixes it)"
dotnet format EventBooking.sln --verify-no-changes --no-restore

# The fast layer first (rules and HTTP contracts, no broker; seconds): a broken rule stops the run here.
# Then the graph tests (real broker, processes and browsers) in the default shape (SQLite, one process each), and what
# depends on the provider or on replicas again in the scale-out shape (PostgreSQL, two API replicas, two notifiers);
# with your own arguments (e.g. a --filter) only the default shape runs. The full log scrolls by; on failure, the failed tests are repeated at the end.
log="$TMPDIR/test-run.log"
# A test that hangs is stopped and named (every graph test also has a deadline of its own, well under this).
hang=(--blame-hang-timeout 6m --blame-hang-dump-type none)
status=0
{
  echo "==> fast tests" &&
  dotnet test tests/EventBooking.FastTests --no-build --nologo "${hang[@]}" --logger "console;verbosity=minimal" "$@" &&
  echo "==> graph tests, default shape" &&
  if [ "$#" -eq 0 ]; then
    dotnet test tests/EventBooking.Tests --no-build --nologo "${hang[@]}" --logger "console;verbosity=normal" --filter "Shapes!=scale-out" &&
    echo "==> graph tests, scale-out shape (what depends on the provider or on replicas: Shapes=both, and the scale-out chaos)" &&
    EVENTBOOKING_TEST_SHAPE=scale-out dotnet test tests/EventBooking.Tests --no-build --nologo "${hang[@]}" --logger "console;verbosity=normal" --filter "Shapes=both|Shapes=scale-out"
  else
    dotnet test tests/EventBooking.Tests --no-build --nologo "${hang[@]}" --logger "console;verbosity=normal" "$@"
  fi
} 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  echo
  echo "==> failed tests (full log: $log)"
  grep -E -A 8 '^\s+Failed [A-Za-z]|active test|hang timeout' "$log" | cut -c1-300 || true
fi
exit "$status"
