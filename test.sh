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
# The rest of the style (e.g. the order of usings) while the fast layer runs: each takes one of the two cores.
echo "==> checking formatting (dotnet format EventBooking.sln fixes it) beside the fast tests"
rm -f "$TMPDIR/format.status"
(dotnet format EventBooking.sln --verify-no-changes --no-restore > "$TMPDIR/format.log" 2>&1; echo $? > "$TMPDIR/format.status") &
format_done() {
  while [ ! -s "$TMPDIR/format.status" ]; do sleep 1; done
  [ "$(cat "$TMPDIR/format.status")" = 0 ] || { cat "$TMPDIR/format.log"; echo "error: the formatting differs: dotnet format EventBooking.sln fixes it"; false; }
}

# The fast layer first (rules and HTTP contracts, no broker; seconds): a broken rule stops the run here.
# Then the graph tests (real broker, processes and browsers), four graphs in two lanes side by side, each lane
# starting its second graph when its first is done (a graph mostly waits: for faults to last, mail, deadlines):
#   lane 1: the chaos graph (faults, default shape), then the scale-out graph (PostgreSQL, two API replicas, two
#           notifiers: what depends on the provider or on replicas);
#   lane 2: the fair-promotion graph (the promotion as shipped), then the shared graph (every other flow).
# With your own arguments (e.g. a --filter) only the default shape runs, in one pass. Each graph's log is shown when
# it ends; on failure, the failed tests are repeated at the end.
log="$TMPDIR/test-run.log"
# One graph's tests, its log to $TMPDIR/<name>.log and its exit status to $TMPDIR/<name>.status.
graph_pass() {
  local name=$1 status=0
  shift
  dotnet test tests/EventBooking.Tests --no-build --nologo "${hang[@]}" --logger "console;verbosity=normal" "$@" \
    > "$TMPDIR/$name.log" 2>&1 || status=$?
  echo "$status" > "$TMPDIR/$name.status"
}
chaos_then_scale_out() {
  graph_pass chaos --filter "Category=Chaos"
  EVENTBOOKING_TEST_SHAPE=scale-out graph_pass scale-out --filter "Shapes=both|Shapes=scale-out"
}
fair_then_shared() {
  graph_pass fair --filter "Category=FairPromotion"
  graph_pass shared --filter "Shapes!=scale-out&Category!=Chaos&Category!=FairPromotion"
}
# Shows each graph's log as soon as it is written whole, in the order they end.
show_passes() {
  local shown=() name
  while [ "${#shown[@]}" -lt 4 ]; do
    for name in chaos fair shared scale-out; do
      if [[ " ${shown[*]} " != *" $name "* ]] && [ -s "$TMPDIR/$name.status" ]; then
        echo "==> graph tests: the $name graph"
        cat "$TMPDIR/$name.log"
        shown+=("$name")
      fi
    done
    sleep 1
  done
}
# A test that hangs is stopped and named (every graph test also has a deadline of its own, well under this).
hang=(--blame-hang-timeout 6m --blame-hang-dump-type none)
status=0
{
  echo "==> fast tests" &&
  dotnet test tests/EventBooking.FastTests --no-build --nologo "${hang[@]}" --logger "console;verbosity=minimal" "$@" &&
  format_done &&
  if [ "$#" -eq 0 ]; then
    echo "==> graph tests in two lanes: chaos then scale-out, beside fair promotion then shared"
    rm -f "$TMPDIR"/{chaos,fair,shared,scale-out}.status
    chaos_then_scale_out &
    fair_then_shared &
    show_passes
    wait
    failed=0
    for name in chaos fair shared scale-out; do
      [ "$(cat "$TMPDIR/$name.status")" = 0 ] || { echo "==> the $name graph's tests failed"; failed=1; }
    done
    [ "$failed" = 0 ]
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
