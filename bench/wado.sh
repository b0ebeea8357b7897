#!/usr/bin/env bash
# WADO-RS retrieval benchmark (not a test): the gateway's study retrieval (C-GET and C-MOVE) versus the same DIMSE
# retrieval done directly with dcmtk, and versus Orthanc's own DICOMweb, on loopback. Then the gateway JVM's heap
# high-water for a 50- versus a 500-instance study, and 20 concurrent retrievals from two PACS. Then a repeat read
# served from the gateway's study cache versus Orthanc's own DICOMweb, and cold reads (each through an AE the gateway
# never had, so nothing is cached: bench/cold-aes.sh) versus getscu. Prints markdown tables; results and the reading:
# docs/benchmarks.md ("WADO-RS retrieval", "WADO-RS from the study cache").
#
# It starts no gateway. Run the gateway and the test PACS first (scripts/run-gateway.sh in another terminal, or a
# WildFly of your own; see docs/benchmarks.md), then:
#     bench/wado.sh
# The gateway must be configured with wildfly-config/loopback-peers.cli (AEs ORTHANC = C-GET, ORTHANC-MOVE = the same
# Orthanc by C-MOVE routed by Move Originator, DCMQRSCP = C-MOVE routed by instance UIDs), and its Storage SCP must be
# the C-MOVE destination DICOMWEB that both PACS know (127.0.0.1:11112, see scripts/peers.sh).
#
# Environment (defaults in brackets):
#   GATEWAY_URL        [http://127.0.0.1:8080/dicomweb]
#   GATEWAY_PID        the gateway's JVM, for jstat/jcmd [the process listening on GATEWAY_URL's port]
#   ORTHANC_DICOM_PORT [14242]  ORTHANC_HTTP_PORT [18042]  DCMQRSCP_PORT [11113]
#   STORESCP_PORT      [11119]: a dcmtk storescp runs there (AE STORESCP) for the direct C-MOVE rows; must be free
#   RUNS [3]  WARMUP [2] untimed retrievals of the big study per gateway target (a fresh WildFly needs its JIT)
#   BIG_SET ["1 1 500"]  SMALL_SET ["1 1 50"]  CONC_SET ["2 2 10"]   sample sets (scripts/samples.sh), loaded into
#                      the PACS when a C-FIND does not find all their instances there
#   CONC_CLIENTS [10]  clients per PACS in the concurrent part (CONC_CLIENTS x ORTHANC C-GET + as many x DCMQRSCP
#                      C-MOVE, each retrieving one study of CONC_SET, study i mod number of studies)
#   CONC_AETS ["ORTHANC DCMQRSCP"]  the two gateway AEs of the concurrent part (e.g. "ORTHANC ORTHANC-MOVE")
#   JSTAT_MS [20]      jstat sampling interval during the heap probes
#   PARTS              which parts to run, any of "throughput heap concurrent repeat cold" [all five]
#   REPEAT_RUNS [5]    timed rounds of the repeat part (gateway from its cache, Orthanc's own DICOMweb, interleaved)
#   COLD_RUNS [5]      timed rounds of the cold part (a fresh AE per gateway run, getscu into files, --ignore)
#   JBOSS_CLI, MANAGEMENT [127.0.0.1:9990]   the CLI and management address the cold part adds its AEs with
#   PIN_PACS=1         the PACS (Orthanc, dcmqrscp) on CPU 0, the gateway and every client on the other CPUs
#                      (taskset; as when the PACS runs on a host of its own), all CPUs again at the end
#   MAX_PDU [65536]    the maximum PDU the dcmtk receivers (getscu, storescp) announce
#   BENCH_TMP          where temporary files go [/dev/shm if writable, else /tmp]
#
# What is timed: wall clock around each client process (curl, getscu, movescu), so process start-up (a few ms) is
# included everywhere. HTTP bodies go to /dev/null; each HTTP target is first checked once (body parsed: parts,
# closing delimiter, SOP Instance UIDs exactly the study's), and every timed run must answer 200 with the same body
# size. getscu writes into a temporary directory (removed after each run, outside the timing) or, in an extra row,
# receives with --ignore; storescp (for movescu) likewise writes into a temporary directory or runs with --ignore.
# Counts are checked for every dcmtk run (files written, or "Completed Suboperations" / storescp's log lines).
# dcmtk receivers run with TCP_NODELAY=1 and a maximum PDU of 65536 (the gateway's default).
#
# With the study cache serving WADO-RS (issue 18), the throughput part's ORTHANC rows read a study that its first
# read left in the cache; the cold part is the PACS path, the repeat part the cached one. A retrieval served from the
# cache declares its Content-Length (the repeat part requires it, equal to the bytes received); a cold one streams
# chunked (the cold part requires that: a Content-Length there would mean the cache answered).
#
# Bounded: every client call has a timeout (BENCH_TIMEOUT_S, 300 s); a full run took 75 s on a quiet
# 2-core machine (the first run also loads ~300 MB of samples into both PACS).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8080/dicomweb}"
GATEWAY_URL="${GATEWAY_URL%/}"
ORTHANC_DICOM_PORT="${ORTHANC_DICOM_PORT:-14242}"
ORTHANC_HTTP_PORT="${ORTHANC_HTTP_PORT:-18042}"
DCMQRSCP_PORT="${DCMQRSCP_PORT:-11113}"
STORESCP_PORT="${STORESCP_PORT:-11119}"
RUNS="${RUNS:-3}"
WARMUP="${WARMUP:-2}"
BIG_SET="${BIG_SET:-1 1 500}"
SMALL_SET="${SMALL_SET:-1 1 50}"
CONC_SET="${CONC_SET:-2 2 10}"
CONC_CLIENTS="${CONC_CLIENTS:-10}"
read -r CA1 CA2 <<<"${CONC_AETS:-ORTHANC DCMQRSCP}"
[[ -n $CA1 && -n $CA2 ]] || { echo "wado.sh: CONC_AETS must name two AEs" >&2; exit 2; }
JSTAT_MS="${JSTAT_MS:-20}"
PARTS="${PARTS:-throughput heap concurrent repeat cold}"
REPEAT_RUNS="${REPEAT_RUNS:-5}"
COLD_RUNS="${COLD_RUNS:-5}"
BENCH_TIMEOUT_S="${BENCH_TIMEOUT_S:-300}"
PYTHON="${PYTHON:-python3}"
ACCEPT='multipart/related; type="application/dicom"; transfer-syntax=*'
MAX_PDU="${MAX_PDU:-65536}"   # the dcmtk receivers' (getscu, storescp) maximum PDU; 65536 is the gateway's default
# dcmtk and Orthanc only disable Nagle when this is set (see /work/shared/notes/test-peers.md).
export TCP_NODELAY=1

die() { echo "wado.sh: $*" >&2; exit 1; }
note() { echo "wado.sh: $*" >&2; }
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

# ---- prerequisites ----
for tool in java curl getscu movescu storescp findscu echoscu "$PYTHON"; do
  command -v "$tool" >/dev/null || die "$tool not found (dcmtk: apt-get install dcmtk)"
done
if [[ -z ${BENCH_TMP:-} ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then BENCH_TMP=/dev/shm; else BENCH_TMP=/tmp; fi
fi
WORK=$(mktemp -d "$BENCH_TMP/wadobench.XXXXXX")
STORESCP_PID=""
JSTAT_PID=""
# shellcheck source=bench/cold-aes.sh
source "$ROOT/bench/cold-aes.sh"
PINNED=""   # pids pinned by PIN_PACS, unpinned at exit
cleanup() {
  for p in $PINNED; do taskset -a -p -c "0-$(( $(nproc) - 1 ))" "$p" >/dev/null 2>&1 || true; done
  if [[ -n $STORESCP_PID ]]; then kill "$STORESCP_PID" 2>/dev/null || true; fi
  if [[ -n $JSTAT_PID ]]; then kill "$JSTAT_PID" 2>/dev/null || true; fi
  cold_aes_remove
  rm -rf "$WORK"
}
trap cleanup EXIT

echo_ok() { echoscu -to 3 -ta 5 -td 5 -aet WADOBENCH -aec "$1" 127.0.0.1 "$2" >/dev/null 2>&1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
echo_ok ORTHANC "$ORTHANC_DICOM_PORT" || die "Orthanc does not answer C-ECHO on 127.0.0.1:$ORTHANC_DICOM_PORT (scripts/peers.sh start)"
echo_ok DCMQRSCP "$DCMQRSCP_PORT" || die "dcmqrscp does not answer C-ECHO on 127.0.0.1:$DCMQRSCP_PORT (scripts/peers.sh start)"
for a in ORTHANC ORTHANC-MOVE DCMQRSCP; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$GATEWAY_URL/aets/$a") || code=000
  [[ $code == 200 ]] || die "GET $GATEWAY_URL/aets/$a (C-ECHO through the gateway) answered $code: is the gateway up, with wildfly-config/loopback-peers.cli?"
done
# ORTHANC-WEB: the same Orthanc through the gateway's DICOMweb proxy backend; a gateway without it (an older build)
# is measured without that row.
PROXY_TARGETS=()
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$GATEWAY_URL/aets/ORTHANC-WEB") || code=000
if [[ $code == 200 ]]; then PROXY_TARGETS=(gw-proxy); else note "no AE ORTHANC-WEB on the gateway ($code): no proxy row"; fi
port_open "$STORESCP_PORT" && die "port $STORESCP_PORT (STORESCP) is in use: the direct C-MOVE rows need it"

if [[ -z ${GATEWAY_PID:-} ]]; then
  gw_port=$(sed -E 's#^[a-z]+://[^:/]+:([0-9]+).*#\1#' <<<"$GATEWAY_URL")
  [[ $gw_port =~ ^[0-9]+$ ]] || gw_port=80
  GATEWAY_PID=$(ss -ltnpH "sport = :$gw_port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)
fi
ORTHANC_PID=$(cat "$ROOT/work/peers/orthanc/pid" 2>/dev/null || true)
if [[ ${PIN_PACS:-} == 1 ]]; then
  command -v taskset >/dev/null || die "PIN_PACS needs taskset (util-linux)"
  last_cpu=$(( $(nproc) - 1 ))
  (( last_cpu >= 1 )) || die "PIN_PACS needs at least 2 CPUs"
  DCMQRSCP_PID=$(cat "$ROOT/work/peers/dcmqrscp/pid" 2>/dev/null || true)
  [[ -n ${GATEWAY_PID:-} && -n $ORTHANC_PID ]] || die "PIN_PACS needs the gateway's and Orthanc's pids"
  PINNED="$ORTHANC_PID ${DCMQRSCP_PID:-} $GATEWAY_PID"
  for p in $ORTHANC_PID ${DCMQRSCP_PID:-}; do taskset -a -p -c 0 "$p" >/dev/null; done
  taskset -a -p -c "1-$last_cpu" "$GATEWAY_PID" >/dev/null
  taskset -p -c "1-$last_cpu" $$ >/dev/null   # this script, hence every client it starts
  note "PACS pinned to CPU 0, the gateway and the clients to CPUs 1-$last_cpu"
fi

# ---- data ----
# shellcheck disable=SC2086  # $1 is "S SE I"
set_dir() { "$ROOT/scripts/samples.sh" gen $1; }
count_instances() {   # aet port studydir -> instances the PACS holds of that study (IMAGE-level C-FIND per series)
  local aet=$1 port=$2 sdir=$3 n=0 c series
  for series in "$sdir"/*/; do
    series=$(basename "$series")
    c=$(findscu -v -to 10 -aet WADOBENCH -aec "$aet" -S -k QueryRetrieveLevel=IMAGE \
        -k StudyInstanceUID="$(basename "$sdir")" -k SeriesInstanceUID="$series" -k SOPInstanceUID \
        127.0.0.1 "$port" 2>&1 | grep -c 'Find Response.*Pending' || true)
    n=$((n + c))
  done
  echo "$n"
}
ensure_loaded() {     # "S SE I" AET... : loads the set into each AET that lacks some of its instances
  local set=$1 dir aet port sdir want have; shift
  dir=$(set_dir "$set")
  for aet in "$@"; do
    port=$([[ $aet == ORTHANC ]] && echo "$ORTHANC_DICOM_PORT" || echo "$DCMQRSCP_PORT")
    for sdir in "$dir"/*/; do
      sdir=${sdir%/}
      want=$(find "$sdir" -name '*.dcm' | wc -l)
      have=$(count_instances "$aet" "$port" "$sdir")
      if [[ $have -lt $want ]]; then
        note "loading sample set $set into $aet ($have/$want instances of $(basename "$sdir") there)"
        # shellcheck disable=SC2086
        "$ROOT/scripts/samples.sh" load $set "$aet:$port" >&2
        break
      fi
    done
  done
  note "sample set $set: in $*"
}
ensure_loaded "$BIG_SET" ORTHANC DCMQRSCP
ensure_loaded "$SMALL_SET" ORTHANC
ensure_loaded "$CONC_SET" ORTHANC DCMQRSCP

first_study() { basename "$(find "$1" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)"; }
BIG_DIR=$(set_dir "$BIG_SET"); BIG_STUDY=$(first_study "$BIG_DIR")
SMALL_DIR=$(set_dir "$SMALL_SET"); SMALL_STUDY=$(first_study "$SMALL_DIR")
BIG_N=$(find "$BIG_DIR/$BIG_STUDY" -name '*.dcm' | wc -l)
SMALL_N=$(find "$SMALL_DIR/$SMALL_STUDY" -name '*.dcm' | wc -l)
BIG_BYTES=$(find "$BIG_DIR/$BIG_STUDY" -name '*.dcm' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
"$PYTHON" "$ROOT/bench/multipart.py" uids "$BIG_DIR/$BIG_STUDY" >"$WORK/big.uids"
"$PYTHON" "$ROOT/bench/multipart.py" uids "$SMALL_DIR/$SMALL_STUDY" >"$WORK/small.uids"

cpu_ticks() { [[ -n $1 && -r /proc/$1/stat ]] && awk '{ print $14 + $15 }' "/proc/$1/stat" || echo 0; }

echo "wado.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "gateway $GATEWAY_URL (JVM pid ${GATEWAY_PID:-unknown}), Orthanc 127.0.0.1:$ORTHANC_DICOM_PORT / HTTP $ORTHANC_HTTP_PORT, dcmqrscp 127.0.0.1:$DCMQRSCP_PORT"
echo "big study: $BIG_STUDY, $BIG_N instances, $(awk -v b="$BIG_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB of Part 10 files; small study: $SMALL_N instances; temp files in $BENCH_TMP"
echo

# ---- targets ----
url_of() {   # target study -> URL (HTTP targets only)
  case $1 in
    gw-get)      echo "$GATEWAY_URL/aets/ORTHANC/studies/$2";;
    gw-move)     echo "$GATEWAY_URL/aets/ORTHANC-MOVE/studies/$2";;
    gw-dcmqrscp) echo "$GATEWAY_URL/aets/DCMQRSCP/studies/$2";;
    gw-proxy)    echo "$GATEWAY_URL/aets/ORTHANC-WEB/studies/$2";;
    gw-cached)   echo "$GATEWAY_URL/aets/ORTHANC/studies/$2";;
    gw-cold)     echo "$GATEWAY_URL/aets/$COLD_AE/studies/$2";;
    orthanc-web) echo "http://127.0.0.1:$ORTHANC_HTTP_PORT/dicom-web/studies/$2";;
  esac
}
declare -A LABEL=(
  [gw-get]="gateway WADO-RS, ORTHANC (C-GET)"
  [gw-move]="gateway WADO-RS, ORTHANC-MOVE (C-MOVE, Move Originator routing)"
  [gw-dcmqrscp]="gateway WADO-RS, DCMQRSCP (C-FIND + C-MOVE, instance-UID routing)"
  [getscu-files]="dcmtk getscu -> Orthanc, files into a tmpfs dir"
  [getscu-ignore]="dcmtk getscu -> Orthanc, --ignore (not written)"
  [movescu-files]="dcmtk movescu -> Orthanc -> storescp, files into a tmpfs dir"
  [movescu-ignore]="dcmtk movescu -> Orthanc -> storescp --ignore"
  [movescu-dcmqrscp]="dcmtk movescu -> dcmqrscp -> storescp --ignore"
  [gw-proxy]="gateway WADO-RS, ORTHANC-WEB (proxy of Orthanc's DICOMweb)"
  [orthanc-web]="Orthanc's own DICOMweb WADO-RS (curl)"
  [gw-cached]="gateway WADO-RS, ORTHANC, repeat read (from the study cache)"
  [gw-cold]="gateway WADO-RS, cold (a fresh C-GET AE: nothing cached)"
)
COLD_AE=""
declare -A TIMES TTFBS GWCPU PACSCPU BODY_SIZE

# One HTTP retrieval, body checked; records the body size that timed runs must reproduce.
check_http() {   # target study uidsfile
  local url body hdr ct code result
  url=$(url_of "$1" "$2"); body="$WORK/check.body"; hdr="$WORK/check.hdr"
  code=$(curl -sS -o "$body" -D "$hdr" -w '%{http_code}' --max-time "$BENCH_TIMEOUT_S" -H "Accept: $ACCEPT" "$url") \
    || die "$1: curl failed: $url"
  [[ $code == 200 ]] || die "$1: HTTP $code from $url: $(head -c 300 "$body")"
  ct=$(grep -i '^content-type:' "$hdr" | tail -n 1 | cut -d: -f2- | tr -d '\r')
  result=$("$PYTHON" "$ROOT/bench/multipart.py" check "$body" "$ct" "$3") || die "$1: bad body: $result"
  BODY_SIZE[$1]=$(stat -c %s "$body")
  cache_answered "$1" "$(grep -i '^content-length:' "$hdr" | tail -n 1 | cut -d: -f2- | tr -d '\r ')" "${BODY_SIZE[$1]}"
  rm -f "$body" "$hdr"
  note "checked $1: $result"
}

# A retrieval from the study cache declares its length, one from the PACS streams chunked: the repeat target must be
# the one, the cold target the other.
cache_answered() {   # target content_length_header bytes_received
  case $1 in
    gw-cached) [[ -n $2 ]] || die "$1: no Content-Length: not served from the study cache (is the study cached? gateway.cache.freshness?)"
               [[ $2 == "$3" ]] || die "$1: Content-Length $2, but $3 bytes received";;
    gw-cold)   [[ -z $2 ]] || die "$1: a Content-Length ($2) through the fresh AE $COLD_AE: the cache answered a cold read";;
  esac
}

start_storescp() {   # files|ignore -> STORESCP_PID, STORESCP_DIR, STORESCP_LOG
  STORESCP_DIR="$WORK/storescp"; STORESCP_LOG="$WORK/storescp.log"
  rm -rf "$STORESCP_DIR"; mkdir -p "$STORESCP_DIR"
  local mode=(-od "$STORESCP_DIR")
  [[ $1 == ignore ]] && mode=(--ignore)
  storescp -v -aet STORESCP -pdu "$MAX_PDU" "${mode[@]}" "$STORESCP_PORT" >"$STORESCP_LOG" 2>&1 &
  STORESCP_PID=$!
  for _ in $(seq 50); do port_open "$STORESCP_PORT" && return 0; sleep 0.1; done
  die "storescp did not start: $(tail -n 5 "$STORESCP_LOG")"
}
stop_storescp() {
  kill "$STORESCP_PID" 2>/dev/null || true
  wait "$STORESCP_PID" 2>/dev/null || true
  STORESCP_PID=""
}

# One timed run of a target; appends to TIMES[target] (and TTFBS, CPU). Dies on a wrong count or failure.
run_target() {   # target study expected_n
  local t=$1 study=$2 n=$3 t0 t1 out rc=0 got d g0 g1 p0 p1
  g0=$(cpu_ticks "$GATEWAY_PID"); p0=$(cpu_ticks "$ORTHANC_PID")
  case $t in
    gw-*|orthanc-web)
      t0=$(now)
      out=$(curl -sS -o /dev/null -w '%{http_code} %{time_starttransfer} %{size_download} %header{content-length}' \
            --max-time "$BENCH_TIMEOUT_S" -H "Accept: $ACCEPT" "$(url_of "$t" "$study")") || rc=$?
      t1=$(now)
      read -r code ttfb size length <<<"$out"
      [[ $rc -eq 0 && $code == 200 ]] || die "$t: curl exit $rc, HTTP ${code:-?}"
      # gateway boundaries have a fixed length; Orthanc's too: the same instances give the same body size
      [[ -z ${BODY_SIZE[$t]:-} || $size == "${BODY_SIZE[$t]}" ]] \
        || die "$t: body of $size bytes, the checked one had ${BODY_SIZE[$t]}"
      cache_answered "$t" "${length:-}" "$size"
      TTFBS[$t]+="$ttfb ";;
    getscu-*)
      d="$WORK/getscu"; rm -rf "$d"; mkdir -p "$d"
      local mode=(-od "$d"); [[ $t == getscu-ignore ]] && mode=(--ignore)
      t0=$(now)
      timeout "$BENCH_TIMEOUT_S" getscu -v -aet WADOBENCH -aec ORTHANC -S -pdu "$MAX_PDU" "${mode[@]}" \
        -k QueryRetrieveLevel=STUDY -k StudyInstanceUID="$study" 127.0.0.1 "$ORTHANC_DICOM_PORT" >"$WORK/getscu.log" 2>&1 || rc=$?
      t1=$(now)
      if [[ $t == getscu-files ]]; then got=$(find "$d" -type f | wc -l)
      else got=$(grep -c 'Received C-STORE Request' "$WORK/getscu.log" || true); fi
      [[ $rc -eq 0 && $got -eq $n ]] || die "$t: exit $rc, $got/$n instances: $(grep -E '^(E|F|W):' "$WORK/getscu.log" | head -n 5)"
      rm -rf "$d";;
    movescu-*)
      local aec=ORTHANC port=$ORTHANC_DICOM_PORT
      [[ $t == movescu-dcmqrscp ]] && { aec=DCMQRSCP; port=$DCMQRSCP_PORT; }
      start_storescp "$([[ $t == movescu-files ]] && echo files || echo ignore)"
      t0=$(now)
      timeout "$BENCH_TIMEOUT_S" movescu -v -aet WADOBENCH -aec "$aec" -aem STORESCP -S \
        -k QueryRetrieveLevel=STUDY -k StudyInstanceUID="$study" 127.0.0.1 "$port" >"$WORK/movescu.log" 2>&1 || rc=$?
      t1=$(now)
      sleep 0.1   # storescp has answered every C-STORE before the final C-MOVE response; let it flush its log
      if [[ $t == movescu-files ]]; then got=$(find "$STORESCP_DIR" -type f | wc -l)
      else got=$(grep -c 'Received Store Request' "$STORESCP_LOG" || true); fi
      stop_storescp
      if ! grep -q 'Received Final Move Response (Success)' "$WORK/movescu.log" && [[ $rc -eq 0 ]]; then rc=99; fi
      [[ $rc -eq 0 && $got -eq $n ]] || die "$t: exit $rc, $got/$n instances: $(grep -E 'Final Move|^(E|F):' "$WORK/movescu.log" | head -n 5)"
      rm -rf "$STORESCP_DIR";;
  esac
  g1=$(cpu_ticks "$GATEWAY_PID"); p1=$(cpu_ticks "$ORTHANC_PID")
  TIMES[$t]+="$(secs "$t0" "$t1") "
  GWCPU[$t]+="$(( g1 - g0 )) "; PACSCPU[$t]+="$(( p1 - p0 )) "
}

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ================= 1. throughput: one study of BIG_N instances =================
if [[ " $PARTS " == *" throughput "* ]]; then
  GW_TARGETS=(gw-get gw-move gw-dcmqrscp "${PROXY_TARGETS[@]}")
  ALL_TARGETS=(gw-get getscu-files getscu-ignore gw-move movescu-files movescu-ignore gw-dcmqrscp movescu-dcmqrscp
               "${PROXY_TARGETS[@]}" orthanc-web)
  for t in "${GW_TARGETS[@]}" orthanc-web; do check_http "$t" "$BIG_STUDY" "$WORK/big.uids"; done
  note "warm-up: $WARMUP untimed runs of every target"
  for _ in $(seq "$WARMUP"); do for t in "${ALL_TARGETS[@]}"; do run_target "$t" "$BIG_STUDY" "$BIG_N"; done; done
  TIMES=(); TTFBS=(); GWCPU=(); PACSCPU=()
  for r in $(seq "$RUNS"); do
    for t in "${ALL_TARGETS[@]}"; do run_target "$t" "$BIG_STUDY" "$BIG_N"; done
    note "round $r/$RUNS done"
  done

  echo "### Study retrieval, $BIG_N instances ($(awk -v b="$BIG_BYTES" 'BEGIN { printf "%.0f", b / 1e6 }') MB), median of $RUNS"
  echo
  echo "| # | what | median s | MB/s | time to first byte, ms | runs, s | gateway JVM CPU s | Orthanc CPU s |"
  echo "|---|---|---:|---:|---:|---|---:|---:|"
  i=0
  declare -A MED
  for t in "${ALL_TARGETS[@]}"; do
    i=$((i + 1))
    m=$(median "${TIMES[$t]}"); MED[$t]=$m
    if [[ -n ${TTFBS[$t]:-} ]]; then tt=$(awk -v s="$(median "${TTFBS[$t]}")" 'BEGIN { printf "%.0f", s * 1000 }'); else tt="n/a"; fi
    gc=$(awk -v s="$(median "${GWCPU[$t]}")" 'BEGIN { printf "%.2f", s / 100 }')
    pc=$(awk -v s="$(median "${PACSCPU[$t]}")" 'BEGIN { printf "%.2f", s / 100 }')
    [[ $t == movescu-dcmqrscp || $t == gw-dcmqrscp ]] && pc="(dcmqrscp)"
    printf '| %d | %s | %.3f | %.0f | %s | %s | %s | %s |\n' "$i" "${LABEL[$t]}" "$m" \
      "$(awk -v b="$BIG_BYTES" -v s="$m" 'BEGIN { print b / 1e6 / s }')" "$tt" "$(sed 's/ $//; s/ /, /g' <<<"${TIMES[$t]}")" "$gc" "$pc"
  done
  echo
  echo "HTTP bodies: $(for t in "${GW_TARGETS[@]}" orthanc-web; do printf '%s %s bytes; ' "$t" "${BODY_SIZE[$t]}"; done)"
  echo "CPU seconds are per retrieval (median, from /proc/<pid>/stat, 10 ms resolution); the machine has $(nproc) cores."
  echo
  echo "| gateway | direct reference | throughput ratio gateway / direct (target >= 0.9) |"
  echo "|---|---|---:|"
  ratio() { awk -v g="${MED[$1]}" -v d="${MED[$2]}" 'BEGIN { printf "%.2f", d / g }'; }
  for pair in "gw-get getscu-files" "gw-get getscu-ignore" "gw-move movescu-files" "gw-move movescu-ignore" \
              "gw-dcmqrscp movescu-dcmqrscp" ${PROXY_TARGETS[@]:+"gw-proxy orthanc-web"}; do
    read -r g d <<<"$pair"
    echo "| ${LABEL[$g]} | ${LABEL[$d]} | $(ratio "$g" "$d") |"
  done
  echo
fi

# ================= 2. heap high-water: SMALL_N versus BIG_N instances =================
if [[ " $PARTS " == *" heap "* ]]; then
  if [[ -z ${GATEWAY_PID:-} ]] || ! jstat -gc "$GATEWAY_PID" >/dev/null 2>&1; then
    note "heap part skipped: no jstat access to the gateway JVM (set GATEWAY_PID)"
  else
    # used heap = S0U + S1U + EU + OU (KB); columns found by name in jstat's header
    jstat_used() { awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                        { u = $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]; print u, $c["OU"], $c["YGC"], $c["FGC"], $c["EU"], $c["EC"] }' "$@"; }
    # One retrieval under jstat; sets HP="max_used_MB max_old_MB young_gcs full_gcs last_MB baseline_MB samples
    # max_eden_capacity_MB allocated_MB". allocated: the growth of eden between samples, plus, across a young GC, what
    # was left of eden's capacity before it (an estimate: eden is collected when full).
    heap_probe() {   # target study
      local t=$1 study=$2 log="$WORK/jstat.log" base out
      jcmd "$GATEWAY_PID" GC.run >/dev/null
      sleep 0.5
      base=$(jstat -gc "$GATEWAY_PID" | jstat_used | awk '{ printf "%.1f", $1 / 1024 }')
      jstat -gc "$GATEWAY_PID" "$JSTAT_MS" >"$log" 2>&1 &
      JSTAT_PID=$!
      sleep 0.3
      out=$(curl -sS -o /dev/null -w '%{http_code}' --max-time "$BENCH_TIMEOUT_S" -H "Accept: $ACCEPT" \
            "$(url_of "$t" "$study")") || out=curl-failed
      sleep 0.3
      kill "$JSTAT_PID" 2>/dev/null || true; wait "$JSTAT_PID" 2>/dev/null || true; JSTAT_PID=""
      [[ $out == 200 ]] || die "heap probe $t $study: HTTP $out"
      HP=$(jstat_used "$log" | awk -v base="$base" '
        NR == 1 { y0 = $3; f0 = $4; pe = $5; py = $3; pc = $6 }
        { if ($1 > mu) mu = $1; if ($2 > mo) mo = $2; y = $3; f = $4; last = $1; if ($6 > ec) ec = $6
          if (NR > 1) { if ($3 == py) { if ($5 > pe) al += $5 - pe } else al += (pc - pe) + $5 }
          pe = $5; py = $3; pc = $6 }
        END { printf "%.1f %.1f %d %d %.1f %s %d %.0f %.0f\n", mu / 1024, mo / 1024, y - y0, f - f0, last / 1024, base, NR,
              ec / 1024, al / 1024 }')
    }
    flags=$(jcmd "$GATEWAY_PID" VM.flags 2>/dev/null | tr ' ' '\n' | grep -E 'MaxHeapSize|InitialHeapSize|Use.*GC$|G1HeapRegionSize' | tr '\n' ' ')
    echo "### Gateway heap during one study retrieval ($SMALL_N vs $BIG_N instances)"
    echo
    echo "JVM pid $GATEWAY_PID: $flags"
    echo "Before each retrieval: jcmd GC.run; during it: jstat -gc every $JSTAT_MS ms; used = S0U+S1U+EU+OU."
    echo
    echo "| retrieval | instances | run | heap after GC.run, MB | max used heap, MB | max old gen, MB | max eden capacity, MB | young GCs | full GCs | allocated (estimate), MB | samples |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for t in gw-get gw-move; do
      for size in small big; do
        if [[ $size == small ]]; then s=$SMALL_STUDY n=$SMALL_N; else s=$BIG_STUDY n=$BIG_N; fi
        for r in $(seq "$RUNS"); do
          heap_probe "$t" "$s"
          read -r mu mo yg fg _ base ns ec al <<<"$HP"
          echo "| ${LABEL[$t]} | $n | $r | $base | $mu | $mo | $ec | $yg | $fg | $al | $ns |"
        done
      done
    done
    echo
  fi
fi

# ================= 3. concurrent retrievals from two PACS =================
if [[ " $PARTS " == *" concurrent "* ]]; then
  CONC_DIR=$(set_dir "$CONC_SET")
  mapfile -t CSTUDIES < <(find "$CONC_DIR" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
  for s in "${CSTUDIES[@]}"; do "$PYTHON" "$ROOT/bench/multipart.py" uids "$CONC_DIR/$s" >"$WORK/$s.uids"; done
  echo "### $((2 * CONC_CLIENTS)) concurrent study retrievals: $CONC_CLIENTS x $CA1 + $CONC_CLIENTS x $CA2"
  echo
  echo "Sample set $CONC_SET: client i retrieves study (i mod ${#CSTUDIES[@]}) ($(find "$CONC_DIR/${CSTUDIES[0]}" -name '*.dcm' | wc -l) instances); all clients started at once; each body checked (HTTP 200, closing delimiter, exactly the study's SOP Instance UIDs once each)."
  echo
  echo "| round | wall time, s | $CA1 ok/errors | $CA2 ok/errors | per-client time $CA1 median/max, s | $CA2 median/max, s |"
  echo "|---:|---:|---|---|---|---|"
  total_err=0
  conc_walls=""
  declare -A ERRKINDS=()
  for r in $(seq "$RUNS"); do
    d="$WORK/conc"; rm -rf "$d"; mkdir -p "$d"
    t0=$(now)
    for i in $(seq "$CONC_CLIENTS"); do
      for a in "$CA1" "$CA2"; do
        s=${CSTUDIES[$(( i % ${#CSTUDIES[@]} ))]}
        ( rc=0
          out=$(curl -sS -o "$d/$a-$i.body" -D "$d/$a-$i.hdr" -w '%{http_code} %{time_total}' \
                --max-time "$BENCH_TIMEOUT_S" -H "Accept: $ACCEPT" "$GATEWAY_URL/aets/$a/studies/$s" 2>"$d/$a-$i.err") || rc=$?
          echo "$rc $out $s" >"$d/$a-$i.res" ) &
      done
    done
    wait
    t1=$(now)
    wall=$(secs "$t0" "$t1"); conc_walls+="$wall "
    declare -A OK=(["$CA1"]=0 ["$CA2"]=0) ERR=(["$CA1"]=0 ["$CA2"]=0) CT=(["$CA1"]="" ["$CA2"]="")
    for a in "$CA1" "$CA2"; do
      for i in $(seq "$CONC_CLIENTS"); do
        read -r rc code tt s <"$d/$a-$i.res"
        CT[$a]+="$tt "
        kind=""
        if [[ $rc != 0 ]]; then kind="curl exit $rc: $(head -c 120 "$d/$a-$i.err")"
        elif [[ $code != 200 ]]; then kind="HTTP $code: $(head -c 160 "$d/$a-$i.body" | tr '\n' ' ')"
        else
          ct=$(grep -i '^content-type:' "$d/$a-$i.hdr" | tail -n 1 | cut -d: -f2- | tr -d '\r')
          if ! res=$("$PYTHON" "$ROOT/bench/multipart.py" check "$d/$a-$i.body" "$ct" "$WORK/$s.uids"); then
            kind="bad body: $(sed -E 's/"(bytes|expected|ok|part10)": [^,}]*,? ?//g' <<<"$res")"
          fi
        fi
        if [[ -z $kind ]]; then OK[$a]=$(( OK[$a] + 1 )); else
          ERR[$a]=$(( ERR[$a] + 1 )); ERRKINDS["$a: $kind"]=$(( ${ERRKINDS["$a: $kind"]:-0} + 1 )); fi
      done
    done
    total_err=$(( total_err + ERR[$CA1] + ERR[$CA2] ))
    mm() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f / %.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[NR] }'; }
    echo "| $r | $wall | ${OK[$CA1]}/${ERR[$CA1]} | ${OK[$CA2]}/${ERR[$CA2]} | $(mm "${CT[$CA1]}") | $(mm "${CT[$CA2]}") |"
    rm -rf "$d"
  done
  echo
  echo "median wall time $(median "$conc_walls") s; $total_err failed retrievals of $(( 2 * CONC_CLIENTS * RUNS ))"
  if [[ $total_err -gt 0 ]]; then
    echo
    echo "errors:"
    for k in "${!ERRKINDS[@]}"; do printf '  %3d  %s\n' "${ERRKINDS[$k]}" "$k"; done | sort -k2
  fi
  echo
fi
# ================= 4. repeat: a study served from the gateway's cache versus Orthanc's own DICOMweb =================
if [[ " $PARTS " == *" repeat "* ]]; then
  # Warm: the study's metadata (a whole-study C-GET into the cache), then one WADO-RS read, parsed (it must come from
  # the cache: Content-Length); then WARMUP untimed rounds for the JIT, then the timed rounds, interleaved.
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time "$BENCH_TIMEOUT_S" -H 'Accept: application/dicom+json' \
         "$GATEWAY_URL/aets/ORTHANC/studies/$BIG_STUDY/metadata") || code=000
  [[ $code == 200 ]] || die "warming the cache: metadata of $BIG_STUDY answered $code"
  check_http gw-cached "$BIG_STUDY" "$WORK/big.uids"
  [[ -n ${BODY_SIZE[orthanc-web]:-} ]] || check_http orthanc-web "$BIG_STUDY" "$WORK/big.uids"
  TIMES=(); TTFBS=(); GWCPU=(); PACSCPU=()
  for _ in $(seq "$WARMUP"); do for t in gw-cached orthanc-web; do run_target "$t" "$BIG_STUDY" "$BIG_N"; done; done
  TIMES=(); TTFBS=(); GWCPU=(); PACSCPU=()
  for _ in $(seq "$REPEAT_RUNS"); do for t in gw-cached orthanc-web; do run_target "$t" "$BIG_STUDY" "$BIG_N"; done; done
  echo "### Repeat study retrieval, $BIG_N instances, from the gateway's cache, median of $REPEAT_RUNS"
  echo
  echo "Both with \`Accept: $ACCEPT\`; the gateway's answers declared Content-Length ${BODY_SIZE[gw-cached]} (= bytes received, each run)."
  echo
  echo "| what | median s | MB/s | time to first byte, ms | runs, s | gateway JVM CPU s | Orthanc CPU s |"
  echo "|---|---:|---:|---:|---|---:|---:|"
  for t in gw-cached orthanc-web; do
    m=$(median "${TIMES[$t]}")
    printf '| %s | %.3f | %.0f | %.0f | %s | %.2f | %.2f |\n' "${LABEL[$t]}" "$m" \
      "$(awk -v b="$BIG_BYTES" -v s="$m" 'BEGIN { print b / 1e6 / s }')" \
      "$(awk -v s="$(median "${TTFBS[$t]}")" 'BEGIN { print s * 1000 }')" "$(sed 's/ $//; s/ /, /g' <<<"${TIMES[$t]}")" \
      "$(awk -v s="$(median "${GWCPU[$t]}")" 'BEGIN { print s / 100 }')" \
      "$(awk -v s="$(median "${PACSCPU[$t]}")" 'BEGIN { print s / 100 }')"
  done
  echo
  echo "repeat throughput ratio gateway / Orthanc's own: $(awk -v g="$(median "${TIMES[gw-cached]}")" -v o="$(median "${TIMES[orthanc-web]}")" 'BEGIN { printf "%.2f", o / g }') (target >= 1.5)"
  echo
fi

# ================= 5. cold: each gateway read through a fresh AE (nothing cached) versus getscu =================
if [[ " $PARTS " == *" cold "* ]]; then
  # WARMUP untimed cold reads (the JIT of the PACS path), one parsed, then COLD_RUNS timed rounds, each a fresh AE.
  cold_aes_add $(( WARMUP + 1 + COLD_RUNS ))
  next=0
  # Each cold AE is retired after its read (bench/cold-aes.sh), before getscu runs: its idle associations would
  # hold the PACS's association threads.
  for _ in $(seq "$WARMUP"); do
    COLD_AE=${COLD_AES[$next]}; next=$((next + 1)); run_target gw-cold "$BIG_STUDY" "$BIG_N"; cold_ae_retire "$COLD_AE"
  done
  COLD_AE=${COLD_AES[$next]}; next=$((next + 1))
  check_http gw-cold "$BIG_STUDY" "$WORK/big.uids"; cold_ae_retire "$COLD_AE"
  TIMES=(); TTFBS=(); GWCPU=(); PACSCPU=()
  echo "### Cold study retrieval, $BIG_N instances: each gateway run through an AE it never had, versus getscu"
  echo
  echo "Per run, interleaved: the gateway (a fresh AE, the same Orthanc by C-GET: nothing in its cache; the answer streamed chunked), getscu into a tmpfs dir, getscu --ignore. Gateway bodies to /dev/null, each ${BODY_SIZE[gw-cold]} bytes (one parsed before)."
  echo
  echo "| run | gateway AE | gateway s | getscu files s | getscu --ignore s | ratio vs files (target >= 1.3) | ratio vs --ignore | gateway JVM CPU s |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|"
  met=0
  for r in $(seq "$COLD_RUNS"); do
    COLD_AE=${COLD_AES[$next]}; next=$((next + 1))
    run_target gw-cold "$BIG_STUDY" "$BIG_N"; cold_ae_retire "$COLD_AE"
    for t in getscu-files getscu-ignore; do run_target "$t" "$BIG_STUDY" "$BIG_N"; done
    g=$(awk '{ print $NF }' <<<"${TIMES[gw-cold]}"); f=$(awk '{ print $NF }' <<<"${TIMES[getscu-files]}")
    i=$(awk '{ print $NF }' <<<"${TIMES[getscu-ignore]}"); c=$(awk '{ print $NF / 100 }' <<<"${GWCPU[gw-cold]}")
    rf=$(awk -v g="$g" -v d="$f" 'BEGIN { printf "%.2f", d / g }'); ri=$(awk -v g="$g" -v d="$i" 'BEGIN { printf "%.2f", d / g }')
    awk -v x="$rf" 'BEGIN { exit !(x >= 1.3) }' && met=$((met + 1))
    echo "| $r | $COLD_AE | $g | $f | $i | $rf | $ri | $c |"
  done
  echo
  echo "cold >= 1.3x getscu into files in $met of $COLD_RUNS runs; medians: gateway $(median "${TIMES[gw-cold]}") s, getscu files $(median "${TIMES[getscu-files]}") s, --ignore $(median "${TIMES[getscu-ignore]}") s"
  echo
  cold_aes_remove
fi
echo "wado.sh: done $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
