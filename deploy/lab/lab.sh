#!/usr/bin/env bash
# sftap network lab: network namespaces and veth pairs to try live capture without a mirror port.
#
#   lab.sh up [NAME] [--http PORT] [--mtu BYTES]   build the lab (idempotent)
#   lab.sh down [NAME]                             tear it down (kills the recorded PIDs first)
#   lab.sh status [NAME]                           KEY=VALUE lines; exit 0 when up, 3 when not
#   lab.sh exec NAME src|srv CMD...                run CMD inside the client or server namespace
#   lab.sh replay NAME FILE [TCPREPLAY ARGS...]    replay a capture from the client namespace
#
# Topology (NAME defaults to lab0; K is a free /24 in 198.18.0.0/15, the benchmark range):
#
#   [ns sftap-NAME-src]            [ns sftap-NAME-srv]                  [root namespace]
#    veth0 198.18.K.1/24 <-------> veth0 198.18.K.2/24
#                                  tc mirror (ingress+egress) -> mirror0 <-------> st-NAME (capture here)
#
# Every frame that crosses the client/server link is mirrored, as a switch's SPAN port would, to
# st-NAME in the root namespace; it has no address, so sftap sees the traffic and the host never
# answers it. Addresses exist only inside the namespaces. Needs root (or CAP_NET_ADMIN), iproute2
# with tc, and python3 for --http.
set -euo pipefail

RUN_DIR="${SFTAP_LAB_RUN:-/run/sftap-lab}"

die() { echo "lab.sh: $*" >&2; exit 1; }

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

check_name() {
    [[ "$1" =~ ^[a-z0-9]{1,10}$ ]] || die "lab name '$1' must be 1-10 characters of a-z and 0-9"
}

vars() { # NAME -> globals
    NAME="$1"
    STATE="$RUN_DIR/$NAME"
    SRC_NS="sftap-$NAME-src"
    SRV_NS="sftap-$NAME-srv"
    CAPTURE_IF="st-$NAME"
}

ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }

is_up() {
    [[ -f "$STATE/env" ]] && ns_exists "$SRC_NS" && ns_exists "$SRV_NS" && ip link show "$CAPTURE_IF" >/dev/null 2>&1
}

free_subnet() { # a /24 index not used by another lab, starting at a hash of the name
    local start k used
    start=$(( $(printf '%s' "$NAME" | cksum | cut -d' ' -f1) % 250 + 1 ))
    used=$(cat "$RUN_DIR"/*/env 2>/dev/null | sed -n 's/^SUBNET_INDEX=//p' || true)
    for ((i = 0; i < 254; i++)); do
        k=$(( (start - 1 + i) % 254 + 1 ))
        if ! grep -qx "$k" <<<"$used"; then echo "$k"; return; fi
    done
    die "no free /24 left in 198.18.0.0/16"
}

# Kills a recorded PID only if it still runs the command we started (PIDs get reused).
kill_recorded() {
    local pidfile="$1" pid expect
    [[ -f "$pidfile" ]] || return 0
    pid=$(cat "$pidfile")
    expect=$(cat "$pidfile.cmd" 2>/dev/null || echo "")
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        if [[ -z "$expect" ]] || tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$expect"; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pidfile" "$pidfile.cmd"
}

cmd_down() {
    if [[ -d "$STATE/pids" ]]; then
        for p in "$STATE"/pids/*.pid; do [[ -e "$p" ]] && kill_recorded "$p"; done
    fi
    ns_exists "$SRC_NS" && ip netns del "$SRC_NS"
    ns_exists "$SRV_NS" && ip netns del "$SRV_NS"
    # Deleting the server namespace removes mirror0 and so its peer; this covers a half-built lab.
    if ip link show "$CAPTURE_IF" >/dev/null 2>&1; then ip link del "$CAPTURE_IF" 2>/dev/null || true; fi
    rm -rf "$STATE"
    echo "lab $NAME is down"
}

start_http() {
    local port="$1" addr="$2"
    mkdir -p "$STATE/www" "$STATE/pids"
    printf '<html><body>sftap lab %s</body></html>\n' "$NAME" >"$STATE/www/index.html"
    command -v python3 >/dev/null || die "--http needs python3"
    # ip netns exec and setsid both exec, so $! is the server's own PID.
    ip netns exec "$SRV_NS" setsid python3 -m http.server "$port" --bind "$addr" --directory "$STATE/www" \
        >"$STATE/http.log" 2>&1 </dev/null &
    echo $! >"$STATE/pids/http.pid"
    echo "http.server $port" >"$STATE/pids/http.pid.cmd"
    for _ in $(seq 1 100); do
        if ip netns exec "$SRV_NS" ss -Hltn "sport = :$port" 2>/dev/null | grep -q LISTEN; then return 0; fi
        kill -0 "$(cat "$STATE/pids/http.pid")" 2>/dev/null || break
        sleep 0.1
    done
    cat "$STATE/http.log" >&2 || true
    die "the HTTP server did not start on $addr:$port"
}

cmd_up() {
    local http_port="" mtu=1500
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --http) http_port="${2:?--http needs a port}"; shift 2 ;;
            --mtu) mtu="${2:?--mtu needs a size}"; shift 2 ;;
            *) die "unknown option $1" ;;
        esac
    done
    [[ $EUID -eq 0 ]] || die "building namespaces needs root (or CAP_NET_ADMIN): run with sudo"
    if is_up; then
        echo "lab $NAME is already up"
        cmd_status
        return 0
    fi
    if [[ -e "$STATE" ]] || ns_exists "$SRC_NS" || ns_exists "$SRV_NS"; then
        cmd_down >/dev/null # leftovers of a half-built lab
    fi
    mkdir -p "$STATE/pids"
    local k
    k=$(free_subnet)
    local cli_addr="198.18.$k.1" srv_addr="198.18.$k.2"
    trap 'echo "lab.sh: building lab $NAME failed; tearing down" >&2; cmd_down >/dev/null 2>&1 || true' ERR

    ip netns add "$SRC_NS"
    ip netns add "$SRV_NS"
    for ns in "$SRC_NS" "$SRV_NS"; do
        # No IPv6 and no spontaneous traffic: only what a test or user sends crosses the link.
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        ip -n "$ns" link set lo up
    done
    ip link add veth0 netns "$SRC_NS" mtu "$mtu" type veth peer name veth0 netns "$SRV_NS" mtu "$mtu"
    ip link add mirror0 netns "$SRV_NS" mtu "$mtu" type veth peer name "$CAPTURE_IF" mtu "$mtu"
    sysctl -qw "net.ipv6.conf.$CAPTURE_IF.disable_ipv6=1" 2>/dev/null || true
    ip -n "$SRC_NS" addr add "$cli_addr/24" dev veth0
    ip -n "$SRV_NS" addr add "$srv_addr/24" dev veth0
    ip -n "$SRC_NS" link set veth0 up
    ip -n "$SRV_NS" link set veth0 up
    ip -n "$SRV_NS" link set mirror0 up
    ip link set "$CAPTURE_IF" up
    # The SPAN port: copy both directions of the server's link to mirror0 (u32 "match all").
    ip netns exec "$SRV_NS" tc qdisc add dev veth0 clsact
    for dir in ingress egress; do
        ip netns exec "$SRV_NS" tc filter add dev veth0 "$dir" protocol all prio 1 \
            u32 match u32 0 0 action mirred egress mirror dev mirror0
    done

    cat >"$STATE/env" <<EOF
NAME=$NAME
CAPTURE_IF=$CAPTURE_IF
SRC_NS=$SRC_NS
SRC_IF=veth0
SRC_ADDR=$cli_addr
SRV_NS=$SRV_NS
SRV_IF=veth0
SRV_ADDR=$srv_addr
SUBNET_INDEX=$k
MTU=$mtu
EOF
    if [[ -n "$http_port" ]]; then
        start_http "$http_port" "$srv_addr"
        echo "HTTP_URL=http://$srv_addr:$http_port/" >>"$STATE/env"
    fi
    trap - ERR
    echo "lab $NAME is up"
    cmd_status
}

cmd_status() {
    if ! is_up; then
        echo "STATUS=down"
        echo "NAME=$NAME"
        return 3
    fi
    echo "STATUS=up"
    cat "$STATE/env"
    if [[ -f "$STATE/pids/http.pid" ]]; then
        local pid
        pid=$(cat "$STATE/pids/http.pid")
        if kill -0 "$pid" 2>/dev/null; then echo "HTTP_PID=$pid"; else echo "HTTP_PID=dead"; fi
    fi
}

cmd_exec() {
    local where="${1:?exec needs src or srv}"; shift
    [[ $# -gt 0 ]] || die "exec needs a command"
    is_up || die "lab $NAME is not up"
    case "$where" in
        src) exec ip netns exec "$SRC_NS" "$@" ;;
        srv) exec ip netns exec "$SRV_NS" "$@" ;;
        *) die "exec: say src or srv, not $where" ;;
    esac
}

cmd_replay() {
    local file="${1:?replay needs a capture file}"; shift
    is_up || die "lab $NAME is not up"
    command -v tcpreplay >/dev/null || die "tcpreplay is missing: apt-get install -y tcpreplay"
    exec ip netns exec "$SRC_NS" tcpreplay -q --intf1=veth0 "$@" "$file"
}

main() {
    [[ $# -ge 1 ]] || usage
    local cmd="$1"; shift
    local name="lab0"
    if [[ $# -ge 1 && "$1" != --* ]]; then name="$1"; shift; fi
    check_name "$name"
    vars "$name"
    case "$cmd" in
        up) cmd_up "$@" ;;
        down) cmd_down ;;
        status) cmd_status ;;
        exec) cmd_exec "$@" ;;
        replay) cmd_replay "$@" ;;
        -h|--help|help) usage ;;
        *) die "unknown command $cmd (up, down, status, exec, replay)" ;;
    esac
}

main "$@"
