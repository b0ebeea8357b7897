#!/usr/bin/env bash
# WADO-RS and STOW-RS benchmark (not a test), on loopback, median of 3 runs each. Starts nothing: run
# scripts/run-gateway.sh in another terminal first (gateway on :8080, Orthanc on 14242/18042).
#   WADO: one study of 500 CT-like instances (~263 MB) from Orthanc: gateway C-GET (AE ORTHANC), gateway C-MOVE
#         (AE ORTHANC-MOVE), dcmtk getscu and movescu (to a storescp on 11119) direct, Orthanc's own WADO-RS.
#   STOW: 100 new CT-like instances into Orthanc: gateway STOW-RS (one request), dcmtk storescu (one association),
#         Orthanc's own STOW-RS. The multipart bodies are built before the timed part.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GW=${GATEWAY_URL:-http://127.0.0.1:8080/dicomweb}
export TCP_NODELAY=1
STORESCP=""
TMP=$(mktemp -d); trap '[ -z "$STORESCP" ] || kill "$STORESCP" 2>/dev/null || true; rm -rf "$TMP"' EXIT
ACCEPT='Accept: multipart/related; type="application/dicom"; transfer-syntax=*'

"$ROOT/scripts/samples.sh" load 1 1 500 ORTHANC >/dev/null
STUDY=$(ls "$("$ROOT/scripts/samples.sh" path 1 1 500)")
median() { sort -n | sed -n 2p; }
timeit() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
http() { curl -s -o /dev/null -w '%{time_total} %{time_starttransfer} %{size_download}\n' -H "$ACCEPT" "$1"; }

row() { # name, then 3 lines "total first-byte bytes" on stdin: the median run by total time
  sort -n | sed -n 2p | awk -v n="$1" '{printf "| %s | %.3f | %.0f | %s |\n", n, $1, $3/1e6/$1, ($2=="n/a" ? "n/a" : sprintf("%.3f", $2))}'
}
echo "| WADO-RS, study of 500 instances | seconds (median of 3) | MB/s | time to first byte, s |"
echo "|---|---:|---:|---:|"
for aet in ORTHANC ORTHANC-MOVE; do
  for i in 1 2 3; do http "$GW/aets/$aet/studies/$STUDY"; done | row "gateway $aet ($([ $aet = ORTHANC ] && echo C-GET || echo C-MOVE))"
done
for i in 1 2 3; do http "http://127.0.0.1:18042/dicom-web/studies/$STUDY"; done | row "Orthanc's own DICOMweb"
BYTES=$(du -sb "$("$ROOT/scripts/samples.sh" path 1 1 500)" | cut -f1)
for i in 1 2 3; do rm -rf "$TMP/get" && mkdir "$TMP/get"
  echo "$(timeit getscu -aet GETSCU -aec ORTHANC -k QueryRetrieveLevel=STUDY -k StudyInstanceUID="$STUDY" -od "$TMP/get" 127.0.0.1 14242) n/a $BYTES"
done | row "dcmtk getscu direct (writes files)"
mkdir -p "$TMP/move"; storescp -aet STORESCP -od "$TMP/move" 11119 & STORESCP=$!; sleep 1
for i in 1 2 3; do rm -f "$TMP"/move/*
  echo "$(timeit movescu -aet MOVESCU -aec ORTHANC -aem STORESCP -k QueryRetrieveLevel=STUDY -k StudyInstanceUID="$STUDY" 127.0.0.1 14242) n/a $BYTES"
done | row "dcmtk movescu direct to storescp (writes files)"

echo; echo "| STOW-RS, 100 new instances into Orthanc | seconds (median of 3) | instances/s |"; echo "|---|---:|---:|"
body() { python3 - "$1" "$2" <<'PY'
import sys, glob
out = open(sys.argv[2], 'wb')
for f in sorted(glob.glob(sys.argv[1] + '/**/*.dcm', recursive=True)):
    out.write(b'--B\r\nContent-Type: application/dicom\r\n\r\n' + open(f, 'rb').read() + b'\r\n')
out.write(b'--B--\r\n')
PY
}
stow() { curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: multipart/related; type="application/dicom"; boundary=B' --data-binary @"$2" "$1"; }
for target in gateway storescu orthanc; do
  for i in 1 2 3; do
    d="$TMP/stow-$target-$i"; java -cp /usr/share/java/pixelmed.jar "$ROOT/scripts/GenerateStudies.java" "$d" 1 1 100 >/dev/null
    body "$d" "$d.mp"
    case $target in
      gateway) timeit stow "$GW/aets/ORTHANC/studies" "$d.mp" ;;
      orthanc) timeit stow "http://127.0.0.1:18042/dicom-web/studies" "$d.mp" ;;
      storescu) timeit storescu -aet STORESCU -aec ORTHANC +sd +r 127.0.0.1 14242 "$d" ;;
    esac
  done | median | awk -v n="$target" '{printf "| %s | %.3f | %.0f |\n", n, $1, 100/$1}'
done
