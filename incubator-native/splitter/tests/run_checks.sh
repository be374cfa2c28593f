#!/bin/sh
# run_checks.sh BUILD_DIR - `make check`: unit tests, then the namespace test if it can run.
# The last line is always "N passed, N failed" over everything that ran.
build=$1
here=$(dirname "$0")
unit_out=$("$build/unit_tests")
unit_rc=$?
printf '%s\n' "$unit_out"
up=$(printf '%s\n' "$unit_out" | tail -n 1 | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
uf=$(printf '%s\n' "$unit_out" | tail -n 1 | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
[ -n "$up" ] || { up=0; uf=1; echo "unit tests: no summary line (crashed? exit $unit_rc)"; }

ip=0 if=0
skip=""
if [ "$(id -u)" != 0 ]; then
    skip="not running as root (network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN)"
elif ! command -v ip >/dev/null 2>&1; then
    skip="the 'ip' command (iproute2) is not installed"
elif ! command -v python3 >/dev/null 2>&1; then
    skip="python3 is not installed (it generates, replays and captures the frames)"
fi
if [ -n "$skip" ]; then
    echo "netns integration test: SKIPPED: $skip"
else
    echo "netns integration test:"
    net_out=$(sh "$here/netns_test.sh" "$build/sftap-incubator" 2>&1)
    printf '%s\n' "$net_out"
    ip=$(printf '%s\n' "$net_out" | tail -n 1 | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    if=$(printf '%s\n' "$net_out" | tail -n 1 | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    [ -n "$ip" ] || { ip=0; if=1; echo "netns test: no summary line"; }
fi
echo "unit: $up passed, $uf failed; netns: ${skip:+skipped}${skip:-$ip passed, $if failed}"
echo "$((up + ip)) passed, $((uf + if)) failed"
[ $((uf + if)) -eq 0 ]
