#!/usr/bin/env bash
# Runs a Flink standalone session cluster from a distribution assembled by assemble.sh, as separate
# JVM processes on localhost: one JobManager (StandaloneSessionClusterEntrypoint) and N TaskManagers
# (TaskManagerRunner). PIDs go to DIR/run/*.pid, logs to DIR/log/.
#
# Usage: cluster.sh start   [--dir DIR] [--taskmanagers N] [--slots N] [--rest-port P]
#                           [--rpc-port P] [--timeout SECONDS] [-D key=value ...]
#        cluster.sh stop    [--dir DIR]
#        cluster.sh status  [--dir DIR]
#        cluster.sh start-tm [--dir DIR] [--index I] [--timeout SECONDS] [-D key=value ...]
#        cluster.sh stop-tm --index I [--dir DIR]
#
#   start     starts the JobManager and the TaskManagers, waits until the REST API answers and all
#             TaskManagers registered (default timeout 180 s); fails if the cluster already runs.
#             --rest-port/--slots/--rpc-port are written to DIR/conf/config.yaml so that `flink`
#             commands find the cluster; -D options are passed to every process of this start.
#   stop      stops all processes recorded in DIR/run (SIGTERM, SIGKILL after 30 s) and waits.
#   status    lists the processes and the REST overview; exit 0 when the JobManager is up,
#             3 when nothing runs, 1 when only part of the cluster runs.
#   start-tm  starts one more TaskManager (by default the first index without a live process),
#             e.g. to replace a killed one; waits until it registered.
#   stop-tm   stops TaskManager I.
# DIR defaults to $SFTAP_FLINK_DIR, else deploy/flink/dist.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
    sed -n '2,/^# DIR defaults/p' "$0" | sed 's/^# \{0,1\}//'
}

COMMAND="${1:-}"
[[ -n "$COMMAND" ]] || { usage >&2; exit 2; }
shift

DIR_ARG=""
TASKMANAGERS=1
SLOTS=""
REST_PORT=""
RPC_PORT=""
TIMEOUT=180
TM_INDEX=""
DYNAMIC=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dir) DIR_ARG="$2"; shift 2 ;;
        --taskmanagers) TASKMANAGERS="$2"; shift 2 ;;
        --slots) SLOTS="$2"; shift 2 ;;
        --rest-port) REST_PORT="$2"; shift 2 ;;
        --rpc-port) RPC_PORT="$2"; shift 2 ;;
        --timeout) TIMEOUT="$2"; shift 2 ;;
        --index) TM_INDEX="$2"; shift 2 ;;
        -D) DYNAMIC+=(-D "$2"); shift 2 ;;
        -D*) DYNAMIC+=(-D "${1#-D}"); shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
done
for number in "$TASKMANAGERS" "$TIMEOUT" ${SLOTS:+"$SLOTS"} ${REST_PORT:+"$REST_PORT"} ${RPC_PORT:+"$RPC_PORT"} ${TM_INDEX:+"$TM_INDEX"}; do
    [[ "$number" =~ ^[0-9]+$ ]] || die "not a number: $number"
done

FLINK_DIST="$(cd "${DIR_ARG:-$(default_dist_dir)}" 2>/dev/null && pwd)" || die "no such directory: ${DIR_ARG:-$(default_dist_dir)}"
RUN_DIR="$FLINK_DIST/run"
LOG_DIR="$FLINK_DIST/log"
JM_PIDFILE="$RUN_DIR/jobmanager.pid"
JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner

# PID recorded in a pid file if that process is alive and still is this distribution's JVM
# (guards against a recycled PID).
live_pid() {
    local pidfile="$1" pid
    [[ -f "$pidfile" ]] || return 1
    pid=$(cat "$pidfile")
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--configDir $FLINK_DIST/conf" || return 1
    echo "$pid"
}

rest_url() {
    echo "http://localhost:$(conf_get rest.port 8081)"
}

# Resource IDs of the TaskManagers registered at the JobManager, one a line (empty if REST is down).
registered_taskmanagers() {
    curl -sf --max-time 3 "$(rest_url)/taskmanagers" 2>/dev/null | grep -o '"id":"[^"]*"' | cut -d'"' -f4 || true
}

tm_pidfiles() {
    compgen -G "$RUN_DIR/taskmanager-*.pid" | sort -V || true
}

# BashJavaUtils derives the JVM memory flags (line 1) and the matching dynamic configuration
# (line 2) from the process size in the configuration, exactly as Flink's own scripts do.
resource_params() {
    local command="$1" output
    output=$("$(java_cmd)" -classpath "$(flink_classpath)" org.apache.flink.runtime.util.bash.BashJavaUtils \
        "$command" --configDir "$FLINK_DIST/conf" "${DYNAMIC[@]}" 2>&1) \
        || die "BashJavaUtils $command failed: $output"
    output=$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$output" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')
    [[ $(wc -l <<<"$output") -eq 2 ]] || die "unexpected BashJavaUtils $command output: $output"
    echo "$output"
}

# Starts one JVM detached from this shell (own session), records its PID.
launch() {
    local name="$1" role="$2" main_class="$3" params="$4" jvm_params dynamic_params
    local extra=("${@:5}")
    jvm_params=$(head -n 1 <<<"$params")
    dynamic_params=$(tail -n 1 <<<"$params")
    local log_file="$LOG_DIR/flink-$name.log"
    # The inner shell records its own PID, then becomes the JVM (exec): the PID file is the JVM's.
    # shellcheck disable=SC2016,SC2046,SC2086 # $$ is the inner shell's; JVM options are word lists
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN_DIR/$name.pid" \
        "$(java_cmd)" $jvm_params $(java_opts "$role") \
        "-Dlog.file=$log_file" "-Dlog4j.configurationFile=file:$FLINK_DIST/conf/log4j.properties" \
        -classpath "$(flink_classpath)" "$main_class" \
        --configDir "$FLINK_DIST/conf" $dynamic_params "${DYNAMIC[@]}" "${extra[@]}" \
        >"$LOG_DIR/flink-$name.out" 2>&1 </dev/null &
    local waited=0
    until [[ -s "$RUN_DIR/$name.pid" ]]; do
        sleep 0.1
        waited=$((waited + 1))
        [[ $waited -lt 50 ]] || die "could not start $name"
    done
    echo "  $name: pid $(cat "$RUN_DIR/$name.pid"), log $log_file"
}

next_tm_index() {
    local i=1
    while live_pid "$RUN_DIR/taskmanager-$i.pid" >/dev/null; do
        i=$((i + 1))
    done
    echo "$i"
}

start_taskmanager() {
    local index="$1" params="$2"
    if live_pid "$RUN_DIR/taskmanager-$index.pid" >/dev/null; then
        die "taskmanager-$index already runs (pid $(cat "$RUN_DIR/taskmanager-$index.pid"))"
    fi
    rm -f "$RUN_DIR/taskmanager-$index.pid"
    # A resource ID of our own, new for every process, so that we can tell when this very
    # TaskManager registered (a killed one stays listed until its heartbeat fails).
    local resource_id
    resource_id="localhost-tm$index-$(date +%s%N | cut -c1-13)"
    echo "$resource_id" >"$RUN_DIR/taskmanager-$index.id"
    launch "taskmanager-$index" taskmanager "$TM_CLASS" "$params" -D "taskmanager.resource-id=$resource_id"
}

fail_with_logs() {
    local message="$1" log
    echo "error: $message" >&2
    for log in "$LOG_DIR"/flink-*.out "$LOG_DIR"/flink-*.log; do
        [[ -s "$log" ]] || continue
        echo "--- tail of $log" >&2
        tail -n 15 "$log" >&2
    done
    exit 1
}

# Waits until the REST API answers and the TaskManagers with the given indexes registered.
wait_for_taskmanagers() {
    local deadline=$((SECONDS + TIMEOUT)) registered index pidfile missing
    while :; do
        registered=$(registered_taskmanagers)
        missing=""
        for index in "$@"; do
            grep -qxF "$(cat "$RUN_DIR/taskmanager-$index.id")" <<<"$registered" || missing="$missing taskmanager-$index"
        done
        [[ -n "$registered" && -z "$missing" ]] && return 0
        live_pid "$JM_PIDFILE" >/dev/null || fail_with_logs "the JobManager exited during start-up"
        for index in "$@"; do
            live_pid "$RUN_DIR/taskmanager-$index.pid" >/dev/null || fail_with_logs "taskmanager-$index exited during start-up"
        done
        [[ $SECONDS -lt $deadline ]] || fail_with_logs "cluster not up after ${TIMEOUT} s (REST $(rest_url): ${registered:+answers, }not registered:${missing:- REST down})"
        sleep 0.5
    done
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Sends SIGTERM, waits up to 30 s, then SIGKILL; removes the pid file.
stop_process() {
    local pidfile="$1" name pid
    name=$(basename "$pidfile" .pid)
    if pid=$(live_pid "$pidfile"); then
        kill -TERM "$pid" 2>/dev/null || true
        local deadline=$((SECONDS + 30))
        while kill -0 "$pid" 2>/dev/null && [[ $SECONDS -lt $deadline ]]; do
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "  $name (pid $pid) did not stop in 30 s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
            while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        fi
        echo "  stopped $name (pid $pid)"
    fi
    rm -f "$pidfile" "${pidfile%.pid}.id"
}

cmd_start() {
    require_assembled
    local pidfile pid
    for pidfile in "$JM_PIDFILE" $(tm_pidfiles); do
        if pid=$(live_pid "$pidfile"); then
            die "$(basename "$pidfile" .pid) of $FLINK_DIST already runs (pid $pid): 'cluster.sh stop' first"
        fi
    done
    [[ "$TASKMANAGERS" -ge 1 ]] || die "--taskmanagers must be at least 1"
    [[ -z "$REST_PORT" ]] || conf_set rest.port "$REST_PORT"
    [[ -z "$SLOTS" ]] || conf_set taskmanager.numberOfTaskSlots "$SLOTS"
    [[ -z "$RPC_PORT" ]] || conf_set jobmanager.rpc.port "$RPC_PORT"
    local port
    for port in "$(conf_get rest.port 8081)" "$(conf_get jobmanager.rpc.port 6123)"; do
        ! port_in_use "$port" || die "port $port on localhost is in use (choose others with --rest-port/--rpc-port)"
    done
    mkdir -p "$RUN_DIR" "$LOG_DIR" "$FLINK_DIST/tmp" "$FLINK_DIST/checkpoints" "$FLINK_DIST/savepoints"
    rm -f "$RUN_DIR"/*.pid "$RUN_DIR"/*.id
    # start-tm passes the same -D options to TaskManagers started later.
    printf '%s\n' "${DYNAMIC[@]}" | grep -v '^-D$' >"$RUN_DIR/dynamic-properties" || true
    export_flink_env

    local started=$SECONDS jm_params tm_params
    echo "Starting Flink $FLINK_VERSION session cluster from $FLINK_DIST"
    jm_params=$(resource_params GET_JM_RESOURCE_PARAMS)
    tm_params=$(resource_params GET_TM_RESOURCE_PARAMS)
    launch jobmanager jobmanager "$JM_CLASS" "$jm_params"
    local i indexes=()
    for ((i = 1; i <= TASKMANAGERS; i++)); do
        start_taskmanager "$i" "$tm_params"
        indexes+=("$i")
    done
    wait_for_taskmanagers "${indexes[@]}"
    echo "Cluster up in $((SECONDS - started)) s: $TASKMANAGERS TaskManager(s) x $(conf_get taskmanager.numberOfTaskSlots 1) slot(s)"
    echo "  web UI / REST: $(rest_url)/"
    echo "  submit jobs:   $FLINK_SCRIPTS_DIR/flink run -d JAR ..."
}

cmd_start_tm() {
    require_assembled
    live_pid "$JM_PIDFILE" >/dev/null || die "no JobManager runs from $FLINK_DIST: use 'cluster.sh start'"
    local index="${TM_INDEX:-$(next_tm_index)}" property
    local own=("${DYNAMIC[@]}")
    DYNAMIC=()
    if [[ -f "$RUN_DIR/dynamic-properties" ]]; then
        while IFS= read -r property; do
            [[ -n "$property" ]] && DYNAMIC+=(-D "$property")
        done <"$RUN_DIR/dynamic-properties"
    fi
    DYNAMIC+=("${own[@]}")
    export_flink_env
    local started=$SECONDS tm_params
    tm_params=$(resource_params GET_TM_RESOURCE_PARAMS)
    start_taskmanager "$index" "$tm_params"
    wait_for_taskmanagers "$index"
    echo "taskmanager-$index registered in $((SECONDS - started)) s"
}

cmd_stop_tm() {
    [[ -n "$TM_INDEX" ]] || die "stop-tm needs --index I"
    live_pid "$RUN_DIR/taskmanager-$TM_INDEX.pid" >/dev/null || die "taskmanager-$TM_INDEX does not run"
    stop_process "$RUN_DIR/taskmanager-$TM_INDEX.pid"
}

cmd_stop() {
    local pidfile any=0
    for pidfile in $(tm_pidfiles) "$JM_PIDFILE"; do
        [[ -f "$pidfile" ]] || continue
        any=1
        stop_process "$pidfile"
    done
    [[ $any -eq 1 ]] && echo "Cluster in $FLINK_DIST stopped" || echo "No cluster runs from $FLINK_DIST"
}

cmd_status() {
    local pidfile pid up=0 down=0
    for pidfile in "$JM_PIDFILE" $(tm_pidfiles); do
        [[ -f "$pidfile" ]] || continue
        if pid=$(live_pid "$pidfile"); then
            echo "$(basename "$pidfile" .pid): running, pid $pid, $(($(ps -o rss= -p "$pid") / 1024)) MiB resident"
            up=$((up + 1))
        else
            echo "$(basename "$pidfile" .pid): not running (stale pid file)"
            down=$((down + 1))
        fi
    done
    if ! live_pid "$JM_PIDFILE" >/dev/null; then
        echo "No JobManager runs from $FLINK_DIST"
        [[ $up -eq 0 ]] && exit 3 || exit 1
    fi
    local overview
    if overview=$(curl -sf --max-time 3 "$(rest_url)/overview"); then
        echo "REST $(rest_url)/overview: $overview"
    else
        echo "REST $(rest_url) does not answer"
        exit 1
    fi
    [[ $down -eq 0 ]] || exit 1
}

case "$COMMAND" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    start-tm) cmd_start_tm ;;
    stop-tm) cmd_stop_tm ;;
    -h | --help | help) usage ;;
    *) usage >&2; die "unknown command: $COMMAND" ;;
esac
