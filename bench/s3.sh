#!/usr/bin/env bash
# S3 backend benchmark (not a test): the gateway's S3 AE side by side with the AWS SDK v2 used directly on the same
# objects, and with Orthanc's own DICOMweb, in one run. Prints markdown tables; results and the reading:
# docs/benchmarks.md ("S3 backend").
#
#     bench/s3.sh
#
# It starts its own WildFly (a fresh copy of the provisioned server's standalone/ under work/bench-s3/server, with
# gateway.cli, loopback-peers.cli, the H2 index datasource and one AE S3BENCH on the S3 endpoint; ports + PORT_OFFSET,
# so it runs beside the ITs' and the demo's servers) and stops it at the end. It needs an S3 endpoint (the S3Proxy
# peer: scripts/peers.sh start s3proxy) and, for the metadata rows, Orthanc (scripts/peers.sh start orthanc).
#
# Rows, each median of RUNS after WARMUP untimed rounds, the targets of a part interleaved round by round:
#  1. WADO-RS of the BIG_SET study (stored into S3BENCH by the gateway's own STOW-RS first): curl -> /dev/null, versus
#     the same .dcm objects read to their end by the SDK's S3Client, PARALLELISM at a time (the AE's
#     request-parallelism), in one warm JVM (bench/S3Direct.java), over Apache HttpClient 5 (the gateway's client)
#     and over the CRT HTTP client.
#  2. STOW-RS of the STOW_SET study (one POST, the gateway stores gateway.stow.parallel-stores = PARALLEL_STORES parts
#     at a time; the same instances every round, so from the second on each one replaces itself: on-duplicate
#     overwrite) versus the SDK's PutObject of the same files, PARALLEL_STORES at a time, over both clients.
#  3. Series metadata of the BIG_SET series: cold (the series aggregate metadata.json deleted before each run, so the
#     gateway reads the 500 instance JSONs and writes a new aggregate), warm (from the aggregate), and Orthanc's own
#     DICOMweb /metadata of the same series (loaded into Orthanc by scripts/samples.sh when it lacks it).
#  4. The gateway's live heap while serving WADO-RS of the SMALL_SET study versus the BIG_SET study: the retrieval
#     slowed to HEAP_RATE (curl --limit-rate) so that it lasts, and every 0.2 s after the last sample a jcmd GC.run followed by jstat: the
#     heap that is still in use after a full GC while the retrieval runs.
# Every answer is checked: WADO-RS bodies parsed once per study (all SOP Instance UIDs once, closing delimiter) and
# every timed one of the same size; STOW-RS answers 200 with every instance referenced; metadata arrays of exactly
# the series' instances; the SDK's object and byte counts equal to the files'.
#
# Environment (defaults in brackets):
#   S3_ENDPOINT [http://127.0.0.1:18091] S3_BUCKET [dicomweb] S3_ACCESS_KEY [local-identity]
#   S3_SECRET_KEY [local-credential]   S3_PREFIX [bench-s3]: every object under it is deleted at start and end
#   PORT_OFFSET [400] (HTTP 8480)  SCP_PORT [11497] the gateway's Storage SCP (unused here, but it must be free)
#   RUNS [5]  WARMUP [3]  STOW_WARMUP [8] (a fresh WildFly needs ~8 uploads for its JIT)  PARALLELISM [8]  PARALLEL_STORES [4]
#   BIG_SET ["1 1 500"]  SMALL_SET ["1 1 50"]  STOW_SET ["1 1 100"]   sample sets (scripts/samples.sh)
#   ORTHANC_HTTP_PORT [18042]  HEAP_RATE [10M]  PARTS ["wado stow metadata heap"]
#   EAR [gateway-ear/target/dicomweb-gateway.ear]  DATASOURCE_CLI [wildfly-config/datasource-h2.cli]
#   GATEWAY_JAVA_OPTS extra options for the gateway's JVM (e.g. -XX:+FlightRecorder...)
#   BENCH_TMP [/dev/shm if writable, else /tmp]
# Bounded: every client call has a timeout (BENCH_TIMEOUT_S, 300 s), WildFly's deployment 180 s; a run takes about
# 6 minutes on a 2-core machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
S3_ENDPOINT="${S3_ENDPOINT:-http://127.0.0.1:18091}"
S3_BUCKET="${S3_BUCKET:-dicomweb}"
S3_ACCESS_KEY="${S3_ACCESS_KEY:-local-identity}"
S3_SECRET_KEY="${S3_SECRET_KEY:-local-credential}"
S3_PREFIX="${S3_PREFIX:-bench-s3}"
PORT_OFFSET="${PORT_OFFSET:-400}"
SCP_PORT="${SCP_PORT:-11497}"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-3}"
STOW_WARMUP="${STOW_WARMUP:-8}"
PARALLELISM="${PARALLELISM:-8}"
PARALLEL_STORES="${PARALLEL_STORES:-4}"
BIG_SET="${BIG_SET:-1 1 500}"
SMALL_SET="${SMALL_SET:-1 1 50}"
STOW_SET="${STOW_SET:-1 1 100}"
ORTHANC_HTTP_PORT="${ORTHANC_HTTP_PORT:-18042}"
HEAP_RATE="${HEAP_RATE:-10M}"
PARTS="${PARTS:-wado stow metadata heap}"
EAR="${EAR:-$ROOT/gateway-ear/target/dicomweb-gateway.ear}"
DATASOURCE_CLI="${DATASOURCE_CLI:-$ROOT/wildfly-config/datasource-h2.cli}"
BENCH_TIMEOUT_S="${BENCH_TIMEOUT_S:-300}"
PYTHON="${PYTHON:-python3}"
AET=S3BENCH
HTTP_PORT=$((8080 + PORT_OFFSET))
GATEWAY_URL="http://127.0.0.1:$HTTP_PORT/dicomweb"
ORTHANC_URL="http://127.0.0.1:$ORTHANC_HTTP_PORT"
ACCEPT='multipart/related; type="application/dicom"; transfer-syntax=*'

die() { echo "s3.sh: $*" >&2; exit 1; }
note() { echo "s3.sh: $*" >&2; }
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }'; }
cpu_ticks() { if [[ -n $1 && -r /proc/$1/stat ]]; then awk '{ print $14 + $15 }' "/proc/$1/stat"; else echo 0; fi; }
listener_pid() { ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true; }

for tool in java mvn curl jcmd jstat ss "$PYTHON"; do command -v "$tool" >/dev/null || die "$tool not found"; done
[[ -f $EAR ]] || die "no EAR at $EAR (mvn -o install -DskipITs)"
[[ -f $DATASOURCE_CLI ]] || die "no datasource CLI at $DATASOURCE_CLI (the index needs DicomwebGatewayDS)"
s3_port=$(sed -E 's#^[a-z]+://[^:/]+:([0-9]+).*#\1#' <<<"$S3_ENDPOINT")
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$S3_ENDPOINT/") || code=000
[[ $code != 000 ]] || die "no S3 endpoint answers at $S3_ENDPOINT (scripts/peers.sh start s3proxy)"
S3_PID=$(listener_pid "$s3_port")
for port in "$HTTP_PORT" "$((9990 + PORT_OFFSET))" "$SCP_PORT"; do
  [[ -z $(listener_pid "$port") ]] || die "port $port is taken (PORT_OFFSET $PORT_OFFSET, SCP_PORT $SCP_PORT)"
done
if [[ -z ${BENCH_TMP:-} ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then BENCH_TMP=/dev/shm; else BENCH_TMP=/tmp; fi
fi
WORK=$(mktemp -d "$BENCH_TMP/s3bench.XXXXXX")
SERVER="$ROOT/work/bench-s3/server"
WILDFLY_PID="" GATEWAY_PID="" SDK_PID="" JSTAT_PID=""

# ---- the SDK baseline: one JVM for the whole run, commands over a pipe (bench/S3Direct.java) ----
cp_file="$WORK/sdk.classpath"
(cd bench/s3-sdk && { mvn -B -q -o -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile="$cp_file" \
  || mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile="$cp_file"; }) >&2 \
  || die "could not resolve the SDK's classpath (bench/s3-sdk/pom.xml)"
coproc SDK { exec java -cp "$(cat "$cp_file")" "$ROOT/bench/S3Direct.java" "$S3_ENDPOINT" "$S3_BUCKET" \
  "$S3_ACCESS_KEY" "$S3_SECRET_KEY" 2>"$WORK/sdk.log"; }
SDK_PID=$SDK_PID
SDK_OUT=${SDK[0]} SDK_IN=${SDK[1]}
sdk() {   # command words -> sets SDK_ANSWER="seconds bytes objects"; dies on an error answer or silence
  local line
  echo "$*" >&"$SDK_IN"
  read -r -t "$BENCH_TIMEOUT_S" line <&"$SDK_OUT" || die "S3Direct gave no answer to '$*' (see $WORK/sdk.log)"
  [[ $line == ok\ * ]] || die "S3Direct: $line"
  SDK_ANSWER=${line#ok }
}

cleanup() {
  [[ -n $JSTAT_PID ]] && kill "$JSTAT_PID" 2>/dev/null
  if [[ -n $SDK_PID ]]; then
    echo "delete $S3_PREFIX/" >&"$SDK_IN" 2>/dev/null && read -r -t 120 _ <&"$SDK_OUT" || true
    echo quit >&"$SDK_IN" 2>/dev/null || true
    wait "$SDK_PID" 2>/dev/null || true
  fi
  if [[ -n $WILDFLY_PID ]]; then kill "$WILDFLY_PID" 2>/dev/null && wait "$WILDFLY_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
sdk delete "$S3_PREFIX/"

# ---- the gateway: its own server directory, configured offline, then started ----
WILDFLY=$(ls -d "$ROOT"/work/wildfly-*/ 2>/dev/null | head -n 1 || true)
[[ -x ${WILDFLY}bin/standalone.sh ]] || WILDFLY=$(scripts/provision-wildfly.sh)/
rm -rf "$SERVER" && mkdir -p "$(dirname "$SERVER")" && cp -r "${WILDFLY}standalone" "$SERVER"
prop() { echo "/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway:map-put(name=properties, key=$1, value=\"$2\")"; }
{
  echo "embed-server --server-config=standalone-full.xml --std-out=discard"
  # whatever the copied configuration deploys (a test run's deployment into the shared installation) goes
  echo "for name in :read-children-names(child-type=deployment)"
  echo "  /deployment=\$name:remove"
  echo "done"
  cat wildfly-config/gateway.cli wildfly-config/loopback-peers.cli "$DATASOURCE_CLI"
  prop gateway.aets "$AET"
  prop gateway.scp.port "$SCP_PORT"
  prop gateway.stow.parallel-stores "$PARALLEL_STORES"
  prop "gateway.aet.$AET.backend" s3
  prop "gateway.aet.$AET.endpoint" "$S3_ENDPOINT"
  prop "gateway.aet.$AET.bucket" "$S3_BUCKET"
  prop "gateway.aet.$AET.prefix" "$S3_PREFIX"
  prop "gateway.aet.$AET.credentials" config
  prop "gateway.aet.$AET.access-key-id" "$S3_ACCESS_KEY"
  prop "gateway.aet.$AET.secret-access-key" "$S3_SECRET_KEY"
  prop "gateway.aet.$AET.request-parallelism" "$PARALLELISM"
  echo "stop-embedded-server"
} > "$WORK/server.cli"
# jboss.server.base.dir points the embedded server at the copy: the shared installation stays as it is.
JAVA_OPTS="-Djboss.server.base.dir=$SERVER" "${WILDFLY}bin/jboss-cli.sh" --file="$WORK/server.cli" >"$WORK/cli.log" 2>&1 \
  || { tail -n 20 "$WORK/cli.log" >&2; die "configuring $SERVER failed"; }
cp "$EAR" "$SERVER/deployments/dicomweb-gateway.ear"
# shellcheck disable=SC2086  # GATEWAY_JAVA_OPTS is a list of options
LAUNCH_JBOSS_IN_BACKGROUND=1 JAVA_OPTS="-Xms64m -Xmx512m ${GATEWAY_JAVA_OPTS:-}" "${WILDFLY}bin/standalone.sh" \
  -c standalone-full.xml -Djboss.server.base.dir="$SERVER" -Djboss.socket.binding.port-offset="$PORT_OFFSET" \
  > "$SERVER/console.log" 2>&1 &
WILDFLY_PID=$!
for _ in $(seq 360); do
  [[ -e $SERVER/deployments/dicomweb-gateway.ear.deployed ]] && break
  [[ -e $SERVER/deployments/dicomweb-gateway.ear.failed ]] && die "deployment failed: $(cat "$SERVER/deployments/dicomweb-gateway.ear.failed")"
  sleep 0.5
done
[[ -e $SERVER/deployments/dicomweb-gateway.ear.deployed ]] || die "the EAR was not deployed within 180 s ($SERVER/console.log)"
GATEWAY_PID=$(listener_pid "$HTTP_PORT")
[[ -n $GATEWAY_PID ]] || die "nothing listens on $HTTP_PORT"
code=$(curl -s -o "$WORK/aet.json" -w '%{http_code}' --max-time 30 "$GATEWAY_URL/aets/$AET") || code=000
[[ $code == 200 ]] || die "GET /aets/$AET answered $code: $(head -c 300 "$WORK/aet.json")"

# ---- data: the sample sets, stored into the AE through the gateway's STOW-RS ----
set_dir() { scripts/samples.sh gen $1; }   # "S SE I" -> its directory (generated once, then reused)
study_of() { basename "$(find "$1" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)"; }
series_of() { basename "$(find "$1/$2" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)"; }
count_dcm() { find "$1" -name '*.dcm' | wc -l; }
bytes_dcm() { find "$1" -name '*.dcm' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
stow() {   # directory -> seconds; dies unless 200 with every instance referenced
  local dir=$1 ct out t0 t1 refs fails n
  ct=$("$PYTHON" bench/multipart.py build "$WORK/body" "$dir")
  n=$(count_dcm "$dir")
  t0=$(now)
  out=$(curl -sS -o "$WORK/stow.json" -w '%{http_code}' --max-time "$BENCH_TIMEOUT_S" -X POST -H "Content-Type: $ct" \
        -H 'Accept: application/dicom+json' -H 'Expect:' --data-binary @"$WORK/body" "$GATEWAY_URL/aets/$AET/studies") || out=curl-failed
  t1=$(now)
  read -r refs fails <<<"$("$PYTHON" bench/multipart.py stow-response "$WORK/stow.json" 2>/dev/null || echo "0 0")"
  [[ $out == 200 && $refs -eq $n && $fails -eq 0 ]] || die "STOW-RS of $dir: HTTP $out, $refs of $n referenced, $fails failed: $(head -c 300 "$WORK/stow.json")"
  rm -f "$WORK/body"
  secs "$t0" "$t1"
}
BIG_DIR=$(set_dir "$BIG_SET"); BIG_STUDY=$(study_of "$BIG_DIR"); BIG_SERIES=$(series_of "$BIG_DIR" "$BIG_STUDY")
SMALL_DIR=$(set_dir "$SMALL_SET"); SMALL_STUDY=$(study_of "$SMALL_DIR")
BIG_N=$(count_dcm "$BIG_DIR/$BIG_STUDY"); BIG_BYTES=$(bytes_dcm "$BIG_DIR/$BIG_STUDY")
SMALL_N=$(count_dcm "$SMALL_DIR/$SMALL_STUDY")
note "storing $BIG_SET and $SMALL_SET into $AET through STOW-RS"
stow "$BIG_DIR/$BIG_STUDY" >/dev/null
stow "$SMALL_DIR/$SMALL_STUDY" >/dev/null
"$PYTHON" bench/multipart.py uids "$BIG_DIR/$BIG_STUDY" > "$WORK/big.uids"

echo "s3.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)"
echo "gateway $GATEWAY_URL (AE $AET, JVM pid $GATEWAY_PID), S3 $S3_ENDPOINT bucket $S3_BUCKET prefix $S3_PREFIX (pid ${S3_PID:-?}), SDK JVM pid $SDK_PID; RUNS=$RUNS WARMUP=$WARMUP"
echo

declare -A TIMES GWCPU S3CPU CLCPU LABEL
# One timed run of a target; appends to TIMES[target] and the CPU tallies (ticks of 10 ms).
timed() {   # target command...
  local t=$1; shift
  local g0 s0 c0 g1 s1 c1
  g0=$(cpu_ticks "$GATEWAY_PID"); s0=$(cpu_ticks "$S3_PID"); c0=$(cpu_ticks "$SDK_PID")
  RUN_SECONDS=""
  "$@"
  g1=$(cpu_ticks "$GATEWAY_PID"); s1=$(cpu_ticks "$S3_PID"); c1=$(cpu_ticks "$SDK_PID")
  TIMES[$t]+="$RUN_SECONDS "
  GWCPU[$t]+="$((g1 - g0)) "; S3CPU[$t]+="$((s1 - s0)) "; CLCPU[$t]+="$((c1 - c0)) "
}
rounds() {   # warm-up targets... : that many untimed then RUNS timed rounds, targets interleaved
  local r t warmup=$1; shift
  for r in $(seq "$warmup"); do for t in "$@"; do "run_$t"; done; done
  for t in "$@"; do TIMES[$t]=""; GWCPU[$t]=""; S3CPU[$t]=""; CLCPU[$t]=""; done
  for r in $(seq "$RUNS"); do for t in "$@"; do timed "$t" "run_$t"; done; note "round $r/$RUNS done"; done
}
table() {   # bytes objects targets...
  local bytes=$1 n=$2 t m; shift 2
  echo "| what | median s | runs min-max, s | objects/s | MB/s | gateway CPU s | S3Proxy CPU s | SDK JVM CPU s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for t in "$@"; do
    m=$(median "${TIMES[$t]}"); MED[$t]=$m
    printf '| %s | %.3f | %s | %.0f | %.0f | %.2f | %.2f | %.2f |\n' "${LABEL[$t]}" "$m" "$(spread "${TIMES[$t]}")" \
      "$(awk -v n="$n" -v s="$m" 'BEGIN { print n / s }')" "$(awk -v b="$bytes" -v s="$m" 'BEGIN { print b / 1e6 / s }')" \
      "$(awk -v s="$(median "${GWCPU[$t]}")" 'BEGIN { print s / 100 }')" "$(awk -v s="$(median "${S3CPU[$t]}")" 'BEGIN { print s / 100 }')" \
      "$(awk -v s="$(median "${CLCPU[$t]}")" 'BEGIN { print s / 100 }')"
  done
  echo
}
ratio() { awk -v a="${MED[$1]}" -v b="${MED[$2]}" 'BEGIN { printf "%.2f", b / a }'; }   # throughput of $1 / $2
declare -A MED

# ================= 1. WADO-RS of a study versus the SDK's GETs =================
if [[ " $PARTS " == *" wado "* ]]; then
  study_url="$GATEWAY_URL/aets/$AET/studies/$BIG_STUDY"
  ct=$(curl -sS -o "$WORK/wado.body" -w '%{content_type}' --max-time "$BENCH_TIMEOUT_S" -H "Accept: $ACCEPT" "$study_url")
  "$PYTHON" bench/multipart.py check "$WORK/wado.body" "$ct" "$WORK/big.uids" >"$WORK/check.json" \
    || die "the WADO-RS body of $BIG_STUDY is not the study: $(cat "$WORK/check.json")"
  WADO_SIZE=$(stat -c %s "$WORK/wado.body"); rm -f "$WORK/wado.body"
  run_gw_wado() {
    local t0 out; t0=$(now)
    out=$(curl -sS -o /dev/null -w '%{http_code} %{size_download}' --max-time "$BENCH_TIMEOUT_S" -H "Accept: $ACCEPT" "$study_url") || out=failed
    RUN_SECONDS=$(secs "$t0" "$(now)")
    [[ $out == "200 $WADO_SIZE" ]] || die "WADO-RS of $BIG_STUDY: $out, wanted 200 $WADO_SIZE bytes"
  }
  sdk_get() {   # client
    sdk get "$1" "$PARALLELISM" "$S3_PREFIX/$BIG_STUDY/"
    read -r RUN_SECONDS b n <<<"$SDK_ANSWER"
    [[ $b -eq $BIG_BYTES && $n -eq $BIG_N ]] || die "SDK GET ($1): $n objects, $b bytes; wanted $BIG_N, $BIG_BYTES"
  }
  run_sdk_get_apache5() { sdk_get apache5; }
  run_sdk_get_crt() { sdk_get crt; }
  LABEL[gw_wado]="gateway WADO-RS, curl -> /dev/null ($WADO_SIZE bytes of multipart)"
  LABEL[sdk_get_apache5]="SDK GetObject x $BIG_N, $PARALLELISM at a time, Apache HttpClient 5"
  LABEL[sdk_get_crt]="SDK GetObject x $BIG_N, $PARALLELISM at a time, CRT HTTP client"
  rounds "$WARMUP" gw_wado sdk_get_apache5 sdk_get_crt
  echo "### WADO-RS of a $BIG_N-instance study ($(awk -v b="$BIG_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB of objects) from S3, median of $RUNS"
  echo
  table "$BIG_BYTES" "$BIG_N" gw_wado sdk_get_apache5 sdk_get_crt
  echo "Throughput gateway / SDK over Apache HttpClient 5: $(ratio gw_wado sdk_get_apache5) (goal >= 0.9); gateway / SDK over CRT: $(ratio gw_wado sdk_get_crt); SDK Apache5 / CRT: $(ratio sdk_get_apache5 sdk_get_crt)."
  echo
fi

# ================= 2. STOW-RS versus the SDK's PUTs =================
if [[ " $PARTS " == *" stow "* ]]; then
  STOW_DIR=$(set_dir "$STOW_SET"); STOW_STUDY=$(study_of "$STOW_DIR")
  STOW_N=$(count_dcm "$STOW_DIR/$STOW_STUDY"); STOW_BYTES=$(bytes_dcm "$STOW_DIR/$STOW_STUDY")
  stow_ct=$("$PYTHON" bench/multipart.py build "$WORK/stow.body" "$STOW_DIR/$STOW_STUDY")
  run_gw_stow() {
    local t0 out refs fails; t0=$(now)
    out=$(curl -sS -o "$WORK/stow.json" -w '%{http_code}' --max-time "$BENCH_TIMEOUT_S" -X POST -H "Content-Type: $stow_ct" \
          -H 'Accept: application/dicom+json' -H 'Expect:' --data-binary @"$WORK/stow.body" "$GATEWAY_URL/aets/$AET/studies") || out=failed
    RUN_SECONDS=$(secs "$t0" "$(now)")
    read -r refs fails <<<"$("$PYTHON" bench/multipart.py stow-response "$WORK/stow.json" 2>/dev/null || echo "0 0")"
    [[ $out == 200 && $refs -eq $STOW_N && $fails -eq 0 ]] || die "STOW-RS: HTTP $out, $refs of $STOW_N referenced, $fails failed"
  }
  sdk_put() {   # client
    sdk put "$1" "$PARALLEL_STORES" "$STOW_DIR/$STOW_STUDY" "$S3_PREFIX/sdk-put"
    read -r RUN_SECONDS b n <<<"$SDK_ANSWER"
    [[ $b -eq $STOW_BYTES && $n -eq $STOW_N ]] || die "SDK PUT ($1): $n objects, $b bytes; wanted $STOW_N, $STOW_BYTES"
  }
  run_sdk_put_apache5() { sdk_put apache5; }
  run_sdk_put_crt() { sdk_put crt; }
  LABEL[gw_stow]="gateway STOW-RS, one POST of $STOW_N parts (curl; body from $BENCH_TMP)"
  LABEL[sdk_put_apache5]="SDK PutObject x $STOW_N, $PARALLEL_STORES at a time, Apache HttpClient 5"
  LABEL[sdk_put_crt]="SDK PutObject x $STOW_N, $PARALLEL_STORES at a time, CRT HTTP client"
  rounds "$STOW_WARMUP" gw_stow sdk_put_apache5 sdk_put_crt
  rm -f "$WORK/stow.body"
  echo "### STOW-RS of a $STOW_N-instance study ($(awk -v b="$STOW_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB) into S3, median of $RUNS"
  echo
  table "$STOW_BYTES" "$STOW_N" gw_stow sdk_put_apache5 sdk_put_crt
  echo "Throughput gateway / SDK over Apache HttpClient 5: $(ratio gw_stow sdk_put_apache5) (goal >= 0.8); gateway / SDK over CRT: $(ratio gw_stow sdk_put_crt). The gateway also parses the body, spools each part to a file, reads its header, PUTs its JSON too and keeps the index (two short transactions per instance: the reservation of its study, series and instance rows, then its completion)."
  echo
fi

# ================= 3. series metadata versus Orthanc's =================
if [[ " $PARTS " == *" metadata "* ]]; then
  meta_path="studies/$BIG_STUDY/series/$BIG_SERIES/metadata"
  if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$ORTHANC_URL/dicom-web/$meta_path") != 200 ]]; then
    note "loading $BIG_SET into Orthanc"
    scripts/samples.sh load $BIG_SET ORTHANC >/dev/null
  fi
  metadata() {   # url -> RUN_SECONDS; the array must hold exactly the series' instances
    local t0 out; t0=$(now)
    out=$(curl -sS -o "$WORK/meta.json" -w '%{http_code}' --max-time "$BENCH_TIMEOUT_S" -H 'Accept: application/dicom+json' "$1") || out=failed
    RUN_SECONDS=$(secs "$t0" "$(now)")
    [[ $out == 200 ]] || die "GET $1: $out"
    "$PYTHON" -c 'import json, sys
got = sorted(i["00080018"]["Value"][0] for i in json.load(open(sys.argv[1])))
want = sorted(open(sys.argv[2]).read().split())
sys.exit(0 if got == want else 1)' "$WORK/meta.json" "$WORK/big.uids" || die "GET $1: not the series' $BIG_N instances"
  }
  run_gw_meta_cold() {
    # Untimed: without its aggregate object the gateway reads every instance's JSON and writes a new aggregate.
    sdk delete "$S3_PREFIX/$BIG_STUDY/$BIG_SERIES/metadata.json"
    metadata "$GATEWAY_URL/aets/$AET/$meta_path"
  }
  run_gw_meta_warm() { metadata "$GATEWAY_URL/aets/$AET/$meta_path"; }
  run_orthanc_meta() { metadata "$ORTHANC_URL/dicom-web/$meta_path"; }
  LABEL[gw_meta_cold]="gateway, first request (no aggregate: $BIG_N instance JSONs, $PARALLELISM at a time, then a new aggregate)"
  LABEL[gw_meta_warm]="gateway, repeated (the series aggregate, one GET)"
  LABEL[orthanc_meta]="Orthanc's own DICOMweb"
  rounds "$WARMUP" gw_meta_cold gw_meta_warm orthanc_meta
  echo "### Series metadata of $BIG_N instances, median of $RUNS"
  echo
  table "$(stat -c %s "$WORK/meta.json")" "$BIG_N" gw_meta_cold gw_meta_warm orthanc_meta
  echo "(MB/s of Orthanc's last answer's size.) Orthanc / gateway time: cold $(ratio gw_meta_cold orthanc_meta), repeated $(ratio gw_meta_warm orthanc_meta) (goal: gateway <= Orthanc, i.e. >= 1)."
  echo
fi

# ================= 4. live heap while serving a small and a big study =================
if [[ " $PARTS " == *" heap "* ]]; then
  used_mb() { jstat -gc "$GATEWAY_PID" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                                             { printf "%.1f\n", ($c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]) / 1024 }'; }
  heap_probe() {   # study -> "idle_MB max_MB median_MB samples seconds"
    local url="$GATEWAY_URL/aets/$AET/studies/$1" pid samples="" t0
    jcmd "$GATEWAY_PID" GC.run >/dev/null
    local idle; idle=$(used_mb)
    t0=$(now)
    curl -sS -o /dev/null --limit-rate "$HEAP_RATE" --max-time "$BENCH_TIMEOUT_S" -H "Accept: $ACCEPT" "$url" &
    pid=$!
    sleep 0.3
    while kill -0 "$pid" 2>/dev/null; do
      jcmd "$GATEWAY_PID" GC.run >/dev/null
      kill -0 "$pid" 2>/dev/null && samples+="$(used_mb) "
      sleep 0.2
    done
    wait "$pid" || die "heap probe of $1: curl failed"
    [[ -n $samples ]] || samples="n/a"
    echo "$idle $(tr ' ' '\n' <<<"$samples" | grep -v '^$' | sort -g | tail -n 1) $(median "$samples") $(wc -w <<<"$samples") $(secs "$t0" "$(now)")"
  }
  echo "### The gateway's heap after a full GC while it serves WADO-RS (curl --limit-rate $HEAP_RATE)"
  echo
  echo "JVM: $(jcmd "$GATEWAY_PID" VM.flags 2>/dev/null | tr ' ' '\n' | grep -E 'MaxHeapSize|Use.*GC$' | tr '\n' ' ')"
  echo
  echo "| study | instances | run | idle, MB | while serving: max, MB | median, MB | samples | seconds |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for r in 1 2; do
    for s in small big; do
      if [[ $s == small ]]; then st=$SMALL_STUDY n=$SMALL_N; else st=$BIG_STUDY n=$BIG_N; fi
      read -r idle mx md ns sec <<<"$(heap_probe "$st")"
      echo "| $s | $n | $r | $idle | $mx | $md | $ns | $sec |"
    done
  done
  echo
fi
echo "s3.sh: done $(date -u +%Y-%m-%dT%H:%M:%SZ)"
