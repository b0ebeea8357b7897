#!/usr/bin/env bash
# Makes a self-signed HTTPS key pair for the demo (scripts/run-gateway.sh --secure) and the tests: a PKCS12 keystore
# with one key (alias gateway, CN=localhost, subject alternative names localhost and 127.0.0.1, valid 90 days) and
# its certificate in PEM, for clients to trust (curl --cacert). Never for production: docs/deployment.md, "The HTTPS
# certificate". An existing keystore is kept while its certificate is valid for another day, so that clients that
# trust it keep working; otherwise it is made again.
#
#   scripts/https-keystore.sh [directory]     (default: work/https in the project)
#
# Its standard output is exactly one line, the keystore's path; its password is gateway-demo (a self-signed demo
# key guards nothing). The certificate is gateway-https.crt next to it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/work/https}
KEYSTORE="$DIR/gateway-https.p12"
CERT="$DIR/gateway-https.crt"
PASSWORD=gateway-demo

valid_for_a_day() {
  [ -s "$KEYSTORE" ] && [ -s "$CERT" ] && openssl x509 -in "$CERT" -noout -checkend 86400 >/dev/null
}
if ! valid_for_a_day; then
  mkdir -p "$DIR"
  rm -f "$KEYSTORE" "$CERT"
  keytool -genkeypair -alias gateway -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -validity 90 \
    -dname "CN=localhost, O=DICOMweb gateway demo" -ext "SAN=dns:localhost,ip:127.0.0.1" \
    -storetype PKCS12 -keystore "$KEYSTORE" -storepass "$PASSWORD" >&2
  keytool -exportcert -rfc -alias gateway -keystore "$KEYSTORE" -storepass "$PASSWORD" -file "$CERT" >&2
fi
echo "$KEYSTORE"
