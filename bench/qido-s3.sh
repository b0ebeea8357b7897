#!/usr/bin/env bash
# QIDO-RS over the S3 index at 100 000 instances (not a test): loads the index of an S3 AE with synthetic studies, then
# times study searches through the gateway over HTTP, on PostgreSQL and on H2, and prints one table. Figures and their
# reading: docs/benchmarks.md ("QIDO-RS over the S3 index").
#
#     bench/qido-s3.sh [--db postgresql,h2] [--studies 2000] [--series 1] [--instances 50]
#                      [--warmup 1000] [--requests 500]
#
# What it does, for each database:
#  1. a WildFly of its own (GATEWAY_WORK_DIR, default work/bench-qido-s3: a copy of the provisioned one, so that the
#     installation the integration tests use is never reconfigured) gets gateway.cli, datasource-<db>.cli and one AE,
#     S3BENCH (backend s3, on the loopback S3Proxy: searches read only the index, never the bucket);
#  2. the index is filled by gateway-ejb's IndexLoader (test classes): Flyway's migrations, then rows written as the
#     gateway writes them (the same entities' columns, LevelAttributes' encoding), 2 000 studies x 1 series x 50
#     instances by default; the objects are not stored (QIDO-RS does not need them), which is the one shortcut;
#     PostgreSQL: the AE's rows in BENCH_DB_URL are replaced; H2: the server's own file database, before it starts;
#  3. the EAR is deployed on a fresh server directory with ports offset by PORT_OFFSET (HTTP 8080+offset; the
#     gateway's DICOM port 11112+offset), and bench/QidoS3Bench.java times each search (warm-up, then sequential
#     requests on one connection: p50/p95/max).
# It stops the WildFly it started on every exit. Environment: BENCH_DB_URL, BENCH_DB_USER, BENCH_DB_PASSWORD (default
# the peers.sh postgres peer: jdbc:postgresql://127.0.0.1:15432/dicomweb_gateway, gateway, gateway), PORT_OFFSET (300),
# SKIP_BUILD=1 (use the EAR and classes already built).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
die() { echo "qido-s3.sh: $*" >&2; exit 1; }

dbs=postgresql,h2 studies=2000 series=1 instances=50 warmup=1000 requests=500
while [ $# -gt 0 ]; do
  case $1 in
    --db) dbs=$2; shift ;;
    --studies) studies=$2; shift ;;
    --series) series=$2; shift ;;
    --instances) instances=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --requests) requests=$2; shift ;;
    *) die "unknown option $1" ;;
  esac
  shift
done
BENCH_DB_URL=${BENCH_DB_URL:-jdbc:postgresql://127.0.0.1:15432/dicomweb_gateway}
BENCH_DB_USER=${BENCH_DB_USER:-gateway}
BENCH_DB_PASSWORD=${BENCH_DB_PASSWORD:-gateway}
PORT_OFFSET=${PORT_OFFSET:-300}
HTTP_PORT=$((8080 + PORT_OFFSET))
export GATEWAY_WORK_DIR=${GATEWAY_WORK_DIR:-$ROOT/work/bench-qido-s3}
VERSION=$(sed -n 's:.*<wildfly.version>\(.*\)</wildfly.version>.*:\1:p' pom.xml)
for f in wildfly-config/datasource-h2.cli wildfly-config/datasource-postgresql.cli; do
  [ -r "$f" ] || die "$f missing (the index datasource scripts)"
done
(exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null && die "port $HTTP_PORT is in use; set PORT_OFFSET"

if [ "${SKIP_BUILD:-}" != 1 ]; then
  echo "qido-s3.sh: building the EAR and the loader" >&2
  mvn -B -q -Dstyle.color=never install -DskipTests >&2
  mvn -B -q -Dstyle.color=never test-compile -pl gateway-ejb >&2
fi
cp_file=$(mktemp)
WILDFLY_PID=""
cleanup() {
  if [ -n "$WILDFLY_PID" ]; then kill "$WILDFLY_PID" 2>/dev/null && wait "$WILDFLY_PID" 2>/dev/null || true; fi
  rm -f "$cp_file"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
mvn -B -q -Dstyle.color=never dependency:build-classpath -pl gateway-ejb -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >&2
LOADER_CP="gateway-ejb/target/classes:gateway-ejb/target/test-classes:$(cat "$cp_file")"

# A WildFly of the bench's own: copied from the provisioned one when there is one (no download), else unpacked.
if [ ! -x "$GATEWAY_WORK_DIR/wildfly-$VERSION/bin/standalone.sh" ] && [ -x "work/wildfly-$VERSION/bin/standalone.sh" ]; then
  mkdir -p "$GATEWAY_WORK_DIR"
  cp -r "work/wildfly-$VERSION" "$GATEWAY_WORK_DIR/"
fi
ae_cli="$GATEWAY_WORK_DIR/s3bench.cli"
mkdir -p "$GATEWAY_WORK_DIR"
cat > "$ae_cli" <<'CLI'
# A copied installation may hold a deployment that a test left in its configuration: the bench deploys its own.
if (outcome == success) of /deployment=dicomweb-gateway.ear:read-resource
    /deployment=dicomweb-gateway.ear:remove
end-if
/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway:map-put(name=properties, key=gateway.aets, value="S3BENCH")
/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway:map-put(name=properties, key=gateway.aet.S3BENCH.backend, value=s3)
/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway:map-put(name=properties, key=gateway.aet.S3BENCH.endpoint, value="http://127.0.0.1:18091")
/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway:map-put(name=properties, key=gateway.aet.S3BENCH.region, value=us-east-1)
/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway:map-put(name=properties, key=gateway.aet.S3BENCH.bucket, value=dicomweb)
/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway:map-put(name=properties, key=gateway.aet.S3BENCH.prefix, value=qido-bench)
/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway:map-put(name=properties, key=gateway.aet.S3BENCH.path-style, value=true)
/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway:map-put(name=properties, key=gateway.aet.S3BENCH.credentials, value=config)
/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway:map-put(name=properties, key=gateway.aet.S3BENCH.access-key-id, value=local-identity)
/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway:map-put(name=properties, key=gateway.aet.S3BENCH.secret-access-key, value=local-credential)
CLI

# The searches: one patient, a name prefix (~1 study in 50), a quarter of dates, every study; limit 25 as a study list.
QUERIES=(
  "list=studies?limit=25"
  "patient-id=studies?PatientID=PAT000123"
  "name-prefix=studies?PatientName=SMITH*&limit=25"
  "date-range=studies?StudyDate=20200101-20200331&limit=25"
  "modality=studies?ModalitiesInStudy=MR&limit=25"
  "accession=studies?AccessionNumber=ACC0001999"
  "study-instances=studies/1.2.826.0.1.3680043.10.1414.1000/instances?limit=100"
)

: > "$GATEWAY_WORK_DIR/load.txt"
printf "%-11s %-22s %7s %8s %8s %8s %6s\n" database search matches p50-ms p95-ms max-ms errors > "$GATEWAY_WORK_DIR/results.txt"
for db in ${dbs//,/ }; do
  WILDFLY=$(scripts/provision-wildfly.sh "wildfly-config/datasource-$db.cli" "$ae_cli")
  SERVER="$GATEWAY_WORK_DIR/server-$db"
  rm -rf "$SERVER" && cp -r "$WILDFLY/standalone" "$SERVER"
  java_opts=()
  if [ "$db" = h2 ]; then
    # WildFly's datasource-h2.cli URL, jdbc:h2:${jboss.server.data.dir}/dicomweb-gateway/index, loaded before it starts
    mkdir -p "$SERVER/data/dicomweb-gateway"
    java -cp "$LOADER_CP" org.dicomweb.gateway.backend.s3.index.IndexLoader \
      "jdbc:h2:$SERVER/data/dicomweb-gateway/index" sa sa S3BENCH "$studies" "$series" "$instances"
  else
    java -cp "$LOADER_CP" org.dicomweb.gateway.backend.s3.index.IndexLoader \
      "$BENCH_DB_URL" "$BENCH_DB_USER" "$BENCH_DB_PASSWORD" S3BENCH "$studies" "$series" "$instances"
    java_opts=("-Dgateway.db.url=$BENCH_DB_URL" "-Dgateway.db.user=$BENCH_DB_USER" "-Dgateway.db.password=$BENCH_DB_PASSWORD")
  fi
  cp gateway-ear/target/dicomweb-gateway.ear "$SERVER/deployments/"
  LAUNCH_JBOSS_IN_BACKGROUND=1 "$WILDFLY/bin/standalone.sh" -c standalone-full.xml -Djboss.server.base.dir="$SERVER" \
    -Djboss.socket.binding.port-offset="$PORT_OFFSET" -Dgateway.scp.port=$((11112 + PORT_OFFSET)) "${java_opts[@]}" \
    > "$SERVER/console.log" 2>&1 &
  WILDFLY_PID=$!
  for _ in $(seq 1 240); do
    [ -e "$SERVER/deployments/dicomweb-gateway.ear.deployed" ] && break
    if [ -e "$SERVER/deployments/dicomweb-gateway.ear.failed" ] || ! kill -0 "$WILDFLY_PID" 2>/dev/null; then
      tail -n 30 "$SERVER/console.log" >&2
      die "deployment failed on $db (log: $SERVER/log/server.log)"
    fi
    sleep 0.5
  done
  [ -e "$SERVER/deployments/dicomweb-gateway.ear.deployed" ] || die "not deployed after 120 s on $db"
  echo "$db: load average before the timed run: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$GATEWAY_WORK_DIR/load.txt"
  echo "qido-s3.sh: $db: ${#QUERIES[@]} searches: $warmup warm-up rounds of all, then $requests of each" >&2
  java bench/QidoS3Bench.java --url "http://127.0.0.1:$HTTP_PORT/dicomweb" --aet S3BENCH --label "$db" \
    --warmup "$warmup" --requests "$requests" "${QUERIES[@]}" >> "$GATEWAY_WORK_DIR/results.txt" || status=$?
  kill "$WILDFLY_PID" && wait "$WILDFLY_PID" 2>/dev/null || true
  WILDFLY_PID=""
done
echo
echo "QIDO-RS over the S3 index: $studies studies x $series series x $instances instances, $(nproc) CPUs, sequential requests"
cat "$GATEWAY_WORK_DIR/results.txt"
cat "$GATEWAY_WORK_DIR/load.txt"
exit "${status:-0}"
