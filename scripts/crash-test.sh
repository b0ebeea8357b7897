#!/usr/bin/env bash
# The crash test (docs/jobs.md, "Crash safety"): a task copying a 500-instance study from Orthanc (AE ORTHANC, C-GET)
# into S3 (S3Proxy) is running when the WildFly JVM gets kill -9; the same server (same base directory, same Artemis
# journal, same PostgreSQL database) is started again, and the task must then end COMPLETED with every instance
# delivered and counted exactly once.
#
#   scripts/crash-test.sh        # scripts/test.sh runs it after the Maven suite; alone: under the IT lock,
#                                # flock /tmp/gateway-it.lock scripts/crash-test.sh
#
# Needs the EAR (gateway-ear/target/dicomweb-gateway.ear; built if missing), the WildFly installation provisioned
# with the test configuration (scripts/test.sh does it: run that once first), and the ports of the Arquillian suite's
# server free (8080, 9990, 11112): that server must be stopped. The server runs on a base directory of its own,
# work/crash-server/ (made afresh each run and left for its logs), so the suite's server directory is never touched.
# The destination is an S3 AE of this run only, CRASH-S3 with the prefix crash/<run>/ in the bucket dicomweb, given
# to the server as system properties (they outrank the configuration's source in MicroProfile Config), so nothing is
# written into the shared installation's configuration; the objects of earlier runs are deleted at the start.
# Peers it needs (orthanc, s3proxy, postgres) are started if they are not running, and those it started are stopped
# again; so is the server, on every exit. Prints one line, "crash-test: PASSED ..." or "crash-test: FAILED: ...",
# and exits non-zero on failure (the server's console and log stay in work/crash-server/).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ORTHANC_HTTP="http://127.0.0.1:${ORTHANC_HTTP_PORT:-18042}"
S3="http://127.0.0.1:${S3PROXY_PORT:-18091}"
S3_BUCKET=dicomweb
S3_USER=local-identity:local-credential
GATEWAY=http://127.0.0.1:8080/dicomweb
INSTANCES=500
# kill -9 once the task has delivered this many, and fail if it delivered more than KILL_BY by then: the crash
# must hit the middle of the task for the test to prove anything.
KILL_AT=50 KILL_BY=400
BOOT_TIMEOUT_S=120 TASK_TIMEOUT_S=120
SERVER="$ROOT/work/crash-server"
RUN=$(date -u +%Y%m%d%H%M%S)
TASK_ID="crash-test-$RUN"
DEST=CRASH-S3
DEST_PREFIX="crash/$RUN"

S3_DATA="$ROOT/work/peers/s3proxy/data/$S3_BUCKET"   # S3Proxy's filesystem store (scripts/peers.sh)

LAUNCHER="" JVM_PID="" STARTED_PEERS=""
answer=$(mktemp)
fail() { echo "crash-test: FAILED: $*"; exit 1; }
log() { echo "crash-test: $*" >&2; }

stop_all() {
  trap - EXIT INT TERM
  if [ -n "$LAUNCHER" ] && kill -0 "$LAUNCHER" 2>/dev/null; then
    # standalone.sh (LAUNCH_JBOSS_IN_BACKGROUND) passes the TERM on to the JVM and waits for it; a JVM that has not
    # stopped within 30 s gets kill -9
    kill "$LAUNCHER" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$LAUNCHER" 2>/dev/null || break; sleep 0.5; done
    local jvm=${JVM_PID:-$(cat "$SERVER/jvm.pid" 2>/dev/null || true)}
    if kill -0 "$LAUNCHER" 2>/dev/null && [ -n "$jvm" ]; then kill -9 "$jvm" 2>/dev/null || true; fi
    wait "$LAUNCHER" 2>/dev/null || true
  fi
  for p in $STARTED_PEERS; do scripts/peers.sh stop "$p" >/dev/null || true; done
  rm -f "$answer"
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

for port in 8080 9990 11112; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is in use (a WildFly still running? the crash test starts its own)"
  fi
done

# --- peers, the source study, the server directory --------------------------------------------------------------
for p in orthanc s3proxy postgres; do
  # (status first, then grep: with pipefail, grep -q ending the pipe early would fail it with SIGPIPE)
  peer_status=$(scripts/peers.sh status "$p")
  if grep -q "stopped\|NOT ANSWERING" <<<"$peer_status"; then STARTED_PEERS="$STARTED_PEERS $p"; fi
  scripts/peers.sh start "$p" >/dev/null
done

# The 500-instance study of scripts/test.sh (generated once under work/samples/, ~250 MB): loaded into Orthanc only
# if Orthanc does not hold all of it already.
SAMPLES=$(scripts/samples.sh gen 1 1 $INSTANCES)
STUDY=$(basename "$(find "$SAMPLES" -mindepth 1 -maxdepth 1 -type d)")
orthanc_count() {
  local id
  id=$(curl -sS --max-time 10 -X POST -d "$STUDY" "$ORTHANC_HTTP/tools/lookup" | jq -r '.[] | select(.Type == "Study") | .ID')
  if [ -z "$id" ]; then echo 0; return; fi
  curl -sS --max-time 10 "$ORTHANC_HTTP/studies/$id/statistics" | jq -r .CountInstances
}
if [ "$(orthanc_count)" != "$INSTANCES" ]; then
  log "loading the $INSTANCES-instance study into Orthanc"
  scripts/samples.sh load 1 1 $INSTANCES ORTHANC >/dev/null
fi

EAR="$ROOT/gateway-ear/target/dicomweb-gateway.ear"
if [ ! -s "$EAR" ]; then
  log "building the EAR"
  mvn -B -q -Dstyle.color=never package -DskipTests
fi
# The installation as scripts/test.sh provisions it (the test configuration, PostgreSQL datasource); test.sh passes it.
VERSION=$(sed -n 's:.*<wildfly.version>\(.*\)</wildfly.version>.*:\1:p' pom.xml)
WILDFLY=${CRASH_WILDFLY_HOME:-${GATEWAY_WORK_DIR:-$ROOT/work}/wildfly-$VERSION}
grep -q 'jdbc:postgresql' "$WILDFLY/standalone/configuration/standalone-full.xml" 2>/dev/null \
  || fail "$WILDFLY is not provisioned with the test configuration and PostgreSQL (scripts/test.sh does it)"

# Configuration and modules only: the installation's data/ (an Artemis journal of earlier suites) is not this test's.
rm -rf "$SERVER" && mkdir -p "$SERVER/deployments" "$SERVER/data" "$SERVER/log" "$SERVER/tmp"
cp -r "$WILDFLY/standalone/configuration" "$SERVER/"
[ ! -d "$WILDFLY/standalone/lib" ] || cp -r "$WILDFLY/standalone/lib" "$SERVER/"
cp "$EAR" "$SERVER/deployments/"
rm -rf "$S3_DATA/crash"

AETS=$(sed -n 's:.*<property name="gateway.aets" value="\([^"]*\)"/>.*:\1:p' "$SERVER/configuration/standalone-full.xml")
[ -n "$AETS" ] || fail "no gateway.aets in $WILDFLY/standalone/configuration/standalone-full.xml"
D="gateway.aet.$DEST"
SYSPROPS=(-Dgateway.aets="$AETS,$DEST" -D$D.backend=s3 -D$D.endpoint="$S3" -D$D.region=us-east-1
  -D$D.bucket=$S3_BUCKET -D$D.prefix="$DEST_PREFIX" -D$D.path-style=true -D$D.credentials=config
  -D$D.access-key-id="${S3_USER%%:*}" -D$D.secret-access-key="${S3_USER#*:}")

# --- the server ---------------------------------------------------------------------------------------------------
start_server() {
  rm -f "$SERVER/jvm.pid"
  JVM_PID=""
  JBOSS_PIDFILE="$SERVER/jvm.pid" JBOSS_JAVA_SIZING="-Xms256m -Xmx1g" LAUNCH_JBOSS_IN_BACKGROUND=1 \
    "$WILDFLY/bin/standalone.sh" -c standalone-full.xml -Djboss.server.base.dir="$SERVER" "${SYSPROPS[@]}" \
    >>"$SERVER/console.log" 2>&1 &
  LAUNCHER=$!
  local deadline=$((SECONDS + BOOT_TIMEOUT_S))
  # ready = the REST API answers (the deployment marker of the first boot is still there after a kill -9)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$GATEWAY/tasks?limit=1")" = 200 ]; do
    if ! kill -0 "$LAUNCHER" 2>/dev/null || [ -e "$SERVER/deployments/dicomweb-gateway.ear.failed" ]; then
      tail -n 30 "$SERVER/console.log" >&2
      fail "the server did not start or the EAR did not deploy ($1; see $SERVER/log/server.log)"
    fi
    [ $SECONDS -lt $deadline ] || fail "the server did not answer $GATEWAY/tasks within $BOOT_TIMEOUT_S s ($1)"
    sleep 0.5
  done
  JVM_PID=$(cat "$SERVER/jvm.pid")
}

task() { curl -sS --fail-with-body --max-time 10 "$GATEWAY/tasks/$TASK_ID"; }
final_state() { case $1 in COMPLETED|WARNING|FAILED|CANCELED) return 0;; *) return 1;; esac; }

t0=$SECONDS
start_server "first boot"
log "server up in $((SECONDS - t0)) s (JVM $JVM_PID); submitting $TASK_ID: study $STUDY (ORTHANC) -> $DEST ($DEST_PREFIX)"
request=$(jq -nc --arg id "$TASK_ID" --arg study "$STUDY" --arg dest "$DEST" \
  '{taskId: $id, source: "ORTHANC", retrieve: {studies: [{studyInstanceUid: $study}]}, destination: $dest}')
code=$(curl -sS -o "$answer" -w '%{http_code}' --max-time 10 -X POST -H 'Content-Type: application/json' \
  -d "$request" "$GATEWAY/tasks") || true
[ "$code" = 201 ] || fail "POST /tasks answered $code: $(head -c 500 "$answer")"

# --- kill -9 in the middle ----------------------------------------------------------------------------------------
deadline=$((SECONDS + TASK_TIMEOUT_S))
while :; do
  view=$(task) || fail "GET /tasks/$TASK_ID before the kill: $view"
  completed=$(jq -r .completed <<<"$view") state=$(jq -r .state <<<"$view")
  [ "$completed" -lt $KILL_AT ] || break
  ! final_state "$state" || fail "the task ended ($state, $completed completed) before $KILL_AT instances were seen"
  [ $SECONDS -lt $deadline ] || fail "the task had not delivered $KILL_AT instances after $TASK_TIMEOUT_S s: $view"
  sleep 0.1
done
kill -9 "$JVM_PID"
wait "$LAUNCHER" 2>/dev/null || true
LAUNCHER=""
[ "$completed" -le $KILL_BY ] || fail "the task had already delivered $completed when polled: too fast to kill in the middle"
log "killed the JVM (kill -9) at $completed/$INSTANCES completed, state $state"

# --- restart, wait until the task ends ----------------------------------------------------------------------------
t1=$SECONDS
start_server "restart after kill -9"
log "server up again in $((SECONDS - t1)) s (JVM $JVM_PID)"
deadline=$((SECONDS + TASK_TIMEOUT_S))
while :; do
  view=$(task) || fail "GET /tasks/$TASK_ID after the restart: $view"
  state=$(jq -r .state <<<"$view")
  ! final_state "$state" || break
  [ $SECONDS -lt $deadline ] || fail "the task was not over $TASK_TIMEOUT_S s after the restart: $view"
  sleep 0.5
done
log "task ended $((SECONDS - t1)) s after the restart: $(jq -c '{state, attempts, completed, failed, warning, remaining, reason}' <<<"$view")"

# --- assertions ---------------------------------------------------------------------------------------------------
problems=()
check() { [ "$2" = "$3" ] || problems+=("$1 is $2, expected $3"); }
check state "$state" COMPLETED
check completed "$(jq -r .completed <<<"$view")" $INSTANCES
check failed "$(jq -r .failed <<<"$view")" 0
check warning "$(jq -r .warning <<<"$view")" 0
attempts=$(jq -r .attempts <<<"$view")
# the attempt the kill cut is recorded, and the one that finished after the restart
[ "$attempts" -ge 2 ] 2>/dev/null || problems+=("attempts is $attempts, expected at least 2 (one cut by the kill)")

# Each delivered instance recorded once (task_instance's primary key is (task_id, sop_instance_uid)).
rows=$(PGPASSWORD=gateway psql -h 127.0.0.1 -p "${POSTGRES_PORT:-15432}" -U gateway -d dicomweb_gateway -Atq \
  -c "SELECT count(*) FROM task_instance WHERE task_id = '$TASK_ID'") || rows="(query failed)"
check "task_instance rows" "$rows" $INSTANCES

# The bucket holds exactly the study's instances under the run's prefix (an S3 ListObjectsV2, paged by continuation
# token, SigV4-signed by curl), and the S3 AE's index finds them (QIDO-RS).
uri() { jq -rn --arg v "$1" '$v | @uri'; }
s3_keys() {
  local token="" page query
  while :; do
    # curl (7.88) signs the query as given: parameters in sorted order, values percent-encoded by us; and S3Proxy
    # wants the payload's hash (of nothing, for a GET) in a header
    query="list-type=2&prefix=$(uri "$DEST_PREFIX/")"
    [ -z "$token" ] || query="continuation-token=$(uri "$token")&$query"
    page=$(curl -sS --fail --max-time 30 --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_USER" \
      -H "x-amz-content-sha256: $(sha256sum </dev/null | cut -d' ' -f1)" "$S3/$S3_BUCKET?$query") || return 1
    grep -o '<Key>[^<]*</Key>' <<<"$page" | sed 's:<Key>\(.*\)</Key>:\1:' || true
    token=$(grep -o '<NextContinuationToken>[^<]*</NextContinuationToken>' <<<"$page" | sed 's:<[^>]*>::g' || true)
    [ -n "$token" ] || return 0
  done
}
expected=$(find "$SAMPLES" -name '*.dcm' -printf '%f\n' | sed 's/\.dcm$//' | sort)
if keys=$(s3_keys); then
  stored=$(grep '\.dcm$' <<<"$keys" | sed 's:.*/::; s/\.dcm$//' | sort || true)
  check "instance objects under $DEST_PREFIX/" "$(grep -c . <<<"$stored" || true)" $INSTANCES
  [ "$stored" = "$expected" ] || problems+=("the objects under $DEST_PREFIX/ are not the study's instances")
else
  problems+=("listing s3://$S3_BUCKET/$DEST_PREFIX/ failed")
fi
qido=$(curl -sS --fail --max-time 30 "$GATEWAY/aets/$DEST/studies/$STUDY/instances" | jq length) || qido="(QIDO failed)"
check "QIDO-RS instances of $DEST" "$qido" $INSTANCES

if [ ${#problems[@]} -gt 0 ]; then
  fail "$(IFS=';'; echo "${problems[*]}") (killed at $completed; server log: $SERVER/log/server.log)"
fi
rm -rf "$S3_DATA/crash"
echo "crash-test: PASSED: kill -9 at $completed/$INSTANCES, restart, task COMPLETED after $attempts attempts with" \
  "$INSTANCES delivered once each (task_instance, S3 objects, QIDO) in $((SECONDS - t0)) s"
