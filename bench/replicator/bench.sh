#!/usr/bin/env bash
# bench.sh [RATES] [SECONDS]: loss-free NetFlow datagrams/s copied to 14 collectors, source address
# kept, by `sftap replicate` and by pmacct's nfacctd tee plugin (tee_transparent), side by side, in
# network namespaces on this machine only (see lab.sh). Needs root, pmacct, python3, the sftap jar
# (mvn package). Not part of CI.
# For each rate: send RATE datagrams/s for SECONDS from the sender namespace to the replicator's port
# 2055, then count the frames each collector's interface received; a rate is loss-free when every
# one of the 14 collectors received every datagram.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
rates=${1:-"5000 10000 20000 40000 80000"}; secs=${2:-5}; n=14; tag=srb$$
jar=$root/sftap-job/target/sftap.jar
[[ -f $jar ]] || { echo "build first: mvn -q package -DskipTests" >&2; exit 2; }
work=$(mktemp -d); pids=()
# veth hands every frame to the per-CPU backlog (net.core.netdev_max_backlog, 1000 by default): 14
# copies of a burst overflow it for any replicator. rmem_max caps the replicators' receive buffers.
# Both are raised for the run and restored at exit.
old_backlog=$(sysctl -n net.core.netdev_max_backlog); old_rmem=$(sysctl -n net.core.rmem_max)
sysctl -qw net.core.netdev_max_backlog=100000 net.core.rmem_max=16777216
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; "$here/lab.sh" down "$tag" "$n"; rm -rf "$work";
  sysctl -qw net.core.netdev_max_backlog="$old_backlog" net.core.rmem_max="$old_rmem"; }
trap cleanup EXIT
"$here/lab.sh" up "$tag" "$n"
for i in $(seq 1 $n); do ip -n "$tag-c$i" link set e0 mtu 9000 >/dev/null; done

rx() { local t=0; for i in $(seq 1 $n); do echo "$(ip -n "$tag-c$i" -s -j link show e0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])')"; done; }

measure() { # name
  local name=$1 best=0
  sleep 2
  ip netns exec "$tag-snd" python3 "$here/send.py" 198.18.1.254 2055 2000 3 >/dev/null # warm-up (JIT, neighbour entries), not counted
  sleep 2
  for rate in $rates; do
    mapfile -t before < <(rx)
    sent=$(ip netns exec "$tag-snd" python3 "$here/send.py" 198.18.1.254 2055 "$rate" "$secs")
    sleep 2
    mapfile -t after < <(rx)
    min=-1; for i in $(seq 0 $((n-1))); do d=$(( after[i] - before[i] )); (( min < 0 || d < min )) && min=$d; done
    achieved=$(python3 -c "print(round($sent/$secs))")
    verdict=lossy; (( min >= sent )) && { verdict=loss-free; best=$achieved; }
    printf '%-8s rate=%-7s sent=%-8s min-received-per-collector=%-8s %s\n' "$name" "$rate" "$sent" "$min" "$verdict"
  done
  echo "$name: best loss-free ${best} datagrams/s to $n collectors ($(( best * n )) copies/s)"
}

# sftap replicate
rules=$work/rules.yaml
{ echo "forward:"; echo "  netflow:"; echo "    port: 2055"; echo "    to:";
  for i in $(seq 1 $n); do echo "      - { addr: 198.18.2.$i, source: preserve }"; done; } > "$rules"
ip netns exec "$tag-rep" java --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  -Dlog4j2.configurationFile="$root/deploy/log4j2-cli.properties" -jar "$jar" replicate -c "$rules" \
  --listen udp:2055 --progress-interval 0 > "$work/sftap.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do ip netns exec "$tag-rep" ss -Hlnu | grep -q ':2055' && break; sleep 1; done
measure sftap
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
grep -E 'replicate\..*198.18.2.1:2055|forward.matched' "$work/sftap.log" || true

# pmacct nfacctd tee, transparent
{ printf 'id=1\tip='; for i in $(seq 1 $n); do printf '198.18.2.%s:2055' "$i"; (( i < n )) && printf ','; done; echo; } > "$work/receivers.lst"
cat > "$work/nfacctd.conf" <<CONF
daemonize: false
nfacctd_ip: 198.18.1.254
nfacctd_port: 2055
nfacctd_rcvbuf_size: 8388608
plugins: tee[a]
tee_receivers[a]: $work/receivers.lst
tee_transparent[a]: true
plugin_buffer_size[a]: 102400
plugin_pipe_size[a]: 102400000
CONF
ip netns exec "$tag-rep" nfacctd -f "$work/nfacctd.conf" > "$work/nfacctd.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 30); do ip netns exec "$tag-rep" ss -Hlnu | grep -q ':2055' && break; sleep 1; done
measure nfacctd
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r); date: $(date -u +%F)"
