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
stop_build_servers
# What the build cannot enforce (the order of usings, final newlines) while the fast layer runs. Only the whitespace
# pass: the style and analyzer passes report what the build already fails on, and took 45 s of a core more.
echo "==> checking formatting (dotnet format EventBooking.sln fixes it) beside the fast tests"
rm -f "$TMPDIR/format.status"
(dotnet format whitespace EventBooking.sln --verify-no-changes --no-restore > "$TMPDIR/format.log" 2>&1; echo $? > "$TMPDIR/format.status") &
format_done() {
  while [ ! -s "$TMPDIR/format.status" ]; do sleep 1; done
  [ "$(cat "$TMPDIR/format.status")" = 0 ] || { cat "$TMPDIR/format.log"; echo "error: the formatting differs: dotnet format EventBooking.sln fixes it"; false; }
}

# The fast layer first (rules and HTTP contracts, no broker; seconds): a broken rule stops the run here.
# Then the graph tests (real broker, processes and browsers) in the default shape (SQLite, one process each): the
# chaos graph, and beside it the shipped graph then the shared graph (two graphs at a time, never three); then, alone,
# what depends on the provider or on replicas in the scale-out shape (PostgreSQL, two API replicas, two notifiers:
# its start times out beside another graph's load). With your own arguments (e.g. a --filter) only the default shape
# runs. On failure, the failed tests are listed again at the end.
log="$TMPDIR/test-run.log"
# The scale-out pass, last. Run beside the other graphs it saved minutes but made starts time out under load.
scale_out_pass() {
  local status=0
  EVENTBOOKING_TEST_SHAPE=scale-out dotnet test tests/EventBooking.Tests --no-build --nologo "${hang[@]}" \
    --logger "console;verbosity=normal" --filter "Shapes=both|Shapes=scale-out" > "$TMPDIR/scale-out.log" 2>&1 || status=$?
  echo "$status" > "$TMPDIR/scale-out.status"
}
# The product as shipped (confirmed mailboxes, the domain cap, the proof of work) on a graph of its own: the fair
# promotion, and the pages' browser journeys that need no other settings (they fill the time the chaos graph takes).
# Then the shared graph (every other flow), still beside the chaos graph.
fair_then_shared_pass() {
  local status=0
  dotnet test tests/EventBooking.Tests --no-build --nologo "${hang[@]}" --logger "console;verbosity=normal" \
    --filter "Category=FairPromotion|Category=Pages" > "$TMPDIR/fair.log" 2>&1 || status=$?
  dotnet test tests/EventBooking.Tests --no-build --nologo "${hang[@]}" --logger "console;verbosity=normal" \
    --filter "Shapes!=scale-out&Category!=Chaos&Category!=FairPromotion&Category!=Pages" > "$TMPDIR/shared.log" 2>&1 || status=$?
  echo "$status" > "$TMPDIR/fair.status"
}
# A test that hangs is stopped and named (every graph test also has a deadline of its own, well under this).
hang=(--blame-hang-timeout 6m --blame-hang-dump-type none)
status=0
{
  echo "==> fast tests" &&
  dotnet test tests/EventBooking.FastTests --no-build --nologo "${hang[@]}" --logger "console;verbosity=minimal" "$@" &&
  format_done &&
  if [ "$#" -eq 0 ]; then
    echo "==> graph tests, default shape: the chaos graph (faults, and the promotion from its first sign-up), and beside it the shipped graph then the shared graph"
    default_status=0
    fair_then_shared_pass &
    fair_pid=$!
    dotnet test tests/EventBooking.Tests --no-build --nologo "${hang[@]}" --logger "console;verbosity=normal" --filter "Category=Chaos" \
      || default_status=$?
    wait "$fair_pid" || true
    echo "==> graph tests, default shape: the shipped graph: fair promotion and page journeys (run beside the chaos graph)"
    cat "$TMPDIR/fair.log"
    echo "==> graph tests, default shape: the shared graph (run beside the chaos graph, after the shipped graph)"
    cat "$TMPDIR/shared.log"
    [ "$(cat "$TMPDIR/fair.status")" = 0 ] || default_status=1
    echo "==> graph tests, scale-out shape (what depends on the provider or on replicas: Shapes=both, and the scale-out chaos)"
    scale_out_pass
    cat "$TMPDIR/scale-out.log"
    [ "$default_status" -eq 0 ] && [ "$(cat "$TMPDIR/scale-out.status")" = 0 ]
  else
    echo "==> graph tests, default shape" &&
    dotnet test tests/EventBooking.Tests --no-build --nologo "${hang[@]}" --logger "console;verbosity=normal" "$@"
  fi
} 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  echo
  echo "==> failed tests (full log: $log)"
  grep -E -A 8 '^\s+Failed [A-Za-z]|active test|hang timeout' "$log" | cut -c1-300 || true
fi
exit "$status"
