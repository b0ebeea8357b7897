#!/usr/bin/env bash
# Provisions WildFly (org.wildfly:wildfly-dist from Maven Central) into work/ and applies wildfly-config/*.cli to its
# standalone-full.xml in an embedded (offline) server. Safe to run again: the CLI scripts are idempotent.
# Prints the WildFly home directory on its last line.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(sed -n 's:.*<wildfly.version>\(.*\)</wildfly.version>.*:\1:p' "$ROOT/pom.xml")
HOME_DIR="$ROOT/work/wildfly-$VERSION"

if [ ! -x "$HOME_DIR/bin/standalone.sh" ]; then
  mkdir -p "$ROOT/work"
  (cd "$ROOT/work" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.wildfly:wildfly-dist:$VERSION:zip" -DoutputDirectory="$ROOT/work" -Dmdep.overWriteIfNewer=true)
  rm -rf "$HOME_DIR.tmp" && mkdir -p "$HOME_DIR.tmp"
  unzip -q "$ROOT/work/wildfly-dist-$VERSION.zip" -d "$HOME_DIR.tmp"
  mv "$HOME_DIR.tmp/wildfly-$VERSION" "$HOME_DIR" && rmdir "$HOME_DIR.tmp"
  rm -f "$ROOT/work/wildfly-dist-$VERSION.zip"
fi

cli=$(mktemp)
trap 'rm -f "$cli"' EXIT
{
  echo "embed-server --server-config=standalone-full.xml --std-out=discard"
  cat "$ROOT/wildfly-config/gateway.cli"
  for extra in "$@"; do cat "$extra"; done
  echo "stop-embedded-server"
} > "$cli"
"$HOME_DIR/bin/jboss-cli.sh" --file="$cli" >/dev/null
echo "$HOME_DIR"
