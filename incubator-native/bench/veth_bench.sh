#!/bin/sh
# veth_bench.sh [SECONDS_PER_STEP] [RATES...] - loss-free packet rate through veth:
# sftap-incubator (AF_PACKET, 2 cells) against a Linux tc flower/matchall + mirred split.
#
# Not run by `make check`. Needs root and iproute2 (tc). Builds bench/blast.c.
# In a private namespace: blast -> in0p => in0 -> [splitter] -> c0, c1 => c0p, c1p;
# received = rx_packets of c0p + c1p. For each rate: sent, received, loss.
# The tc split is by the high bit of the source address (flower cannot hash a
# flow symmetrically); it is here as the kernel-only throughput baseline, not as an
# equivalent splitter. Numbers from veth on a shared VM are indicative only.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD="$HERE/../build"
SECS=${1:-2}
[ $# -gt 0 ] && shift
RATES=${*:-"50000 100000 200000 400000 800000 1600000"}
NS="sfinc-bench-$$"
PID=""

cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

[ "$(id -u)" = 0 ] || { echo "veth_bench.sh: needs root (network namespaces, CAP_NET_RAW)"; exit 1; }
command -v tc >/dev/null 2>&1 || { echo "veth_bench.sh: missing tc (iproute2)"; exit 1; }
make -s -C "$HERE/.." all >/dev/null || exit 1
${CC:-gcc} -O2 -Wall -Wextra -o "$BUILD/blast" "$HERE/blast.c" || exit 1

ip netns add "$NS"
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
for pair in in0:in0p c0:c0p c1:c1p; do
    ip -n "$NS" link add name "${pair%%:*}" type veth peer name "${pair##*:}"
    ip -n "$NS" link set "${pair%%:*}" up
    ip -n "$NS" link set "${pair##*:}" up
done

rx() { ip netns exec "$NS" cat "/sys/class/net/$1/statistics/rx_packets"; }

sweep() {
    label=$1
    best=0
    for rate in $RATES; do
        before=$(( $(rx c0p) + $(rx c1p) ))
        sent=$(ip netns exec "$NS" "$BUILD/blast" in0p "$rate" "$SECS" 4096 | sed -n 's/^sent=//p')
        sleep 0.5
        got=$(( $(rx c0p) + $(rx c1p) - before ))
        loss=$((sent - got))
        # veth transmits synchronously: the sender may not reach the offered rate.
        achieved=$((sent / SECS))
        printf '%-10s offered=%-8s achieved=%-8s sent=%-9s received=%-9s lost=%s\n' \
            "$label" "$rate" "$achieved" "$sent" "$got" "$loss"
        [ "$loss" -le 0 ] && [ "$achieved" -gt "$best" ] && best=$achieved
    done
    echo "$label: highest loss-free achieved rate: $best pps"
}

echo "# sftap-incubator (linux backend, $(nproc) workers)"
ip netns exec "$NS" "$BUILD/sftap-incubator" -i in0 -o c0,c1 --stats-interval 0 >/dev/null 2>&1 &
PID=$!
sleep 0.5
sweep incubator
kill -TERM "$PID"; wait "$PID"; PID=""

echo "# tc ingress flower + matchall, mirred redirect"
ip netns exec "$NS" tc qdisc add dev in0 clsact
if ! ip netns exec "$NS" tc filter add dev in0 ingress prio 1 protocol ip flower \
        src_ip 128.0.0.0/1 action mirred egress redirect dev c0 ||
   ! ip netns exec "$NS" tc filter add dev in0 ingress prio 2 protocol all matchall \
        action mirred egress redirect dev c1; then
    echo "tc-mirred: SKIPPED: this kernel lacks cls_flower/cls_matchall or act_mirred"
    exit 0
fi
sweep tc-mirred
