#!/usr/bin/env bash
# Assembles an Apache Flink 2.3.0 standalone distribution from Maven Central jars into DIR
# (default deploy/flink/dist): lib/, plugins/metrics-prometheus/, examples/, conf/, bin/.
# Apache Flink publishes no binary distribution on Central, so lib/ holds the module jars and their
# runtime dependencies (resolved by deploy/flink/pom.xml) instead of one flink-dist jar.
# Idempotent; works offline once ~/.m2 holds the jars (tries `mvn -o` first).
#
# Usage: deploy/flink/assemble.sh [DIR]
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
    -h | --help)
        sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
esac

FLINK_DIST="$(absolute_dir "${1:-$(default_dist_dir)}")"
command -v mvn >/dev/null || die "mvn not found"

# Replacing jars under running JVMs breaks them.
for pidfile in "$FLINK_DIST"/run/*.pid; do
    [[ -f "$pidfile" ]] || continue
    if kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        die "a cluster from $FLINK_DIST is running ($(basename "$pidfile")): stop it first (cluster.sh stop --dir $FLINK_DIST)"
    fi
done

# Runs maven offline first (fast, no network), then online if something is missing locally.
mvn_offline_first() {
    local log="$1"
    shift
    if ! mvn -B -q -o "$@" >"$log" 2>&1; then
        echo "  (not all in ~/.m2; resolving from Maven Central)"
        mvn -B -q "$@" >"$log" 2>&1 || { cat "$log" >&2; die "maven failed: mvn $*"; }
    fi
}

started=$(date +%s)
staging="$FLINK_DIST/.assemble"
rm -rf "$staging"
mkdir -p "$staging/examples"

echo "Resolving Flink $FLINK_VERSION jars (lib/, plugins/)"
mvn_offline_first "$staging/mvn.log" -f "$FLINK_SCRIPTS_DIR/pom.xml" package "-Dflink.dist.dir=$staging"

echo "Fetching Flink's streaming examples (examples/)"
for example in TopSpeedWindowing WordCount; do
    mvn_offline_first "$staging/mvn.log" org.apache.maven.plugins:maven-dependency-plugin:2.8:get \
        "-Dartifact=org.apache.flink:flink-examples-streaming:$FLINK_VERSION:jar:$example" \
        -Dtransitive=false "-Ddest=$staging/examples/$example.jar"
done

# Swap in the freshly resolved jar directories (no stale jars from an older assembly stay behind).
for sub in lib plugins examples; do
    rm -rf "${FLINK_DIST:?}/$sub"
    mv "$staging/$sub" "$FLINK_DIST/$sub"
done
rm -rf "$staging"

echo "Writing conf/ and bin/"
mkdir -p "$FLINK_DIST"/{conf,bin,log,run,tmp,checkpoints,savepoints}
sed "s|@DIST_DIR@|$FLINK_DIST|g" "$FLINK_SCRIPTS_DIR/conf/config.yaml.in" >"$FLINK_DIST/conf/config.yaml"
cp "$FLINK_SCRIPTS_DIR/conf/log4j.properties" "$FLINK_SCRIPTS_DIR/conf/log4j-cli.properties" "$FLINK_DIST/conf/"
echo localhost:8081 >"$FLINK_DIST/conf/masters"
echo localhost >"$FLINK_DIST/conf/workers"
for script in common.sh cluster.sh flink; do
    cp "$FLINK_SCRIPTS_DIR/$script" "$FLINK_DIST/bin/$script"
done
chmod +x "$FLINK_DIST/bin/cluster.sh" "$FLINK_DIST/bin/flink"
echo "$FLINK_VERSION" >"$FLINK_DIST/VERSION"

echo "Assembled Flink $FLINK_VERSION in $FLINK_DIST ($(find "$FLINK_DIST/lib" -name "*.jar" | wc -l) jars in lib/, $(du -sh "$FLINK_DIST/lib" | cut -f1), $(($(date +%s) - started)) s)"
echo "Start it with: deploy/flink/cluster.sh start --dir $FLINK_DIST"
