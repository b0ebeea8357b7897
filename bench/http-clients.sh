#!/usr/bin/env bash
# HTTP client benchmark for the DICOMweb proxy backend (not a test): curl (the baseline), the JDK's
# java.net.http.HttpClient and Apache HttpClient 5 classic, side by side in one JVM run against Orthanc's own
# DICOMweb: WADO-RS of a 500-instance study (one at a time and CONC at once), QIDO-RS latency, a streamed STOW-RS
# upload, and what each client's timeouts do against a server that stalls. Prints markdown tables; results and the
# reading: docs/benchmarks.md ("HTTP client for the DICOMweb proxy"). The measuring code: bench/HttpClientBench.java.
#
#     bench/http-clients.sh                                  # while developing
#     flock /tmp/gateway-it.lock bench/http-clients.sh      # for figures: no integration test runs meanwhile
#
# It starts Orthanc (scripts/peers.sh start orthanc) if it is not running, and leaves it running either way. It loads
# the sample set 1x1x500 into Orthanc (C-STORE, scripts/samples.sh load) if Orthanc lacks some of its instances. The
# STOW-RS part re-sends STOW instances of that study: Orthanc acknowledges an instance it already has without storing
# it again, so nothing is left behind (Orthanc still receives and parses every part).
#
# Environment (defaults in brackets):
#   ORTHANC_HTTP_PORT [18042]  HTTPCLIENT5_VERSION [5.6.5]
#   RUNS [5] WARMUP [2] CONC [8] CONC_RUNS [3] QIDO [200] STOW [50] TIMEOUT_S [60]  (see HttpClientBench.java)
#   JAVA_OPTS [-Xmx128m]: the 263 MB study does not fit: every client must stream it
#   BENCH_TMP where temporary files go [/dev/shm if writable, else /tmp]
# Bounded: every request has a timeout, the JVM is killed after 240 s; a run takes about a minute on 2 cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORTHANC_HTTP_PORT="${ORTHANC_HTTP_PORT:-18042}"
BASE="http://127.0.0.1:$ORTHANC_HTTP_PORT"
HTTPCLIENT5_VERSION="${HTTPCLIENT5_VERSION:-5.6.5}"
JAVA_OPTS="${JAVA_OPTS:--Xmx128m}"
export TCP_NODELAY=1

die() { echo "http-clients.sh: $*" >&2; exit 1; }
note() { echo "http-clients.sh: $*" >&2; }
for tool in java mvn curl; do command -v "$tool" >/dev/null || die "$tool not found"; done
if [[ -z ${BENCH_TMP:-} ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then BENCH_TMP=/dev/shm; else BENCH_TMP=/tmp; fi
fi
WORK=$(mktemp -d "$BENCH_TMP/httpbench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# ---- Orthanc and the study ----
"$ROOT/scripts/peers.sh" start orthanc >&2
orthanc_instances() {   # study UID -> instances Orthanc holds of it (0 if none)
  local id
  id=$(curl -sS --max-time 10 -X POST "$BASE/tools/lookup" -d "$1" | grep -o '"ID" : "[^"]*"' | head -n 1 | cut -d'"' -f4 || true)
  [[ -n $id ]] || { echo 0; return; }
  curl -sS --max-time 10 "$BASE/studies/$id/statistics" | grep -o '"CountInstances" : [0-9]*' | grep -o '[0-9]*$'
}
DIR=$("$ROOT/scripts/samples.sh" gen 1 1 500)
STUDY=$(basename "$(find "$DIR" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)")
WANT=$(find "$DIR/$STUDY" -name '*.dcm' | wc -l)
HAVE=$(orthanc_instances "$STUDY")
if [[ $HAVE -lt $WANT ]]; then
  note "loading 1x1x500 into Orthanc ($HAVE/$WANT instances of $STUDY there)"
  "$ROOT/scripts/samples.sh" load 1 1 500 ORTHANC >&2
  HAVE=$(orthanc_instances "$STUDY")
  [[ $HAVE -ge $WANT ]] || die "Orthanc holds $HAVE/$WANT instances of $STUDY after loading"
fi

# ---- httpclient5 and its dependencies, resolved by Maven (offline first: ~/.m2 usually has them) ----
cat >"$WORK/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>httpclient-bench</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.httpcomponents.client5</groupId><artifactId>httpclient5</artifactId>
      <version>$HTTPCLIENT5_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
resolve() { timeout 300 mvn -B -q "$@" -f "$WORK/pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >"$WORK/mvn.log" 2>&1; }
resolve -o || resolve || die "could not resolve httpclient5 $HTTPCLIENT5_VERSION: $(tail -n 5 "$WORK/mvn.log")"
CP=$(<"$WORK/cp.txt")

echo "http-clients.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Orthanc $(curl -sS --max-time 5 "$BASE/system" | grep -o '"Version" : "[^"]*"' | head -n 1 | cut -d'"' -f4) DICOMweb at $BASE/dicom-web, study $STUDY ($WANT instances); $(curl --version | head -n 1 | cut -d' ' -f1-2)"
echo "httpclient5 $HTTPCLIENT5_VERSION class path (what the EAR would bundle, slf4j-api aside: WildFly provides it):"
tr ':' '\n' <"$WORK/cp.txt" | while read -r jar; do printf '  %-28s %5d KiB\n' "$(basename "$jar")" $(( $(stat -c %s "$jar") / 1024 )); done
echo

# shellcheck disable=SC2086  # JAVA_OPTS is a list of options
timeout 240 java $JAVA_OPTS -Djava.io.tmpdir="$WORK" \
  -Druns="${RUNS:-5}" -Dwarmup="${WARMUP:-2}" -Dconc="${CONC:-8}" -DconcRuns="${CONC_RUNS:-3}" \
  -Dqido="${QIDO:-200}" -Dstow="${STOW:-50}" -DtimeoutS="${TIMEOUT_S:-60}" \
  -cp "$CP" "$ROOT/bench/HttpClientBench.java" "$BASE/dicom-web" "$STUDY" "$DIR/$STUDY" \
  || die "HttpClientBench failed (exit $?)"
echo
echo "http-clients.sh: done $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
