#!/usr/bin/env bash
# Transcoding benchmark (not a test): the 500-instance JPEG lossless study (scripts/codec-samples.sh's
# work/samples/codecs/jpeg-lossless-500, SV1, 512x512x16-bit CT) stored into an S3 AE, retrieved through WADO-RS as
# Explicit VR Little Endian (the gateway fetches what is stored and decodes every frame as it streams), against
# dcmtk's dcmdjpeg decompressing the same 500 files as processes, one after the other and NPROC at a time. Also the
# same retrieval as held (transfer-syntax=*), which is what the gateway costs without decoding. MB/s are of native
# output (the bytes the client or dcmdjpeg writes). Prints a markdown table; results and the reading:
# docs/benchmarks.md ("Transcoding on retrieve: JPEG lossless to native").
#
# It starts no gateway. Run the gateway and the test peers first (scripts/run-gateway.sh in another terminal, or a
# WildFly of your own with wildfly-config/loopback-peers.cli, which has the S3 AE), then:
#     bench/transcode.sh
# The study is stored into the AE through the gateway's STOW-RS when a QIDO-RS does not find its 500 instances there.
#
# Environment (defaults in brackets):
#   GATEWAY_URL [http://127.0.0.1:8080/dicomweb]  AET [S3]  RUNS [3]  WARMUP [2] untimed retrievals (JIT)
#   NPROC [nproc]  dcmdjpeg processes at a time in the parallel row
#   BENCH_TMP   where dcmdjpeg writes [/dev/shm if writable, else /tmp]
#   BENCH_TIMEOUT_S [300]  bound of every client call
#
# What is timed: wall clock around each client (curl to /dev/null; the loop of dcmdjpeg processes writing into
# BENCH_TMP, their outputs removed outside the timing). Every gateway body is first checked once (500 parts, each
# application/dicom in the asked syntax, closing delimiter, no epilogue) and every timed one must have the same size.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8080/dicomweb}"
GATEWAY_URL="${GATEWAY_URL%/}"
AET="${AET:-S3}"
RUNS="${RUNS:-3}"
WARMUP="${WARMUP:-2}"
NPROC="${NPROC:-$(nproc)}"
BENCH_TIMEOUT_S="${BENCH_TIMEOUT_S:-300}"
PYTHON="${PYTHON:-python3}"
EXPLICIT_LE=1.2.840.10008.1.2.1
STUDY_DIR="$ROOT/work/samples/codecs/jpeg-lossless-500"

die() { echo "transcode.sh: $*" >&2; exit 1; }
note() { echo "transcode.sh: $*" >&2; }
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
mbps() { awk -v bytes="$1" -v s="$2" 'BEGIN { printf "%.1f", bytes / 1e6 / s }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for tool in curl dcmdjpeg dcmdump xargs "$PYTHON"; do
  command -v "$tool" >/dev/null || die "$tool not found (dcmtk: apt-get install dcmtk)"
done
scripts/codec-samples.sh >/dev/null
files=$(find "$STUDY_DIR" -name '*.dcm' | wc -l)
(( files == 500 )) || die "$STUDY_DIR has $files instances, not 500 (scripts/codec-samples.sh)"
if [[ -z ${BENCH_TMP:-} ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then BENCH_TMP=/dev/shm; else BENCH_TMP=/tmp; fi
fi
WORK=$(mktemp -d "$BENCH_TMP/transcodebench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$GATEWAY_URL/aets/$AET") || code=000
[[ $code == 200 ]] || die "GET $GATEWAY_URL/aets/$AET answered $code: is the gateway up, with wildfly-config/loopback-peers.cli?"

# ---- the study, stored into the AE through the gateway's STOW-RS unless it is there ----
first=$(find "$STUDY_DIR" -name '*.dcm' | sort | head -n 1)
uid_of() { dcmdump -q +P "$1" "$2" | sed -E 's/.*\[([0-9.]+)\].*/\1/' | head -n 1; }
STUDY=$(uid_of 0020,000d "$first")
[[ -n $STUDY ]] || die "no Study Instance UID in $first"
held=$(curl -s --max-time 60 "$GATEWAY_URL/aets/$AET/studies/$STUDY/instances?includefield=00080018" \
  | grep -o '"00080018"' | wc -l || true)
if (( held != 500 )); then
  note "storing the study into $AET (it has $held of its instances)"
  ct=$("$PYTHON" bench/multipart.py build "$WORK/body" "$STUDY_DIR")
  out=$(curl -sS -o "$WORK/stow.json" -w '%{http_code}' --max-time "$BENCH_TIMEOUT_S" -X POST -H "Content-Type: $ct" \
        -H 'Accept: application/dicom+json' -H 'Expect:' --data-binary @"$WORK/body" "$GATEWAY_URL/aets/$AET/studies") \
    || out=curl-failed
  rm -f "$WORK/body"
  read -r refs fails <<<"$("$PYTHON" bench/multipart.py stow-response "$WORK/stow.json" 2>/dev/null || echo "0 0")"
  [[ $out == 200 && $refs -eq 500 && $fails -eq 0 ]] || die "STOW-RS: HTTP $out, $refs of 500 referenced, $fails failed"
fi

# ---- the gateway: checked once, warmed up, then timed ----
retrieve() {   # accept, output file -> "seconds bytes"; dies unless 200
  local t0 t1 out
  t0=$(now)
  out=$(curl -sS -o "$2" -w '%{http_code} %{size_download} %header{content-type}' --max-time "$BENCH_TIMEOUT_S" \
        -H "Accept: $1" "$GATEWAY_URL/aets/$AET/studies/$STUDY") || out=curl-failed
  t1=$(now)
  [[ ${out%% *} == 200 ]] || die "WADO-RS ($1) answered $out"
  RETRIEVED_TYPE=${out#* * }
  echo "$(secs "$t0" "$t1") $(cut -d' ' -f2 <<<"$out")"
}
declare -A SIZE ROWS
for syntax in "$EXPLICIT_LE" '*'; do
  accept="multipart/related; type=\"application/dicom\"; transfer-syntax=$syntax"
  retrieve "$accept" "$WORK/body" >/dev/null
  check=$("$PYTHON" bench/multipart.py check "$WORK/body" "$RETRIEVED_TYPE") || die "body ($syntax) incomplete: $check"
  grep -q '"parts": 500' <<<"$check" || die "body ($syntax) has not 500 parts: $check"
  grep -q '"epilogue": ""' <<<"$check" || die "body ($syntax) has an epilogue: $check"
  if [[ $syntax == "$EXPLICIT_LE" ]]; then
    parts=$(grep -ac "^Content-Type: application/dicom; transfer-syntax=$EXPLICIT_LE" "$WORK/body" || true)
    (( parts == 500 )) || die "$parts of 500 parts are $EXPLICIT_LE"
  fi
  SIZE[$syntax]=$(stat -c %s "$WORK/body")
  rm -f "$WORK/body"
  for _ in $(seq "$WARMUP"); do retrieve "$accept" /dev/null >/dev/null; done
  times=()
  for _ in $(seq "$RUNS"); do
    read -r s bytes <<<"$(retrieve "$accept" /dev/null)"
    (( bytes == SIZE[$syntax] )) || die "a timed body ($syntax) had $bytes bytes, not ${SIZE[$syntax]}"
    times+=("$s")
  done
  ROWS[$syntax]=$(printf '%s\n' "${times[@]}" | median)
done

# ---- dcmdjpeg on the same files, as processes ----
decompress() {   # parallelism -> seconds (outputs kept until the size is read)
  local t0 t1
  rm -rf "$WORK/out" && mkdir "$WORK/out"
  t0=$(now)
  find "$STUDY_DIR" -name '*.dcm' -print0 | timeout "$BENCH_TIMEOUT_S" xargs -0 -P "$1" -I{} \
    sh -c 'dcmdjpeg "$1" "$2/$(basename "$1")"' _ {} "$WORK/out" || die "dcmdjpeg failed"
  t1=$(now)
  secs "$t0" "$t1"
}
declare -A DJ
for p in 1 "$NPROC"; do
  decompress "$p" >/dev/null   # warm the page cache
  times=()
  for _ in $(seq "$RUNS"); do times+=("$(decompress "$p")"); done
  DJ[$p]=$(printf '%s\n' "${times[@]}" | median)
done
(( $(find "$WORK/out" -name '*.dcm' | wc -l) == 500 )) || die "dcmdjpeg did not write 500 files"
dj_bytes=$(find "$WORK/out" -name '*.dcm' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
rm -rf "$WORK/out"

native=${SIZE[$EXPLICIT_LE]}
gw=$(mbps "$native" "${ROWS[$EXPLICIT_LE]}")
dj1=$(mbps "$dj_bytes" "${DJ[1]}")
echo
echo "500 instances, JPEG lossless SV1 held in $AET; native output: gateway body $native bytes, dcmdjpeg files $dj_bytes bytes; median of $RUNS runs"
echo
echo "| what | seconds | MB/s of native output | vs dcmdjpeg (1 process at a time) |"
echo "|---|---|---|---|"
echo "| gateway WADO-RS, transfer-syntax=$EXPLICIT_LE (decoded on the way) | ${ROWS[$EXPLICIT_LE]} | $gw | $(awk -v a="$gw" -v b="$dj1" 'BEGIN { printf "%.2fx", a / b }') |"
echo "| gateway WADO-RS, transfer-syntax=* (as held, ${SIZE['*']} bytes) | ${ROWS['*']} | – | – |"
echo "| dcmdjpeg, 500 processes, 1 at a time | ${DJ[1]} | $dj1 | 1.00x |"
djn=$(mbps "$dj_bytes" "${DJ[$NPROC]}")
echo "| dcmdjpeg, 500 processes, $NPROC at a time | ${DJ[$NPROC]} | $djn | $(awk -v a="$djn" -v b="$dj1" 'BEGIN { printf "%.2fx", a / b }') |"
