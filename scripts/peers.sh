#!/usr/bin/env bash
# Real test PACS on loopback, run as background processes (no root service, no systemd).
#
#   scripts/peers.sh start  [orthanc|dcmqrscp|all]   # idempotent; waits (<=30 s) for C-ECHO (+HTTP) or fails with the log tail
#   scripts/peers.sh stop   [orthanc|dcmqrscp|all]   # kill by pid file, wait for the port to close; ok if not running
#   scripts/peers.sh status [orthanc|dcmqrscp|all]   # one line per peer; exit 0
#   scripts/peers.sh wipe   [orthanc|dcmqrscp|all]   # stop + delete the peer's storage (clean PACS on next start)
#
# Peers (AE title, ports; override with the environment variables):
#   orthanc   AE ORTHANC   DICOM ${ORTHANC_DICOM_PORT:-14242}  HTTP ${ORTHANC_HTTP_PORT:-18042}
#             (DICOMweb at http://127.0.0.1:18042/dicom-web/)
#   dcmqrscp  AE DCMQRSCP  DICOM ${DCMQRSCP_PORT:-11113}
# C-MOVE destinations known to both: DICOMWEB -> 127.0.0.1:${GATEWAY_SCP_PORT:-11112},
#                                    STORESCP -> 127.0.0.1:${STORESCP_PORT:-11119}
# State (configs, storage, logs, pid files) lives in $ROOT/work/peers/<peer>/.
# Use the same port variables for every subcommand (stop/status look at the ports of the current environment).
# Note: neither Orthanc 1.10 nor dcmqrscp 3.6.7 can bind to one address: they listen on 0.0.0.0
# (Orthanc's HTTP side answers loopback only: RemoteAccessAllowed=false).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/work/peers"
ORTHANC_DICOM_PORT="${ORTHANC_DICOM_PORT:-14242}"
ORTHANC_HTTP_PORT="${ORTHANC_HTTP_PORT:-18042}"
DCMQRSCP_PORT="${DCMQRSCP_PORT:-11113}"
GATEWAY_SCP_PORT="${GATEWAY_SCP_PORT:-11112}"
STORESCP_PORT="${STORESCP_PORT:-11119}"
PLUGINS=/usr/share/orthanc/plugins
# dcmtk and Orthanc only disable Nagle when this is set; without it every C-STORE stalls ~40 ms.
export TCP_NODELAY=1

die() { echo "peers.sh: $*" >&2; exit 1; }
for v in ORTHANC_DICOM_PORT ORTHANC_HTTP_PORT DCMQRSCP_PORT GATEWAY_SCP_PORT STORESCP_PORT; do
  [[ ${!v} =~ ^[0-9]+$ && ${!v} -ge 1 && ${!v} -le 65535 ]] || die "$v must be a TCP port number: '${!v}'"
done

aet_of()  { case "$1" in orthanc) echo ORTHANC;; dcmqrscp) echo DCMQRSCP;; esac; }
bin_of()  { case "$1" in orthanc) echo Orthanc;; dcmqrscp) echo dcmqrscp;; esac; }
port_of() { case "$1" in orthanc) echo "$ORTHANC_DICOM_PORT";; dcmqrscp) echo "$DCMQRSCP_PORT";; esac; }

# pid recorded at start, if that process is still alive
live_pid() {
  local f="$STATE/$1/pid" pid
  [[ -s $f ]] || return 1
  pid=$(<"$f")
  # alive and really ours (guards against a stale pid file whose pid was reused)
  kill -0 "$pid" 2>/dev/null && grep -qa "$(bin_of "$1")" "/proc/$pid/cmdline" && echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

echo_ok() { echoscu -to 2 -ta 5 -td 5 -aet PROBE -aec "$(aet_of "$1")" 127.0.0.1 "$(port_of "$1")" >/dev/null 2>&1; }

# Orthanc opens its DICOM port before its HTTP port and exits if the latter fails: check both.
# shellcheck disable=SC2016  # $0 expands in the inner shell
http_ok() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "GET /system HTTP/1.0\r\n\r\n" >&3 &&
    head -c 12 <&3 | grep -q " 200"' "$ORTHANC_HTTP_PORT" 2>/dev/null
}
ready() { echo_ok "$1" && { [[ $1 != orthanc ]] || http_ok; }; }

log_tail() {
  echo "---- last lines of $1's logs ----" >&2
  tail -n 30 "$STATE/$1"/*.log >&2 2>/dev/null || true
}

write_orthanc_config() {
  local d="$STATE/orthanc"
  [[ -f $PLUGINS/libOrthancDicomWeb.so && -f $PLUGINS/libOrthancGdcm.so ]] \
    || die "Orthanc plugins missing in $PLUGINS (packages orthanc-dicomweb, orthanc-gdcm)"
  mkdir -p "$d/db"
  # DefaultEncoding Utf8: Orthanc answers C-FIND in this charset whatever the request asks; the stock
  # Latin1 silently drops characters outside Latin-1 (Dvořák -> "Dvoak").
  cat >"$d/config.json" <<EOF
{
  "Name": "test-orthanc",
  "StorageDirectory": "$d/db",
  "IndexDirectory": "$d/db",
  "DicomAet": "ORTHANC",
  "DicomPort": $ORTHANC_DICOM_PORT,
  "HttpPort": $ORTHANC_HTTP_PORT,
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
  "Plugins": [ "$PLUGINS/libOrthancDicomWeb.so", "$PLUGINS/libOrthancGdcm.so" ],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" },
  "DicomModalities": {
    "DICOMWEB": { "AET": "DICOMWEB", "Host": "127.0.0.1", "Port": $GATEWAY_SCP_PORT },
    "STORESCP": { "AET": "STORESCP", "Host": "127.0.0.1", "Port": $STORESCP_PORT }
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
HostTable END

VendorTable BEGIN
VendorTable END

AETable BEGIN
DCMQRSCP  $d/db  RW  (500, 1024mb)  ANY
AETable END
EOF
}

start_one() {
  local p=$1 d="$STATE/$1" pid port cmd
  port=$(port_of "$p")
  local state=running
  if pid=$(live_pid "$p"); then
    state="already running"   # started earlier by us; still wait below in case it is starting up
  else
    for q in "$port" $([[ $p == orthanc ]] && echo "$ORTHANC_HTTP_PORT"); do
      port_open "$q" && die "$p: port $q is already in use by another process (not ours); stop it or set another port"
    done
    mkdir -p "$d"
    rm -f "$d/pid"
    case $p in
      orthanc)
        write_orthanc_config
        # --logfile rather than --logdir: one predictable file to tail
        cmd="exec Orthanc --logfile='$d/orthanc.log' '$d/config.json'";;
      dcmqrscp)
        write_dcmqrscp_config
        # --fork is dcmqrscp's default on Linux (one child per association: concurrent C-FIND/MOVE/GET/STORE);
        # spelled out so it is visible. -dhl: no reverse DNS on every association. -v: one log line per request.
        cmd="exec dcmqrscp --fork -dhl -v -c '$d/dcmqrscp.cfg'";;
    esac
    # setsid -f: new session (survives the calling shell, and pid == process group for a clean stop);
    # the inner shell records its own pid, then execs the server.
    rm -f "$d"/*.log    # one set of logs per run (dcmqrscp -v writes a few lines per instance)
    # The server must not inherit the caller's other descriptors (e.g. a flock held around a test run).
    setsid -f nohup bash -c "for fd in /proc/\$\$/fd/*; do fd=\${fd##*/}; [ \$fd -gt 2 ] && eval \"exec \$fd>&-\"; done
      echo \$\$ >'$d/pid'; $cmd" >"$d/console.log" 2>&1 </dev/null
    for _ in $(seq 50); do [[ -s $d/pid ]] && break; sleep 0.1; done
    # /proc/<pid>/cmdline can read empty while the inner shell execs the server: look again before giving up.
    for _ in $(seq 20); do pid=$(live_pid "$p") && break; sleep 0.1; done
    [[ -n ${pid:-} ]] || { log_tail "$p"; die "$p: did not start"; }
  fi
  for _ in $(seq 60); do
    if ready "$p"; then echo "$p: $state (pid $pid, AE $(aet_of "$p"), port $port)"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { log_tail "$p"; die "$p: process $pid exited during start-up"; }
    sleep 0.5
  done
  log_tail "$p"
  die "$p: not answering after 30 s (C-ECHO on 127.0.0.1:$port; for orthanc also HTTP on $ORTHANC_HTTP_PORT); pid $pid left running: peers.sh stop $p"
}

stop_one() {
  local p=$1 pid port
  port=$(port_of "$p")
  if pid=$(live_pid "$p"); then
    # whole process group: dcmqrscp forks one child per association
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
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
  local p=$1 pid port extra=""
  port=$(port_of "$p")
  [[ $p == orthanc ]] && extra=", HTTP $ORTHANC_HTTP_PORT"
  if pid=$(live_pid "$p"); then
    if ready "$p"; then echo "$p: running (pid $pid, AE $(aet_of "$p"), port $port$extra, answering)"
    else echo "$p: NOT ANSWERING (pid $pid alive, AE $(aet_of "$p"), port $port$extra)"; fi
  elif port_open "$port"; then echo "$p: stopped (but port $port is used by another process)"
  else echo "$p: stopped"; fi
}

wipe_one() {
  stop_one "$1"
  rm -rf "$STATE/$1/db"
  echo "$1: storage wiped"
}

peers_of() {
  case "${1:-all}" in
    all) echo orthanc dcmqrscp;;
    orthanc|dcmqrscp) echo "$1";;
    *) die "unknown peer '$1' (orthanc|dcmqrscp|all)";;
  esac
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start|stop|wipe|status) peers=$(peers_of "${1:-all}");;   # (an assignment, so that die exits here)
  *) echo "usage: $0 start|stop|wipe|status [orthanc|dcmqrscp|all]" >&2; exit 2;;
esac
for p in $peers; do "${cmd}_one" "$p"; done
