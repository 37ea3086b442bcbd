#!/usr/bin/env bash
# Refreshes the vendored list of throwaway (disposable) mail domains the promo sign-up refuses, from the npm package
# disposable-email-domains (MIT). Usage: scripts/refresh-throwaway-domains.sh [version]   (default: the vendored one)
# Domains wrongly listed go to allowed-domains.txt next to the list (kept by hand), not out of the list.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-1.0.62}"
target=src/EventBooking.ApiService/Promo/Throwaway
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "disposable-email-domains@$version" > /dev/null && tar xzf disposable-email-domains-*.tgz)
for list in index wildcard; do
  out="$target/$([ "$list" = index ] && echo throwaway-domains.txt || echo throwaway-wildcard-domains.txt)"
  {
    echo "# From the npm package disposable-email-domains $version (MIT), ${list}.json: one domain per line."
    echo "# Written by scripts/refresh-throwaway-domains.sh; do not edit (allowed-domains.txt overrides it)."
    python3 -c 'import json,sys; print("\n".join(sorted({d.strip().lower() for d in json.load(open(sys.argv[1])) if d.strip()})))' \
      "$work/package/$list.json"
  } > "$out"
  echo "$out: $(grep -vc '^#' "$out") domains"
done
