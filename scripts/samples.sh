#!/usr/bin/env bash
# Sample studies for runs and tests: generated once (cached under work/samples/), loaded into test PACS.
#
#   scripts/samples.sh [gen]  [S SE I]              generate S studies x SE series x I instances into
#                                                    work/samples/<S>x<SE>x<I>/ unless already there;
#                                                    prints that directory (the only stdout line)
#   scripts/samples.sh load   [S SE I] [PEER...]    generate if needed, then C-STORE the set into each PEER
#   scripts/samples.sh path   [S SE I]              print the directory only (generates nothing)
#   scripts/samples.sh stow   [S SE I] URL          generate if needed, then store the set through STOW-RS: one
#                                                    POST per study to URL (e.g.
#                                                    http://127.0.0.1:8080/dicomweb/aets/S3/studies), the body a
#                                                    multipart/related; type="application/dicom" streamed from the
#                                                    files (chunked); fails with the server's answer unless it is 200;
#                                                    SAMPLES_BEARER=<access token> sends it (a gateway in mode oidc)
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
case "${1:-}" in gen|load|path|stow) cmd=$1; shift;; esac
dims=(2 2 10)
if [[ $# -ge 3 && $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ && $3 =~ ^[0-9]+$ ]]; then dims=("$1" "$2" "$3"); shift 3; fi
[[ $cmd == load || $cmd == stow || $# -eq 0 ]] || die "unexpected arguments: $* (usage: see the header of $0)"
[[ $cmd != stow || $# -eq 1 ]] || die "stow takes one URL after S SE I (usage: see the header of $0)"

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

# The STOW-RS body of the instances of one study directory, written to stdout as it is read (no copy in memory or on
# disk). The boundary is random: 128 bits that no instance's bytes are going to repeat.
multipart_body() {
  local boundary=$1 f
  while IFS= read -r -d '' f; do
    printf -- '--%s\r\nContent-Type: application/dicom\r\n\r\n' "$boundary"
    cat "$f"
    printf '\r\n'
  done < <(find "$2" -type f -name '*.dcm' -print0 | sort -z)
  printf -- '--%s--\r\n' "$boundary"
}

stow() {
  local url=$1 study boundary answer code n auth=()
  [[ -z ${SAMPLES_BEARER:-} ]] || auth=(-H "Authorization: Bearer $SAMPLES_BEARER")
  answer=$(mktemp)
  trap 'rm -f "$answer"' RETURN
  for study in "$dir"/*/; do
    boundary="samples-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    n=$(find "$study" -type f -name '*.dcm' | wc -l)
    # -T -: the body streams from the pipe (chunked); -X POST, as -T alone would PUT
    # (|| true: a server that answers before it has read the whole body breaks the pipe; its answer still counts.
    # curl's code 000: no answer at all)
    code=$(multipart_body "$boundary" "$study" | curl -sS -X POST -T - -o "$answer" -w '%{http_code}' --max-time 600 \
      -H "Content-Type: multipart/related; type=\"application/dicom\"; boundary=$boundary" \
      -H 'Accept: application/dicom+json' "${auth[@]}" "$url") || true
    [[ $code == 200 ]] || { echo "samples.sh: STOW-RS of $n instances of study $(basename "$study") to $url: $code" >&2
                            head -c 2000 "$answer" >&2; echo >&2; exit 1; }
    echo "samples.sh: stored $n instances of study $(basename "$study") through $url" >&2
  done
}

case $cmd in
  path) echo "$dir";;
  stow) generate; stow "$1";;
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
