# Sourced by bench/wado.sh and bench/metadata.sh (bash): fresh gateway AEs for cold reads. The study cache is kept
# per AE ({aet}/{study}), so a read through an AE the gateway has never had finds nothing cached, however warm the
# study is under other AEs: each cold run gets an AE of its own, the same Orthanc by C-GET as ORTHANC (same host, port
# and called AE title), added to the running gateway with the product's own configuration reload (map-put into the
# dicomweb-gateway config source, then POST /admin/configuration/reload: docs/deployment.md) and removed again at the
# end, so the config source is left as it was. No cache is deleted and no endpoint exists for the bench.
#
# Needs: GATEWAY_URL, die, note (the caller's); JBOSS_CLI [work/wildfly-*/bin/jboss-cli.sh of this checkout],
# MANAGEMENT [127.0.0.1:9990]; ORTHANC_DICOM_PORT [14242]; COLD_AE_KEYS: more keys for every cold AE, as
# "key=value ..." after gateway.aet.<AET>. (e.g. "max-pdu-length=1048576", to measure a setting cold).
# Sets: COLD_AES (the AE names, in order). cold_aes_remove must run at exit (the caller's trap).
#
# cold_ae_retire <AET> takes one cold AE out once its run is over, so that its pool releases its associations: an
# idle pooled association holds one of the PACS's association threads until idle-timeout-ms (Orthanc 1.10 serves 4
# associations at once), and a run after several others would otherwise wait for the PACS behind the idle
# associations of the AEs before it (measured: +0.45 s per earlier cold AE, on the gateway and on getscu alike).

COLD_AES=()
COLD_AES_ORIGINAL=""
cold_cli() {   # commands... (one CLI batch)
  local cli="${JBOSS_CLI:-$(ls "$ROOT"/work/wildfly-*/bin/jboss-cli.sh 2>/dev/null | head -n 1)}"
  [[ -x $cli ]] || die "no jboss-cli.sh (set JBOSS_CLI): the cold rows add AEs to the running gateway with it"
  local file; file=$(mktemp "${BENCH_TMP:-/tmp}/cold-aes.XXXXXX.cli")
  printf '%s\n' "$@" >"$file"
  "$cli" -c --controller="${MANAGEMENT:-127.0.0.1:9990}" --file="$file" 2>&1
  local rc=$?
  rm -f "$file"
  return $rc
}
cold_source=/subsystem=microprofile-config-smallrye/config-source=dicomweb-gateway
cold_reload() {
  local code
  code=$(curl -s -o "${BENCH_TMP:-/tmp}/cold-reload.json" -w '%{http_code}' --max-time 60 -X POST \
    "$GATEWAY_URL/admin/configuration/reload") || code=000
  [[ $code == 200 ]] || die "POST $GATEWAY_URL/admin/configuration/reload answered $code: $(head -c 300 "${BENCH_TMP:-/tmp}/cold-reload.json")"
  rm -f "${BENCH_TMP:-/tmp}/cold-reload.json"
}
cold_aes_add() {   # count: adds that many fresh AEs (names unique to this run) and applies them
  local n=$1 stamp i a kv out cmds=()
  out=$(cold_cli "$cold_source:map-get(name=properties, key=gateway.aets)") || die "reading gateway.aets: $out"
  COLD_AES_ORIGINAL=$(sed -n 's/.*"result" => "\(.*\)".*/\1/p' <<<"$out")
  [[ -n $COLD_AES_ORIGINAL ]] || die "gateway.aets not found in the config source: $out"
  stamp=$(( $(date +%s) % 100000 ))
  for i in $(seq "$n"); do
    a="COLD$stamp-$i"
    COLD_AES+=("$a")
    cmds+=("$cold_source:map-put(name=properties, key=gateway.aet.$a.host, value=127.0.0.1)"
           "$cold_source:map-put(name=properties, key=gateway.aet.$a.port, value=${ORTHANC_DICOM_PORT:-14242})"
           "$cold_source:map-put(name=properties, key=gateway.aet.$a.called-aet, value=ORTHANC)"
           "$cold_source:map-put(name=properties, key=gateway.aet.$a.relational-queries, value=true)")
    for kv in ${COLD_AE_KEYS:-}; do
      cmds+=("$cold_source:map-put(name=properties, key=gateway.aet.$a.${kv%%=*}, value=${kv#*=})")
    done
  done
  local all; all="$COLD_AES_ORIGINAL,$(IFS=,; echo "${COLD_AES[*]}")"
  cmds+=("$cold_source:map-put(name=properties, key=gateway.aets, value=\"$all\")")
  out=$(cold_cli "${cmds[@]}") || die "adding the cold AEs: $out"
  cold_reload
  note "added ${#COLD_AES[@]} fresh AEs for cold reads: ${COLD_AES[*]}"
}
declare -A COLD_AES_RETIRED=()
cold_ae_keys_removal() {   # aet: the CLI commands that remove its keys
  local k kv
  for k in host port called-aet relational-queries; do
    echo "$cold_source:map-remove(name=properties, key=gateway.aet.$1.$k)"
  done
  for kv in ${COLD_AE_KEYS:-}; do
    echo "$cold_source:map-remove(name=properties, key=gateway.aet.$1.${kv%%=*})"
  done
}
cold_ae_retire() {   # aet: removed from gateway.aets and its keys, applied with a reload (outside any timing)
  local a live=() cmds=() out
  COLD_AES_RETIRED[$1]=1
  for a in "${COLD_AES[@]}"; do [[ -n ${COLD_AES_RETIRED[$a]:-} ]] || live+=("$a"); done
  local all="$COLD_AES_ORIGINAL"; [[ ${#live[@]} -eq 0 ]] || all="$all,$(IFS=,; echo "${live[*]}")"
  mapfile -t cmds < <(cold_ae_keys_removal "$1")
  cmds+=("$cold_source:map-put(name=properties, key=gateway.aets, value=\"$all\")")
  out=$(cold_cli "${cmds[@]}") || die "retiring the cold AE $1: $out"
  cold_reload
}
cold_aes_remove() {
  [[ ${#COLD_AES[@]} -gt 0 && -n $COLD_AES_ORIGINAL ]] || return 0
  local a removal cmds=("$cold_source:map-put(name=properties, key=gateway.aets, value=\"$COLD_AES_ORIGINAL\")")
  for a in "${COLD_AES[@]}"; do
    [[ -n ${COLD_AES_RETIRED[$a]:-} ]] && continue
    mapfile -t removal < <(cold_ae_keys_removal "$a")
    cmds+=("${removal[@]}")
  done
  cold_cli "${cmds[@]}" >/dev/null || note "could not remove the cold AEs ${COLD_AES[*]} from the config source"
  curl -s -o /dev/null --max-time 60 -X POST "$GATEWAY_URL/admin/configuration/reload" || true
  COLD_AES=()
}
