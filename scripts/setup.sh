#!/usr/bin/env bash
# One-time machine set-up, safe to run again: Debian packages the gateway and its test peers need (postgresql-15 for
# the database peer; its system service is not started here: scripts/peers.sh runs a cluster of its own; chromium
# for the status page test, run headless; openssl for the test and demo certificates), and PixelMed
# (from Debian's libpixelmed-java) installed into the local Maven repository as com.pixelmed:pixelmed:20220618;
# libgdcm-tools for gdcmconv, which makes the JPEG 2000 samples of scripts/codec-samples.sh. (Debian's
# libpixelmed-imageio-java is not used: it holds only a JPEG lossless reader, which decodes dcmtk's output exactly but
# at half the speed of TwelveMonkeys' on this machine; see "Codecs" in docs/architecture.md.)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

PACKAGES=(libpixelmed-java libgdcm-tools orthanc orthanc-dicomweb orthanc-gdcm dcmtk postgresql-15 unzip zip curl procps jq chromium openssl)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PIXELMED_VERSION=$(sed -n 's:.*<pixelmed.version>\(.*\)</pixelmed.version>.*:\1:p' "$ROOT/pom.xml")
M2_JAR="${HOME}/.m2/repository/com/pixelmed/pixelmed/${PIXELMED_VERSION}/pixelmed-${PIXELMED_VERSION}.jar"
if [ ! -f "$M2_JAR" ]; then
  # Debian's jar carries a manifest Class-Path of absolute /usr/share/java jars that only PixelMed's viewers and
  # databases use; WildFly would warn about each missing entry, so the installed copy drops the manifest.
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  cp /usr/share/java/pixelmed.jar "$tmp/pixelmed.jar"
  zip -q -d "$tmp/pixelmed.jar" META-INF/MANIFEST.MF >/dev/null
  # Run outside the project so Maven does not read its pom.
  (cd "$tmp" && mvn -q -B org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file -Dfile="$tmp/pixelmed.jar" \
    -DgroupId=com.pixelmed -DartifactId=pixelmed -Dversion="$PIXELMED_VERSION" -Dpackaging=jar)
  echo "setup: installed PixelMed ${PIXELMED_VERSION} into the local Maven repository"
fi
