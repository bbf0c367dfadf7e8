#!/usr/bin/env bash
# Ordered-writes benchmark (token ring + outbox) on a 3-node cluster on loopback.
# Builds the classes with mvn -Pbench, runs io.dspot.bench.RingBench (src/bench/java), prints the
# markdown report to stdout (progress to stderr). Every process it started (node JVMs and their
# embedded PostgreSQL) and its temp dir are removed on exit, also on Ctrl-C.
#
# Knobs (environment):
#   BENCH_LIGHT_WRITES=300   sequential writes per light-load case (section 1)
#   BENCH_CLIENTS=8,32       client counts for the sustained run (section 2)
#   BENCH_DURATION=15        measured seconds per sustained run; BENCH_WARMUP=3
#   BENCH_HISTORY=10000      history size for the catch-up of a new node (section 4)
#   BENCH_IDLE=30            idle CPU window in seconds (section 3)
#   BENCH_TRIALS=2           kill -9 trials per failover case (section 5)
#   BENCH_SECTIONS=1,2,3,4,5 which sections to run (BENCH_SECTIONS=none: build and an empty report, a dry run)
#   BENCH_SKIP_BUILD=1       do not run mvn (use target/ as it is)
#   BENCH_KEEP=1             keep the temp dir (node logs, report)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

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
  for _ in 1 2 3; do
    local pids=""
    for p in /proc/[0-9]*; do
      local pid=${p#/proc/}
      [[ "$pid" == "$$" ]] && continue
      if tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF -- "$WORK"; then pids+=" $pid"; fi
    done
    [[ -z "$pids" ]] && break
    echo "[ring.sh] killing leftover processes:$pids" >&2
    kill -KILL $pids 2>/dev/null || true
    sleep 1
  done
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
  echo "[ring.sh] building (mvn -q -Pbench -DskipTests package test-compile) ..." >&2
  mvn -q -B -Pbench -DskipTests package test-compile >&2
fi
CP_FILE="$WORK/cp.txt"
mvn -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >&2
CP="target/test-classes:target/classes:$(cat "$CP_FILE")"

java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.base/java.nio=ALL-UNNAMED -Xmx1g \
  -Dbench.dir="$WORK/run" -Dbench.report="$WORK/report.md" -Dbench.log="$WORK/nodes.log" \
  -Dbench.lightWrites="${BENCH_LIGHT_WRITES:-300}" -Dbench.clients="${BENCH_CLIENTS:-8,32}" \
  -Dbench.duration="${BENCH_DURATION:-15}" -Dbench.warmup="${BENCH_WARMUP:-3}" \
  -Dbench.history="${BENCH_HISTORY:-10000}" -Dbench.idleSeconds="${BENCH_IDLE:-30}" \
  -Dbench.trials="${BENCH_TRIALS:-2}" -Dbench.sections="${BENCH_SECTIONS:-1,2,3,4,5}" \
  -cp "$CP" io.dspot.bench.RingBench &
HARNESS_PID=$!
set +e
wait "$HARNESS_PID"
RC=$?
set -e
HARNESS_PID=""
[[ -f "$WORK/report.md" ]] && cat "$WORK/report.md"
exit $RC
