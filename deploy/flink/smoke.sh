#!/usr/bin/env bash
# Smoke test of the assembled Flink cluster with real processes: assembles DIR, starts a session
# cluster, submits Flink's TopSpeedWindowing example with `flink run -d`, checks that it runs and
# checkpoints (RocksDB, file:// checkpoints), that Prometheus endpoints expose job metrics, that the
# job recovers from a killed TaskManager (kill -9 + cluster.sh start-tm), cancels it and stops the
# cluster. Exits non-zero on any failure; always stops the processes it started.
#
# Usage: deploy/flink/smoke.sh [--dir DIR] [--rest-port P] [--rpc-port P] [--no-failover]
#   defaults: DIR = a fresh temporary directory (removed afterwards), REST 18081, RPC 16123.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR=""
REST_PORT=18081
RPC_PORT=16123
FAILOVER=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dir) DIR="$2"; shift 2 ;;
        --rest-port) REST_PORT="$2"; shift 2 ;;
        --rpc-port) RPC_PORT="$2"; shift 2 ;;
        --no-failover) FAILOVER=0; shift ;;
        -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
TEMP_DIR=""
if [[ -z "$DIR" ]]; then
    TEMP_DIR="$(mktemp -d /tmp/sftap-flink-smoke.XXXXXX)"
    DIR="$TEMP_DIR"
fi

REST="http://localhost:$REST_PORT"
CLUSTER=("$HERE/cluster.sh")
FLINK=(env "SFTAP_FLINK_DIR=$DIR" "$HERE/flink")
SMOKE_START=$SECONDS
STEP_START=$SECONDS

step() {
    echo
    echo "== [$((SECONDS - SMOKE_START)) s] $*"
    STEP_START=$SECONDS
}

took() {
    echo "   ok ($((SECONDS - STEP_START)) s)"
}

fail() {
    echo "SMOKE FAILED: $*" >&2
    exit 1
}

cleanup() {
    local status=$?
    if [[ -d "$DIR/run" ]]; then
        "${CLUSTER[@]}" stop --dir "$DIR" >/dev/null 2>&1 || true
    fi
    if [[ $status -ne 0 && -d "$DIR/log" ]]; then
        [[ -z "$TEMP_DIR" ]] || rm -rf "${TEMP_DIR:?}"/{lib,plugins,examples}
        echo "--- logs kept in $DIR/log" >&2
    elif [[ -n "$TEMP_DIR" ]]; then
        rm -rf "$TEMP_DIR"
    fi
    exit "$status"
}
trap cleanup EXIT

# Waits up to $1 seconds for command "${@:2}" to succeed.
wait_until() {
    local timeout="$1" deadline
    shift
    deadline=$((SECONDS + timeout))
    until "$@"; do
        [[ $SECONDS -lt $deadline ]] || return 1
        sleep 1
    done
}

job_state() {
    curl -sf --max-time 3 "$REST/jobs/$1" | grep -o '"state":"[A-Z_]*"' | head -n 1 | cut -d'"' -f4
}

# True when the job and all its tasks run (the job state is RUNNING before its tasks are deployed).
job_fully_running() {
    local job="$1" detail
    detail=$(curl -sf --max-time 3 "$REST/jobs/$job") || return 1
    [[ "$(job_state "$job")" == RUNNING ]] || return 1
    ! grep -o '"status":"[A-Z_]*"' <<<"$detail" | grep -vq '"RUNNING"'
}

completed_checkpoints() {
    curl -sf --max-time 3 "$REST/jobs/$1/checkpoints" | grep -o '"completed":[0-9]*' | head -n 1 | cut -d: -f2
}

has_checkpoint() {
    local count
    count=$(completed_checkpoints "$1")
    [[ -n "$count" && "$count" -ge "$2" ]]
}

restored_from_checkpoint() {
    curl -sf --max-time 3 "$REST/jobs/$1/checkpoints" | grep -q '"restored":{"id":[0-9]*'
}

# All Prometheus samples that name the job, from every endpoint in the configured port range.
prometheus_job_samples() {
    local job="$1" port
    for port in $(seq 9249 9259); do
        curl -sf --max-time 3 "http://localhost:$port/metrics" 2>/dev/null | grep -F "job_id=\"$job\"" || true
    done
}

has_prometheus_metrics() {
    local samples
    samples=$(prometheus_job_samples "$1")
    grep -q '^flink_jobmanager_job_numberOfCompletedCheckpoints' <<<"$samples" \
        && grep -q '^flink_taskmanager_job_task_numRecordsIn' <<<"$samples"
}

rss_mib() {
    echo $(($(ps -o rss= -p "$(cat "$DIR/run/$1.pid")") / 1024))
}

step "assemble Flink into $DIR"
"$HERE/assemble.sh" "$DIR"
took

step "start the cluster (REST $REST_PORT, RPC $RPC_PORT, 1 TaskManager x 2 slots)"
"${CLUSTER[@]}" start --dir "$DIR" --taskmanagers 1 --slots 2 --rest-port "$REST_PORT" --rpc-port "$RPC_PORT"
CLUSTER_START_S=$((SECONDS - STEP_START))
"${CLUSTER[@]}" status --dir "$DIR"
curl -sf "$REST/" | grep -qi '<html' || fail "web UI at $REST/ does not answer"
took

step "submit examples/TopSpeedWindowing.jar with flink run -d"
submit_output=$("${FLINK[@]}" run -d "$DIR/examples/TopSpeedWindowing.jar" 2>&1) || fail "flink run failed: $submit_output"
JOB=$(grep -o 'JobID [0-9a-f]\{32\}' <<<"$submit_output" | cut -d' ' -f2) || fail "no JobID in: $submit_output"
echo "   job $JOB"
wait_until 90 job_fully_running "$JOB" || fail "job $JOB not running after 90 s (state: $(job_state "$JOB"))"
"${FLINK[@]}" list -r | grep -q "$JOB.*(RUNNING)" || fail "flink list -r does not show $JOB running"
took

step "wait for a completed checkpoint and for Prometheus job metrics"
wait_until 60 has_checkpoint "$JOB" 1 || fail "no completed checkpoint after 60 s"
compgen -G "$DIR/checkpoints/$JOB/chk-*" >/dev/null || fail "no checkpoint in $DIR/checkpoints/$JOB"
wait_until 30 has_prometheus_metrics "$JOB" || fail "Prometheus endpoints expose no job metrics for $JOB"
echo "   $(completed_checkpoints "$JOB") checkpoint(s); $(prometheus_job_samples "$JOB" | wc -l) Prometheus samples for the job, e.g.:"
prometheus_job_samples "$JOB" | grep -E '^flink_(jobmanager_job_numberOfCompletedCheckpoints|taskmanager_job_task_numRecordsIn)\{' \
    | head -n 2 | sed 's/^/     /' | cut -c1-160
JM_RSS=$(rss_mib jobmanager)
TM_RSS=$(rss_mib taskmanager-1)
took

if [[ $FAILOVER -eq 1 ]]; then
    step "kill -9 the TaskManager, start a new one, the job restores from its checkpoint"
    before=$(completed_checkpoints "$JOB")
    kill -9 "$(cat "$DIR/run/taskmanager-1.pid")"
    "${CLUSTER[@]}" start-tm --dir "$DIR"
    wait_until 120 restored_from_checkpoint "$JOB" || fail "job $JOB did not restore from a checkpoint within 120 s"
    wait_until 60 job_fully_running "$JOB" || fail "job $JOB not running again (state: $(job_state "$JOB"))"
    wait_until 60 has_checkpoint "$JOB" $((before + 1)) || fail "no new checkpoint after the restore"
    RECOVERY_S=$((SECONDS - STEP_START))
    took
fi

step "cancel the job"
"${FLINK[@]}" cancel "$JOB" >/dev/null
wait_until 30 bash -c "[[ \$(curl -sf '$REST/jobs/$JOB' | grep -o '\"state\":\"[A-Z]*\"' | head -n 1) == '\"state\":\"CANCELED\"' ]]" \
    || fail "job $JOB not CANCELED after 30 s"
took

step "stop the cluster"
pids=$(cat "$DIR"/run/*.pid)
"${CLUSTER[@]}" stop --dir "$DIR"
for pid in $pids; do
    ! kill -0 "$pid" 2>/dev/null || fail "process $pid still runs after stop"
done
took

echo
summary="cluster start ${CLUSTER_START_S} s, JobManager ${JM_RSS} MiB and TaskManager ${TM_RSS} MiB resident"
summary="$summary with the job running${RECOVERY_S:+, TaskManager-loss recovery ${RECOVERY_S} s}"
echo "SMOKE PASSED in $((SECONDS - SMOKE_START)) s: $summary"
