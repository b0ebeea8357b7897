#!/usr/bin/env bash
# Viewer benchmark (not a test): the OHIF Viewer (npm @ohif/app, its pre-built dist/) in Debian's headless Chromium
# opening one 500-instance study through the gateway and straight from Orthanc's own DICOMweb, interleaved, RUNS
# rounds. Per run: time from navigation start to the first drawn image, to the last frame answered, the DICOMweb
# requests and the answers that were not 2xx. Prints a markdown table and medians; results and the reading:
# docs/benchmarks.md ("Viewer: OHIF").
#
# It starts no gateway: start one with scripts/run-gateway.sh (inside the shared lock) and wait for
# http://127.0.0.1:9990/health/ready first. Each round is
#   1. gateway, cold: the study is not in the gateway's instance cache. COLD=redeploy (the default when
#      $GATEWAY_SERVER/deployments holds the deployed EAR, as run-gateway.sh leaves it): the EAR is undeployed
#      (deployment scanner markers), the cache directory emptied, the EAR deployed again, then one QIDO search and the
#      metadata of the smallest other study warm the new deployment's code paths, so the run measures a cold cache, not a cold
#      deployment. (The cache cannot be emptied under a running deployment: StudyCache keeps its entries in memory and
#      would serve leases on deleted files.) COLD=none: nothing is done; the first gateway run is whatever the gateway
#      holds (cold only on a fresh gateway), and the table says "as found";
#   2. Orthanc's own DICOMweb;
#   3. gateway, warm: the same study again, right after run 1 (from the cache).
# Every run is a fresh Chromium (no HTTP cache, fresh localStorage), behind the same Node server (bench/viewer/run.mjs)
# that serves OHIF's dist/ with our app-config.js and reverse-proxies the DICOMweb root from the same origin (OHIF
# needs no CORS then), streaming, one keep-alive agent to the target: the same proxy for both targets.
#
# Environment (defaults in brackets):
#   GATEWAY_URL [http://127.0.0.1:8080/dicomweb]  GATEWAY_AET [ORTHANC]  ORTHANC_HTTP_PORT [18042]
#   RUNS [3] rounds  SET ["1 1 500"] the sample set (scripts/samples.sh; one series per study; its first study is
#   opened), loaded into Orthanc when Orthanc lacks it  TARGETS ["gateway orthanc"] (e.g. "orthanc" to try the browser part alone)
#   COLD [redeploy|none, see above]  GATEWAY_SERVER [work/gateway-server] (run-gateway.sh's server directory)
#   GATEWAY_CACHE_DIR [$GATEWAY_SERVER/data/dicomweb-cache] (gateway.cache.directory; emptied while undeployed)
#   GATEWAY_MANAGEMENT [http://127.0.0.1:9990]  OHIF_VERSION [3.13.2]  CHROMIUM [/usr/bin/chromium]
#   FIRST_IMAGE_TIMEOUT_S [60]  ALL_FRAMES_TIMEOUT_S [180]  DEPLOY_TIMEOUT_S [180]  JSON [unset: a file that gets
#   the runs' raw JSON lines]
# Downloads on first use: @ohif/app-<version>.tgz by `npm pack` into work/ohif/ (shared; ~50 MB, 213 MB unpacked),
# playwright-core into bench/viewer/node_modules (npm ci); chromium by apt-get when it is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8080/dicomweb}"
GATEWAY_URL="${GATEWAY_URL%/}"
GATEWAY_AET="${GATEWAY_AET:-ORTHANC}"
ORTHANC_HTTP_PORT="${ORTHANC_HTTP_PORT:-18042}"
RUNS="${RUNS:-3}"
SET="${SET:-1 1 500}"
TARGETS="${TARGETS:-gateway orthanc}"
GATEWAY_SERVER="${GATEWAY_SERVER:-$ROOT/work/gateway-server}"
GATEWAY_CACHE_DIR="${GATEWAY_CACHE_DIR:-$GATEWAY_SERVER/data/dicomweb-cache}"
GATEWAY_MANAGEMENT="${GATEWAY_MANAGEMENT:-http://127.0.0.1:9990}"
OHIF_VERSION="${OHIF_VERSION:-3.13.2}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
FIRST_IMAGE_TIMEOUT_S="${FIRST_IMAGE_TIMEOUT_S:-60}"
ALL_FRAMES_TIMEOUT_S="${ALL_FRAMES_TIMEOUT_S:-180}"
DEPLOY_TIMEOUT_S="${DEPLOY_TIMEOUT_S:-180}"
EAR=dicomweb-gateway.ear
DEPLOYMENTS="$GATEWAY_SERVER/deployments"
if [[ -z ${COLD:-} ]]; then
  if [[ -e $DEPLOYMENTS/$EAR.deployed ]]; then COLD=redeploy; else COLD=none; fi
fi
[[ $COLD == redeploy || $COLD == none ]] || { echo "viewer.sh: COLD must be redeploy or none: '$COLD'" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "viewer.sh: RUNS must be a positive whole number: '$RUNS'" >&2; exit 2; }

BENCH_TMP="${BENCH_TMP:-$( [[ -w /dev/shm ]] && echo /dev/shm || echo /tmp )}"
WORK=$(mktemp -d "$BENCH_TMP/viewerbench.XXXXXX")
RUN_PID=""
REDEPLOYING=0
# Whatever a run started goes on every exit: its Node server (run.mjs) and the Chromium it launched (its own process
# group: Playwright starts the browser detached), by their pids.
cleanup() {
  trap - EXIT INT TERM
  if [[ -n $RUN_PID ]] && kill -0 "$RUN_PID" 2>/dev/null; then
    kill -TERM "$RUN_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$RUN_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$RUN_PID" 2>/dev/null || true
  fi
  if [[ -s $WORK/chromium.pid ]]; then
    local browser; browser=$(cat "$WORK/chromium.pid")
    kill -KILL -- "-$browser" 2>/dev/null || kill -KILL "$browser" 2>/dev/null || true
  fi
  # Stopped in the middle of a cold round: the EAR is deployed again rather than left undeployed.
  if [[ $REDEPLOYING == 1 && ! -e $DEPLOYMENTS/$EAR.deployed ]]; then touch "$DEPLOYMENTS/$EAR.dodeploy"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
die() { echo "viewer.sh: $*" >&2; exit 1; }

# --- what the runs need ---------------------------------------------------------------------------------------
if [[ ! -x $CHROMIUM ]]; then
  echo "viewer.sh: installing chromium (apt)" >&2
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  [[ -x $CHROMIUM ]] || die "no Chromium at $CHROMIUM after installing the Debian package chromium"
fi
if [[ ! -d $ROOT/bench/viewer/node_modules/playwright-core ]]; then
  (cd "$ROOT/bench/viewer" && npm ci --no-audit --no-fund --silent) || die "npm ci in bench/viewer failed"
fi
OHIF_DIR="$ROOT/work/ohif"
DIST="$OHIF_DIR/$OHIF_VERSION/package/dist"
if [[ ! -f $DIST/index.html ]]; then
  mkdir -p "$OHIF_DIR"
  tgz="$OHIF_DIR/ohif-app-$OHIF_VERSION.tgz"
  if [[ ! -s $tgz ]]; then
    echo "viewer.sh: npm pack @ohif/app@$OHIF_VERSION into $OHIF_DIR (~50 MB)" >&2
    (cd "$OHIF_DIR" && npm pack "@ohif/app@$OHIF_VERSION" --no-audit --no-fund --silent >/dev/null) || die "npm pack failed"
  fi
  rm -rf "$OHIF_DIR/$OHIF_VERSION.partial" && mkdir -p "$OHIF_DIR/$OHIF_VERSION.partial"
  tar xzf "$tgz" -C "$OHIF_DIR/$OHIF_VERSION.partial"
  rm -rf "${OHIF_DIR:?}/$OHIF_VERSION" && mv "$OHIF_DIR/$OHIF_VERSION.partial" "$OHIF_DIR/$OHIF_VERSION"
fi

dir=$("$ROOT/scripts/samples.sh" gen $SET)
study=$(basename "$(find "$dir" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)")
# OHIF loads the frames of the series it displays (and one per other series, for its thumbnail): "all frames" is
# only the study's frames when the study has one series. Single-frame samples: one frame request per instance.
[[ $(find "$dir/$study" -mindepth 1 -maxdepth 1 -type d | wc -l) == 1 ]] \
  || die "study $study of set '$SET' has more than one series; the viewer benchmark needs a set of one series per study"
frames=$(find "$dir/$study" -name '*.dcm' | wc -l)
ORTHANC_ROOT="http://127.0.0.1:$ORTHANC_HTTP_PORT/dicom-web"
GATEWAY_ROOT="$GATEWAY_URL/aets/$GATEWAY_AET"
count_instances() { # QIDO root -> NumberOfStudyRelatedInstances of the study, or nothing
  curl -s -m 30 "$1/studies?StudyInstanceUID=$study&includefield=00201208" \
    | python3 -c 'import json,sys
try: print(json.load(sys.stdin)[0]["00201208"]["Value"][0])
except Exception: pass' || true
}
if [[ $(count_instances "$ORTHANC_ROOT") != "$frames" ]]; then
  "$ROOT/scripts/samples.sh" load $SET ORTHANC >/dev/null
fi
[[ $(count_instances "$ORTHANC_ROOT") == "$frames" ]] || die "Orthanc ($ORTHANC_ROOT) does not hold study $study with $frames instances"
if [[ " $TARGETS " == *" gateway "* ]]; then
  got=$(count_instances "$GATEWAY_ROOT")
  [[ $got == "$frames" ]] || die "the gateway's QIDO ($GATEWAY_ROOT) does not find study $study with $frames instances (got '$got'); is it running?"
fi

# --- a cold gateway -------------------------------------------------------------------------------------------
wait_for() { # seconds description command...: runs the command every 0.5 s until it succeeds, or dies
  local deadline=$((SECONDS + $1)) what=$2 limit=$1; shift 2
  until "$@"; do (( SECONDS < deadline )) || die "$what: not within $limit s"; sleep 0.5; done
}
deployed() {
  [[ -e $DEPLOYMENTS/$EAR.deployed ]] && return 0
  [[ ! -e $DEPLOYMENTS/$EAR.failed ]] || die "deploying $EAR again failed: $(head -c 500 "$DEPLOYMENTS/$EAR.failed")"
  return 1
}
ready() { [[ $(curl -s -o /dev/null -m 10 -w '%{http_code}' "$GATEWAY_MANAGEMENT/health/ready") == 200 ]]; }
make_cold() {
  [[ $COLD == redeploy ]] || return 0
  [[ -e $DEPLOYMENTS/$EAR.deployed ]] || die "COLD=redeploy: $DEPLOYMENTS/$EAR.deployed is missing (GATEWAY_SERVER?)"
  [[ -d $GATEWAY_CACHE_DIR ]] || die "COLD=redeploy: no cache directory $GATEWAY_CACHE_DIR (GATEWAY_CACHE_DIR?)"
  local started=$SECONDS
  REDEPLOYING=1
  rm -f "$DEPLOYMENTS/$EAR.deployed"
  wait_for "$DEPLOY_TIMEOUT_S" "undeploying $EAR" test -e "$DEPLOYMENTS/$EAR.undeployed"
  find "$GATEWAY_CACHE_DIR" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  touch "$DEPLOYMENTS/$EAR.dodeploy"
  wait_for "$DEPLOY_TIMEOUT_S" "deploying $EAR again" deployed
  REDEPLOYING=0
  wait_for "$DEPLOY_TIMEOUT_S" "gateway readiness ($GATEWAY_MANAGEMENT/health/ready)" ready
  # Warm-up of the new deployment on the smallest other study: a search and a metadata retrieval (C-FIND, C-GET,
  # cache fill).
  local other
  other=$(curl -s -m 30 "$GATEWAY_ROOT/studies?includefield=00201208" | python3 -c 'import json,sys
size=lambda s: int(s.get("00201208", {}).get("Value", [10**9])[0])
others=[s for s in json.load(sys.stdin) if s["0020000D"]["Value"][0] != sys.argv[1] and size(s) > 0]
print(min(others, key=size)["0020000D"]["Value"][0])' "$study") || die "no other study at $GATEWAY_ROOT for the warm-up"
  curl -s -o /dev/null -m 60 -f "$GATEWAY_ROOT/studies/$other/metadata" || die "warm-up metadata of $other failed"
  echo "viewer.sh: gateway redeployed, cache emptied and warmed up on study $other in $((SECONDS - started)) s" >&2
}

# --- the runs -------------------------------------------------------------------------------------------------
run() { # label root -> one JSON line (with "label") appended to $WORK/runs.jsonl
  local label=$1 root=$2 line
  node "$ROOT/bench/viewer/run.mjs" --dist "$DIST" --target "$root" --study "$study" --frames "$frames" \
    --chromium "$CHROMIUM" --first-image-timeout-s "$FIRST_IMAGE_TIMEOUT_S" \
    --all-frames-timeout-s "$ALL_FRAMES_TIMEOUT_S" --pidfile "$WORK/chromium.pid" > "$WORK/run.out" &
  RUN_PID=$!
  wait "$RUN_PID" || true
  RUN_PID=""
  rm -f "$WORK/chromium.pid"
  line=$(tail -n 1 "$WORK/run.out")
  [[ $line == '{'* ]] || die "$label: run.mjs printed no result: $(head -c 500 "$WORK/run.out")"
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r["label"]=sys.argv[2]; print(json.dumps(r))' \
    "$line" "$label" >> "$WORK/runs.jsonl"
  python3 - "$line" "$label" >&2 <<'PY'
import json, sys
r, label = json.loads(sys.argv[1]), sys.argv[2]
failed = f"; FAILED: {r['failure']}" if r.get("failure") else ""
print(f"viewer.sh: {label}: first image {r.get('firstImageS')} s, all frames {r.get('allFramesS')} s, "
      f"{r.get('requests')} requests, {len(r.get('errors', []))} errors{failed}")
PY
}

echo "viewer.sh: $(date -u +%FT%TZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "OHIF $OHIF_VERSION, $("$CHROMIUM" --version 2>/dev/null | head -n 1)" >&2
echo "viewer.sh: study $study ($frames instances); gateway $GATEWAY_ROOT (COLD=$COLD), Orthanc $ORTHANC_ROOT" >&2
: > "$WORK/runs.jsonl"
if [[ $COLD == redeploy ]]; then cold_label="gateway, cold"; else cold_label="gateway, as found"; fi
for i in $(seq "$RUNS"); do
  if [[ " $TARGETS " == *" gateway "* ]]; then make_cold; run "$cold_label" "$GATEWAY_ROOT"; fi
  if [[ " $TARGETS " == *" orthanc "* ]]; then run "Orthanc's own DICOMweb" "$ORTHANC_ROOT"; fi
  if [[ " $TARGETS " == *" gateway "* ]]; then run "gateway, warm" "$GATEWAY_ROOT"; fi
done
[[ -z ${JSON:-} ]] || cp "$WORK/runs.jsonl" "$JSON"

python3 - "$WORK/runs.jsonl" "$study" "$frames" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
study, frames = sys.argv[2], int(sys.argv[3])
fmt = lambda v: "—" if v is None else f"{v:.2f}"
print(f"### OHIF Viewer, study of {frames} instances ({study})\n")
print(f"WebGL renderer: {runs[0].get('webgl', '?')}. Seconds from navigation start; \"first request\" is the viewer's first "
      "DICOMweb request (before it: loading and starting the app), \"metadata\" the last series metadata answered, "
      "\"first frame\" the first frame answered.\n")
print("| target | run | first image s | all frames s | first request s | metadata s | first frame s | requests (frames) | errors |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
seen = {}
for r in runs:
    n = seen[r["label"]] = seen.get(r["label"], 0) + 1
    errors = r.get("errors", [])
    err = "none" if not errors else f"{len(errors)}: " + "; ".join(errors[:3])
    if r.get("failure"):
        err += f" — FAILED: {r['failure']}"
    print(f"| {r['label']} | {n} | {fmt(r.get('firstImageS'))} | {fmt(r.get('allFramesS'))} | {fmt(r.get('firstRequestS'))} "
          f"| {fmt(r.get('metadataS'))} | {fmt(r.get('firstFrameS'))} "
          f"| {r.get('requests', '—')} ({r.get('kinds', {}).get('frames', '—')}) | {err} |")
print("\n| target | runs | median first image s | median all frames s |")
print("|---|---:|---:|---:|")
for label in seen:
    mine = [r for r in runs if r["label"] == label]
    med = lambda key: (lambda xs: fmt(statistics.median(xs)) if len(xs) == len(mine) else "— (a run failed)")(
        [r[key] for r in mine if r.get(key) is not None])
    print(f"| {label} | {len(mine)} | {med('firstImageS')} | {med('allFramesS')} |")
print("\nThe requests before the frames in each target's last run (start s, end s, HTTP status, request):\n")
for label in seen:
    last = [r for r in runs if r["label"] == label][-1]
    print(f"- {label}: " + "; ".join(f"{a:.2f}–{b:.2f} {status} `{url}`" for a, b, status, url in last.get("before", [])))
PY
if grep -q '"failure"' "$WORK/runs.jsonl"; then die "some runs failed (see the table)"; fi
