#!/usr/bin/env bash
# Provisions WildFly (org.wildfly:wildfly-dist from Maven Central) into work/ and applies wildfly-config/*.cli to its
# standalone-full.xml in an embedded (offline) server. Safe to run again: the CLI scripts are idempotent.
#
#   scripts/provision-wildfly.sh [extra.cli ...]
#
# With wildfly-config/datasource-postgresql.cli among them, the PostgreSQL JDBC driver (org.postgresql:postgresql from
# Maven Central) is fetched into work/drivers/ first and handed to that script (gateway.jdbc.postgresql.jar).
#
# Its standard output is exactly one line, the WildFly home directory, so that callers can capture it; everything
# else (Maven, unzip, the CLI's report on failure) goes to standard error. GATEWAY_WORK_DIR (default: work/ in the
# project) is where WildFly is unpacked.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=$(sed -n 's:.*<wildfly.version>\(.*\)</wildfly.version>.*:\1:p' "$ROOT/pom.xml")
WORK_DIR=${GATEWAY_WORK_DIR:-$ROOT/work}
HOME_DIR="$WORK_DIR/wildfly-$VERSION"

if [ ! -x "$HOME_DIR/bin/standalone.sh" ]; then
  mkdir -p "$WORK_DIR"
  echo "provision-wildfly: unpacking WildFly $VERSION into $WORK_DIR" >&2
  # Maven 3.8 writes ANSI reset codes to standard output even with -q -B (and progress while it downloads): all of
  # it to stderr, or a caller capturing the path gets them too.
  (cd "$WORK_DIR" && mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.wildfly:wildfly-dist:$VERSION:zip" -DoutputDirectory="$WORK_DIR" -Dmdep.overWriteIfNewer=true) >&2
  rm -rf "$HOME_DIR.tmp" && mkdir -p "$HOME_DIR.tmp"
  unzip -q "$WORK_DIR/wildfly-dist-$VERSION.zip" -d "$HOME_DIR.tmp" >&2
  mv "$HOME_DIR.tmp/wildfly-$VERSION" "$HOME_DIR" && rmdir "$HOME_DIR.tmp"
  rm -f "$WORK_DIR/wildfly-dist-$VERSION.zip"
fi

# The JDBC driver the PostgreSQL datasource needs (datasource-postgresql.cli makes a module of it).
PGJDBC_VERSION=42.7.14
cli_props=()
for extra in "$@"; do
  if [ "$(basename "$extra")" = datasource-postgresql.cli ]; then
    jar="$WORK_DIR/drivers/postgresql-$PGJDBC_VERSION.jar"
    if [ ! -s "$jar" ]; then
      mkdir -p "$WORK_DIR/drivers"
      (cd "$WORK_DIR/drivers" && mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
          -Dartifact="org.postgresql:postgresql:$PGJDBC_VERSION" -DoutputDirectory="$WORK_DIR/drivers") >&2
    fi
    cli_props=("-Dgateway.jdbc.postgresql.jar=$jar")
  fi
done

cli=$(mktemp)
log=$(mktemp)
trap 'rm -f "$cli" "$log"' EXIT
{
  echo "embed-server --server-config=standalone-full.xml --std-out=discard"
  cat "$ROOT/wildfly-config/gateway.cli"
  for extra in "$@"; do cat "$extra"; done
  echo "stop-embedded-server"
} > "$cli"
if ! "$HOME_DIR/bin/jboss-cli.sh" "${cli_props[@]}" --file="$cli" >"$log" 2>&1; then
  echo "provision-wildfly: the CLI scripts failed on $HOME_DIR:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi
echo "$HOME_DIR"
