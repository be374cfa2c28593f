#!/bin/sh
# veth_bench.sh [-t SECONDS] [-n REPEATS] [-s "SIZES"] [-j THREADS] [RATES...]
#
# Loss-free packet rate through veth, by frame size, of two ways to split one interface into two
# cells, measured side by side in one run (with veth-only, the sender into in0 and nothing else,
# as the reference for what the sender itself reaches):
#   incubator  sftap-incubator, linux backend (AF_PACKET TPACKET_V3 + sendmmsg), TAP mode, 2 cells
#   tc-u32     a tc ingress u32 hash table (ht divisor 256, hashkey = last byte of the IPv4 source
#              address) whose 256 buckets redirect (act_mirred) to the cells, even buckets to c0
#
# Not run by `make check`. Needs root and iproute2 (tc; cls_u32 and act_mirred, present in any
# kernel that has tc). Builds bench/blast.c. In a private namespace:
#   blast -> in0p ==veth== in0 -> [splitter] -> c0 ==veth== c0p
#                                            -> c1 ==veth== c1p
# received = rx_packets of c0p + c1p (veth-only: of in0). For each frame size and each repeat, both splitters sweep the
# offered rates upwards (incubator first, then tc, alternating, so load from elsewhere on the
# machine falls on both alike). A step is loss-free when received == sent. A sweep's result is the
# highest achieved (sent / SECONDS) rate of a loss-free step; it stops after two steps in a row
# that were lossy or achieved no more than the best so far (the sender is the bottleneck). A result
# marked "*" comes from a sweep where nothing was lost at all: the splitter kept up with everything
# the sender could produce, so it is a lower bound. The summary gives, per size and splitter, the
# median over the repeats.
#
# tc's u32 hash is not symmetric: A->B and B->A hash on different source addresses and usually land
# in different cells, so a cell would see half of a conversation. It is here as the kernel-only
# throughput baseline, not as an equivalent splitter. veth transmits synchronously, so on small
# machines the sender's own speed bounds what either side can show.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD="$HERE/../build"
SECS=1
REPEATS=3
SIZES="64 512 1500"
THREADS=$(nproc)
FLOWS=4096
while getopts t:n:s:j:h opt; do
    case "$opt" in
        t) SECS=$OPTARG ;;
        n) REPEATS=$OPTARG ;;
        s) SIZES=$OPTARG ;;
        j) THREADS=$OPTARG ;;
        *) sed -n '2,3p' "$0" | sed 's/^# //'; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
RATES=${*:-"25000 50000 100000 150000 200000 300000 400000 600000 800000 1200000 2000000"}
NS="sfinc-bench-$$"
PID=""
WORK=$(mktemp -d)

cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    rm -rf "$WORK"
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

# The tc split as one batch: a 256-bucket u32 hash table keyed on the source address's last byte
# (offsets are from the IPv4 header), a root filter that links every IPv4 frame into it, and
# non-IPv4 to c0 (as the incubator's non-IP cell).
TC_BATCH="$WORK/tc-u32.batch"
{
    echo "qdisc add dev in0 clsact"
    echo "filter add dev in0 ingress prio 1 protocol ip handle 2: u32 divisor 256"
    b=0
    while [ $b -lt 256 ]; do
        printf 'filter add dev in0 ingress prio 1 protocol ip u32 ht 2:%x: match u32 0 0 action mirred egress redirect dev c%d\n' \
            $b $((b % 2))
        b=$((b + 1))
    done
    echo "filter add dev in0 ingress prio 1 protocol ip u32 ht 800:: match u32 0 0 hashkey mask 0x000000ff at 12 link 2:"
    echo "filter add dev in0 ingress prio 2 protocol all u32 match u32 0 0 action mirred egress redirect dev c0"
} >"$TC_BATCH"

rx() { ip netns exec "$NS" cat "/sys/class/net/$1/statistics/rx_packets"; }

start_splitter() {
    case "$1" in
        incubator)
            ip netns exec "$NS" "$BUILD/sftap-incubator" -i in0 -o c0,c1 --threads "$THREADS" \
                --stats-interval 0 >"$WORK/incubator.log" 2>&1 &
            PID=$!
            sleep 0.5
            kill -0 "$PID" 2>/dev/null || { cat "$WORK/incubator.log"; exit 1; } ;;
        tc-u32)
            ip netns exec "$NS" tc -batch "$TC_BATCH" || { echo "tc-u32: SKIPPED: cls_u32/act_mirred missing"; exit 1; } ;;
        veth-only) ;;
    esac
}

stop_splitter() {
    case "$1" in
        incubator)
            kill -TERM "$PID"; wait "$PID"; PID=""
            # Where its losses were: receive ring (kernel_drops) or refused sends (send_errors).
            sed -n '/^\[final/,$p' "$WORK/incubator.log" | grep -o '\<kernel_drops=[0-9]*\|\<send_errors=[0-9]*' |
                tr '\n' ' ' | sed 's/^/  incubator final: /; s/ $/\n/' >&2 ;;
        tc-u32) ip netns exec "$NS" tc qdisc del dev in0 clsact ;;
        veth-only) ;;
    esac
}

# sweep LABEL SIZE -> prints steps on stderr, the result ("RATE", or "RATE*" when no step lost
# anything: then RATE is only what the sender reached, a lower bound) on stdout
sweep() {
    label=$1 size=$2 best=0 misses=0 anylost=0
    for rate in $RATES; do
        c0=$(rx c0p) c1=$(rx c1p) i0=$(rx in0)
        sent=$(ip netns exec "$NS" "$BUILD/blast" in0p "$rate" "$SECS" "$FLOWS" "$size" | sed -n 's/^sent=//p')
        sleep 0.3
        g0=$(($(rx c0p) - c0)) g1=$(($(rx c1p) - c1))
        got=$((g0 + g1))
        [ "$label" = veth-only ] && got=$(($(rx in0) - i0))
        lost=$((sent - got))
        achieved=$((sent / SECS))
        printf '  %-9s size=%-4s offered=%-8s achieved=%-8s sent=%-8s received=%-8s (c0 %s, c1 %s) lost=%s\n' \
            "$label" "$size" "$rate" "$achieved" "$sent" "$got" "$g0" "$g1" "$lost" >&2
        [ "$lost" -gt 0 ] && anylost=1
        if [ "$lost" -le 0 ] && [ "$achieved" -gt "$best" ]; then
            best=$achieved misses=0
        else
            misses=$((misses + 1)) # lossy, or the sender reached no more than before
            [ $misses -ge 2 ] && break
        fi
    done
    [ $anylost = 0 ] && best="$best*"
    echo "$best"
}

median() { # values (with an optional "*") -> the median (sorted by value; keeps its "*")
    printf '%s\n' "$@" | sort -t'*' -k1,1n | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'
}

echo "# veth_bench: $(date -u +%Y-%m-%dT%H:%MZ) $(uname -sr), $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1))"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ${SECS}s per step, $REPEATS repeats, $FLOWS flows, incubator --threads $THREADS, rates: $RATES"
SUMMARY="$WORK/summary"
for size in $SIZES; do
    inc="" tcr="" raw=""
    rep=1
    while [ $rep -le "$REPEATS" ]; do
        for s in incubator tc-u32 veth-only; do
            start_splitter "$s"
            r=$(sweep "$s" "$size")
            stop_splitter "$s"
            echo "size $size repeat $rep $s: $r" >&2
            case "$s" in
                incubator) inc="$inc $r" ;;
                tc-u32) tcr="$tcr $r" ;;
                *) raw="$raw $r" ;;
            esac
        done
        rep=$((rep + 1))
    done
    # shellcheck disable=SC2086
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$size" "$(median $inc)" "$(median $tcr)" "$(median $raw)" \
        "${inc# }" "${tcr# }" "${raw# }" >>"$SUMMARY"
done
echo
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "loss-free packets/s through veth (median of $REPEATS; * = no loss in that sweep: a lower bound)"
echo "| frame bytes | incubator | tc-u32 | veth-only | incubator runs | tc-u32 runs | veth-only runs |"
echo "|---|---|---|---|---|---|---|"
cat "$SUMMARY"
