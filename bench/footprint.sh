#!/usr/bin/env bash
# Memory and idle CPU of one node holding BENCH_SONGS songs, for the jar under test and an anchor
# jar in the same run, interleaved (A B, then B A). Progress on stderr, the markdown report on
# stdout; a copy of the report goes to bench/results/footprint-<UTC>.md. Every process this run
# started (node JVMs, their embedded PostgreSQL) and its temp dir are removed on exit, also on Ctrl-C.
# Needs: java 17, ffmpeg (libmp3lame), python3. Builds nothing.
#
# Knobs (environment):
#   DSPOT_JAR=target/dspot.jar     the jar under test
#   BASE_JAR=/tmp/base13/dspot.jar the anchor (BASE_JAR= to measure DSPOT_JAR alone)
#   BENCH_SONGS=10000              the library: songs imported once (by DSPOT_JAR) into a seed data dir copied for every case
#   BENCH_IMPORT_SONGS=1000        songs each case imports on top while its memory is sampled
#   BENCH_IDLE=60                  idle CPU window, seconds;  BENCH_SETTLE=20 quiet seconds before it
#   BENCH_ROUNDS=2                 rounds (each runs every jar once)
#   BENCH_SAMPLE=1                 memory sample interval during the import, seconds
#   BENCH_JAVA_OPTS=               extra JVM options for every node (default: none, as `java -jar`)
#   BENCH_HEAP_MB=                 the nodes' jvm.heapMegabytes (default: the jar's own default)
#   BENCH_KEEP=1                   keep the temp dir (node logs)
#   BENCH_MORE_JARS=               more jars in the same run, between base and new: label=/path,label=/path
#                                  (a variant each; the ratios stay new / base)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
DSPOT_JAR=${DSPOT_JAR:-$REPO/target/dspot.jar}
BASE_JAR=${BASE_JAR-/tmp/base13/dspot.jar}
for tool in java ffmpeg python3; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
for jar in "$DSPOT_JAR" ${BASE_JAR:+"$BASE_JAR"}; do
  [[ -f "$jar" ]] || { echo "no jar at $jar (build it first; this script never runs mvn)" >&2; exit 2; }
done

# shellcheck source=bench-lib.sh
source "$HERE/bench-lib.sh"
WORK=$(mktemp -d /tmp/footprint.XXXXXX)
DRIVER_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n "$DRIVER_PID" ]] && kill -TERM "$DRIVER_PID" 2>/dev/null || true
  kill_run_processes "$WORK" footprint
  if [[ "${BENCH_KEEP:-0}" == "1" ]]; then echo "[footprint] kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Copies named after their role, so the report says which is which and the cleanup finds them.
cp "$DSPOT_JAR" "$WORK/dspot-new.jar"
JARS="" LABELS=""
if [[ -n "$BASE_JAR" ]]; then
  cp "$BASE_JAR" "$WORK/dspot-base.jar"
  JARS="$WORK/dspot-base.jar," LABELS="base,"
fi
IFS=, read -r -a MORE <<<"${BENCH_MORE_JARS:-}"
for entry in "${MORE[@]}"; do
  label=${entry%%=*} jar=${entry#*=}
  [[ -f "$jar" && "$label" =~ ^[a-z0-9-]+$ && "$label" != base && "$label" != new ]] \
    || { echo "BENCH_MORE_JARS: '$entry' is not label=/existing.jar (label: a-z, 0-9, -; not base or new)" >&2; exit 2; }
  cp "$jar" "$WORK/dspot-$label.jar"
  JARS+="$WORK/dspot-$label.jar," LABELS+="$label,"
done
JARS+="$WORK/dspot-new.jar" LABELS+="new"

STAMP=$(date -u +%Y-%m-%dT%H%MZ)
FP_WORK="$WORK" FP_JARS="$JARS" FP_LABELS="$LABELS" python3 "$HERE/footprint.py" >"$WORK/report.md" &
DRIVER_PID=$!
set +e
wait "$DRIVER_PID"
RC=$?
set -e
DRIVER_PID=""
mkdir -p "$HERE/results"
{ echo "# footprint.sh $STAMP"; echo; echo "new = $DSPOT_JAR ($(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')), base = ${BASE_JAR:-none}${BENCH_MORE_JARS:+, more = $BENCH_MORE_JARS}"; echo; cat "$WORK/report.md"; } \
  >"$HERE/results/footprint-$STAMP.md"
cat "$WORK/report.md"
exit $RC
