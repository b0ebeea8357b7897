#!/usr/bin/env bash
# WADO-RS metadata benchmark (not a test): the gateway's /metadata of one 500-instance study, cold (the study is not
# in the gateway's instance cache: retrieved from the PACS, then the metadata) and warm (from the cache), versus
# Orthanc's own DICOMweb metadata for the same study; then the same for the study's 500-instance series
# (/studies/X/series/Y/metadata), COLD_RUNS cold runs interleaved with Orthanc's and with the series' C-GET alone
# (dcmtk getscu --ignore: what any cold read over DIMSE must wait for). Prints markdown tables; results and the
# reading: docs/benchmarks.md ("WADO-RS metadata").
#
# Cold means cold: each cold read goes through an AE the gateway never had (the cache is per AE), added for the run
# with the configuration reload and removed again right after its read (bench/cold-aes.sh), the same Orthanc by
# C-GET as ORTHANC.
#
# It starts no gateway. Start one (scripts/run-gateway.sh, or a WildFly of your own with GATEWAY_URL).
#
# Environment (defaults in brackets):
#   GATEWAY_URL [http://127.0.0.1:8080/dicomweb]  GATEWAY_AET [ORTHANC] (C-GET)  ORTHANC_HTTP_PORT [18042]
#   ORTHANC_DICOM_PORT [14242]
#   RUNS [5] warm runs per target (after the cold one)  COLD_RUNS [5] cold series runs  SET ["1 1 500"] the sample
#   set (scripts/samples.sh), loaded into Orthanc when Orthanc lacks it; its first study's first series is the series
#   JBOSS_CLI, MANAGEMENT [127.0.0.1:9990]   the CLI and management address the cold AEs are added with
#
# Every answer is checked: HTTP 200, a JSON array of exactly the study's instances (SOP Instance UIDs), each with a
# BulkDataURI or InlineBinary for Pixel Data. Times are wall clock around curl (body to a file in $BENCH_TMP).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8080/dicomweb}"
GATEWAY_URL="${GATEWAY_URL%/}"
GATEWAY_AET="${GATEWAY_AET:-ORTHANC}"
ORTHANC_HTTP_PORT="${ORTHANC_HTTP_PORT:-18042}"
ORTHANC_DICOM_PORT="${ORTHANC_DICOM_PORT:-14242}"
RUNS="${RUNS:-5}"
COLD_RUNS="${COLD_RUNS:-5}"
SET="${SET:-1 1 500}"
BENCH_TMP="${BENCH_TMP:-$( [[ -w /dev/shm ]] && echo /dev/shm || echo /tmp )}"
WORK=$(mktemp -d "$BENCH_TMP/metabench.XXXXXX")
die() { echo "metadata.sh: $*" >&2; exit 1; }
note() { echo "metadata.sh: $*" >&2; }
# shellcheck source=bench/cold-aes.sh
source "$ROOT/bench/cold-aes.sh"
trap 'cold_aes_remove; rm -rf "$WORK"' EXIT
dir=$("$ROOT/scripts/samples.sh" gen $SET)
study=$(basename "$(find "$dir" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)")
series=$(basename "$(find "$dir/$study" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)")
find "$dir/$study" -name '*.dcm' -printf '%f\n' | sed 's/\.dcm$//' | sort > "$WORK/expected"
find "$dir/$study/$series" -name '*.dcm' -printf '%f\n' | sed 's/\.dcm$//' | sort > "$WORK/expected-series"
expected=$(wc -l < "$WORK/expected")
expected_series=$(wc -l < "$WORK/expected-series")
orthanc="http://127.0.0.1:$ORTHANC_HTTP_PORT/dicom-web/studies/$study/metadata"
orthanc_series="http://127.0.0.1:$ORTHANC_HTTP_PORT/dicom-web/studies/$study/series/$series/metadata"
if [[ $(curl -s -o /dev/null -w '%{http_code}' "$orthanc") != 200 ]]; then
  "$ROOT/scripts/samples.sh" load $SET ORTHANC >/dev/null
fi

# url [expected uids file] -> "seconds bytes"; the body is checked against the instance list (the study's)
fetch() {
  local out="$WORK/body" t
  t=$(curl -s -o "$out" -w '%{http_code} %{time_total} %{size_download}' -H 'Accept: application/dicom+json' "$1")
  read -r code secs bytes <<<"$t"
  [[ $code == 200 ]] || die "$1 answered $code: $(head -c 300 "$out")"
  python3 - "$out" "${2:-$WORK/expected}" <<'PY' || die "$1: wrong answer"
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
cold_aes_add $(( 1 + COLD_RUNS ))
read -r cold cold_bytes <<<"$(fetch "$GATEWAY_URL/aets/${COLD_AES[0]}/studies/$study/metadata")"
cold_ae_retire "${COLD_AES[0]}"
: > "$WORK/warm"; : > "$WORK/orthanc"
fetch "$GATEWAY_URL/aets/$GATEWAY_AET/studies/$study/metadata" >/dev/null   # untimed: warm means in the cache
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
| gateway, cold (a fresh AE: the study retrieved into the cache, then metadata) | $cold | $cold_bytes | $cold |
| gateway, warm (from the cache), median of $RUNS | $warm | $warm_bytes | $(cut -d' ' -f1 "$WORK/warm" | paste -sd, | sed 's/,/, /g') |
| Orthanc's own DICOMweb metadata, median of $RUNS | $orth | $orth_bytes | $(cut -d' ' -f1 "$WORK/orthanc" | paste -sd, | sed 's/,/, /g') |
TABLE

# ---- the series: cold runs (each a fresh AE) interleaved with Orthanc's, then warm ----
: > "$WORK/series-cold"; : > "$WORK/series-orthanc"; : > "$WORK/series-warm"; : > "$WORK/series-get"
# The floor of any cold read over DIMSE: the series' C-GET alone, its instances received and dropped (dcmtk getscu
# --ignore, Nagle off as the gateway has it) -> seconds
series_get() {
  local t0 t1 log="$WORK/getscu.log"
  t0=$(date +%s.%N)
  TCP_NODELAY=1 timeout 120 getscu -v -aet METABENCH -aec ORTHANC -S --ignore -k QueryRetrieveLevel=SERIES \
    -k StudyInstanceUID="$study" -k SeriesInstanceUID="$series" 127.0.0.1 "$ORTHANC_DICOM_PORT" >"$log" 2>&1 \
    || die "getscu of the series failed: $(grep -E '^(E|F):' "$log" | head -n 3)"
  t1=$(date +%s.%N)
  [[ $(grep -c 'Received C-STORE Request' "$log") == "$expected_series" ]] || die "getscu received $(grep -c 'Received C-STORE Request' "$log")/$expected_series instances"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
}
for i in $(seq "$COLD_RUNS"); do
  fetch "$GATEWAY_URL/aets/${COLD_AES[$i]}/studies/$study/series/$series/metadata" "$WORK/expected-series" >> "$WORK/series-cold"
  cold_ae_retire "${COLD_AES[$i]}"
  fetch "$orthanc_series" "$WORK/expected-series" >> "$WORK/series-orthanc"
  series_get >> "$WORK/series-get"
done
for _ in $(seq "$RUNS"); do
  fetch "$GATEWAY_URL/aets/$GATEWAY_AET/studies/$study/series/$series/metadata" "$WORK/expected-series" >> "$WORK/series-warm"
done
runs() { cut -d' ' -f1 "$1" | paste -sd, | sed 's/,/, /g'; }
scold=$(cut -d' ' -f1 "$WORK/series-cold" | median); sorth=$(cut -d' ' -f1 "$WORK/series-orthanc" | median)
swarm=$(cut -d' ' -f1 "$WORK/series-warm" | median); sget=$(median < "$WORK/series-get")
met=$(paste -d' ' "$WORK/series-cold" "$WORK/series-orthanc" | awk '$1 <= 1.2 * $3 { n++ } END { print n + 0 }')

cat <<TABLE

### Series metadata, $expected_series instances (series $series)

| what | median s | body bytes | runs, s |
|---|---:|---:|---|
| gateway, cold (each run a fresh AE: the series retrieved from the PACS, then metadata), $COLD_RUNS runs | $scold | $(tail -n1 "$WORK/series-cold" | cut -d' ' -f2) | $(runs "$WORK/series-cold") |
| Orthanc's own DICOMweb series metadata, interleaved with the cold runs | $sorth | $(tail -n1 "$WORK/series-orthanc" | cut -d' ' -f2) | $(runs "$WORK/series-orthanc") |
| the series' C-GET alone (getscu --ignore from the same Orthanc, interleaved): the floor of a cold read over DIMSE | $sget | - | $(runs "$WORK/series-get") |
| gateway, warm (AE $GATEWAY_AET, from the cache), median of $RUNS | $swarm | $(tail -n1 "$WORK/series-warm" | cut -d' ' -f2) | $(runs "$WORK/series-warm") |

cold / Orthanc's own: $(awk -v c="$scold" -v o="$sorth" 'BEGIN { printf "%.2f", c / o }') (median; target <= 1.2); the C-GET alone / Orthanc's own: $(awk -v c="$sget" -v o="$sorth" 'BEGIN { printf "%.2f", c / o }'); cold / the C-GET alone: $(awk -v c="$scold" -v o="$sget" 'BEGIN { printf "%.2f", c / o }'); cold run within 1.2x of the Orthanc run beside it: $met of $COLD_RUNS
TABLE
