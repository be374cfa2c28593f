#!/bin/sh
# netns_test.sh BINARY - end-to-end test of sftap-incubator in a private network namespace.
#
# Creates one namespace (unique name) with veth pairs:
#   in0 <-> in0p     the incubator reads in0; frames are injected on in0p
#   c0  <-> c0p      cell 0: the incubator sends on c0; we capture on c0p
#   c1  <-> c1p      cell 1
#   out0 <-> outp    inline mode only: the bridge's other side
# then runs the incubator in TAP mode and in inline mode, replays a generated
# capture (replay_check.py, standard-library python3) and checks where every
# frame went. Only the namespace and processes made here are touched; cleanup
# runs from a trap and kills by PID. Last line: "N passed, N failed".
set -u
BIN=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
NS="sfinc-$$-$(date +%s)"
TMP=$(mktemp -d /tmp/sfinc-test.XXXXXX)
PID=""
PASS=0
FAIL=0

cleanup() {
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null
        wait "$PID" 2>/dev/null
    fi
    ip netns del "$NS" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $1"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }

# Value of key=value in the incubator's final report.
final_value() {
    sed -n '/^\[final/,$p' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# Starts the incubator in the namespace; waits for its banner.
start_incubator() {
    log=$1; shift
    ip netns exec "$NS" "$BIN" "$@" >"$log.out" 2>"$log.err" &
    PID=$!
    i=0
    while [ $i -lt 50 ]; do
        grep -q "mode, in=" "$log.err" 2>/dev/null && return 0
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    echo "incubator did not start:"; cat "$log.err"
    return 1
}

stop_incubator() {
    kill -TERM "$PID" 2>/dev/null
    wait "$PID"
    rc=$?
    PID=""
    return $rc
}

# Replays into a running incubator; counts the python checks as ours.
replay() {
    log=$1; shift
    ip netns exec "$NS" python3 "$HERE/replay_check.py" "$@" >"$log.py" 2>&1
    cat "$log.py"
    PASS=$((PASS + $(grep -c '^ok ' "$log.py")))
    FAIL=$((FAIL + $(grep -c '^FAIL' "$log.py")))
    grep -q ' passed, ' "$log.py" || fail "replay_check.py ran to the end"
}

missing=""
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v ip >/dev/null 2>&1 || missing="$missing ip(iproute2)"
if [ -n "$missing" ]; then
    echo "missing:$missing"; echo "0 passed, 1 failed"; exit 1
fi

ip netns add "$NS" || { echo "cannot create namespace $NS"; echo "0 passed, 1 failed"; exit 1; }
# No IPv6 autoconfiguration noise (router solicitations, MLD) on the veths.
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
for pair in in0:in0p c0:c0p c1:c1p out0:outp; do
    a=${pair%%:*}; b=${pair##*:}
    ip -n "$NS" link add name "$a" type veth peer name "$b"
    ip -n "$NS" link set "$a" up
    ip -n "$NS" link set "$b" up
done

# --- command line errors -------------------------------------------------------------
ip netns exec "$NS" "$BIN" -i nosuch0 -o c0,c1 >"$TMP/err.out" 2>&1
rc=$?
check "missing interface: exits 1" [ "$rc" -eq 1 ]
check "missing interface: names it" grep -q "interface 'nosuch0' (input, -i) not found" "$TMP/err.out"
ip netns exec "$NS" "$BIN" -i in0 -o c0,nosuch1 >"$TMP/err.out" 2>&1
check "missing cell interface is named with its cell" grep -q "'nosuch1' (cell 1, -o) not found" "$TMP/err.out"
ip netns exec "$NS" "$BIN" -i in0 -o c0,c1 --backend netmap >"$TMP/err.out" 2>&1
check "netmap backend: says it is unavailable" grep -q "backend 'netmap' is unavailable: not available (net/netmap_user.h" "$TMP/err.out"
"$BIN" --help >"$TMP/help.out" 2>&1
check "--help exits 0 and shows the options" grep -q -- "--inline OUT" "$TMP/help.out"
if command -v setpriv >/dev/null 2>&1; then
    ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
        "$BIN" -i in0 -o c0,c1 >"$TMP/err.out" 2>&1
    check "no permission: names CAP_NET_RAW" grep -q "CAP_NET_RAW" "$TMP/err.out"
fi

# --- TAP mode: 2 cells, 2 workers (fanout) ---------------------------------------------
echo "# tap mode"
start_incubator "$TMP/tap" -i in0 -o c0,c1 --threads 2 --stats-interval 0 --frag-hold-ms 100 \
    || { fail "tap: incubator starts"; echo "$PASS passed, $FAIL failed"; exit 1; }
replay "$TMP/tap" --mode tap --inject in0p --cells c0p,c1p --non-ip-cell 0 --pcap "$TMP/tap.pcap"
kill -USR1 "$PID"
sleep 0.3
check "SIGUSR1 prints counters" grep -q '^\[stats' "$TMP/tap.out"
check "SIGTERM: clean exit (status 0)" stop_incubator
cat "$TMP/tap.out"
sent=$(sed -n 's/^info sent=\([0-9]*\).*/\1/p' "$TMP/tap.py")
orphans=$(sed -n 's/^info .*orphans=\([0-9]*\).*/\1/p' "$TMP/tap.py")
check "final report: rx equals frames sent ($sent)" [ "$(final_value "$TMP/tap.out" rx)" = "$sent" ]
check "final report: fragments held (late first fragments)" [ "$(final_value "$TMP/tap.out" fragments_held)" -gt 0 ]
check "final report: orphan fragments timed out ($orphans)" \
    [ "$(final_value "$TMP/tap.out" fragments_timed_out)" = "$orphans" ]
check "final report: non_ip=10, send_errors=0" \
    [ "$(final_value "$TMP/tap.out" non_ip)" = 10 -a "$(final_value "$TMP/tap.out" send_errors)" = 0 ]

# --- inline mode: IN <-> OUT bridge plus copies to the cells -------------------------
echo "# inline mode"
start_incubator "$TMP/inl" -i in0 -o c0,c1 --inline out0 --threads 2 --stats-interval 0 \
    || { fail "inline: incubator starts"; echo "$PASS passed, $FAIL failed"; exit 1; }
replay "$TMP/inl" --mode inline --inject in0p --out-peer outp --cells c0p,c1p --non-ip-cell 0
check "inline: SIGTERM clean exit" stop_incubator
cat "$TMP/inl.out"
check "inline: no bridge send errors" [ "$(final_value "$TMP/inl.out" bridge_send_errors)" = 0 ]

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
