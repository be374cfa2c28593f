#!/usr/bin/env bash
# lab.sh up TAG N | down TAG N
# A replicator lab in network namespaces only: TAG-snd (senders, 198.18.1.1, 2001:db8:1::1)
# -- TAG-rep (replicator, 198.18.1.254 / 2001:db8:1::fe on the sender side, bridge 198.18.2.254 /
# 2001:db8:2::fe) -- TAG-c1..TAG-cN (collectors, 198.18.2.i, 2001:db8:2::i). 198.18.0.0/15 is the
# benchmarking range (RFC 2544) and 2001:db8::/32 the documentation range: nothing outside the
# namespaces is ever addressed.
set -euo pipefail
cmd=${1:?up|down}; tag=${2:?tag}; n=${3:-14}
ns() { echo "$tag-$1"; }
case $cmd in
up)
  for x in snd rep; do ip netns add "$(ns $x)"; ip -n "$(ns $x)" link set lo up; done
  ip -n "$(ns rep)" link add s0 type veth peer name s0 netns "$(ns snd)"
  ip -n "$(ns snd)" addr add 198.18.1.1/24 dev s0
  ip -n "$(ns snd)" addr add 2001:db8:1::1/64 dev s0 nodad
  ip -n "$(ns snd)" link set s0 up
  ip -n "$(ns snd)" route add default via 198.18.1.254
  ip -n "$(ns snd)" -6 route add default via 2001:db8:1::fe
  ip -n "$(ns rep)" addr add 198.18.1.254/24 dev s0
  ip -n "$(ns rep)" addr add 2001:db8:1::fe/64 dev s0 nodad
  ip -n "$(ns rep)" link set s0 up
  ip -n "$(ns rep)" link add br0 type bridge
  ip -n "$(ns rep)" addr add 198.18.2.254/24 dev br0
  ip -n "$(ns rep)" addr add 2001:db8:2::fe/64 dev br0 nodad
  ip -n "$(ns rep)" link set br0 up
  for i in $(seq 1 "$n"); do
    c=$(ns c$i)
    ip netns add "$c"; ip -n "$c" link set lo up
    ip -n "$(ns rep)" link add p$i type veth peer name e0 netns "$c"
    ip -n "$(ns rep)" link set p$i master br0 up
    ip -n "$c" addr add 198.18.2.$i/24 dev e0
    ip -n "$c" addr add 2001:db8:2::$i/64 dev e0 nodad
    ip -n "$c" link set e0 up
    ip -n "$c" route add default via 198.18.2.254
    ip -n "$c" -6 route add default via 2001:db8:2::fe
  done
  ;;
down)
  for x in snd rep $(seq -f c%g 1 "$n"); do
    for pid in $(ip netns pids "$(ns $x)" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    ip netns del "$(ns $x)" 2>/dev/null || true
  done
  ;;
esac
