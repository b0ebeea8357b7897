#!/usr/bin/env bash
# WADO-RS study metadata benchmark (not a test): the gateway's /metadata of one 500-instance study, cold (the study is
# not in the gateway's instance cache yet: one retrieval of the whole study from the PACS, then the metadata) and warm
# (from the cache), versus Orthanc's own DICOMweb metadata for the same study, in one run. Prints a markdown table;
# results and the reading: docs/benchmarks.md ("WADO-RS metadata").
#
# It starts no gateway. Start one (scripts/run-gateway.sh, or a WildFly of your own with GATEWAY_URL) and run this
# first thing: the first gateway request is the cold one, so the study must not be cached yet (a fresh WildFly, or
# one whose cache has since dropped it: gateway.cache.max-age-ms).
#
# Environment (defaults in brackets):
#   GATEWAY_URL [http://127.0.0.1:8080/dicomweb]  GATEWAY_AET [ORTHANC] (C-GET)  ORTHANC_HTTP_PORT [18042]
#   RUNS [5] warm runs per target (after the cold one)  SET ["1 1 500"] the sample set (scripts/samples.sh), loaded
#   into Orthanc when Orthanc lacks it
#
# Every answer is checked: HTTP 200, a JSON array of exactly the study's instances (SOP Instance UIDs), each with a
# BulkDataURI or InlineBinary for Pixel Data. Times are wall clock around curl (body to a file in $BENCH_TMP).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8080/dicomweb}"
GATEWAY_URL="${GATEWAY_URL%/}"
GATEWAY_AET="${GATEWAY_AET:-ORTHANC}"
ORTHANC_HTTP_PORT="${ORTHANC_HTTP_PORT:-18042}"
RUNS="${RUNS:-5}"
SET="${SET:-1 1 500}"
BENCH_TMP="${BENCH_TMP:-$( [[ -w /dev/shm ]] && echo /dev/shm || echo /tmp )}"
WORK=$(mktemp -d "$BENCH_TMP/metabench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

die() { echo "metadata.sh: $*" >&2; exit 1; }
dir=$("$ROOT/scripts/samples.sh" gen $SET)
study=$(basename "$(find "$dir" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)")
find "$dir/$study" -name '*.dcm' -printf '%f\n' | sed 's/\.dcm$//' | sort > "$WORK/expected"
expected=$(wc -l < "$WORK/expected")
orthanc="http://127.0.0.1:$ORTHANC_HTTP_PORT/dicom-web/studies/$study/metadata"
if [[ $(curl -s -o /dev/null -w '%{http_code}' "$orthanc") != 200 ]]; then
  "$ROOT/scripts/samples.sh" load $SET ORTHANC >/dev/null
fi

# url -> "seconds bytes"; the body is checked against the study's instance list
fetch() {
  local out="$WORK/body" t
  t=$(curl -s -o "$out" -w '%{http_code} %{time_total} %{size_download}' -H 'Accept: application/dicom+json' "$1")
  read -r code secs bytes <<<"$t"
  [[ $code == 200 ]] || die "$1 answered $code: $(head -c 300 "$out")"
  python3 - "$out" "$WORK/expected" <<'PY' || die "$1: wrong answer"
import json, sys
items = json.load(open(sys.argv[1]))
expected = open(sys.argv[2]).read().split()
uids = sorted(i["00080018"]["Value"][0] for i in items)
pixels = all("BulkDataURI" in i.get("7FE00010", {}) or "InlineBinary" in i.get("7FE00010", {}) for i in items)
sys.exit(0 if uids == sorted(expected) and pixels else 1)
PY
  echo "$secs $bytes"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "metadata.sh: $(date -u +%FT%TZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "study $study: $expected instances; gateway $GATEWAY_URL (AE $GATEWAY_AET), Orthanc $orthanc" >&2
read -r cold cold_bytes <<<"$(fetch "$GATEWAY_URL/aets/$GATEWAY_AET/studies/$study/metadata")"
: > "$WORK/warm"; : > "$WORK/orthanc"
for _ in $(seq "$RUNS"); do
  fetch "$GATEWAY_URL/aets/$GATEWAY_AET/studies/$study/metadata" >> "$WORK/warm"
  fetch "$orthanc" >> "$WORK/orthanc"
done
warm=$(cut -d' ' -f1 "$WORK/warm" | median); warm_bytes=$(tail -n1 "$WORK/warm" | cut -d' ' -f2)
orth=$(cut -d' ' -f1 "$WORK/orthanc" | median); orth_bytes=$(tail -n1 "$WORK/orthanc" | cut -d' ' -f2)

cat <<TABLE
### Study metadata, $expected instances

| what | seconds | body bytes | runs, s |
|---|---:|---:|---|
| gateway, cold (C-GET of the whole study into the cache, then metadata) | $cold | $cold_bytes | $cold |
| gateway, warm (from the cache), median of $RUNS | $warm | $warm_bytes | $(cut -d' ' -f1 "$WORK/warm" | paste -sd, | sed 's/,/, /g') |
| Orthanc's own DICOMweb metadata, median of $RUNS | $orth | $orth_bytes | $(cut -d' ' -f1 "$WORK/orthanc" | paste -sd, | sed 's/,/, /g') |
TABLE
