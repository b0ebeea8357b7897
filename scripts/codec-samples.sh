#!/usr/bin/env bash
# Compressed samples for the codec tests, the frame ITs and the transcoding bench, made once (safe to run again)
# under work/samples/codecs/<name>/ by dcmtk and gdcm from the native samples of scripts/samples.sh:
#   jpeg-baseline          1.2.840.10008.1.2.4.50  8-bit MONOCHROME2 (a windowed copy of the CT slice)
#   jpeg-baseline-rgb      1.2.840.10008.1.2.4.50  8-bit colour as YBR_FULL_422 (dcmcjpeg's default)
#   jpeg-baseline-ybr-full 1.2.840.10008.1.2.4.50  8-bit colour as YBR_FULL (4:4:4)
#   jpeg-extended          1.2.840.10008.1.2.4.51  the 12-bit CT slice
#   jpeg-lossless-14       1.2.840.10008.1.2.4.57  the CT slice, process 14 (selection value 6)
#   jpeg-lossless          1.2.840.10008.1.2.4.70  the CT slice, process 14 selection value 1
#   jpeg-ls-lossless       1.2.840.10008.1.2.4.80  the CT slice
#   jpeg-ls-near           1.2.840.10008.1.2.4.81  the CT slice, NEAR 2
#   jpeg-ls-lossless-mono8, jpeg-ls-near-mono8      the same of the 8-bit MONOCHROME2 image
#   jpeg2000-lossless      1.2.840.10008.1.2.4.90  the CT slice (gdcmconv)
#   jpeg2000               1.2.840.10008.1.2.4.91  the CT slice, lossy (gdcmconv)
#   rle                    1.2.840.10008.1.2.5     the CT slice
#   rle-rgb                1.2.840.10008.1.2.5     the colour image
#   native-mono8, native-rgb                       the native sources of the 8-bit samples
#   jpeg-lossless-500      the whole 1x1x500 study as JPEG lossless SV1 (the bench's study)
# Every sample has UIDs of its own (study, series, instance), so that it can be stored beside its native source
# in one PACS; the 500 instances share one new study and series. The CT slice is work/samples/1x1x1-ISO_IR_100.
#   usage: scripts/codec-samples.sh          prints nothing but what it makes
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/work/samples/codecs"
die() { echo "codec-samples.sh: $*" >&2; exit 1; }
for tool in dcmcjpeg dcmcjpls dcmcrle dcmodify dcmj2pnm img2dcm gdcmconv; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/setup.sh (dcmtk, libgdcm-tools)"
done

CT_DIR=$(SAMPLES_CHARSET="ISO_IR 100" "$ROOT/scripts/samples.sh" gen 1 1 1)
CT=$(find "$CT_DIR" -name '*.dcm' | sort | head -1)
[[ -f $CT ]] || die "no CT slice under $CT_DIR"
mkdir -p "$OUT"

# make NAME COMMAND...: runs COMMAND with $name and $tmp (an empty directory) set, and publishes $tmp as $OUT/NAME,
# atomically (a half-made sample is never taken for a whole one), unless it is there already.
make() {
  name=$1; shift
  [[ -d $OUT/$name ]] && return 0
  tmp="$OUT/.tmp-$name-$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  "$@" || { rm -rf "$tmp"; die "making $name failed"; }
  mv -T "$tmp" "$OUT/$name" 2>/dev/null || rm -rf "$tmp"
  echo "codec-samples.sh: made $OUT/$name" >&2
}

# fresh FILE: new study, series and instance UIDs (dcmtk's UID root), the meta header updated.
fresh() { dcmodify -q -nb -gst -gse -gin "$1"; }

# One compressed copy of a source: compressed TOOL [OPTIONS...] SOURCE.
compressed() {
  local source=${*: -1}
  "${@:1:$#-1}" "$source" "$tmp/$name.dcm" && fresh "$tmp/$name.dcm"
}

# A windowed 8-bit copy of the CT slice (Secondary Capture, native).
mono8() {
  dcmj2pnm -q +Wm +obp "$CT" "$tmp/mono8.bmp" && img2dcm -q -i BMP "$tmp/mono8.bmp" "$tmp/native-mono8.dcm" \
    && rm "$tmp/mono8.bmp"
}

# A 256×256 colour image with smooth gradients and a sharp-edged disc (Secondary Capture, native RGB): a 24-bit
# BMP written by awk, since dcmtk has no colour source of its own.
rgb() {
  LC_ALL=C awk -v w=256 -v h=256 '
    function le32(v) { printf "%c%c%c%c", v % 256, int(v / 256) % 256, int(v / 65536) % 256, int(v / 16777216) % 256 }
    function le16(v) { printf "%c%c", v % 256, int(v / 256) % 256 }
    BEGIN {
      printf "BM"; le32(54 + w * h * 3); le32(0); le32(54); le32(40); le32(w); le32(h); le16(1); le16(24)
      le32(0); le32(w * h * 3); le32(2835); le32(2835); le32(0); le32(0)
      for (y = h - 1; y >= 0; y--) for (x = 0; x < w; x++) {
        d = (x - 128) * (x - 128) + (y - 128) * (y - 128)
        printf "%c%c%c", (d < 4096) ? 230 : int(x * y / 256), y, x   # BMP pixels are blue, green, red
      }
    }' > "$tmp/rgb.bmp" && img2dcm -q -i BMP "$tmp/rgb.bmp" "$tmp/native-rgb.dcm" && rm "$tmp/rgb.bmp"
}

make native-mono8 mono8
make native-rgb rgb
MONO8="$OUT/native-mono8/native-mono8.dcm"
RGB="$OUT/native-rgb/native-rgb.dcm"
make jpeg-baseline compressed dcmcjpeg -q +eb "$MONO8"
make jpeg-baseline-rgb compressed dcmcjpeg -q +eb "$RGB"
make jpeg-baseline-ybr-full compressed dcmcjpeg -q +eb +s4 "$RGB"
make jpeg-extended compressed dcmcjpeg -q +ee "$CT"
make jpeg-lossless-14 compressed dcmcjpeg -q +el "$CT"
make jpeg-lossless compressed dcmcjpeg -q +e1 "$CT"
make jpeg-ls-lossless compressed dcmcjpls -q +el "$CT"
make jpeg-ls-near compressed dcmcjpls -q +en "$CT"
make jpeg-ls-lossless-mono8 compressed dcmcjpls -q +el "$MONO8"
make jpeg-ls-near-mono8 compressed dcmcjpls -q +en "$MONO8"
make jpeg2000-lossless compressed gdcmconv --j2k "$CT"
make jpeg2000 compressed gdcmconv --j2k --lossy -q 40 "$CT"
make rle compressed dcmcrle -q "$CT"
make rle-rgb compressed dcmcrle -q "$RGB"

# The 500-instance study: each file compressed, then all given the first one's new study and series UIDs.
study500() {
  local source first="" study="" series="" f
  source=$("$ROOT/scripts/samples.sh" gen 1 1 500)
  while IFS= read -r f; do
    dcmcjpeg -q +e1 "$f" "$tmp/$(basename "$f")" || return 1
    if [[ -z $first ]]; then
      first="$tmp/$(basename "$f")"; fresh "$first"
      study=$(dcmdump -q -s +P StudyInstanceUID "$first" | sed 's/.*\[\(.*\)\].*/\1/')
      series=$(dcmdump -q -s +P SeriesInstanceUID "$first" | sed 's/.*\[\(.*\)\].*/\1/')
    else
      dcmodify -q -nb -gin -m "StudyInstanceUID=$study" -m "SeriesInstanceUID=$series" "$tmp/$(basename "$f")" \
        || return 1
    fi
  done < <(find "$source" -name '*.dcm' | sort)
}
make jpeg-lossless-500 study500
