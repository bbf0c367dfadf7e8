#!/usr/bin/env bash
# Where a write's CPU goes: runs one section of bench/ring.sh (this checkout only, 128 clients by
# default), attaches async-profiler to the harness JVM once the section is under way, and prints
# bench/ring-split.py's split of the samples (load generator, TLS, PostgreSQL client, event bus,
# ring, ...). The collapsed stacks are kept, gzipped, as OUT.collapsed.gz.
#
#   BENCH_PROFILER=/path/libasyncProfiler.so bench/ring-profile.sh OUT [SECTION]   # SECTION 2 (default) or 7
#
# Knobs: BENCH_PROFILER (required: async-profiler's libasyncProfiler.so, from the jar
# tools.profiler:async-profiler), PROFILE_DELAY (s after the section starts, 8), PROFILE_SECONDS
# (12); BENCH_CLIENTS (128), BENCH_DURATION (25), BENCH_WARMUP (3) and the rest go to ring.sh.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: ring-profile.sh OUT [SECTION]}
SECTION=${2:-2}
PROFILER=${BENCH_PROFILER:?set BENCH_PROFILER to async-profiler libasyncProfiler.so}
[[ -f "$PROFILER" ]] || { echo "no async-profiler library at $PROFILER" >&2; exit 2; }
case "$SECTION" in 2) MARK="section 2: " ;; 7) MARK="section 7: " ;; *) echo "section 2 or 7" >&2; exit 2 ;; esac

BENCH_COMPARE=0 BENCH_ROUNDS=1 BENCH_SECTIONS=$SECTION BENCH_CLIENTS=${BENCH_CLIENTS:-128} \
  BENCH_DURATION=${BENCH_DURATION:-25} "$HERE/ring.sh" >"$OUT.md" 2>"$OUT.err" &
RING=$!
trap 'kill -TERM "$RING" 2>/dev/null || true' INT TERM
until grep -q "$MARK" "$OUT.err" 2>/dev/null; do
  kill -0 "$RING" 2>/dev/null || { echo "ring.sh ended before $MARK (see $OUT.err)" >&2; exit 1; }
  sleep 1
done
sleep "${PROFILE_DELAY:-8}"
JVM=$(pgrep -f "io.dspot.bench.RingBench" | head -1)
jcmd "$JVM" JVMTI.agent_load "$PROFILER" '"start,event=cpu,interval=1ms,threads"' >&2
sleep "${PROFILE_SECONDS:-12}"
jcmd "$JVM" JVMTI.agent_load "$PROFILER" "\"stop,file=$OUT.collapsed,collapsed\"" >&2
wait "$RING"
python3 "$HERE/ring-split.py" "$OUT.collapsed"
gzip -f "$OUT.collapsed"
