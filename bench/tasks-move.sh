#!/usr/bin/env bash
# Direct C-MOVE benchmark (not a test): one ~100-instance study moved from Orthanc straight to dcmqrscp, by dcmtk's
# movescu and by a gateway retrieval task whose method is "move" (POST /tasks ORTHANC -> DCMQRSCP, polled until it
# ends), in the same run, alternately, RUNS times each; prints the wall times and their medians as a markdown table.
# Results and the reading: docs/benchmarks.md ("Retrieval task: direct C-MOVE").
#
# It starts no gateway. Run the gateway and the test PACS first (scripts/run-gateway.sh in another terminal), then:
#     bench/tasks-move.sh
# The gateway must have the task API (POST /tasks, GET /tasks/{id}: docs/jobs.md) and wildfly-config/loopback-peers.cli
# (gateway.aet.ORTHANC.move-destinations=DCMQRSCP); Orthanc must know DCMQRSCP as a C-MOVE destination
# (scripts/peers.sh configures it).
#
# Environment (defaults in brackets):
#   GATEWAY_URL        [http://127.0.0.1:8080/dicomweb]
#   ORTHANC_DICOM_PORT [14242]  DCMQRSCP_PORT [11113]
#   RUNS [5]  WARMUP [1] untimed moves each way first (a fresh WildFly needs its JIT)
#   SET ["1 1 100"]    the sample set (scripts/samples.sh) whose first study is moved; loaded into Orthanc when a
#                      C-FIND does not find all its instances there
#   POLL_MS [10]       how often the task is polled (the task's time is known to within this)
#   BENCH_TIMEOUT_S [300]  the longest one move (either way) may take
#
# What is timed: for movescu, the wall clock around the process (its start-up, a few ms, included); for the task,
# from just before the POST to the first GET that shows it ended, in one Python process (no process start-up). Each
# run is checked: movescu's final response must say Success with every instance completed; the task must end
# COMPLETED, with method "move" and every instance completed. At the end a C-FIND at dcmqrscp must find every instance
# of the study. dcmqrscp receives the same instances every run (a re-sent instance replaces the stored one).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:8080/dicomweb}"
GATEWAY_URL="${GATEWAY_URL%/}"
ORTHANC_DICOM_PORT="${ORTHANC_DICOM_PORT:-14242}"
DCMQRSCP_PORT="${DCMQRSCP_PORT:-11113}"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
read -r -a DIMS <<<"${SET:-1 1 100}"
POLL_MS="${POLL_MS:-10}"
BENCH_TIMEOUT_S="${BENCH_TIMEOUT_S:-300}"
PYTHON="${PYTHON:-python3}"
# dcmtk and Orthanc only disable Nagle when this is set.
export TCP_NODELAY=1

die() { echo "tasks-move.sh: $*" >&2; exit 1; }
note() { echo "tasks-move.sh: $*" >&2; }
now() { date +%s%N; }

for tool in movescu findscu curl "$PYTHON"; do
  command -v "$tool" >/dev/null || die "$tool not found (dcmtk: apt-get install dcmtk)"
done
[[ ${#DIMS[@]} -eq 3 ]] || die "SET must be three numbers (studies series instances), e.g. \"1 1 100\""
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$GATEWAY_URL/tasks?limit=1") || true
[[ $code == 200 ]] || die "GET $GATEWAY_URL/tasks answered '$code', not 200: is the gateway (with the task API) running?"

dir=$("$ROOT/scripts/samples.sh" gen "${DIMS[@]}")
study_dir=$(find "$dir" -mindepth 1 -maxdepth 1 -type d | sort | head -n 1)
STUDY=${study_dir##*/}
N=$(find "$study_dir" -type f -name '*.dcm' | wc -l)

# The study's instances at a PACS ($1 AET, $2 port), by IMAGE-level C-FINDs per series (dcmqrscp is hierarchical).
# (findscu prints a UID with its NUL padding inside the brackets.)
count_at() {
  local aet=$1 port=$2 series total=0 n
  for series in $(findscu -S -aet BENCH -aec "$aet" -k QueryRetrieveLevel=SERIES -k StudyInstanceUID="$STUDY" \
      -k SeriesInstanceUID 127.0.0.1 "$port" 2>&1 | sed -n 's/.*(0020,000e) UI \[\([0-9.]*\)[^]]*\].*/\1/p'); do
    n=$(findscu -S -aet BENCH -aec "$aet" -k QueryRetrieveLevel=IMAGE -k StudyInstanceUID="$STUDY" \
      -k SeriesInstanceUID="$series" -k SOPInstanceUID 127.0.0.1 "$port" 2>&1 | grep -c '(0008,0018) UI \[' || true)
    total=$((total + n))
  done
  echo "$total"
}

if [[ $(count_at ORTHANC "$ORTHANC_DICOM_PORT") -ne $N ]]; then
  note "loading work/samples/${dir##*/} into ORTHANC"
  "$ROOT/scripts/samples.sh" load "${DIMS[@]}" ORTHANC >/dev/null
  [[ $(count_at ORTHANC "$ORTHANC_DICOM_PORT") -eq $N ]] || die "ORTHANC does not hold the $N instances of $STUDY"
fi
note "study $STUDY ($N instances), ORTHANC -> DCMQRSCP, $WARMUP warm-up + $RUNS timed runs each way"

# One movescu run; prints its wall time in ms. Fails unless the final response is Success with N completed.
run_movescu() {
  local log t0 t1
  log=$(mktemp)
  t0=$(now)
  timeout "$BENCH_TIMEOUT_S" movescu -d -aet BENCH -aec ORTHANC -aem DCMQRSCP -S -k QueryRetrieveLevel=STUDY \
    -k StudyInstanceUID="$STUDY" 127.0.0.1 "$ORTHANC_DICOM_PORT" >"$log" 2>&1 || { cat "$log" >&2; die "movescu failed"; }
  t1=$(now)
  # the final response is the last one: its Completed Suboperations and its status
  local completed status
  completed=$(sed -n 's/^D: Completed Suboperations *: \([0-9]*\)/\1/p' "$log" | tail -n 1)
  status=$(sed -n 's/^D: DIMSE Status *: \(0x[0-9a-f]*\).*/\1/p' "$log" | tail -n 1)
  rm -f "$log"
  [[ $status == 0x0000 && $completed == "$N" ]] \
    || die "movescu: final status $status, $completed of $N completed"
  echo $(( (t1 - t0) / 1000000 ))
}

# One task run (POST, then GET every POLL_MS until it ended); prints its wall time in ms. Fails unless it ended
# COMPLETED, method move, with N completed.
run_task() {
  "$PYTHON" - "$GATEWAY_URL" "$STUDY" "$N" "$POLL_MS" "$BENCH_TIMEOUT_S" "bench-move-$(date +%s%N)" <<'PY'
import json, sys, time, urllib.request
url, study, n, poll_ms, timeout_s, task_id = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), \
    float(sys.argv[5]), sys.argv[6]
body = json.dumps({"taskId": task_id, "source": "ORTHANC", "destination": "DCMQRSCP",
                   "retrieve": {"studies": [{"studyInstanceUid": study}]}}).encode()
request = urllib.request.Request(url + "/tasks", data=body, method="POST",
                                 headers={"Content-Type": "application/json", "Accept": "application/json"})
start = time.monotonic()
with urllib.request.urlopen(request, timeout=timeout_s) as response:
    if response.status != 201:
        sys.exit(f"POST /tasks answered {response.status}: {response.read().decode()}")
    task = json.load(response)
ended = {"COMPLETED", "WARNING", "FAILED", "CANCELED"}
while task["state"] not in ended:
    if time.monotonic() - start > timeout_s:
        sys.exit(f"task {task_id} still {task['state']} after {timeout_s} s")
    time.sleep(poll_ms / 1000)
    with urllib.request.urlopen(url + "/tasks/" + task_id, timeout=timeout_s) as response:
        task = json.load(response)
elapsed_ms = (time.monotonic() - start) * 1000
if task["state"] != "COMPLETED" or task.get("method") != "move" or task.get("completed") != n:
    sys.exit(f"task {task_id} ended {task['state']}, method {task.get('method')}, {task.get('completed')} of {n}"
             f" completed: {task.get('reason')}")
print(round(elapsed_ms))
PY
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for ((i = 0; i < WARMUP; i++)); do run_movescu >/dev/null; run_task >/dev/null; done
movescu_ms=()
task_ms=()
for ((i = 0; i < RUNS; i++)); do
  ms=$(run_movescu)
  movescu_ms+=("$ms")
  ms=$(run_task)
  task_ms+=("$ms")
done
arrived=$(count_at DCMQRSCP "$DCMQRSCP_PORT")
[[ $arrived -eq $N ]] || die "DCMQRSCP holds $arrived of the $N instances of $STUDY"

m1=$(printf '%s\n' "${movescu_ms[@]}" | median)
m2=$(printf '%s\n' "${task_ms[@]}" | median)
echo "| what | runs (ms) | median ms |"
echo "|---|---|---:|"
echo "| movescu ORTHANC -> DCMQRSCP ($N instances) | ${movescu_ms[*]} | $m1 |"
echo "| gateway task, method move, ORTHANC -> DCMQRSCP | ${task_ms[*]} | $m2 |"
awk -v a="$m1" -v b="$m2" 'BEGIN { if (a > 0) printf "\ntask / movescu: %.2f\n", b / a }'
