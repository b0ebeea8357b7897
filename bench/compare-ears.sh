#!/usr/bin/env bash
# Runs bench/qido.sh and bench/wado.sh against two builds of the gateway, one after the other on the same WildFly,
# PACS and samples (not a test): to show that a change did not move the figures. Prints each build's tables,
# labelled; the reading goes into docs/benchmarks.md.
#
#     bench/compare-ears.sh BASELINE.ear CANDIDATE.ear      # e.g. an EAR built from an older commit, and this one
#
# It provisions WildFly with wildfly-config/loopback-peers.cli (scripts/provision-wildfly.sh), starts the test PACS
# (scripts/peers.sh) if they are not running, and for each EAR: a fresh server directory, deploy, wait (<= 120 s),
# bench/qido.sh, bench/wado.sh (PARTS, default "throughput"; "none": QIDO only), stop WildFly. Environment: QIDO_ARGS (extra arguments
# for bench/qido.sh), PARTS, RUNS (bench/wado.sh's), BASELINE_AETS: gateway.aets for the baseline only (a system
# property, which overrides the CLI's), for a baseline that lacks a backend some configured AE needs
# (e.g. BASELINE_AETS=ORTHANC,DCMQRSCP,ORTHANC-MOVE for a build from before the DICOMweb proxy backend).
# Bounded: each bench bounds its own calls; a full run takes about 6 minutes on a 2-core machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ $# -eq 2 ] && [ -f "$1" ] && [ -f "$2" ] || { echo "usage: bench/compare-ears.sh BASELINE.ear CANDIDATE.ear" >&2; exit 2; }
WILDFLY=$(scripts/provision-wildfly.sh wildfly-config/loopback-peers.cli)
scripts/peers.sh start all >/dev/null
SERVER="$ROOT/work/bench-server"
WILDFLY_PID=
stop_wildfly() {
  if [ -n "$WILDFLY_PID" ]; then kill "$WILDFLY_PID" 2>/dev/null && wait "$WILDFLY_PID" 2>/dev/null || true; fi
  WILDFLY_PID=
}
trap stop_wildfly EXIT
for ear in "$1" "$2"; do
  props=()
  if [ "$ear" = "$1" ] && [ -n "${BASELINE_AETS:-}" ]; then props=("-Dgateway.aets=$BASELINE_AETS"); fi
  rm -rf "$SERVER" && cp -r "$WILDFLY/standalone" "$SERVER"
  cp "$ear" "$SERVER/deployments/dicomweb-gateway.ear"
  LAUNCH_JBOSS_IN_BACKGROUND=1 "$WILDFLY/bin/standalone.sh" -c standalone-full.xml -Djboss.server.base.dir="$SERVER" \
    "${props[@]}" > "$SERVER/console.log" 2>&1 &
  WILDFLY_PID=$!
  for _ in $(seq 1 240); do
    [ -e "$SERVER/deployments/dicomweb-gateway.ear.deployed" ] && break
    [ -e "$SERVER/deployments/dicomweb-gateway.ear.failed" ] && { cat "$SERVER/deployments/dicomweb-gateway.ear.failed" >&2; exit 1; }
    sleep 0.5
  done
  [ -e "$SERVER/deployments/dicomweb-gateway.ear.deployed" ] || { echo "compare-ears: $ear not deployed in 120 s" >&2; exit 1; }
  echo "## $(basename "$ear") ($ear)"
  # shellcheck disable=SC2086  # QIDO_ARGS is a list of arguments
  bench/qido.sh ${QIDO_ARGS:-}
  [ "${PARTS:-}" = none ] || PARTS="${PARTS:-throughput}" bench/wado.sh
  stop_wildfly
done
