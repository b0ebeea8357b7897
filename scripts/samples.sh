#!/usr/bin/env bash
# Sample studies for runs and tests: generated once (cached under work/samples/), loaded into test PACS.
#
#   scripts/samples.sh [gen]  [S SE I]              generate S studies x SE series x I instances into
#                                                    work/samples/<S>x<SE>x<I>/ unless already there;
#                                                    prints that directory (the only stdout line)
#   scripts/samples.sh load   [S SE I] [PEER...]    generate if needed, then C-STORE the set into each PEER
#   scripts/samples.sh path   [S SE I]              print the directory only (generates nothing)
#
#   S SE I default to 2 2 10. PEER is ORTHANC, DCMQRSCP (ports as in peers.sh: $ORTHANC_DICOM_PORT, default
#   14242, $DCMQRSCP_PORT, default 11113) or any AET:port on 127.0.0.1. Without PEERs, 'load' loads into
#   every peer of peers.sh that answers C-ECHO (and fails if none does).
#   SAMPLES_CHARSET="ISO_IR 100" or "ISO_IR 192": non-ASCII patient names (study 1 is Müller^Jürgen);
#   the set then lives in work/samples/<S>x<SE>x<I>-ISO_IR_100 (or _192).
# Each set has its own fixed seed (same names, IDs, dates, pixels every time) but fresh UIDs each generation; loading
# the same set twice is harmless (both PACS accept a re-sent instance).
#
#   e.g. scripts/peers.sh start && scripts/samples.sh load 1 1 500 ORTHANC DCMQRSCP
#        dir=$(scripts/samples.sh 2 2 5)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PIXELMED_JAR="${PIXELMED_JAR:-/usr/share/java/pixelmed.jar}"
export TCP_NODELAY=1

die() { echo "samples.sh: $*" >&2; exit 1; }

cmd=gen
case "${1:-}" in gen|load|path) cmd=$1; shift;; esac
dims=(2 2 10)
if [[ $# -ge 3 && $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ && $3 =~ ^[0-9]+$ ]]; then dims=("$1" "$2" "$3"); shift 3; fi
[[ $cmd == load || $# -eq 0 ]] || die "unexpected arguments: $* (usage: see the header of $0)"

charset="${SAMPLES_CHARSET:-}"
name="${dims[0]}x${dims[1]}x${dims[2]}${charset:+-${charset// /_}}"
dir="$ROOT/work/samples/$name"

generate() {
  [[ -d $dir ]] && return 0
  mkdir -p "$ROOT/work/samples"
  local tmp="$ROOT/work/samples/.tmp-$name-$$"
  rm -rf "$tmp"
  # fixed seed per set (reproducible names/IDs/dates/pixels), different between sets so that two sets
  # loaded into one PACS do not share patient IDs
  local seed
  seed=$(printf '%s' "$name" | cksum | cut -d' ' -f1)
  java -cp "$PIXELMED_JAR" "$ROOT/scripts/GenerateStudies.java" "$tmp" "${dims[@]}" "$seed" ${charset:+"$charset"} >&2 \
    || { rm -rf "$tmp"; die "generation failed"; }
  # atomic publish: a half-written set is never taken for a complete one (mv -T fails if another
  # run published it first; then ours is dropped)
  mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
  echo "samples.sh: generated $dir" >&2
}

case $cmd in
  path) echo "$dir";;
  gen)  generate; echo "$dir";;
  load)
    generate
    peers=("$@")
    if [[ ${#peers[@]} -eq 0 ]]; then
      for p in ORTHANC DCMQRSCP; do
        port=$([[ $p == ORTHANC ]] && echo "${ORTHANC_DICOM_PORT:-14242}" || echo "${DCMQRSCP_PORT:-11113}")
        if echoscu -to 2 -aet PROBE -aec "$p" 127.0.0.1 "$port" >/dev/null 2>&1; then peers+=("$p"); fi
      done
      [[ ${#peers[@]} -gt 0 ]] || die "no peer answers C-ECHO (start them with scripts/peers.sh start)"
    fi
    targets=()   # "AET port", all resolved before loading anything
    for p in "${peers[@]}"; do
      case ${p^^} in
        ORTHANC)  targets+=("ORTHANC ${ORTHANC_DICOM_PORT:-14242}");;
        DCMQRSCP) targets+=("DCMQRSCP ${DCMQRSCP_PORT:-11113}");;
        *:*)      targets+=("${p%%:*} ${p##*:}");;
        *) die "unknown peer '$p' (ORTHANC, DCMQRSCP or AET:port)";;
      esac
    done
    for t in "${targets[@]}"; do
      "$ROOT/scripts/load-studies.sh" "$dir" "${t% *}" "${t#* }"
    done;;
esac
