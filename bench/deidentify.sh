#!/usr/bin/env bash
# De-identification benchmark (not a test): WADO-RS retrieval of one 500-instance study through ORTHANC (C-GET) versus
# the same study through ORTHANC-DEID (the same Orthanc de-identified: every instance's header read, de-identified and
# written again, the pixel data passed through). Prints a markdown table; results and the reading: docs/benchmarks.md
# ("De-identified WADO-RS"). Goal: the de-identified retrieval costs at most 15 % more time.
#
# It starts no gateway. Run the gateway and the test PACS first (scripts/run-gateway.sh, configured with
# wildfly-config/loopback-peers.cli, which has ORTHANC-DEID), then:
#     bench/deidentify.sh
#
# Environment (defaults in brackets):
#   GATEWAY_URL [http://127.0.0.1:8080/dicomweb]   RUNS [5]   WARMUP [3] untimed retrievals per AE
#   BIG_SET ["1 1 500"]  the sample set (scripts/samples.sh), loaded into ORTHANC when it lacks the study
#   BENCH_TMP   where the checked bodies go [/dev/shm if writable, else /tmp]
#   DEID_SECRET the gateway.deidentify.secret the gateway runs with [the one in wildfly-config/loopback-peers.cli]
#
# What is timed: wall clock around curl, body to /dev/null, the two AEs interleaved run by run. Before the timed runs
# one body of each AE is parsed (bench/multipart.py): the plain one must hold exactly the study's SOP Instance UIDs,
# the de-identified one as many distinct instances, none of those UIDs, and no epilogue (nothing refused). Each timed
# run must answer 200 with that body's size. Every curl call is bounded (BENCH_TIMEOUT_S, 300 s).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8080/dicomweb}"
GATEWAY_URL="${GATEWAY_URL%/}"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-3}"
BIG_SET="${BIG_SET:-1 1 500}"
BENCH_TIMEOUT_S="${BENCH_TIMEOUT_S:-300}"
PYTHON="${PYTHON:-python3}"
ACCEPT='multipart/related; type="application/dicom"; transfer-syntax=*'

die() { echo "deidentify.sh: $*" >&2; exit 1; }
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for tool in curl "$PYTHON"; do command -v "$tool" >/dev/null || die "$tool not found"; done
if [[ -z ${BENCH_TMP:-} ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then BENCH_TMP=/dev/shm; else BENCH_TMP=/tmp; fi
fi
WORK=$(mktemp -d "$BENCH_TMP/deidbench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

read -r studies series instances <<<"$BIG_SET"
SET_DIR="$ROOT/work/samples/${studies}x${series}x${instances}"
[[ -d $SET_DIR ]] || "$ROOT/scripts/samples.sh" gen "$studies" "$series" "$instances" >/dev/null
STUDY=$(ls "$SET_DIR" | head -1)
N=$(find "$SET_DIR/$STUDY" -name '*.dcm' | wc -l)
"$PYTHON" "$ROOT/bench/multipart.py" uids "$SET_DIR/$STUDY" >"$WORK/study.uids"
found=$(curl -s -o /dev/null --max-time 30 -w '%{http_code}' "$GATEWAY_URL/aets/ORTHANC/studies?StudyInstanceUID=$STUDY")
[[ $found == 200 ]] || "$ROOT/scripts/samples.sh" load "$studies" "$series" "$instances" ORTHANC >/dev/null

# The study's pseudonym, computed as the gateway does (docs/deidentification.md, "Pseudonyms") from the secret of
# wildfly-config/loopback-peers.cli (DEID_SECRET overrides it), then looked up at ORTHANC-DEID. Not "the ORTHANC-DEID
# study with as many instances": scripts/codec-samples.sh's jpeg-lossless-500 is the same study as JPEG lossless
# under other UIDs, and once a test stored it into ORTHANC that choice could take it, which Orthanc decompresses for
# the C-GET (2.7 s of Orthanc's CPU per retrieval) and the figure measured Orthanc's decoder, not the de-identification.
DEID_SECRET="${DEID_SECRET:-$(sed -n 's/.*key=gateway\.deidentify\.secret, value="\([^"]*\)".*/\1/p' \
  "$ROOT/wildfly-config/loopback-peers.cli")}"
[[ -n $DEID_SECRET ]] || die "no gateway.deidentify.secret in wildfly-config/loopback-peers.cli (set DEID_SECRET)"
PSEUDONYM=$("$PYTHON" -c '
import hashlib, hmac, sys
secret, aet, uid = sys.argv[1:4]
mac = hmac.new(secret.encode(), digestmod=hashlib.sha256)
for part in ("uid", aet, uid):
    mac.update(part.encode() + b"\0")
b = bytearray(mac.digest()[:16])
b[6] = b[6] & 0x0F | 0x80
b[8] = b[8] & 0x3F | 0x80
print("2.25." + str(int.from_bytes(b, "big")))
' "$DEID_SECRET" ORTHANC-DEID "$STUDY")
status=$(curl -s --max-time 120 -o "$WORK/studies.json" -w '%{http_code}' \
  "$GATEWAY_URL/aets/ORTHANC-DEID/studies?StudyInstanceUID=$PSEUDONYM&includefield=NumberOfStudyRelatedInstances")
[[ $status == 200 ]] || die "QIDO-RS at ORTHANC-DEID answered $status: $(head -c 300 "$WORK/studies.json")"
"$PYTHON" -c '
import json, sys
found = [s for s in json.load(open(sys.argv[2])) if str(s.get("00201208", {}).get("Value", [""])[0]) == sys.argv[1]]
sys.exit(0 if len(found) == 1 else 1)
' "$N" "$WORK/studies.json" || die "ORTHANC-DEID shows no study $PSEUDONYM of $N instances (the pseudonym of $STUDY)"

PLAIN="$GATEWAY_URL/aets/ORTHANC/studies/$STUDY"
DEID="$GATEWAY_URL/aets/ORTHANC-DEID/studies/$PSEUDONYM"

fetch() { # url out -> "status size seconds"
  local start end
  start=$(now)
  curl -s --max-time "$BENCH_TIMEOUT_S" -H "Accept: $ACCEPT" -o "$2" -w '%{http_code} %{size_download} ' "$1"
  end=$(now)
  secs "$start" "$end"
  echo
}

# Checked once each: complete bodies, the right instances.
for target in plain deid; do
  url=$PLAIN; [[ $target == deid ]] && url=$DEID
  type=$(curl -s --max-time "$BENCH_TIMEOUT_S" -H "Accept: $ACCEPT" -o "$WORK/$target.body" -w '%{content_type}' "$url")
  if [[ $target == plain ]]; then
    "$PYTHON" "$ROOT/bench/multipart.py" check "$WORK/$target.body" "$type" "$WORK/study.uids" >"$WORK/$target.check" \
      || die "the plain body is not the study's: $(cat "$WORK/$target.check")"
  else
    "$PYTHON" "$ROOT/bench/multipart.py" check "$WORK/$target.body" "$type" >"$WORK/$target.check" \
      || die "the de-identified body is incomplete: $(cat "$WORK/$target.check")"
    "$PYTHON" - "$WORK/$target.check" "$N" <<'PY' || die "the de-identified body: $(cat "$WORK/deid.check")"
import json, sys
c = json.load(open(sys.argv[1]))
sys.exit(0 if c["distinct"] == int(sys.argv[2]) and not c.get("epilogue") else 1)
PY
    if grep -qF -f "$WORK/study.uids" "$WORK/$target.body"; then die "an original SOP Instance UID in the de-identified body"; fi
  fi
  stat -c %s "$WORK/$target.body" >"$WORK/$target.size"
  rm -f "$WORK/$target.body"
done

for ((i = 0; i < WARMUP; i++)); do fetch "$PLAIN" /dev/null >/dev/null; fetch "$DEID" /dev/null >/dev/null; done
: >"$WORK/plain.times"; : >"$WORK/deid.times"
for ((i = 0; i < RUNS; i++)); do
  for target in plain deid; do
    url=$PLAIN; [[ $target == deid ]] && url=$DEID
    read -r status size seconds < <(fetch "$url" /dev/null)
    [[ $status == 200 && $size == "$(cat "$WORK/$target.size")" ]] || die "$target run $i: HTTP $status, $size bytes"
    echo "$seconds" >>"$WORK/$target.times"
  done
done

p=$(median <"$WORK/plain.times"); d=$(median <"$WORK/deid.times")
bytes_plain=$(cat "$WORK/plain.size"); bytes_deid=$(cat "$WORK/deid.size")
echo "study: $STUDY ($N instances), pseudonym $PSEUDONYM; $RUNS runs after $WARMUP warm-ups each, interleaved"
echo
echo "| what | median s | MB/s | runs, s |"
echo "|---|---:|---:|---|"
echo "| WADO-RS study, ORTHANC (C-GET) | $p | $(awk -v b="$bytes_plain" -v s="$p" 'BEGIN { printf "%.0f", b / 1e6 / s }') | $(paste -sd, "$WORK/plain.times" | sed 's/,/, /g') |"
echo "| WADO-RS study, ORTHANC-DEID (the same, de-identified) | $d | $(awk -v b="$bytes_deid" -v s="$d" 'BEGIN { printf "%.0f", b / 1e6 / s }') | $(paste -sd, "$WORK/deid.times" | sed 's/,/, /g') |"
echo
awk -v p="$p" -v d="$d" 'BEGIN { printf "cost of de-identification: %+.1f %% of the plain retrieval time (goal <= 15 %%)\n", (d / p - 1) * 100 }'
