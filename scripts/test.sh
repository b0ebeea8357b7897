#!/usr/bin/env bash
# Runs all tests on a fresh machine (JDK 17, Maven, apt): installs what is missing, provisions WildFly, starts the
# real test peers (Orthanc, dcmqrscp with sample studies; S3Proxy; PostgreSQL, which the tests' index datasource
# uses; the OIDC provider mock-oauth2-server, for SecuredModeIT), runs `mvn verify` (unit tests, DIMSE integration tests, Arquillian tests of the EAR in
# WildFly), then the crash test (scripts/crash-test.sh: kill -9 of WildFly in the middle of a task), and stops the
# peers again. Extra arguments go to Maven; a run with arguments (a selection of tests) skips the crash test unless
# CRASH_TEST=1, and CRASH_TEST=0 skips it always.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

for port in 8080 9990 11112; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "test.sh: port $port is in use (is scripts/run-gateway.sh running?); the tests start their own WildFly" >&2
    exit 1
  fi
done

scripts/setup.sh
# The self-signed HTTPS keystore the tests' server starts with (gateway-ear arquillian.xml; HttpsIT trusts it).
scripts/https-keystore.sh >/dev/null
# (test-s3-faults.cli: the S3 AEs with a wrong secret and a missing bucket, for the fault tests only;
# test-changefeed.cli: C-STOREs outside a C-MOVE ingested into S3, for ChangeFeedIT; test-tasks.cli: a destination
# that is down, an S3 AE of its own and fast retries, for the task tests only; test-cors.cli: the origin of CorsIT's
# browser page; test-dicom-tls.cli: the TLS AEs and the SCP's TLS port, for DicomTlsIT)
WILDFLY=$(scripts/provision-wildfly.sh wildfly-config/loopback-peers.cli wildfly-config/test-s3-faults.cli \
  wildfly-config/test-changefeed.cli wildfly-config/test-tasks.cli wildfly-config/test-cors.cli \
  wildfly-config/test-dicom-tls.cli \
  wildfly-config/datasource-postgresql.cli)
# Peers this script starts, it stops again; peers already running (a developer's) are left running.
# (status first, then grep: with pipefail, grep -q ending the pipe early would fail it with SIGPIPE)
peer_status=$(scripts/peers.sh status all)
if ! grep -q "stopped\|NOT ANSWERING" <<<"$peer_status"; then
  echo "test.sh: using the peers already running"
else
  trap 'scripts/peers.sh stop all >/dev/null' EXIT
fi
scripts/peers.sh start all
scripts/samples.sh load 2 2 5 ORTHANC DCMQRSCP >/dev/null
# One 500-instance study (~250 MB): a retrieval long enough to kill the PACS in the middle of it.
scripts/samples.sh load 1 1 500 ORTHANC >/dev/null
# Non-ASCII patient names in both single-byte and UTF-8 character sets, for the character set tests.
SAMPLES_CHARSET="ISO_IR 100" scripts/samples.sh load 1 1 1 ORTHANC DCMQRSCP >/dev/null
# 13 studies: names 11-13 lie outside Latin-1 (Dvořák^Antonín, Łukasiewicz^Paweł, a Greek name).
SAMPLES_CHARSET="ISO_IR 192" scripts/samples.sh load 13 1 1 ORTHANC DCMQRSCP >/dev/null
scripts/codec-samples.sh   # compressed copies of the samples, for the codec tests and frame ITs
npm ci --prefix interop --no-audit --no-fund >/dev/null   # npm dicomweb-client, for DicomwebClientIT
mvn -B verify "$@"
# (after the suite: its WildFly has stopped, and the crash test starts one of its own on the same ports)
full_suite=0; [ $# -gt 0 ] || full_suite=1
if [ "${CRASH_TEST:-$full_suite}" = 1 ]; then CRASH_WILDFLY_HOME="$WILDFLY" scripts/crash-test.sh; fi
