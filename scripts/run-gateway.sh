#!/usr/bin/env bash
# Builds and runs the gateway on a fresh machine (JDK 17, Maven, apt): installs what is missing, provisions WildFly,
# starts two loopback PACS (Orthanc as ORTHANC, dcmtk's dcmqrscp as DCMQRSCP) loaded with sample studies, a
# loopback S3 store (S3Proxy) and an empty second Orthanc (ORTHANC-DEST, the DICOMweb destination of retrieval tasks), deploys the EAR (its index database on H2, under the server's data directory) and
# prints URLs to try. Ctrl-C stops WildFly and the peers.
#
#   scripts/run-gateway.sh            the demo open to anyone (gateway.auth.mode=none; it says so)
#   scripts/run-gateway.sh --secure   the same demo with authentication on: bearer tokens from a loopback OIDC
#                                     provider (peers.sh's oauth, mock-oauth2-server), roles per AE; prints a command
#                                     that fetches a token and one that uses it (docs/security.md); and HTTPS (port
#                                     8443, TLS 1.2/1.3, a self-signed keystore made by scripts/https-keystore.sh in
#                                     work/https; docs/security.md, "Transport security")
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

SECURE=0
for arg in "$@"; do
  case "$arg" in
    --secure) SECURE=1 ;;
    *) echo "run-gateway: unknown argument $arg (usage: scripts/run-gateway.sh [--secure])" >&2; exit 2 ;;
  esac
done

# Whatever this run starts, it stops again on every exit (a failed step, Ctrl-C, the end): the trap is set before
# anything is started. Peers that were already running (a developer's) are left running.
WILDFLY_PID=""
STARTED_PEERS=""
# The demo's peers: not PostgreSQL, the demo's index is on H2.
DEMO_PEERS="orthanc orthanc-dest dcmqrscp s3proxy"
# --secure: the OIDC provider too, and the server's authentication settings as system properties (ordinal 400: over
# the config source's gateway.auth.mode=none), given on its command line so that nothing stays in the installation.
OAUTH=http://127.0.0.1:${OAUTH_PORT:-18092}/gateway
SERVER_PROPS=()
if [ "$SECURE" = 1 ]; then
  DEMO_PEERS="$DEMO_PEERS oauth"
  SERVER_PROPS=(-Dgateway.auth.mode=oidc -Dgateway.oidc.provider-url="$OAUTH" -Dgateway.oidc.client-id=dicomweb-gateway
    -Dgateway.aet.ORTHANC.roles.read=orthanc-read -Dgateway.aet.ORTHANC.roles.store=orthanc-store
    -Dgateway.aet.DCMQRSCP.roles.read=dcmqrscp-read)
fi
# An access token of the oauth peer for the caller a scope names (peers.sh: superuser, orthanc-reader, ...).
token_command() {
  echo "curl -s -u demo:demo -d grant_type=client_credentials -d scope=$1 $OAUTH/token | tr -d ' \\n' | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/'"
}
stop_all() {
  trap - EXIT INT TERM
  if [ -n "$WILDFLY_PID" ] || [ -n "$STARTED_PEERS" ]; then echo "run-gateway: stopping"; fi
  if [ -n "$WILDFLY_PID" ]; then kill "$WILDFLY_PID" 2>/dev/null && wait "$WILDFLY_PID" 2>/dev/null || true; fi
  for p in $STARTED_PEERS; do scripts/peers.sh stop "$p" >/dev/null || true; done
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

scripts/setup.sh
echo "run-gateway: building the EAR"
mvn -B -q -Dstyle.color=never package -DskipTests
WILDFLY=$(scripts/provision-wildfly.sh wildfly-config/loopback-peers.cli wildfly-config/datasource-h2.cli)
for p in $DEMO_PEERS; do
  # (status first, then grep: with pipefail, grep -q ending the pipe early would fail it with SIGPIPE)
  peer_status=$(scripts/peers.sh status "$p")
  if grep -q "stopped\|NOT ANSWERING" <<<"$peer_status"; then STARTED_PEERS="$STARTED_PEERS $p"; fi
  scripts/peers.sh start "$p"
done
echo "run-gateway: loading sample studies"
scripts/samples.sh load 2 2 10 ORTHANC DCMQRSCP >/dev/null

# A server directory of its own (fresh each run): the integration tests use the installation's pristine one.
SERVER="$ROOT/work/gateway-server"
rm -rf "$SERVER" && cp -r "$WILDFLY/standalone" "$SERVER"
[ "$SECURE" = 1 ] || cp gateway-ear/target/dicomweb-gateway.ear "$SERVER/deployments/"

# --secure, HTTPS: the https listener (gateway.cli) serves the self-signed demo keystore; without it, it has no
# certificate and refuses every handshake. (SERVER_PROPS has the authentication settings already.)
if [ "$SECURE" = 1 ]; then
  KEYSTORE=$(scripts/https-keystore.sh)
  SERVER_PROPS+=("-Dgateway.https.keystore=$KEYSTORE" "-Dgateway.https.keystore-password=gateway-demo")
fi

# With LAUNCH_JBOSS_IN_BACKGROUND, standalone.sh passes signals on to the JVM, so stopping it stops WildFly.
LAUNCH_JBOSS_IN_BACKGROUND=1 "$WILDFLY/bin/standalone.sh" -c standalone-full.xml -Djboss.server.base.dir="$SERVER" \
  "${SERVER_PROPS[@]}" > "$SERVER/console.log" 2>&1 &
WILDFLY_PID=$!

if [ "$SECURE" = 1 ]; then
  # gateway.cli's secure-deployment for the WAR, which loopback-peers.cli removed (mode none), added again to the
  # running server (its very line: the production settings), then the EAR.
  for _ in $(seq 1 120); do
    "$WILDFLY/bin/jboss-cli.sh" -c --command=':read-attribute(name=server-state)' 2>/dev/null | grep -q running && break
    kill -0 "$WILDFLY_PID" 2>/dev/null || { tail -n 30 "$SERVER/console.log" >&2; exit 1; }
    sleep 0.5
  done
  add_secure_deployment=$(grep -m 1 'secure-deployment=gateway-web.war:add(' wildfly-config/gateway.cli | sed 's/^ *//')
  "$WILDFLY/bin/jboss-cli.sh" -c --command="$add_secure_deployment" >/dev/null \
    || { echo "run-gateway: adding the secure-deployment failed: $add_secure_deployment" >&2; exit 1; }
  cp gateway-ear/target/dicomweb-gateway.ear "$SERVER/deployments/"
fi

for _ in $(seq 1 240); do
  [ -e "$SERVER/deployments/dicomweb-gateway.ear.deployed" ] && break
  if [ -e "$SERVER/deployments/dicomweb-gateway.ear.failed" ] || ! kill -0 "$WILDFLY_PID" 2>/dev/null; then
    echo "run-gateway: deployment failed:" >&2
    cat "$SERVER/deployments/dicomweb-gateway.ear.failed" 2>/dev/null >&2 || tail -n 30 "$SERVER/console.log" >&2
    exit 1
  fi
  sleep 0.5
done
[ -e "$SERVER/deployments/dicomweb-gateway.ear.deployed" ] || { echo "run-gateway: not deployed after 120 s" >&2; exit 1; }

# The AE S3 gets the same studies as ORTHANC, stored through the gateway's own STOW-RS (so that anyone can compare).
echo "run-gateway: storing the sample studies into the AE S3 (STOW-RS)"
if [ "$SECURE" = 1 ]; then SAMPLES_BEARER=$(eval "$(token_command superuser)"); export SAMPLES_BEARER; fi
scripts/samples.sh stow 2 2 10 http://127.0.0.1:8080/dicomweb/aets/S3/studies

cat <<TXT

The DICOMweb gateway is running (WildFly 37, server log: $SERVER/log/server.log). Try:
  curl http://127.0.0.1:8080/dicomweb/aets               # the configured PACS
  curl http://127.0.0.1:8080/dicomweb/aets/ORTHANC       # a live C-ECHO to Orthanc
  curl http://127.0.0.1:8080/dicomweb/aets/DCMQRSCP      # ... and to dcmtk's dcmqrscp
  curl http://127.0.0.1:9990/health/ready                # readiness: a C-ECHO per PACS
  curl http://127.0.0.1:9990/health/live                 # liveness: the gateway's Storage SCP
  curl -s http://127.0.0.1:9990/prometheus | grep ^dicomweb_gateway_   # Prometheus metrics (docs/metrics.md)
  curl 'http://127.0.0.1:8080/dicomweb/aets/ORTHANC/studies?limit=5'              # QIDO-RS
  curl 'http://127.0.0.1:8080/dicomweb/aets/DCMQRSCP/series?Modality=CT&includefield=all'
  curl 'http://127.0.0.1:8080/dicomweb/aets/ORTHANC-WEB/studies?limit=5'          # ... through Orthanc's own DICOMweb
  curl 'http://127.0.0.1:8080/dicomweb/aets/S3/studies?limit=5'                   # ... the same studies in S3 (S3Proxy)
  curl 'http://127.0.0.1:8080/dicomweb/aets/ORTHANC-DEID/studies?limit=5'         # ... ORTHANC de-identified (pseudonyms)
  curl http://127.0.0.1:8080/dicomweb/aets/S3/studies/{StudyInstanceUID}/metadata  # WADO-RS metadata from the bucket
  echoscu -aec DICOMWEB 127.0.0.1 11112                  # the gateway's own DICOM listener
  http://127.0.0.1:8080/dicomweb/status/tasks             # in a browser: the retrieval tasks status page
Orthanc's own web UI and DICOMweb (the PACS behind the gateway): http://127.0.0.1:18042/app/explorer.html
The S3 store behind the AE S3: http://127.0.0.1:18091, bucket dicomweb (objects under work/peers/s3proxy/data/dicomweb/demo/)
Retrieval jobs into ORTHANC-DEST (the second Orthanc, http://127.0.0.1:18043/app/explorer.html) by JMS, POST /tasks
and POST /inference: docs/jobs.md ("Worked examples")
Admin console (add a user first with $WILDFLY/bin/add-user.sh): http://127.0.0.1:9990
TXT
if [ "$SECURE" = 1 ]; then
  cat <<TXT

Authentication is ON (gateway.auth.mode=oidc, docs/security.md): every request above needs a bearer token from the
loopback OIDC provider $OAUTH (mock-oauth2-server). A token for a caller with the role orthanc-read, and its use:
  TOKEN=\$($(token_command orthanc-reader))
  curl -H "Authorization: Bearer \$TOKEN" 'http://127.0.0.1:8080/dicomweb/aets/ORTHANC/studies?limit=5'   # 200
  curl -H "Authorization: Bearer \$TOKEN" 'http://127.0.0.1:8080/dicomweb/aets/DCMQRSCP/studies'          # 403: needs dcmqrscp-read
  curl -i 'http://127.0.0.1:8080/dicomweb/aets'                                                           # 401 without a token
Other callers (scope=...): superuser (everything), orthanc-storer, dcmqrscp-reader, no-roles (scripts/peers.sh).
HTTPS (TLS 1.2/1.3, a self-signed certificate for localhost and 127.0.0.1; trust it with --cacert):
  curl --cacert $ROOT/work/https/gateway-https.crt -H "Authorization: Bearer \$TOKEN" https://localhost:8443/dicomweb/aets
  curl --cacert $ROOT/work/https/gateway-https.crt -H "Authorization: Bearer \$TOKEN" 'https://localhost:8443/dicomweb/aets/ORTHANC/studies?limit=5'
  openssl s_client -connect 127.0.0.1:8443 -tls1_1 </dev/null   # refused: TLS 1.2 and 1.3 only
TXT
else
  cat <<TXT

WARNING: authentication is OFF (gateway.auth.mode=none): anyone who reaches port 8080 reads and writes every AE.
scripts/run-gateway.sh --secure runs the same demo with OIDC bearer tokens and roles per AE (docs/security.md).
TXT
fi
echo "Press Ctrl-C to stop."
wait "$WILDFLY_PID"
