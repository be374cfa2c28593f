# shellcheck shell=bash disable=SC2034 # variables are used by the sourcing scripts
# Shared helpers of the sftap Flink scripts (assemble.sh, cluster.sh, flink, smoke.sh).
# Sourced, not run. Callers set FLINK_DIST (the assembled distribution directory) first.

FLINK_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FLINK_VERSION=2.3.0

die() {
    echo "error: $*" >&2
    exit 1
}

# The distribution directory: explicit argument, else $SFTAP_FLINK_DIR, else the one these scripts
# sit in (when copied to DIR/bin), else deploy/flink/dist.
default_dist_dir() {
    if [[ -n "${SFTAP_FLINK_DIR:-}" ]]; then
        echo "$SFTAP_FLINK_DIR"
    elif [[ -f "$FLINK_SCRIPTS_DIR/../conf/config.yaml" && -d "$FLINK_SCRIPTS_DIR/../lib" ]]; then
        (cd "$FLINK_SCRIPTS_DIR/.." && pwd)
    else
        echo "$FLINK_SCRIPTS_DIR/dist"
    fi
}

absolute_dir() {
    mkdir -p "$1" && (cd "$1" && pwd)
}

require_assembled() {
    if [[ ! -f "$FLINK_DIST/conf/config.yaml" ]] || ! compgen -G "$FLINK_DIST/lib/flink-runtime-*.jar" >/dev/null; then
        die "no assembled Flink in $FLINK_DIST: run deploy/flink/assemble.sh $FLINK_DIST"
    fi
}

# Value of a flat key in conf/config.yaml (the last occurrence wins, as in Flink's own scripts).
conf_get() {
    local key="$1" default="${2:-}" value
    value=$(sed -n "s/^${key//./\\.}[[:space:]]*:[[:space:]]*//p" "$FLINK_DIST/conf/config.yaml" | tail -n 1)
    value="${value%"${value##*[![:space:]]}"}"
    echo "${value:-$default}"
}

# Sets a flat key in conf/config.yaml, appending it when absent.
conf_set() {
    local key="$1" value="$2" file="$FLINK_DIST/conf/config.yaml"
    if grep -q "^${key//./\\.}[[:space:]]*:" "$file"; then
        sed -i "s|^${key//./\\.}[[:space:]]*:.*|${key}: ${value}|" "$file"
    else
        echo "${key}: ${value}" >>"$file"
    fi
}

flink_classpath() {
    local cp="" jar
    for jar in "$FLINK_DIST"/lib/*.jar; do
        cp="${cp:+$cp:}$jar"
    done
    echo "$cp"
}

java_cmd() {
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
        echo "$JAVA_HOME/bin/java"
    else
        command -v java || die "java not found (set JAVA_HOME)"
    fi
}

# JVM options from the configuration for a role (jobmanager, taskmanager, client).
java_opts() {
    local role="$1"
    echo "$(conf_get env.java.default-opts.all) $(conf_get env.java.opts.all) $(conf_get "env.java.opts.$role")"
}

# Environment Flink's processes look at for their directories.
export_flink_env() {
    export FLINK_HOME="$FLINK_DIST"
    export FLINK_CONF_DIR="$FLINK_DIST/conf"
    export FLINK_LIB_DIR="$FLINK_DIST/lib"
    export FLINK_OPT_DIR="$FLINK_DIST/opt"
    export FLINK_PLUGINS_DIR="$FLINK_DIST/plugins"
    export FLINK_BIN_DIR="$FLINK_DIST/bin"
    export FLINK_LOG_DIR="$FLINK_DIST/log"
}
