#!/usr/bin/env bash
# Stores every *.dcm under <dir> (recursively) into a PACS with dcmtk storescu, on one association.
#
#   scripts/load-studies.sh <dir> <AET> <port>
#     e.g. scripts/load-studies.sh work/samples/2x2x10 ORTHANC 14242
#
# Exit 0 only if every file got a Success (or Warning) C-STORE response; otherwise prints the storescu
# errors and exits 1. Prints one summary line (count, bytes, time).
# Environment: PACS_HOST (default 127.0.0.1), STORESCU_OPTS (extra storescu options, e.g. "-xs" to also
# propose JPEG Lossless for compressed files: storescu proposes only uncompressed syntaxes by default).
set -euo pipefail

[[ $# -eq 3 ]] || { echo "usage: $0 <dir> <AET> <port>" >&2; exit 2; }
dir=$1 aet=$2 port=$3 host=${PACS_HOST:-127.0.0.1}
[[ -d $dir ]] || { echo "load-studies: no such directory: $dir" >&2; exit 2; }
# dcmtk only disables Nagle when this is set; without it every C-STORE waits ~40 ms for a delayed ACK.
export TCP_NODELAY=1

expected=$(find "$dir" -type f -name '*.dcm' | wc -l)
[[ $expected -gt 0 ]] || { echo "load-studies: no *.dcm files under $dir" >&2; exit 1; }
bytes=$(find "$dir" -type f -name '*.dcm' -printf '%s\n' | awk '{s+=$1} END {print s+0}')

log=$(mktemp)
trap 'rm -f "$log"' EXIT
t0=$(date +%s%N)
# -nh: go on after a failed store so that all failures get reported; storescu then exits 0 even when
# stores failed, so success is decided by counting the responses in the verbose log below.
rc=0
# shellcheck disable=SC2086  # STORESCU_OPTS is a list of options
storescu -v -aet LOADER -aec "$aet" +sd +r +sp '*.dcm' -nh ${STORESCU_OPTS:-} "$host" "$port" "$dir" \
  >"$log" 2>&1 || rc=$?
t1=$(date +%s%N)

ok=$(grep -c -E '^I: Received Store Response \((Success|Warning)' "$log" || true)
warn=$(grep -c -E '^I: Received Store Response \(Warning' "$log" || true)
ms=$(( (t1 - t0) / 1000000 ))
summary=$(awk -v n="$ok" -v e="$expected" -v b="$bytes" -v ms="$ms" -v a="$aet" -v h="$host" -v p="$port" \
  'BEGIN { printf "%d/%d instances (%.1f MB) into %s@%s:%s in %.2f s (%.0f inst/s)", n, e, b/1e6, a, h, p, ms/1000, (ms ? n*1000/ms : 0) }')

if [[ $rc -ne 0 || $ok -ne $expected ]]; then
  echo "load-studies: FAILED: $summary, storescu exit code $rc" >&2
  # local errors (unreadable file, association failure) and every non-successful response with its file
  awk '/^I: Sending file: / { f = substr($0, 18) }
       /^(E|F):/ { print }
       /^I: Received Store Response \(/ && !/\((Success|Warning)/ { sub(/^I: Received Store Response /, ""); print "failed " $0 ": " f }' \
    "$log" | head -n 40 >&2 || true
  exit 1
fi
[[ $warn -eq 0 ]] || echo "load-studies: note: $warn store responses were warnings" >&2
echo "load-studies: $summary"
