#!/usr/bin/env bash
# STOW-RS benchmark (not a test): storing one study of 100 CT-like instances into Orthanc through the gateway (one
# POST of 100 parts; the gateway stores gateway.stow.parallel-stores = 4 at a time over C-STORE) versus dcmtk storescu
# direct (one association) versus Orthanc's own STOW-RS. Prints a markdown table; results and the reading:
# docs/benchmarks.md ("STOW-RS").
#
# It starts no gateway. Run the gateway and Orthanc first (scripts/run-gateway.sh in another terminal, or a WildFly of
# your own; see docs/benchmarks.md), then:
#     bench/stow.sh
#
# Environment (defaults in brackets):
#   GATEWAY_URL [http://127.0.0.1:8080/dicomweb]  GATEWAY_AET [ORTHANC] (the gateway's name for the PACS)
#   GATEWAY_PID the gateway's JVM, for its CPU time [the process listening on GATEWAY_URL's port]
#   ORTHANC_DICOM_PORT [14242]  ORTHANC_HTTP_PORT [18042]
#   RUNS [5]  WARMUP [4] untimed rounds first (a fresh WildFly needs ~8 uploads for its JIT)  INSTANCES [100]
#   KEEP_STORED [0]: 1 keeps the stored studies in Orthanc; by default the studies this run stored (and only those,
#               found by their new UIDs) are deleted from Orthanc at the end (DELETE /studies/{id}), so that repeated
#               runs do not grow the shared test PACS by ~150 MB each
#   BENCH_TMP   where the generated files and bodies go [/dev/shm if writable, else /tmp]
#   PARALLEL_STORES [4] only for the table's label: the gateway's gateway.stow.parallel-stores
#
# Data: stored UIDs must be new (Orthanc answers an already stored instance without storing it again), so every
# (target, round) stores a study of its own: 3 x (RUNS + WARMUP) fresh studies of INSTANCES CT-like instances
# (~0.5 MB each) are generated before anything is timed, with scripts/GenerateStudies.java (new UIDs every time).
# The multipart body of each HTTP upload is written to a file before its timed part (bench/multipart.py build), and
# posted with curl --data-binary @file (curl reads the file into memory first: inside the timing, ~20 ms for 50 MB
# on tmpfs) and "Expect:" emptied (no 100-continue round trip).
#
# Orthanc 1.10 serves at most DicomThreadsCount (4) associations at once: storescu is started only once the gateway
# has released its idle pooled associations to Orthanc (up to gateway.aet.ORTHANC.idle-timeout-ms, 15 s, untimed;
# needs ss -p access to the gateway's process), otherwise it is slowed to a few C-STOREs per second.
#
# What is timed: wall clock around the client process (curl or storescu, a few ms of process start included).
# Checked for every run: HTTP 200 with INSTANCES ReferencedSOPSequence items and no FailedSOPSequence (STOW), every
# C-STORE response Success (storescu, whose exit code says nothing with -nh), and afterwards Orthanc's own count of
# the study's instances (REST /tools/lookup + /studies/{id}/statistics).
#
# Bounded: each upload times out after BENCH_TIMEOUT_S (300 s); a run takes about 5 minutes (mostly the waits for
# the gateway to release its associations, ~1 minute per round).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8080/dicomweb}"
GATEWAY_URL="${GATEWAY_URL%/}"
GATEWAY_AET="${GATEWAY_AET:-ORTHANC}"
ORTHANC_DICOM_PORT="${ORTHANC_DICOM_PORT:-14242}"
ORTHANC_HTTP_PORT="${ORTHANC_HTTP_PORT:-18042}"
ORTHANC_URL="http://127.0.0.1:$ORTHANC_HTTP_PORT"
RUNS="${RUNS:-5}"
PARALLEL_STORES="${PARALLEL_STORES:-4}"
WARMUP="${WARMUP:-4}"
INSTANCES="${INSTANCES:-100}"
KEEP_STORED="${KEEP_STORED:-0}"
BENCH_TIMEOUT_S="${BENCH_TIMEOUT_S:-300}"
PIXELMED_JAR="${PIXELMED_JAR:-/usr/share/java/pixelmed.jar}"
PYTHON="${PYTHON:-python3}"
# dcmtk and Orthanc only disable Nagle when this is set (see /work/shared/notes/test-peers.md).
export TCP_NODELAY=1

die() { echo "stow.sh: $*" >&2; exit 1; }
note() { echo "stow.sh: $*" >&2; }
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

for tool in java curl storescu echoscu "$PYTHON"; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
[[ -r $PIXELMED_JAR ]] || die "PixelMed not found at $PIXELMED_JAR (apt-get install libpixelmed-java)"
echoscu -to 3 -ta 5 -td 5 -aet STOWBENCH -aec ORTHANC 127.0.0.1 "$ORTHANC_DICOM_PORT" >/dev/null 2>&1 \
  || die "Orthanc does not answer C-ECHO on 127.0.0.1:$ORTHANC_DICOM_PORT (scripts/peers.sh start)"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$ORTHANC_URL/system") || code=000
[[ $code == 200 ]] || die "Orthanc's REST API $ORTHANC_URL answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$GATEWAY_URL/aets/$GATEWAY_AET") || code=000
[[ $code == 200 ]] || die "GET $GATEWAY_URL/aets/$GATEWAY_AET (C-ECHO through the gateway) answered $code"

if [[ -z ${GATEWAY_PID:-} ]]; then
  gw_port=$(sed -E 's#^[a-z]+://[^:/]+:([0-9]+).*#\1#' <<<"$GATEWAY_URL")
  [[ $gw_port =~ ^[0-9]+$ ]] || gw_port=80
  GATEWAY_PID=$(ss -ltnpH "sport = :$gw_port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)
fi
ORTHANC_PID=$(cat "$ROOT/work/peers/orthanc/pid" 2>/dev/null || true)
cpu_ticks() { if [[ -n $1 && -r /proc/$1/stat ]]; then awk '{ print $14 + $15 }' "/proc/$1/stat"; else echo 0; fi; }

if [[ -z ${BENCH_TMP:-} ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then BENCH_TMP=/dev/shm; else BENCH_TMP=/tmp; fi
fi
WORK=$(mktemp -d "$BENCH_TMP/stowbench.XXXXXX")
STORED=()    # study UIDs this run stored somewhere
cleanup() {
  if [[ $KEEP_STORED != 1 && ${#STORED[@]} -gt 0 ]]; then
    local n=0 id
    for uid in "${STORED[@]}"; do
      id=$(orthanc_id "$uid" || true)
      [[ -n $id ]] && curl -s -o /dev/null -X DELETE "$ORTHANC_URL/studies/$id" && n=$((n + 1))
    done
    note "deleted the $n studies this run stored from Orthanc (KEEP_STORED=1 keeps them)"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

orthanc_id() {   # study UID -> Orthanc's study ID (empty if absent)
  curl -s --max-time 10 -X POST --data-binary "$1" "$ORTHANC_URL/tools/lookup" \
    | "$PYTHON" -c 'import json, sys; print(next((r["ID"] for r in json.load(sys.stdin) if r.get("Type") == "Study"), ""))'
}
orthanc_count() {   # study UID -> instances Orthanc holds
  local id; id=$(orthanc_id "$1")
  [[ -n $id ]] || { echo 0; return; }
  curl -s --max-time 10 "$ORTHANC_URL/studies/$id/statistics" \
    | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["CountInstances"])'
}

# ---- data: one fresh study per (target, round), generated before anything is timed ----
TARGETS=(gateway storescu orthanc)
declare -A LABEL=(
  [gateway]="gateway STOW-RS -> $GATEWAY_AET (one POST of $INSTANCES parts; C-STORE, $PARALLEL_STORES in parallel)"
  [storescu]="dcmtk storescu -> Orthanc (C-STORE, one association)"
  [orthanc]="Orthanc's own STOW-RS (one POST of $INSTANCES parts)"
)
nstudies=$(( ${#TARGETS[@]} * (RUNS + WARMUP) ))
note "generating $nstudies fresh studies of $INSTANCES instances in $WORK/gen"
java -cp "$PIXELMED_JAR" "$ROOT/scripts/GenerateStudies.java" "$WORK/gen" "$nstudies" 1 "$INSTANCES" >&2
mapfile -t STUDIES < <(find "$WORK/gen" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
[[ ${#STUDIES[@]} -eq $nstudies ]] || die "generated ${#STUDIES[@]} studies, wanted $nstudies"
STUDY_BYTES=$(find "$WORK/gen/${STUDIES[0]}" -name '*.dcm' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
next_study=0

# Orthanc 1.10 serves at most DicomThreadsCount (default 4) associations at once and steps through the others with
# ~1 s waits: while the gateway keeps its pooled C-STORE associations open (idle up to idle-timeout-ms, 15 s), a
# storescu association to the same Orthanc gets a few C-STOREs answered between ~1 s pauses (100 instances: 60 s
# instead of 0.3 s; see docs/benchmarks.md). So storescu runs only once the gateway holds no association to Orthanc.
WAITS=""
wait_gateway_released() {
  local t0 n
  [[ -n $GATEWAY_PID ]] || return 0
  t0=$(now)
  for _ in $(seq 240); do
    n=$(ss -tnpH state established "( dport = :$ORTHANC_DICOM_PORT )" 2>/dev/null | grep -c "pid=$GATEWAY_PID," || true)
    [[ $n -eq 0 ]] && break
    sleep 0.5
  done
  [[ $n -eq 0 ]] || die "the gateway still holds $n associations to Orthanc after 120 s"
  WAITS+="$(secs "$t0" "$(now)") "
}

declare -A TIMES GWCPU PACSCPU
# One timed upload of a fresh study; dies on any failure or wrong count.
run_target() {   # target
  local t=$1 uid dir body ct t0 t1 rc=0 out code refs fails ok g0 g1 p0 p1 have
  uid=${STUDIES[$next_study]}; next_study=$((next_study + 1))
  dir="$WORK/gen/$uid"
  if [[ $t != storescu ]]; then
    body="$WORK/body"
    ct=$("$PYTHON" "$ROOT/bench/multipart.py" build "$body" "$dir")
  fi
  STORED+=("$uid")
  [[ $t == storescu ]] && wait_gateway_released
  g0=$(cpu_ticks "$GATEWAY_PID"); p0=$(cpu_ticks "$ORTHANC_PID")
  case $t in
    gateway|orthanc)
      local url="$GATEWAY_URL/aets/$GATEWAY_AET/studies"
      [[ $t == orthanc ]] && url="$ORTHANC_URL/dicom-web/studies"
      t0=$(now)
      out=$(curl -sS -o "$WORK/response.json" -w '%{http_code}' --max-time "$BENCH_TIMEOUT_S" -X POST \
            -H "Content-Type: $ct" -H 'Accept: application/dicom+json' -H 'Expect:' \
            --data-binary @"$body" "$url") || rc=$?
      t1=$(now)
      code=$out
      read -r refs fails <<<"$("$PYTHON" "$ROOT/bench/multipart.py" stow-response "$WORK/response.json" || echo "0 0")"
      [[ $rc -eq 0 && $code == 200 && $refs -eq $INSTANCES && $fails -eq 0 ]] \
        || die "$t: curl exit $rc, HTTP $code, $refs stored, $fails failed: $(head -c 400 "$WORK/response.json")"
      rm -f "$body" "$WORK/response.json";;
    storescu)
      t0=$(now)
      timeout "$BENCH_TIMEOUT_S" storescu -v -aet STOWBENCH -aec ORTHANC +sd +r +sp '*.dcm' -nh \
        127.0.0.1 "$ORTHANC_DICOM_PORT" "$dir" >"$WORK/storescu.log" 2>&1 || rc=$?
      t1=$(now)
      ok=$(grep -c -E '^I: Received Store Response \(Success' "$WORK/storescu.log" || true)
      [[ $rc -eq 0 && $ok -eq $INSTANCES ]] \
        || die "storescu: exit $rc, $ok/$INSTANCES Success: $(grep -E '^(E|F):|Store Response' "$WORK/storescu.log" | grep -v Success | head -n 5)";;
  esac
  g1=$(cpu_ticks "$GATEWAY_PID"); p1=$(cpu_ticks "$ORTHANC_PID")
  have=$(orthanc_count "$uid")
  [[ $have -eq $INSTANCES ]] || die "$t: Orthanc holds $have of the $INSTANCES instances of study $uid"
  TIMES[$t]+="$(secs "$t0" "$t1") "
  GWCPU[$t]+="$(( g1 - g0 )) "; PACSCPU[$t]+="$(( p1 - p0 )) "
}

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "stow.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "gateway $GATEWAY_URL (AE $GATEWAY_AET, JVM pid ${GATEWAY_PID:-unknown}), Orthanc 127.0.0.1:$ORTHANC_DICOM_PORT / $ORTHANC_URL; files and bodies in $BENCH_TMP"
for r in $(seq "$WARMUP"); do
  for t in "${TARGETS[@]}"; do run_target "$t"; done
  note "warm-up round $r/$WARMUP done"
done
TIMES=(); GWCPU=(); PACSCPU=()
for r in $(seq "$RUNS"); do
  for t in "${TARGETS[@]}"; do run_target "$t"; done
  note "round $r/$RUNS done"
done

echo
echo "### STOW of one study, $INSTANCES instances ($(awk -v b="$STUDY_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB), into Orthanc, median of $RUNS"
echo
echo "| what | median s | instances/s | MB/s | runs, s | gateway JVM CPU s | Orthanc CPU s |"
echo "|---|---:|---:|---:|---|---:|---:|"
declare -A MED
for t in "${TARGETS[@]}"; do
  m=$(median "${TIMES[$t]}"); MED[$t]=$m
  printf '| %s | %.3f | %.0f | %.0f | %s | %.2f | %.2f |\n' "${LABEL[$t]}" "$m" \
    "$(awk -v n="$INSTANCES" -v s="$m" 'BEGIN { print n / s }')" "$(awk -v b="$STUDY_BYTES" -v s="$m" 'BEGIN { print b / 1e6 / s }')" \
    "$(sed 's/ $//; s/ /, /g' <<<"${TIMES[$t]}")" \
    "$(awk -v s="$(median "${GWCPU[$t]}")" 'BEGIN { print s / 100 }')" "$(awk -v s="$(median "${PACSCPU[$t]}")" 'BEGIN { print s / 100 }')"
done
echo
echo "throughput ratio gateway / storescu: $(awk -v g="${MED[gateway]}" -v d="${MED[storescu]}" 'BEGIN { printf "%.2f", d / g }') (target >= 0.8); gateway / Orthanc STOW-RS: $(awk -v g="${MED[gateway]}" -v d="${MED[orthanc]}" 'BEGIN { printf "%.2f", d / g }')"
echo "CPU seconds per upload (median, /proc/<pid>/stat, 10 ms resolution); $(nproc) cores."
echo "Before each storescu run the script waited for the gateway to release its idle associations to Orthanc (idle-timeout-ms), untimed: $(sed 's/ $//; s/ /, /g' <<<"$WAITS") s; so each gateway upload after the first of a round opened new associations."
echo
echo "stow.sh: done $(date -u +%Y-%m-%dT%H:%M:%SZ)"
