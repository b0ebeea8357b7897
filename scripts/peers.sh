#!/usr/bin/env bash
# Real test peers on loopback, run as background processes (no root service, no systemd).
#
#   scripts/peers.sh start  [PEER|all]   # idempotent; waits (<=30 s) until the peer answers, or fails with the log tail
#   scripts/peers.sh stop   [PEER|all]   # stop by pid file, wait for the port to close; ok if not running
#   scripts/peers.sh status [PEER|all]   # one line per peer; exit 0
#   scripts/peers.sh wipe   [PEER|all]   # stop + delete the peer's storage (clean peer on next start)
#
# Peers (override the ports with the environment variables):
#   orthanc   PACS, AE ORTHANC   DICOM ${ORTHANC_DICOM_PORT:-14242}  HTTP ${ORTHANC_HTTP_PORT:-18042}
#             (DICOMweb at http://127.0.0.1:18042/dicom-web/)
#   orthanc-dest  a second Orthanc, the DICOMweb destination of retrieval tasks: AE ORTHANCDEST
#             DICOM ${ORTHANC_DEST_DICOM_PORT:-14243}  HTTP ${ORTHANC_DEST_HTTP_PORT:-18043}
#             (DICOMweb at http://127.0.0.1:18043/dicom-web/); its own storage, empty until tasks deliver to it
#   dcmqrscp  PACS, AE DCMQRSCP  DICOM ${DCMQRSCP_PORT:-11113}
#   orthanc-tls  a third Orthanc that speaks DICOM TLS only (BCP 195), AE ORTHANCTLS, DICOM ${ORTHANC_TLS_DICOM_PORT:-14244}
#             HTTP ${ORTHANC_TLS_HTTP_PORT:-18044} (plain, loopback); it requires a client certificate it trusts. Its own
#             storage. Key material (self-signed, made on first start) in work/peers/orthanc-tls/tls/: orthanc.key/.crt
#             (the peer's, also the client certificate of test TLS clients such as storescu +tls), gateway.key/.crt
#             and, for the gateway, gateway-keystore.p12 (its key and certificate) and gateway-truststore.p12
#             (orthanc.crt), both PKCS12 with password "changeit"; for failing handshakes stranger.p12, a truststore
#             without orthanc.crt, and stranger-keystore.p12, a key and certificate orthanc-tls does not trust.
#   s3proxy   S3 store (S3Proxy 4.1.0, filesystem provider), http://127.0.0.1:${S3PROXY_PORT:-18091}, path-style,
#             bucket "dicomweb", SigV2/SigV4 with access key "local-identity", secret "local-credential"
#             (a wrong secret is refused: 403 SignatureDoesNotMatch). Objects are files under work/peers/s3proxy/data/.
#             Starts in ~1.2 s (JVM included; measured on 2 cores). Its jar is fetched from Maven Central on first start.
#   postgres  PostgreSQL 15 (Debian's postgresql-15), 127.0.0.1:${POSTGRES_PORT:-15432} only, database
#             "dicomweb_gateway", role "gateway" password "gateway" (scram-sha-256); cluster under
#             work/peers/postgres/data (initdb on first start: ~1 s in all; later starts ~0.15 s). fsync is off: a
#             test peer, a crash of the machine may lose its data. As root, PostgreSQL runs as the "postgres" user; if
#             that user cannot reach work/, the cluster is in /tmp/dicomweb-gateway-postgres-<uid>/ (start says where).
#   oauth     OIDC provider for the secured mode (no.nav.security:mock-oauth2-server 6.0.2, standalone), issuers
#             http://127.0.0.1:${OAUTH_PORT:-18092}/gateway (the gateway's) and .../other (another key: wrong issuer).
#             Tokens: POST .../gateway/token grant_type=client_credentials with any client id and secret; the scope
#             picks the caller (write_oauth_config below): superuser, orthanc-reader, orthanc-storer,
#             dcmqrscp-reader, no-roles, wrong-audience, expired. Its jar and runtime classpath are fetched from
#             Maven Central into work/peers/oauth/lib/ on first start.
# C-MOVE destinations known to both PACS: DICOMWEB -> 127.0.0.1:${GATEWAY_SCP_PORT:-11112},
#                                         STORESCP -> 127.0.0.1:${STORESCP_PORT:-11119};
# and each other, for direct moves (gateway.aet.<AET>.move-destinations): Orthanc knows DCMQRSCP, dcmqrscp ORTHANC.
# State (configs, storage, logs, pid files) lives in $ROOT/work/peers/<peer>/.
# Use the same port variables for every subcommand (stop/status look at the ports of the current environment).
# Note: neither Orthanc 1.10 nor dcmqrscp 3.6.7 can bind to one address: they listen on 0.0.0.0
# (Orthanc's HTTP side answers loopback only: RemoteAccessAllowed=false). S3Proxy, PostgreSQL and oauth bind 127.0.0.1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/work/peers"
ORTHANC_DICOM_PORT="${ORTHANC_DICOM_PORT:-14242}"
ORTHANC_HTTP_PORT="${ORTHANC_HTTP_PORT:-18042}"
ORTHANC_DEST_DICOM_PORT="${ORTHANC_DEST_DICOM_PORT:-14243}"
ORTHANC_DEST_HTTP_PORT="${ORTHANC_DEST_HTTP_PORT:-18043}"
DCMQRSCP_PORT="${DCMQRSCP_PORT:-11113}"
ORTHANC_TLS_DICOM_PORT="${ORTHANC_TLS_DICOM_PORT:-14244}"
ORTHANC_TLS_HTTP_PORT="${ORTHANC_TLS_HTTP_PORT:-18044}"
GATEWAY_SCP_PORT="${GATEWAY_SCP_PORT:-11112}"
STORESCP_PORT="${STORESCP_PORT:-11119}"
S3PROXY_PORT="${S3PROXY_PORT:-18091}"
POSTGRES_PORT="${POSTGRES_PORT:-15432}"
OAUTH_PORT="${OAUTH_PORT:-18092}"
PLUGINS=/usr/share/orthanc/plugins
S3PROXY_VERSION=4.1.0
S3PROXY_JAR="$STATE/s3proxy/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
S3_BUCKET=dicomweb
PGBIN=/usr/lib/postgresql/15/bin
OAUTH_VERSION=6.0.2
# dcmtk and Orthanc only disable Nagle when this is set; without it every C-STORE stalls ~40 ms.
export TCP_NODELAY=1

die() { echo "peers.sh: $*" >&2; exit 1; }
for v in ORTHANC_DICOM_PORT ORTHANC_HTTP_PORT ORTHANC_DEST_DICOM_PORT ORTHANC_DEST_HTTP_PORT ORTHANC_TLS_DICOM_PORT \
    ORTHANC_TLS_HTTP_PORT DCMQRSCP_PORT GATEWAY_SCP_PORT STORESCP_PORT S3PROXY_PORT POSTGRES_PORT OAUTH_PORT; do
  [[ ${!v} =~ ^[0-9]+$ && ${!v} -ge 1 && ${!v} -le 65535 ]] || die "$v must be a TCP port number: '${!v}'"
done

aet_of()  { case "$1" in orthanc) echo ORTHANC;; orthanc-dest) echo ORTHANCDEST;; orthanc-tls) echo ORTHANCTLS;;
                         dcmqrscp) echo DCMQRSCP;; esac; }
# what identifies the peer's process in /proc/<pid>/cmdline (the two Orthancs by their configuration's directory)
bin_of()  { case "$1" in orthanc) echo "peers/orthanc/config.json";; orthanc-dest) echo "peers/orthanc-dest/config.json";;
                         orthanc-tls) echo "peers/orthanc-tls/config.json";;
                         dcmqrscp) echo dcmqrscp;; s3proxy) echo "s3proxy-$S3PROXY_VERSION";;
                         postgres) echo "$PGBIN/postgres";; oauth) echo StandaloneMockOAuth2ServerKt;; esac; }
port_of() { case "$1" in orthanc) echo "$ORTHANC_DICOM_PORT";; orthanc-dest) echo "$ORTHANC_DEST_DICOM_PORT";;
                         orthanc-tls) echo "$ORTHANC_TLS_DICOM_PORT";;
                         dcmqrscp) echo "$DCMQRSCP_PORT";;
                         s3proxy) echo "$S3PROXY_PORT";; postgres) echo "$POSTGRES_PORT";; oauth) echo "$OAUTH_PORT";; esac; }
http_port_of() { case "$1" in orthanc) echo "$ORTHANC_HTTP_PORT";; orthanc-dest) echo "$ORTHANC_DEST_HTTP_PORT";;
                              orthanc-tls) echo "$ORTHANC_TLS_HTTP_PORT";; esac; }
# the subdirectory of the peer's state that 'wipe' deletes
store_of() { case "$1" in orthanc|orthanc-dest|orthanc-tls|dcmqrscp) echo "$STATE/$1/db";; s3proxy) echo "$STATE/s3proxy/data";;
                          postgres) echo "$(pg_home)/data";; oauth) echo "$STATE/oauth/config.json";; esac; }
# one line about the peer for start/status
what_of() {
  case "$1" in
    orthanc)  echo "AE ORTHANC, port $ORTHANC_DICOM_PORT, HTTP $ORTHANC_HTTP_PORT";;
    orthanc-dest) echo "AE ORTHANCDEST, port $ORTHANC_DEST_DICOM_PORT, HTTP $ORTHANC_DEST_HTTP_PORT";;
    orthanc-tls) echo "AE ORTHANCTLS, DICOM TLS port $ORTHANC_TLS_DICOM_PORT, HTTP $ORTHANC_TLS_HTTP_PORT";;
    dcmqrscp) echo "AE DCMQRSCP, port $DCMQRSCP_PORT";;
    s3proxy)  echo "http://127.0.0.1:$S3PROXY_PORT, bucket $S3_BUCKET";;
    postgres) echo "127.0.0.1:$POSTGRES_PORT, database dicomweb_gateway, cluster $(pg_home)/data";;
    oauth)    echo "issuer http://127.0.0.1:$OAUTH_PORT/gateway";;
  esac
}

# PostgreSQL refuses to run as root: as root, its programs run as the "postgres" user of the Debian package, which
# must then be able to reach the cluster. If it cannot traverse the path to work/ (a home directory of mode 700, say),
# the cluster lives in /tmp instead; every subcommand decides the same way, so they all find it.
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_home() {
  mkdir -p "$STATE"
  if [[ $(id -u) -ne 0 ]] || runuser -u postgres -- test -x "$STATE" 2>/dev/null; then echo "$STATE/postgres"
  else echo "/tmp/dicomweb-gateway-postgres-$(id -u)"; fi
}
# The server's unix socket (for the set-up below and pg_isready) sits beside the cluster, unless that path is too
# long for a socket address (107 bytes).
pg_socket_dir() { local h; h=$(pg_home); if [[ ${#h} -le 80 ]]; then echo "$h"; else echo /tmp; fi; }

# PostgreSQL writes its own pid file (first line: the postmaster's pid); the others' is written at start.
pid_file_of() { if [[ $1 == postgres ]]; then echo "$(pg_home)/data/postmaster.pid"; else echo "$STATE/$1/pid"; fi; }

# pid recorded at start, if that process is still alive
live_pid() {
  local f pid
  f=$(pid_file_of "$1")
  [[ -s $f ]] || return 1
  pid=$(head -n 1 "$f")
  # alive and really ours (guards against a stale pid file whose pid was reused)
  kill -0 "$pid" 2>/dev/null && grep -qa "$(bin_of "$1")" "/proc/$pid/cmdline" && echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

echo_ok() {
  local tls=()
  [[ $1 != orthanc-tls ]] || tls=(+tls "$TLS_DIR/gateway.key" "$TLS_DIR/gateway.crt" +cf "$TLS_DIR/orthanc.crt")
  echoscu -to 2 -ta 5 -td 5 "${tls[@]}" -aet PROBE -aec "$(aet_of "$1")" 127.0.0.1 "$(port_of "$1")" >/dev/null 2>&1
}

# Orthanc opens its DICOM port before its HTTP port and exits if the latter fails: check both.
# shellcheck disable=SC2016  # $0 expands in the inner shell
http_ok() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "GET /system HTTP/1.0\r\n\r\n" >&3 &&
    head -c 12 <&3 | grep -q " 200"' "$(http_port_of "$1")" 2>/dev/null
}
# Any HTTP answer: S3Proxy answers an unsigned request with 403.
# shellcheck disable=SC2016
s3_http_ok() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "GET / HTTP/1.0\r\n\r\n" >&3 &&
    head -c 9 <&3 | grep -q "^HTTP/1\."' "$S3PROXY_PORT" 2>/dev/null
}
# The issuer's discovery document answers: WildFly's elytron-oidc-client reads it (and the keys) from there.
oauth_ok() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 3 \
        "http://127.0.0.1:$OAUTH_PORT/gateway/.well-known/openid-configuration") == 200 ]]
}
pg_ok() { "$PGBIN/pg_isready" -q -t 2 -h 127.0.0.1 -p "$POSTGRES_PORT" -d postgres; }
ready() {
  case $1 in
    orthanc|orthanc-dest|orthanc-tls) echo_ok "$1" && http_ok "$1";;
    dcmqrscp) echo_ok "$1";;
    s3proxy)  s3_http_ok;;
    postgres) pg_ok;;
    oauth)    oauth_ok;;
  esac
}

log_tail() {
  echo "---- last lines of $1's logs ----" >&2
  local d="$STATE/$1"
  [[ $1 != postgres ]] || d=$(pg_home)
  tail -n 30 "$d"/*.log >&2 2>/dev/null || true
}

# The DICOM TLS test material (see orthanc-tls above), made once: self-signed RSA certificates for 10 years.
TLS_DIR="$STATE/orthanc-tls/tls"
TLS_PASSWORD=changeit
make_tls_material() {
  [[ -s $TLS_DIR/gateway-truststore.p12 && -s $TLS_DIR/stranger.p12 && -s $TLS_DIR/stranger-keystore.p12 ]] && return 0
  command -v openssl >/dev/null && command -v keytool >/dev/null || die "orthanc-tls: openssl and keytool (JDK) needed"
  rm -rf "$TLS_DIR" && mkdir -p "$TLS_DIR"
  local name
  for name in orthanc gateway stranger; do
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=dicomweb-gateway-test-$name" \
      -addext "subjectAltName=IP:127.0.0.1" -keyout "$TLS_DIR/$name.key" -out "$TLS_DIR/$name.crt" 2>/dev/null \
      || die "orthanc-tls: openssl could not make the $name certificate"
  done
  for name in gateway stranger; do
    openssl pkcs12 -export -name "$name" -inkey "$TLS_DIR/$name.key" -in "$TLS_DIR/$name.crt" \
      -passout "pass:$TLS_PASSWORD" -out "$TLS_DIR/$name-keystore.p12" || die "orthanc-tls: pkcs12 export of $name failed"
  done
  for name in orthanc stranger; do
    keytool -importcert -noprompt -alias "$name" -file "$TLS_DIR/$name.crt" -storetype PKCS12 \
      -keystore "$TLS_DIR/$( [[ $name == orthanc ]] && echo gateway-truststore || echo stranger ).p12" \
      -storepass "$TLS_PASSWORD" >/dev/null 2>&1 || die "orthanc-tls: keytool could not make a truststore of $name.crt"
  done
  chmod 600 "$TLS_DIR"/*.key
}

# Orthanc's DICOM TLS (1.9+): TLS replaces plain DICOM on its one DICOM port. It trusts the gateway's certificate only
# and wants one from every client.
orthanc_tls_config() {
  [[ $1 == orthanc-tls ]] || return 0
  cat <<JSON
  "DicomTlsEnabled": true,
  "DicomTlsCertificate": "$TLS_DIR/orthanc.crt",
  "DicomTlsPrivateKey": "$TLS_DIR/orthanc.key",
  "DicomTlsTrustedCertificates": "$TLS_DIR/gateway.crt",
  "DicomTlsRemoteCertificateRequired": true,
JSON
}

# $1: orthanc, orthanc-dest or orthanc-tls (same configuration, their own AE, ports and storage; orthanc-tls with TLS)
write_orthanc_config() {
  local d="$STATE/$1"
  [[ -f $PLUGINS/libOrthancDicomWeb.so && -f $PLUGINS/libOrthancGdcm.so ]] \
    || die "Orthanc plugins missing in $PLUGINS (packages orthanc-dicomweb, orthanc-gdcm)"
  mkdir -p "$d/db"
  # DefaultEncoding Utf8: Orthanc answers C-FIND in this charset whatever the request asks; the stock
  # Latin1 silently drops characters outside Latin-1 (Dvořák -> "Dvoak").
  cat >"$d/config.json" <<EOF
{
  "Name": "test-$1",
  "StorageDirectory": "$d/db",
  "IndexDirectory": "$d/db",
  "DicomAet": "$(aet_of "$1")",
  "DicomPort": $(port_of "$1"),
  "HttpPort": $(http_port_of "$1"),
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
  "DicomAlwaysAllowEcho": true,
  "DicomAlwaysAllowStore": true,
  "DicomAlwaysAllowFind": true,
  "DicomAlwaysAllowGet": true,
  "DicomAlwaysAllowMove": true,
  "DicomCheckCalledAet": false,
  "UnknownSopClassAccepted": true,
  "SyncStorageArea": false,
  "SaveJobs": false,
  "DefaultEncoding": "Utf8",
$(orthanc_tls_config "$1")
  "Plugins": [ "$PLUGINS/libOrthancDicomWeb.so", "$PLUGINS/libOrthancGdcm.so" ],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" },
  "DicomModalities": {
    "DICOMWEB": { "AET": "DICOMWEB", "Host": "127.0.0.1", "Port": $GATEWAY_SCP_PORT },
    "STORESCP": { "AET": "STORESCP", "Host": "127.0.0.1", "Port": $STORESCP_PORT },
    "DCMQRSCP": { "AET": "DCMQRSCP", "Host": "127.0.0.1", "Port": $DCMQRSCP_PORT }
  }
}
EOF
}

write_dcmqrscp_config() {
  local d="$STATE/dcmqrscp"
  mkdir -p "$d/db"
  # No UserName/GroupName: as root dcmqrscp would otherwise switch to that (possibly absent) user.
  # Quota (500 studies, 1 GB/study) is the maximum dcmqrscp 3.6.7 accepts (larger values are clamped with a warning);
  # beyond 500 studies it silently deletes the oldest ones.
  # The HostTable entries are the only C-MOVE destinations dcmqrscp accepts; IP addresses work in 3.6.7.
  cat >"$d/dcmqrscp.cfg" <<EOF
NetworkTCPPort  = $DCMQRSCP_PORT
MaxPDUSize      = 16384
MaxAssociations = 16

HostTable BEGIN
gateway  = (DICOMWEB, 127.0.0.1, $GATEWAY_SCP_PORT)
storescp = (STORESCP, 127.0.0.1, $STORESCP_PORT)
orthanc  = (ORTHANC, 127.0.0.1, $ORTHANC_DICOM_PORT)
HostTable END

VendorTable BEGIN
VendorTable END

AETable BEGIN
DCMQRSCP  $d/db  RW  (500, 1024mb)  ANY
AETable END
EOF
}

fetch_s3proxy() {
  [[ -s $S3PROXY_JAR ]] && return 0
  local tmp
  tmp=$(mktemp -d)
  echo "s3proxy: fetching org.gaul:s3proxy:$S3PROXY_VERSION from Maven" >&2
  # Run outside the project so Maven does not read its pom.
  (cd "$tmp" && mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies" -DoutputDirectory="$tmp") >&2 \
    || { rm -rf "$tmp"; die "s3proxy: could not fetch org.gaul:s3proxy:$S3PROXY_VERSION (jar-with-dependencies)"; }
  mkdir -p "$(dirname "$S3PROXY_JAR")"
  mv "$tmp/${S3PROXY_JAR##*/}" "$S3PROXY_JAR"
  rm -rf "$tmp"
}

# mock-oauth2-server's jar and its runtime classpath (no fat jar on Maven Central): a throw-away pom outside the
# project, so that Maven resolves nothing of the project's.
fetch_oauth() {
  local lib="$STATE/oauth/lib" tmp
  [[ -s $lib/mock-oauth2-server-$OAUTH_VERSION.jar ]] && return 0
  tmp=$(mktemp -d)
  echo "oauth: fetching no.nav.security:mock-oauth2-server:$OAUTH_VERSION and its dependencies from Maven" >&2
  cat >"$tmp/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>oauth-peer</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>no.nav.security</groupId><artifactId>mock-oauth2-server</artifactId><version>$OAUTH_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  (cd "$tmp" && mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp/lib") >&2 \
    || { rm -rf "$tmp"; die "oauth: could not fetch no.nav.security:mock-oauth2-server:$OAUTH_VERSION"; }
  rm -rf "$lib"
  mkdir -p "$STATE/oauth"
  mv "$tmp/lib" "$lib"
  rm -rf "$tmp"
}

# The callers the tests and the --secure demo use, one per token request scope. Every token of issuer "gateway" is
# for the audience dicomweb-gateway (gateway.oidc.client-id) unless the case says otherwise; roles come in the three
# places elytron-oidc-client reads: a plain "roles" claim, realm_access.roles, resource_access.<client>.roles.
# Each has "typ": "Bearer", as Keycloak's access tokens do: elytron-oidc-client (2.6.4) refuses a bearer token without
# it ("ELY23051: Invalid bearer token", seen only at TRACE).
# Issuer "other" signs with a key of its own: a token from it is from the wrong issuer.
write_oauth_config() {
  local d="$STATE/oauth"
  fetch_oauth
  cat >"$d/config.json" <<'EOF'
{
  "interactiveLogin": false,
  "tokenCallbacks": [
    { "issuerId": "gateway", "tokenExpiry": 3600,
      "requestMappings": [
        { "requestParam": "scope", "match": "superuser",
          "claims": { "typ": "Bearer", "sub": "admin", "aud": ["dicomweb-gateway"], "realm_access": { "roles": ["gateway-superuser"] } } },
        { "requestParam": "scope", "match": "orthanc-reader",
          "claims": { "typ": "Bearer", "sub": "reader", "aud": ["dicomweb-gateway"], "roles": ["orthanc-read"] } },
        { "requestParam": "scope", "match": "orthanc-storer",
          "claims": { "typ": "Bearer", "sub": "storer", "aud": ["dicomweb-gateway"],
                      "resource_access": { "dicomweb-gateway": { "roles": ["orthanc-store"] } } } },
        { "requestParam": "scope", "match": "dcmqrscp-reader",
          "claims": { "typ": "Bearer", "sub": "dcmqrscp-reader", "aud": ["dicomweb-gateway"], "roles": ["dcmqrscp-read"] } },
        { "requestParam": "scope", "match": "no-roles",
          "claims": { "typ": "Bearer", "sub": "nobody", "aud": ["dicomweb-gateway"] } },
        { "requestParam": "scope", "match": "wrong-audience",
          "claims": { "typ": "Bearer", "sub": "admin", "aud": ["another-service"], "roles": ["gateway-superuser"] } },
        { "requestParam": "scope", "match": "expired",
          "claims": { "typ": "Bearer", "sub": "admin", "aud": ["dicomweb-gateway"], "roles": ["gateway-superuser"], "exp": 1600000000 } }
      ] },
    { "issuerId": "other", "tokenExpiry": 3600,
      "requestMappings": [
        { "requestParam": "scope", "match": "*",
          "claims": { "typ": "Bearer", "sub": "admin", "aud": ["dicomweb-gateway"], "roles": ["gateway-superuser"] } }
      ] }
  ]
}
EOF
}

write_s3proxy_config() {
  local d="$STATE/s3proxy"
  fetch_s3proxy
  # The filesystem provider keeps a bucket as a directory of that name (created here: the bucket exists at start),
  # and takes the bucket's ACL from the directory's POSIX mode: one that others may read (755, the usual umask) is a
  # PUBLIC-READ bucket that lists its objects to anonymous requests. 700 keeps it private, so that only signed
  # requests with the right secret get in.
  mkdir -p "$d/data/$S3_BUCKET"
  chmod 700 "$d/data/$S3_BUCKET"
  # Pitfalls: S3Proxy buffers a SigV4 request body that is not aws-chunked in memory to check its hash (up to
  # s3proxy.v4-max-non-chunked-request-size), so large objects should go as multipart uploads or chunked; and its error
  # answers to a bad signature echo the canonical request and string to sign (not the secret).
  cat >"$d/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3PROXY_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=local-identity
s3proxy.credential=local-credential
jclouds.provider=filesystem
jclouds.filesystem.basedir=$d/data
EOF
}

# The bucket is there and private: an anonymous GET of it is 403 AccessDenied (a missing bucket: 404 NoSuchBucket,
# which S3Proxy answers before it looks at the signature; a public one: 200 and the listing).
s3_bucket_ok() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$S3PROXY_PORT/$S3_BUCKET") || true
  [[ $code == 403 ]] || die "s3proxy: anonymous GET /$S3_BUCKET answered $code, not 403 (404: bucket missing, 200: bucket public)"
}

pg_init() {
  local h
  h=$(pg_home)
  [[ -f $h/data/PG_VERSION ]] && return 0
  [[ -x $PGBIN/initdb ]] || die "postgres: $PGBIN/initdb missing (Debian package postgresql-15; scripts/setup.sh installs it)"
  mkdir -p "$h"
  [[ $(id -u) -ne 0 ]] || chown postgres: "$h"
  rm -rf "$h/data"
  # Over the unix socket (mode 0700 below: only the cluster's own user, and root) the superuser gets in without a
  # password, to create the role and database; over TCP everyone needs one.
  as_pg "$PGBIN/initdb" -D "$h/data" -U postgres -E UTF8 --locale=C --auth-local=trust --auth-host=scram-sha-256 \
    >"$h/initdb.log" 2>&1 || { tail -n 20 "$h/initdb.log" >&2; die "postgres: initdb failed in $h/data"; }
  echo "postgres: new cluster in $h/data" >&2
}

# pg_ctl starts the server in the background in a session of its own (so no setsid here), logging to postgres.log.
pg_launch() {
  local h
  h=$(pg_home)
  pg_init
  rm -f "$h/postgres.log"
  # fsync, full_page_writes and synchronous_commit off: a test peer, faster; a crash of the machine may lose its data.
  as_pg "$PGBIN/pg_ctl" -D "$h/data" -l "$h/postgres.log" -W -s start -o "-c port=$POSTGRES_PORT \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories='$(pg_socket_dir)' -c unix_socket_permissions=0700 \
    -c fsync=off -c full_page_writes=off -c synchronous_commit=off" >/dev/null \
    || { log_tail postgres; die "postgres: pg_ctl start failed"; }
}

# The gateway's role and database, made (or their password reset) on every start: idempotent.
pg_setup() {
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(pg_socket_dir)" -p "$POSTGRES_PORT" -U postgres -d postgres >/dev/null <<'SQL' \
    || die "postgres: could not create the role gateway and the database dicomweb_gateway"
SELECT 'CREATE ROLE gateway LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gateway') \gexec
ALTER ROLE gateway PASSWORD 'gateway';
SELECT 'CREATE DATABASE dicomweb_gateway OWNER gateway'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'dicomweb_gateway') \gexec
SQL
}

# Runs the command line $2 (which execs the server) detached, recording its pid in work/peers/$1/pid.
launch() {
  local d="$STATE/$1"
  mkdir -p "$d"
  rm -f "$d/pid" "$d"/*.log    # one set of logs per run (dcmqrscp -v writes a few lines per instance)
  # setsid -f: new session (survives the calling shell, and pid == process group for a clean stop);
  # the inner shell records its own pid, then execs the server.
  # The server must not inherit the caller's other descriptors (e.g. a flock held around a test run).
  setsid -f nohup bash -c "for fd in /proc/\$\$/fd/*; do fd=\${fd##*/}; [ \$fd -gt 2 ] && eval \"exec \$fd>&-\"; done
    echo \$\$ >'$d/pid'; $2" >"$d/console.log" 2>&1 </dev/null
}

start_one() {
  local p=$1 d="$STATE/$1" pid port
  port=$(port_of "$p")
  local state=running
  if pid=$(live_pid "$p"); then
    state="already running"   # started earlier by us; still wait below in case it is starting up
  else
    for q in "$port" $(http_port_of "$p"); do
      port_open "$q" && die "$p: port $q is already in use by another process (not ours); stop it or set another port"
    done
    case $p in
      orthanc|orthanc-dest|orthanc-tls)
        [[ $p != orthanc-tls ]] || make_tls_material
        write_orthanc_config "$p"
        # --logfile rather than --logdir: one predictable file to tail
        launch "$p" "exec Orthanc --logfile='$d/orthanc.log' '$d/config.json'";;
      dcmqrscp)
        write_dcmqrscp_config
        # --fork is dcmqrscp's default on Linux (one child per association: concurrent C-FIND/MOVE/GET/STORE);
        # spelled out so it is visible. -dhl: no reverse DNS on every association. -v: one log line per request.
        launch "$p" "exec dcmqrscp --fork -dhl -v -c '$d/dcmqrscp.cfg'";;
      s3proxy)
        write_s3proxy_config
        # (without the status listener option, logback prints two dozen lines about itself first)
        launch "$p" "exec java -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
          -jar '$S3PROXY_JAR' --properties '$d/s3proxy.conf'";;
      postgres)
        pg_launch;;
      oauth)
        write_oauth_config
        launch "$p" "export JSON_CONFIG_PATH='$d/config.json' SERVER_HOSTNAME=127.0.0.1 SERVER_PORT=$OAUTH_PORT
          exec java -cp '$d/lib/*' no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt";;
    esac
    for _ in $(seq 50); do [[ -s $(pid_file_of "$p") ]] && break; sleep 0.1; done
    # /proc/<pid>/cmdline can read empty while the inner shell execs the server: look again before giving up.
    for _ in $(seq 20); do pid=$(live_pid "$p") && break; sleep 0.1; done
    [[ -n ${pid:-} ]] || { log_tail "$p"; die "$p: did not start"; }
  fi
  for _ in $(seq 60); do
    if ready "$p"; then
      case $p in s3proxy) s3_bucket_ok;; postgres) pg_setup;; esac
      echo "$p: $state (pid $pid, $(what_of "$p"))"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { log_tail "$p"; die "$p: process $pid exited during start-up"; }
    sleep 0.5
  done
  log_tail "$p"
  die "$p: not answering after 30 s ($(what_of "$p"); PACS: C-ECHO, orthanc also HTTP; s3proxy: HTTP; postgres: pg_isready); pid $pid left running: peers.sh stop $p"
}

stop_one() {
  local p=$1 pid port
  port=$(port_of "$p")
  if pid=$(live_pid "$p"); then
    if [[ $p == postgres ]]; then
      # SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for the clients, e.g. a connection pool, to leave)
      kill -INT "$pid" 2>/dev/null || true
    else
      # whole process group: dcmqrscp forks one child per association
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    fi
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$p: pid $pid ignored SIGTERM for 10 s, sending SIGKILL" >&2
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$STATE/$p/pid"
  for _ in $(seq 100); do port_open "$port" || { echo "$p: stopped"; return 0; }; sleep 0.1; done
  die "$p: port $port still open after stop (another process listens there?)"
}

status_one() {
  local p=$1 pid port
  port=$(port_of "$p")
  if pid=$(live_pid "$p"); then
    if ready "$p"; then echo "$p: running (pid $pid, $(what_of "$p"), answering)"
    else echo "$p: NOT ANSWERING (pid $pid alive, $(what_of "$p"))"; fi
  elif port_open "$port"; then echo "$p: stopped (but port $port is used by another process)"
  else echo "$p: stopped"; fi
}

wipe_one() {
  stop_one "$1"
  rm -rf "$(store_of "$1")"
  echo "$1: storage wiped"
}

peers_of() {
  case "${1:-all}" in
    all) echo orthanc orthanc-dest orthanc-tls dcmqrscp s3proxy postgres oauth;;
    orthanc|orthanc-dest|orthanc-tls|dcmqrscp|s3proxy|postgres|oauth) echo "$1";;
    *) die "unknown peer '$1' (orthanc|orthanc-dest|orthanc-tls|dcmqrscp|s3proxy|postgres|oauth|all)";;
  esac
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start|stop|wipe|status) peers=$(peers_of "${1:-all}");;   # (an assignment, so that die exits here)
  *) echo "usage: $0 start|stop|wipe|status [orthanc|orthanc-dest|orthanc-tls|dcmqrscp|s3proxy|postgres|oauth|all]" >&2; exit 2;;
esac
for p in $peers; do "${cmd}_one" "$p"; done
