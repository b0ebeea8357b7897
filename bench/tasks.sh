#!/usr/bin/env bash
# Retrieval-task benchmark (not a test): what the task machinery (docs/jobs.md) costs. 20 tasks of one 100-instance
# study each (20 different studies), run 4 at a time by the gateway, from SOURCE into DEST, against the same 20
# retrievals done by hand through the same gateway, 4 at a time:
#   wado       WADO-RS of each study (GET /aets/SOURCE/studies/{uid}) written to a file: retrieval only
#   wado+stow  the same, then that file sent back as one STOW-RS (POST /aets/DEST/studies): what a task does, by hand
#   tasks      POST /tasks for each study (all 20 at once, batchId of the round), until all 20 have ended
# Overhead = task wall time / WADO-RS wall time - 1 (the goal is <= 10 %), and the same against wado+stow, which also
# stores (the fair comparison: a task delivers too). Prints markdown tables; results: docs/benchmarks.md
# ("Retrieval tasks").
#
# It starts no gateway. Run scripts/run-gateway.sh in another terminal first (or a WildFly of your own with
# wildfly-config/loopback-peers.cli), with the task workers at concurrency 4 (gateway.tasks.workers, the default),
# then:
#     bench/tasks.sh
#
# Environment (defaults in brackets):
#   GATEWAY_URL  [http://127.0.0.1:8080/dicomweb]
#   SOURCE [ORTHANC]  DEST [S3]   gateway AEs: retrieved from, delivered to
#   DEST_SCP=1        instead of DEST: a dcmtk storescp of the bench's own (AE STORESCP, port STORESCP_PORT [11119],
#                     --fork, files into BENCH_TMP, deleted after each round), added to the running gateway as the AE
#                     BENCH-SCP through its management CLI (jboss-cli.sh -c: map-put, reload) and removed again at the
#                     end (another reload): a destination whose store costs about what writing a file does, so that
#                     the tasks compare with WADO-RS alone
#   SET ["20 1 100"]  the sample set (scripts/samples.sh; ~1 GB), loaded into Orthanc (C-STORE) when Orthanc does not
#                     hold all of a study's instances; SOURCE must reach that Orthanc
#   CONC [4]          clients at a time for wado and wado+stow (the tasks' concurrency is the server's)
#   RUNS [3]  WARMUP [1]   timed rounds of each of the three (in turn: wado, wado+stow, tasks), after untimed ones
#   BENCH_TMP         where the retrieved bodies go [/dev/shm if writable, else /tmp]; CONC studies at a time
#   BENCH_TIMEOUT_S [600]  the bound on every client call and on a round of tasks
#
# What is timed: the wall clock of a whole round (all 20 studies), client processes included. Every WADO-RS must
# answer 200 with the study's instance count of parts, every STOW-RS 200, every task end COMPLETED with 100 delivered
# and none failed; a round that does not is an error, not a figure. The tasks' round ends when a poll of
# GET /tasks?batchId= (every 0.1 s) sees all 20 ended; the table also gives the server's own span (first createdAt
# to last endedAt) and the most tasks seen IN_PROCESS at once.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8080/dicomweb}"
GATEWAY_URL="${GATEWAY_URL%/}"
SOURCE="${SOURCE:-ORTHANC}"
DEST="${DEST:-S3}"
read -r -a SET <<<"${SET:-20 1 100}"
CONC="${CONC:-4}"
RUNS="${RUNS:-3}"
WARMUP="${WARMUP:-1}"
BENCH_TIMEOUT_S="${BENCH_TIMEOUT_S:-600}"
ORTHANC_HTTP="http://127.0.0.1:${ORTHANC_HTTP_PORT:-18042}"
export TCP_NODELAY=1

die() { echo "tasks.sh: $*" >&2; exit 1; }
note() { echo "tasks.sh: $*" >&2; }
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

for tool in curl jq; do command -v "$tool" >/dev/null || die "$tool not found"; done
if [[ -z ${BENCH_TMP:-} ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then BENCH_TMP=/dev/shm; else BENCH_TMP=/tmp; fi
fi
WORK=$(mktemp -d "$BENCH_TMP/tasksbench.XXXXXX")
SCP_PID="" CLI_AETS=""
cleanup() {
  # (|| true throughout: under set -e, the killed storescp's status would end the clean-up here)
  if [[ -n $SCP_PID ]]; then kill "$SCP_PID" 2>/dev/null || true; wait "$SCP_PID" 2>/dev/null || true; fi
  if [[ -n $CLI_AETS ]]; then
    note "removing the AE BENCH-SCP from the gateway (reload)"
    cli ":map-put(name=properties, key=gateway.aets, value=\"$CLI_AETS\")" >/dev/null || true
    for k in host port; do cli ":map-remove(name=properties, key=gateway.aet.BENCH-SCP.$k)" >/dev/null || true; done
    reload_gateway || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

curl -sf --max-time 10 -o /dev/null "$GATEWAY_URL/tasks?limit=1" \
  || die "no task API at $GATEWAY_URL/tasks (start scripts/run-gateway.sh first)"

# ---- DEST_SCP: a storescp as the destination ----
WILDFLY_HOME="${WILDFLY_HOME:-$ROOT/work/wildfly-$(sed -n 's:.*<wildfly.version>\(.*\)</wildfly.version>.*:\1:p' "$ROOT/pom.xml")}"
CONFIG_SOURCE=/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway
cli() { timeout 120 "$WILDFLY_HOME/bin/jboss-cli.sh" -c --command="$CONFIG_SOURCE$1"; }
# The configuration is read at deployment: a reload, then the task API again (bounded).
reload_gateway() {
  timeout 120 "$WILDFLY_HOME/bin/jboss-cli.sh" -c --command=":reload" >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 120))
  sleep 2
  until curl -sf --max-time 5 -o /dev/null "$GATEWAY_URL/tasks?limit=1"; do
    ((SECONDS < deadline)) || die "the gateway did not answer again within 120 s of the reload"
    sleep 0.5
  done
}
if [[ ${DEST_SCP:-} == 1 ]]; then
  STORESCP_PORT="${STORESCP_PORT:-11119}"
  command -v storescp >/dev/null || die "storescp not found (apt-get install dcmtk)"
  mkdir -p "$WORK/scp"
  storescp --fork -aet STORESCP -od "$WORK/scp" "$STORESCP_PORT" >"$WORK/storescp.log" 2>&1 &
  SCP_PID=$!
  sleep 0.5
  kill -0 "$SCP_PID" 2>/dev/null || die "storescp did not start: $(tail -n 5 "$WORK/storescp.log")"
  aets=$(cli ":map-get(name=properties, key=gateway.aets)" | sed -n 's/.*"result" => "\(.*\)".*/\1/p')
  [[ -n $aets ]] || die "could not read gateway.aets through $WILDFLY_HOME/bin/jboss-cli.sh -c"
  note "adding the AE BENCH-SCP (storescp, port $STORESCP_PORT) to the gateway (reload)"
  CLI_AETS=$aets
  cli ":map-put(name=properties, key=gateway.aet.BENCH-SCP.host, value=127.0.0.1)" >/dev/null
  cli ":map-put(name=properties, key=gateway.aet.BENCH-SCP.port, value=$STORESCP_PORT)" >/dev/null
  cli ":map-put(name=properties, key=gateway.aets, value=\"$aets,BENCH-SCP\")" >/dev/null
  reload_gateway
  DEST=BENCH-SCP
fi
# clear_dest <n>: the destination storescp must hold the n instances of the round, which are then deleted (nothing
# to do for another destination)
clear_dest() {
  [[ -n $SCP_PID ]] || return 0
  local held
  held=$(find "$WORK/scp" -type f | wc -l)
  [[ $held == "$1" ]] || die "storescp holds $held instances after the round, expected $1"
  find "$WORK/scp" -type f -delete
}

# ---- the studies, in Orthanc ----
SAMPLES=$("$ROOT/scripts/samples.sh" gen "${SET[@]}")
mapfile -t STUDIES < <(find "$SAMPLES" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
PER_STUDY=$((SET[1] * SET[2]))
orthanc_count() {
  local id
  id=$(curl -sS --max-time 10 -X POST -d "$1" "$ORTHANC_HTTP/tools/lookup" | jq -r '.[] | select(.Type == "Study") | .ID')
  if [[ -z $id ]]; then echo 0; else curl -sS --max-time 10 "$ORTHANC_HTTP/studies/$id/statistics" | jq -r .CountInstances; fi
}
for s in "${STUDIES[@]}"; do
  if [[ $(orthanc_count "$s") != "$PER_STUDY" ]]; then
    note "loading $SAMPLES into Orthanc"
    "$ROOT/scripts/samples.sh" load "${SET[@]}" ORTHANC >/dev/null
    break
  fi
done
BYTES=$(find "$SAMPLES" -name '*.dcm' -printf '%s\n' | awk '{ s += $1 } END { print s }')

# ---- one study by hand (run CONC at a time by xargs) ----
# wado <study> [stow]: the study's WADO-RS into a file, its parts counted; with "stow", the file is then sent to
# DEST's STOW-RS under the Content-Type it came with (the same multipart/related body).
one_study() {
  local study=$1 body="$WORK/$1.body" head="$WORK/$1.head" code parts type
  code=$(curl -sS --max-time "$BENCH_TIMEOUT_S" -o "$body" -D "$head" -w '%{http_code}' \
    -H 'Accept: multipart/related; type="application/dicom"; transfer-syntax=*' \
    "$GATEWAY_URL/aets/$SOURCE/studies/$study") || true
  [[ $code == 200 ]] || { echo "WADO-RS of $study: $code" >&2; rm -f "$body" "$head"; return 1; }
  type=$(sed -n 's/^[Cc]ontent-[Tt]ype: *\(.*\)\r$/\1/p' "$head")
  parts=$(grep -ac $'^Content-Type: application/dicom' "$body" || true)
  [[ $parts == "$PER_STUDY" ]] || { echo "WADO-RS of $study: $parts parts, expected $PER_STUDY" >&2; rm -f "$body" "$head"; return 1; }
  if [[ ${2:-} == stow ]]; then
    code=$(curl -sS --max-time "$BENCH_TIMEOUT_S" -o /dev/null -w '%{http_code}' -X POST -H "Content-Type: $type" \
      -H 'Accept: application/dicom+json' --data-binary "@$body" "$GATEWAY_URL/aets/$DEST/studies") || true
    [[ $code == 200 ]] || { echo "STOW-RS of $study to $DEST: $code" >&2; rm -f "$body" "$head"; return 1; }
  fi
  rm -f "$body" "$head"
}
export -f one_study
export WORK GATEWAY_URL SOURCE DEST PER_STUDY BENCH_TIMEOUT_S

# by_hand [stow]: prints the round's wall time in seconds
by_hand() {
  local t0 t1
  t0=$(now)
  printf '%s\n' "${STUDIES[@]}" | xargs -P "$CONC" -I{} bash -c 'one_study "$@"' _ {} "${1:-}" \
    || die "a retrieval by hand failed (above)"
  t1=$(now)
  clear_dest "$([[ ${1:-} == stow ]] && echo $((${#STUDIES[@]} * PER_STUDY)) || echo 0)"
  secs "$t0" "$t1"
}

# tasks <round>: submits the 20 tasks, waits for them all; prints "wall server_span max_in_process"
tasks() {
  local batch t0 t1 page ended inproc maxin=0 deadline code i=0
  # (task ids are at most 64 characters: the batch and the study's index, not its UID)
  batch="bench-$(date -u +%m%d%H%M%S)-$$-$1"
  t0=$(now)
  for s in "${STUDIES[@]}"; do
    i=$((i + 1))
    code=$(jq -nc --arg id "$batch-$i" --arg b "$batch" --arg src "$SOURCE" --arg s "$s" --arg d "$DEST" \
        '{taskId: $id, batchId: $b, source: $src, retrieve: {studies: [{studyInstanceUid: $s}]}, destination: $d}' \
      | curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        --data-binary @- "$GATEWAY_URL/tasks") || true
    [[ $code == 201 ]] || die "POST /tasks for study $s: $code"
  done
  deadline=$((SECONDS + BENCH_TIMEOUT_S))
  while :; do
    page=$(curl -sS --fail --max-time 30 "$GATEWAY_URL/tasks?batchId=$batch&limit=100") || die "GET /tasks?batchId=$batch failed"
    ended=$(jq '[.tasks[] | select(.state | IN("COMPLETED", "WARNING", "FAILED", "CANCELED"))] | length' <<<"$page")
    inproc=$(jq '[.tasks[] | select(.state == "IN_PROCESS")] | length' <<<"$page")
    ((inproc <= maxin)) || maxin=$inproc
    [[ $ended -lt ${#STUDIES[@]} ]] || break
    ((SECONDS < deadline)) || die "batch $batch: $ended of ${#STUDIES[@]} tasks ended after $BENCH_TIMEOUT_S s"
    sleep 0.1
  done
  t1=$(now)
  local bad
  bad=$(jq -r --argjson n "$PER_STUDY" '.tasks[] | select(.state != "COMPLETED" or .completed != $n or .failed != 0)
          | "\(.taskId): \(.state) completed \(.completed) failed \(.failed) \(.reason // "")"' <<<"$page")
  [[ -z $bad ]] || die "batch $batch: tasks that did not deliver all: $bad"
  clear_dest $((${#STUDIES[@]} * PER_STUDY))
  echo "$(secs "$t0" "$t1") $(server_span "$page") $maxin"
}
# the server's span of a batch: first createdAt to last endedAt (Instant.toString varies its fraction digits, so the
# instants are compared as numbers, not strings)
server_span() {
  jq -r '.tasks[] | .createdAt, .endedAt' <<<"$1" | while read -r t; do date -d "$t" +%s.%N; done \
    | awk 'NR == 1 { lo = hi = $1 } { if ($1 < lo) lo = $1; if ($1 > hi) hi = $1 } END { printf "%.3f", hi - lo }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

note "${#STUDIES[@]} studies x $PER_STUDY instances ($(awk -v b="$BYTES" 'BEGIN { printf "%.0f", b / 1e6 }') MB), $SOURCE -> $DEST," \
  "$CONC at a time; $WARMUP untimed and $RUNS timed rounds of each"
# (each step in a command substitution of its own, so that a failed one ends the script: set -e does not see a
# failure inside an array assignment or a here-string)
for ((i = 0; i < WARMUP; i++)); do
  by_hand >/dev/null; by_hand stow >/dev/null; tasks "w$i" >/dev/null || exit 1
done
W=() WS=() T=() TS=() TM=()
for ((i = 0; i < RUNS; i++)); do
  w=$(by_hand) || exit 1
  ws=$(by_hand stow) || exit 1
  t=$(tasks "r$i") || exit 1
  read -r wall span maxin <<<"$t"
  W+=("$w") WS+=("$ws") T+=("$wall") TS+=("$span") TM+=("$maxin")
  note "round $((i + 1)): wado ${W[-1]} s, wado+stow ${WS[-1]} s, tasks $wall s (server $span s, up to $maxin in process)"
done

mw=$(printf '%s\n' "${W[@]}" | median)
mws=$(printf '%s\n' "${WS[@]}" | median)
mt=$(printf '%s\n' "${T[@]}" | median)
mts=$(printf '%s\n' "${TS[@]}" | median)
row() { printf '| %s | %s | %s | %.0f | %s |\n' "$1" "$2" "$3" "$(awk -v n="${#STUDIES[@]}" -v p="$PER_STUDY" -v s="$2" 'BEGIN { print n * p / s }')" "$4"; }
echo
echo "### ${#STUDIES[@]} studies x $PER_STUDY instances, $SOURCE -> $DEST, $CONC at a time, median of $RUNS"
echo
echo "| what | median s | runs (s) | instances/s | note |"
echo "|---|---:|---|---:|---|"
row "WADO-RS by hand (curl to a file)" "$mw" "${W[*]}" "retrieval only"
row "WADO-RS + STOW-RS by hand" "$mws" "${WS[*]}" "retrieve, then store the same body"
row "tasks (POST /tasks, poll GET /tasks)" "$mt" "${T[*]}" "server span $mts s; up to $(printf '%s\n' "${TM[@]}" | sort -n | tail -1) in process"
echo
awk -v t="$mt" -v w="$mw" -v ws="$mws" 'BEGIN {
  o = t / w - 1; os = t / ws - 1
  printf "Overhead of the tasks against WADO-RS alone: %+.1f %% (goal <= 10 %%: %s); against WADO-RS + STOW-RS by hand: %+.1f %%.\n",
    o * 100, (o <= 0.10 ? "met" : "not met"), os * 100 }'
