#!/usr/bin/env bash
# Installs what the tests need, then runs the whole test suite (it starts the real graph itself).
# Extra arguments go to dotnet test, e.g. ./test.sh --filter "Category=Chaos"
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

ensure_dotnet
ensure_broker
ensure_chromium
use_private_tmpdir

dotnet test EventBooking.sln --nologo --logger "console;verbosity=normal" "$@"
