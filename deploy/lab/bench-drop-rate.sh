#!/usr/bin/env bash
# Drop-rate benchmark of sftap's live capture source (not a test). Needs root, tcpreplay, iproute2.
#
#   deploy/lab/bench-drop-rate.sh [SECONDS_PER_STEP] [RATE...]     (RATE in frames/s, or "top")
#
# Builds a lab (deploy/lab/lab.sh), runs a MiniCluster job  capture(lab port) -> count -> discard,
# offers a short-session mix and a bulk mix side by side with tcpreplay at each rate, and prints
# offered rate vs drop percentage and the highest loss-free rate per mix. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ $EUID -eq 0 ]] || { echo "bench-drop-rate.sh: needs root (network namespaces, raw capture)" >&2; exit 1; }
command -v tcpreplay >/dev/null || apt-get install -y -qq tcpreplay
args="${*:-3 10000 25000 50000 100000 200000 top}"
mvn -q ${MVN_OFFLINE:+-o} -pl sftap-source test-compile
# A plain JVM (not exec:java's class loader, which Flink's job submission does not see through).
mvn -q ${MVN_OFFLINE:+-o} -pl sftap-source exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
    -Dexec.args="-Xmx2g -cp %classpath io.sftap.source.live.LiveCaptureBench $args"
