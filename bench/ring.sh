#!/usr/bin/env bash
# Ordered-writes benchmark (token ring + outbox) on a 3-node cluster on loopback, this checkout
# against a base commit in the same run: base, this, base, this (BENCH_ROUNDS rounds, interleaved),
# with the same harness (this checkout's src/bench RingBench.java, compiled against each side's
# classes), then a table of ratios this/base per round. Prints the markdown report to stdout
# (progress to stderr). Every process it started (harness and node JVMs, their embedded
# PostgreSQL) and its temp dir are removed on exit, also on Ctrl-C.
#
# Knobs (environment):
#   BENCH_BASE_COMMIT=9741f8a  the commit to compare with (main before these ring changes) (BENCH_COMPARE=0: this checkout only)
#   BENCH_BASE_DIR=/tmp/ringbench-base-<commit>  where the base is checked out (git worktree) and built;
#                            reused when it exists (its RingBench.java is replaced by this one's)
#   BENCH_ROUNDS=2           base/this pairs
#   BENCH_LIGHT_WRITES=300   sequential writes per light-load case (section 1)
#   BENCH_CLIENTS=8,32,128   client counts for the sustained run (section 2)
#   BENCH_DURATION=15        measured seconds per sustained run; BENCH_WARMUP=3
#   BENCH_HISTORY=10000      history size for the catch-up of a new node (section 4)
#   BENCH_IDLE=30            idle CPU window in seconds (section 3)
#   BENCH_TRIALS=2           kill -9 trials per failover case (section 5)
#   BENCH_SECTIONS=1,2,6,7   which sections to run (1,2,3,4,5,6,7 = all; 7: section 2's writes driven by wrk
#                            from outside the JVM (needs wrk); 6: the ordered log alone, no HTTP,
#                            BENCH_CLIENTS submitters; none: build and an empty report)
#   BENCH_SKIP_BUILD=1       do not run mvn for this checkout (use target/ as it is)
#   BENCH_KEEP=1             keep the temp dir (node logs, per-run reports)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench-lib.sh
source "$ROOT/bench/bench-lib.sh"

BASE_COMMIT=${BENCH_BASE_COMMIT:-9741f8a}
BASE_DIR=${BENCH_BASE_DIR:-/tmp/ringbench-base-$BASE_COMMIT}
COMPARE=${BENCH_COMPARE:-1}
ROUNDS=${BENCH_ROUNDS:-2}
WORK=$(mktemp -d /tmp/ringbench.XXXXXX)
HARNESS_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$HARNESS_PID" ]] && kill -0 "$HARNESS_PID" 2>/dev/null; then
    kill -TERM "$HARNESS_PID" 2>/dev/null || true
    sleep 2
    kill -KILL "$HARNESS_PID" 2>/dev/null || true
  fi
  # Node JVMs and embedded PostgreSQL processes started by this run all carry $WORK in their
  # command line (config path / data directory): kill exactly those, by pid.
  kill_run_processes "$WORK" ring.sh
  if [[ "${BENCH_KEEP:-0}" == "1" ]]; then
    echo "[ring.sh] kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
  echo "[ring.sh] building this checkout (mvn -q -Pbench -DskipTests package test-compile) ..." >&2
  mvn -q -B -Pbench -DskipTests package test-compile >&2
fi
mvn -q -B dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >&2
# A snapshot of this checkout's classes: a rebuild while the bench runs cannot change what it measures.
mkdir -p "$WORK/this-build/target"
cp -r target/classes target/test-classes "$WORK/this-build/target/"

if [[ "$COMPARE" == "1" ]]; then
  if [[ ! -d "$BASE_DIR" ]]; then
    echo "[ring.sh] checking out $BASE_COMMIT into $BASE_DIR (git worktree) ..." >&2
    git worktree add --detach "$BASE_DIR" "$BASE_COMMIT" >&2
  fi
  # The same harness on both sides: only the code under test differs.
  cp "$ROOT/src/bench/java/io/dspot/bench/RingBench.java" "$BASE_DIR/src/bench/java/io/dspot/bench/RingBench.java"
  echo "[ring.sh] building the base ($BASE_COMMIT) in $BASE_DIR ..." >&2
  (cd "$BASE_DIR" && mvn -q -B -Pbench -DskipTests test-compile >&2 \
    && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$WORK/cp-base.txt" >&2)
fi

# run_harness <label> <checkout> <dir holding target/classes> <classpath file>: one RingBench run;
# its report goes to $WORK/<label>.md
run_harness() {
  local label=$1 checkout=$2 dir=$3 cpfile=$4
  echo "[ring.sh] run $label ($checkout), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  (cd "$checkout" && exec java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens java.base/java.nio=ALL-UNNAMED -Xmx1g ${BENCH_JAVA_OPTS:-} \
    -Dbench.dir="$WORK/$label" -Dbench.report="$WORK/$label.md" -Dbench.log="$WORK/$label-nodes.log" \
    -Dbench.lightWrites="${BENCH_LIGHT_WRITES:-300}" -Dbench.clients="${BENCH_CLIENTS:-8,32,128}" \
    -Dbench.duration="${BENCH_DURATION:-15}" -Dbench.warmup="${BENCH_WARMUP:-3}" \
    -Dbench.history="${BENCH_HISTORY:-10000}" -Dbench.idleSeconds="${BENCH_IDLE:-30}" \
    -Dbench.trials="${BENCH_TRIALS:-2}" -Dbench.sections="${BENCH_SECTIONS:-1,2,6,7}" \
    -cp "$dir/target/test-classes:$dir/target/classes:$(cat "$cpfile")" io.dspot.bench.RingBench) &
  HARNESS_PID=$!
  set +e
  wait "$HARNESS_PID"
  local rc=$?
  set -e
  HARNESS_PID=""
  [[ $rc -eq 0 ]] || echo "[ring.sh] run $label exited with $rc (its report says why)" >&2
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u +%Y-%m-%dT%H:%MZ)
LABELS=()
for r in $(seq 1 "$ROUNDS"); do
  if [[ "$COMPARE" == "1" ]]; then
    run_harness "base-$r" "$BASE_DIR" "$BASE_DIR" "$WORK/cp-base.txt"
    LABELS+=("base-$r")
  fi
  run_harness "this-$r" "$ROOT" "$WORK/this-build" "$WORK/cp.txt"
  LABELS+=("this-$r")
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

echo "### Ordered writes, this checkout ($(git rev-parse --short HEAD)$(git diff --quiet || echo ', uncommitted changes')) vs base $BASE_COMMIT, $STARTED"
echo
echo "Load average (1/5/15 min) at the start: $LOAD_START; at the end: $LOAD_END (2 cores, shared)."
echo
python3 "$ROOT/bench/ring-compare.py" "$WORK" "${LABELS[@]}"
for label in "${LABELS[@]}"; do
  echo
  echo "<details><summary>run $label (full report)</summary>"
  echo
  [[ -f "$WORK/$label.md" ]] && cat "$WORK/$label.md" || echo "(no report)"
  echo
  echo "</details>"
done
