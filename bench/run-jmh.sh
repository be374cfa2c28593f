#!/usr/bin/env bash
# run-jmh.sh - JMH microbenchmarks of the hot paths (a few minutes; never part of mvn verify).
# usage: bench/run-jmh.sh [JMH options, e.g. a benchmark regex, -f 1 -wi 2 -i 3 -prof gc]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cp_file=$root/bench/target/classpath.txt
if [[ ${SKIP_BUILD:-0} != 1 || ! -f $cp_file ]]; then
  (cd "$root" && mvn -q -B ${MVN_OFFLINE:+-o} -pl bench -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file") >&2
fi
mkdir -p "$root/target/bench"
exec java -cp "$root/bench/target/classes:$(cat "$cp_file")" org.openjdk.jmh.Main \
  -rf text -rff "$root/target/bench/jmh.txt" "${@:-HotPathBenchmarks}"
