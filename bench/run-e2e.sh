#!/usr/bin/env bash
# run-e2e.sh - end-to-end benchmark: generate a capture (once), run it through the embedded job
# to draining analyzers REPEAT times per state backend, print medians (docs/performance.md).
# usage: bench/run-e2e.sh [--flows N] [--concurrency N] [--bulk-share X] [--repeat N]
#                         [--states "rocksdb heap"] [--parallelism "2"] [--label L] [--results FILE]
#                         [--heap 4g] [--against LABEL=DIR]... [-- extra EndToEndBenchmark options]
# --against runs the same capture, interleaved run by run, with the sftap classes of another
# checkout DIR (built with `mvn -o -q compile -pl sftap-job -am` there): a before/after comparison.
# Generator options other than --flows/--concurrency/--bulk-share go in GEN_OPTS.
# Each run's work folder (sockets, RocksDB, checkpoints) goes under $TMPDIR (default /tmp).
# Before each run the capture is read once, so the run finds it in the page cache and measures the
# job, not the disk (a cold 9.6 GB capture ran at 2.60 Gbit/s against 3.30 warm right after it,
# docs/performance.md section 22); WARM_CAPTURE=0 skips that.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
flows=200000 concurrency=10000 bulk=0 repeat=3 states="rocksdb heap" pars=2 label=e2e heap=4g
results=$root/target/bench/results.tsv
extra=()
variants=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --flows) flows=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --bulk-share) bulk=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --states) states=$2; shift 2 ;;
    --parallelism) pars=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --against) variants+=("$2"); shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "run-e2e.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
cp_file=$root/bench/target/classpath.txt
if [[ ${SKIP_BUILD:-0} != 1 || ! -f $cp_file ]]; then
  # The reactor's own classes (target/classes), never ~/.m2 copies of our modules.
  (cd "$root" && mvn -q -B ${MVN_OFFLINE:+-o} -pl bench -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file") >&2
fi
cp="$root/bench/target/classes:$(cat "$cp_file")"
variants+=("$label=$root")
# The classpath of a variant: this tree's bench classes and third-party jars, DIR's sftap classes.
variant_cp() {
  echo "$root/bench/target/classes:$(sed "s#$root/#$1/#g" "$cp_file")"
}
data=${BENCH_DATA:-$root/target/bench/data}
mkdir -p "$data" "$(dirname "$results")"
prefix=$data/w-f$flows-c$concurrency-b$bulk${GEN_OPTS:+-$(echo "$GEN_OPTS" | tr -c 'a-zA-Z0-9.=\n' _)}
if [[ ! -f $prefix.expected.properties ]]; then
  java -Xmx2g -cp "$cp" io.sftap.bench.gen.WorkloadGenerator --out "$prefix" --flows "$flows" \
    --concurrency "$concurrency" --bulk-share "$bulk" ${GEN_OPTS:-} >&2
fi
log4j=-Dlog4j2.configurationFile=$root/deploy/log4j2-cli.properties
for ((i = 1; i <= repeat; i++)); do
  for state in $states; do
    for p in $pars; do
      for v in "${variants[@]}"; do
        if [[ ${WARM_CAPTURE:-1} != 0 ]]; then
          cat "$prefix.pcap" > /dev/null
        fi
        work=$(mktemp -d "${TMPDIR:-/tmp}/sftap-bench-run.XXXXXX")
        java -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC "$log4j" ${JAVA_OPTS:-} -cp "$(variant_cp "${v#*=}")" \
          io.sftap.bench.e2e.EndToEndBenchmark --capture "$prefix" --state "$state" -p "$p" \
          --work "$work" --label "${v%%=*}" --results "$results" "${extra[@]}" | tail -n +2 || true
        rm -rf "$work"
      done
    done
  done
done
java -cp "$cp" io.sftap.bench.e2e.MedianTable "$results"
