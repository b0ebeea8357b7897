#!/usr/bin/env bash
# QIDO-RS study search benchmark (not a test): the gateway versus a direct C-FIND on a warm association, at 1, 10 and
# 50 concurrent clients, on loopback. Prints one table (requests, errors, p50/p95/max ms, req/s per target and
# concurrency, then the p50 overhead gateway - direct). Results and the reading: docs/benchmarks.md.
#
# It starts nothing. Run the gateway and the test PACS first, e.g. in another terminal:
#     scripts/run-gateway.sh                 # builds, starts Orthanc + dcmqrscp and WildFly on :8080; Ctrl-C stops all
# then here:
#     bench/qido.sh                          # ORTHANC only
#     bench/qido.sh --dcmqrscp               # also DCMQRSCP (direct clients capped at 12: its MaxAssociations is 16)
#     bench/qido.sh --dcmqrscp --pin-pacs    # the PACS on CPU 0, the gateway and the clients on the other CPUs
#                                            # (taskset; as when the PACS runs on a host of its own)
# Extra arguments go to bench/QidoBench.java (see its header), e.g. --concurrency 1,10,50 --requests 400
# --query PatientID=PAT1234567.
#     bench/qido.sh --sporadic 200           # one client, 0.5 s between searches: gateway vs Orthanc's own DICOMweb
#     bench/qido.sh --settle-blocks 50 --sporadic 200   # right after a WildFly start: how long until figures settle
#
# Environment: GATEWAY_URL (default http://127.0.0.1:8080/dicomweb), ORTHANC_DICOM_PORT (14242), ORTHANC_HTTP_PORT
# (18042: Orthanc's own DICOMweb, for --sporadic and --settle-blocks), DCMQRSCP_PORT (11113), PIXELMED_JAR (/usr/share/java/pixelmed.jar), BENCH_SET (the sample set, "20 2 5"; "none" loads nothing),
# BENCH_QUERY (the search's match parameters; default: the UID list of the set's studies; BENCH_QUERY= (empty) searches
# every study of the PACS).
#
# Data: the sample set "20 2 5" (20 studies x 2 series x 5 CT instances, one patient per study; fixed names, IDs and
# dates) is loaded into Orthanc (and dcmqrscp) if they do not hold it yet: a study list page of 20 studies, each
# answered with the PS3.18 default study attributes (ModalitiesInStudy, the number of series and instances, ...).
# The search selects exactly these 20 studies, StudyInstanceUID=uid1,...,uid20 (a UID list, one C-FIND with a
# multi-valued key), rather than every study: the test PACS are shared with the integration tests, which store
# studies at any time, and the program counts as an error any answer whose number of matches differs from the one it
# took as reference at the start (same number via the gateway and direct, checked).
#
# Bounded: each (target, level) cell stops after --cell-cap-s (120 s) and every search times out after 30 s; a full
# run takes one to two minutes on a 2-core machine (most of it warm-up).
# With the default pool of 4 associations per PACS, keep Orthanc's DicomThreadsCount (4 by default) above the number of
# associations all its clients keep open, idle ones included: see docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8080/dicomweb}"
GATEWAY_URL="${GATEWAY_URL%/}"
ORTHANC_DICOM_PORT="${ORTHANC_DICOM_PORT:-14242}"
ORTHANC_HTTP_PORT="${ORTHANC_HTTP_PORT:-18042}"
DCMQRSCP_PORT="${DCMQRSCP_PORT:-11113}"
PIXELMED_JAR="${PIXELMED_JAR:-/usr/share/java/pixelmed.jar}"
BENCH_SET="${BENCH_SET:-20 2 5}"
# dcmtk and Orthanc only disable Nagle when this is set (see /work/shared/notes/test-peers.md); the Java program sets
# TCP_NODELAY on its own sockets.
export TCP_NODELAY=1

die() { echo "qido.sh: $*" >&2; exit 1; }

with_dcmqrscp=false pin_pacs=false java_args=()
for a in "$@"; do
  case $a in
    --pin-pacs) pin_pacs=true ;;
    --dcmqrscp) with_dcmqrscp=true; java_args+=("$a") ;;
    *) java_args+=("$a") ;;
  esac
done

# ---- prerequisites ----
command -v java >/dev/null || die "java (17+) not found"
command -v echoscu >/dev/null || die "dcmtk not found (apt-get install dcmtk)"
command -v curl >/dev/null || die "curl not found"
[[ -r $PIXELMED_JAR ]] || die "PixelMed not found at $PIXELMED_JAR (apt-get install libpixelmed-java)"

echo_ok() { echoscu -to 3 -ta 5 -td 5 -aet QIDOBENCH -aec "$1" 127.0.0.1 "$2" >/dev/null 2>&1; }
echo_ok ORTHANC "$ORTHANC_DICOM_PORT" \
  || die "Orthanc does not answer C-ECHO on 127.0.0.1:$ORTHANC_DICOM_PORT (scripts/peers.sh start, or scripts/run-gateway.sh)"
if $with_dcmqrscp; then
  echo_ok DCMQRSCP "$DCMQRSCP_PORT" || die "dcmqrscp does not answer C-ECHO on 127.0.0.1:$DCMQRSCP_PORT"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$GATEWAY_URL/aets") || code=000
[[ $code == 200 ]] || die "gateway not reachable: GET $GATEWAY_URL/aets answered $code (start scripts/run-gateway.sh in another terminal, or set GATEWAY_URL)"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$GATEWAY_URL/aets/ORTHANC") || code=000
[[ $code == 200 ]] || die "the gateway cannot reach ORTHANC: GET $GATEWAY_URL/aets/ORTHANC (C-ECHO) answered $code"

# ---- a known data set ----
if [[ $BENCH_SET != none ]]; then
  peers=(ORTHANC:"$ORTHANC_DICOM_PORT")
  $with_dcmqrscp && peers+=(DCMQRSCP:"$DCMQRSCP_PORT")
  # shellcheck disable=SC2086  # BENCH_SET is "S SE I"
  dir=$("$ROOT/scripts/samples.sh" gen $BENCH_SET)
  for peer in "${peers[@]}"; do
    aet=${peer%%:*} port=${peer##*:}
    # loaded already? (one study of the set, found by its UID; loading again would be harmless but slow)
    study=$(basename "$(find "$dir" -mindepth 1 -maxdepth 1 -type d | head -n 1)")
    if findscu -v -to 5 -aet QIDOBENCH -aec "$aet" -S -k QueryRetrieveLevel=STUDY -k StudyInstanceUID="$study" \
        127.0.0.1 "$port" 2>&1 | grep -q 'Find Response.*Pending'; then
      echo "qido.sh: sample set $BENCH_SET already in $aet"
    else
      echo "qido.sh: loading sample set $BENCH_SET into $aet"
      # shellcheck disable=SC2086
      "$ROOT/scripts/samples.sh" load $BENCH_SET "$aet:$port" >/dev/null
    fi
  done
fi

# ---- the search ----
query_args=()
if [[ -n ${BENCH_QUERY+set} ]]; then
  [[ -n $BENCH_QUERY ]] && query_args=(--query "$BENCH_QUERY")
elif [[ $BENCH_SET != none ]]; then
  # the set's layout is <dir>/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm
  query_args=(--query "StudyInstanceUID=$(find "$dir" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort | paste -sd,)")
fi

# ---- the gateway's process, for its CPU time per search (a gateway on this machine only) ----
pid_args=()
if [[ $GATEWAY_URL =~ ^https?://(127\.0\.0\.1|localhost)(:([0-9]+))? ]] && command -v ss >/dev/null; then
  gw_port=${BASH_REMATCH[3]:-80}
  gw_pid=$(ss -Hltnp "sport = :$gw_port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)
  [[ -n $gw_pid ]] && pid_args=(--gateway-pid "$gw_pid")
fi
# and Orthanc's (the PACS of the first target), found by its DICOM port
if command -v ss >/dev/null; then
  pacs_pid=$(ss -Hltnp "sport = :$ORTHANC_DICOM_PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)
  [[ -n $pacs_pid ]] && pid_args+=(--pacs-pid "$pacs_pid")
fi

# ---- --pin-pacs: the PACS on CPU 0, the gateway and this benchmark on the others (all of them again at the end) ----
run_on=()
if $pin_pacs; then
  command -v taskset >/dev/null || die "--pin-pacs needs taskset (util-linux)"
  last_cpu=$(( $(nproc) - 1 ))
  (( last_cpu >= 1 )) || die "--pin-pacs needs at least 2 CPUs"
  [[ -n ${gw_pid:-} && -n ${pacs_pid:-} ]] || die "--pin-pacs needs the gateway and Orthanc on this machine"
  # every process listening on a PACS port: dcmqrscp forks a child per association, which shares its socket; the
  # children to come take the parent's CPUs
  pacs_ports="sport = :$ORTHANC_DICOM_PORT"
  $with_dcmqrscp && pacs_ports+=" or sport = :$DCMQRSCP_PORT"
  mapfile -t pacs_pids < <(ss -Hltnp "( $pacs_ports )" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u)
  unpin() { for p in "${pacs_pids[@]}" "$gw_pid"; do taskset -a -p -c "0-$last_cpu" "$p" >/dev/null 2>&1 || true; done; }
  trap unpin EXIT
  for p in "${pacs_pids[@]}"; do taskset -a -p -c 0 "$p" >/dev/null; done
  taskset -a -p -c "1-$last_cpu" "$gw_pid" >/dev/null
  run_on=(taskset -c "1-$last_cpu")
  echo "qido.sh: PACS (pid ${pacs_pids[*]}) on CPU 0; gateway (pid $gw_pid) and benchmark on CPUs 1-$last_cpu"
fi

# ---- run ----
echo "qido.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"${run_on[@]}" java -cp "$PIXELMED_JAR" "$ROOT/bench/QidoBench.java" --gateway "$GATEWAY_URL" \
  --port "$ORTHANC_DICOM_PORT" --orthanc-dicomweb "http://127.0.0.1:$ORTHANC_HTTP_PORT/dicom-web" --dcmqrscp-port "$DCMQRSCP_PORT" "${query_args[@]}" "${pid_args[@]}" "${java_args[@]}"
