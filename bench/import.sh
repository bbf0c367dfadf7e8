#!/usr/bin/env bash
# Folder import benchmark: N small tagged MP3s imported on a fresh node (`--import`), the same
# folder imported again (nothing changed), and the folder imported through the admin API into a
# fresh 3-node cluster. The jar under test and the anchor jar (the code before the change) run in
# the same script run, interleaved, each on fresh data. Prints the markdown report to stdout,
# progress to stderr. Every process it started (JVMs and their embedded PostgreSQL) and its temp
# dir are removed on exit, also on Ctrl-C.
#
# The import time is read from the node's own log: `--import` from "node up" (the import is asked
# for right then: listing the folder counts) to "finished"; the cluster case from "N audio files
# found" to "finished". Node start-up and shutdown are not counted; wall time (reported too) has them.
# The single-node case also reports the CPU seconds the node's JVM and its PostgreSQL (every process
# of it, ended backends included) spent over that same window: on a shared machine they move far
# less than the wall time, and 2 cores / (CPU s per track) bounds what a quiet machine can do.
#
# Knobs (environment):
#   BENCH_N=1000                      tracks in the generated library
#   BENCH_RUNS=2                      runs of every case (interleaved: anchor, new, anchor, new ...)
#   BENCH_CASES="single reimport cluster"
#   BENCH_JAR=target/dspot.jar        the jar under test (build it first: mvn -B -q -DskipTests package)
#   BENCH_BASE_JAR=/tmp/m15/dspot.jar  the anchor (the jar of main before the change)
#   BENCH_CACHE=$HOME/.cache/dspot-bench  where the generated library is kept between runs
#   BENCH_WARM_N=0                    cluster case: import this many other files first (a second generated library),
#                                     wait until every copy is made, then time the measured import on the same,
#                                     now warm, nodes (0 = time the first import of fresh nodes, the default)
#   BENCH_WARM_N=0                    cluster case: import this many other files first (a second generated library),
#                                     wait until every copy is made, then time the measured import on the same,
#                                     now warm, nodes (0 = time the first import of fresh nodes, the default)
#   BENCH_START_TIMEOUT=300           seconds to wait for the 3 nodes to start (minutes on a busy machine)
#   BENCH_KEEP=1                      keep the temp dir (node logs)
#   BENCH_JFR=1                       record the new jar's single-node import window with JFR (kept in the temp dir; use with BENCH_KEEP=1)
#   BENCH_ASPROF=/tmp/ap/linux-x64/libasyncProfiler.so  profile both jars' single imports and every cluster node with
#                                     async-profiler (cpu, 1 ms), loaded at JVM start; the import window's stacks go to
#                                     <run dir>/import.collapsed (cluster: <run dir>/nI/import.collapsed, node-1's window)
#                                     (bench/jfr-window.py; use with BENCH_KEEP=1). Not for timed runs: the agent costs CPU.
#   BENCH_JAVA_OPTS=""                JVM flags for every node (default none: what `java -jar dspot.jar` gives);
#                                     heap or collector flags here keep the node in the first JVM
#   BENCH_BASE_JAVA_OPTS              the anchor's JVM flags, if not the same (e.g. "-Xmx512m", as this script ran before)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench-lib.sh
source "$ROOT/bench/bench-lib.sh"
N=${BENCH_N:-1000}
RUNS=${BENCH_RUNS:-2}
CASES=${BENCH_CASES:-single reimport cluster}
NEW_JAR=$(realpath "${BENCH_JAR:-target/dspot.jar}")
BASE_JAR=$(realpath "${BENCH_BASE_JAR:-/tmp/m15/dspot.jar}")
CACHE=${BENCH_CACHE:-$HOME/.cache/dspot-bench}
LIB="$CACHE/import-$N"
WORK=$(mktemp -d /tmp/importbench.XXXXXX)
PASSWORD="bench-$(date +%s)-Pw!"
# What a user running the README's command gets: no JVM flags, so `java -jar` starts the node in the
# JVM SmallJvm chooses. BENCH_JAVA_OPTS (e.g. "-Xmx512m") passes an operator's own flags instead.
read -r -a JAVA_OPTS <<<"${BENCH_JAVA_OPTS:-}"
read -r -a BASE_JAVA_OPTS <<<"${BENCH_BASE_JAVA_OPTS-${BENCH_JAVA_OPTS:-}}"

say() { echo "[import.sh] $*" >&2; }

kill_ours() { kill_run_processes "$WORK" import.sh; }
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  kill_ours
  if [[ "${BENCH_KEEP:-0}" == "1" ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for jar in "$NEW_JAR" "$BASE_JAR"; do
  [[ -f "$jar" ]] || { say "missing $jar (build: mvn -B -q -DskipTests package)"; exit 2; }
done
if [[ ! -f "$LIB/.complete" ]]; then
  say "generating $N tagged MP3s into $LIB (once) ..."
  rm -rf "$LIB" && mkdir -p "$LIB"
  ffmpeg -loglevel error -y -f lavfi -i sine=frequency=440:duration=2 -c:a libmp3lame -b:a 128k \
    -map_metadata -1 -id3v2_version 0 -write_id3v1 0 -write_xing 0 "$WORK/base.mp3"
  python3 "$ROOT/bench/import-library.py" "$WORK/base.mp3" "$LIB/songs" "$N"
  touch "$LIB/.complete"
fi
SONGS="$LIB/songs"
WARM_N=${BENCH_WARM_N:-0}
WARM_LIB="$CACHE/import-warm-$WARM_N"
if (( WARM_N > 0 )) && [[ ! -f "$WARM_LIB/.complete" ]]; then
  say "generating $WARM_N other tagged MP3s into $WARM_LIB (once; numbered from 1,000,000: no tag or hash in common) ..."
  rm -rf "$WARM_LIB" && mkdir -p "$WARM_LIB"
  ffmpeg -loglevel error -y -f lavfi -i sine=frequency=440:duration=2 -c:a libmp3lame -b:a 128k \
    -map_metadata -1 -id3v2_version 0 -write_id3v1 0 -write_xing 0 "$WORK/base.mp3"
  python3 "$ROOT/bench/import-library.py" "$WORK/base.mp3" "$WARM_LIB/songs" "$WARM_N" 1000000
  touch "$WARM_LIB/.complete"
fi

# conf DIR NODE-ID HZ-PORT SIZE MEMBERS [CERTS]: a node config with loopback, no TLS, no demo.
conf() {
  local dir=$1 id=$2 port=$3 size=$4 members=$5 certs=${6:-}
  mkdir -p "$dir"
  cat >"$dir/node.json" <<JSON
{ "node": { "id": "$id", "dataDir": "$dir/data" },
  "http": { "host": "127.0.0.1", "port": 0, "tls": { "enabled": false } },
  "db": { "embeddedPort": 0 },
  "admin": { "username": "admin", "password": "$PASSWORD" },
  "demo": { "enabled": false },
  "import": { "roots": ["$SONGS"$(if (( WARM_N > 0 )); then printf ', "%s"' "$WARM_LIB/songs"; fi)] },
  "cluster": { "name": "importbench-$$", "host": "127.0.0.1", "port": $port, "members": [$members], "size": $size,
               "internalHttpPort": 0, "heartbeatSeconds": 1, "maxNoHeartbeatSeconds": 5 $( [[ -n "$certs" ]] && echo ", \"certsDir\": \"$certs\"" ) } }
JSON
}

# millis of an HH:mm:ss.SSS log timestamp
ms() { local t=$1; echo $(( (10#${t:0:2} * 3600 + 10#${t:3:2} * 60 + 10#${t:6:2}) * 1000 + 10#${t:9:3} )); }

# import-seconds LOG FROM: seconds from the first line matching FROM to "finished"
import_seconds() { # LOG FROM-PATTERN [SKIP-LINES]: the first import that starts after line SKIP-LINES
  local log=$1 from=$2 skip=${3:-0} a b
  a=$(tail -n +"$((skip + 1))" "$log" | grep -m1 -E "$from" | cut -c1-12)
  b=$(tail -n +"$((skip + 1))" "$log" | grep -m1 -E 'import of .* finished' | cut -c1-12)
  [[ -n "$a" && -n "$b" ]] || { echo "NA"; return; }
  local d=$(( $(ms "$b") - $(ms "$a") )); (( d < 0 )) && d=$(( d + 86400000 ))
  awk -v d="$d" 'BEGIN { printf "%.2f", d / 1000 }'
}
# --import asks for the import right after this line; in the cluster the admin API call comes later.
UP='node [^ ]+ up in'
counts() { grep -m1 -E 'import of .* finished' "$1" | sed -E 's/.*finished: //; s/, duration.*//' | cut -c1-80; }

# cpu_of JVM-PID DATA-DIR: "jvm pg jvm-kernel" clock ticks so far (jvm-kernel: the JVM's system time, part of jvm); pg = the postmaster of DATA-DIR/postgres, its
# live children and the children it reaped (ended backends).
# JVM = the command's JVM and the node's JVM it started (SmallJvm), if it did.
cpu_of() {
  local jpid=$1 data=$2 f fs pm jvm=0 pg=0 sys=0 q
  [[ -r "/proc/$jpid/stat" ]] || { echo "0 0 0"; return; }
  for q in $jpid $(pgrep -P "$jpid" java || true); do
    f=$(cat "/proc/$q/stat" 2>/dev/null) || continue; f=${f##*) }; read -r -a fs <<<"$f"
    jvm=$((jvm + fs[11] + fs[12])); sys=$((sys + fs[12]))
  done
  pm=$(pgrep -f -- "-D $data/postgres" | head -1 || true)
  for q in $pm $( [[ -n "$pm" ]] && pgrep -P "$pm" || true); do
    f=$(cat "/proc/$q/stat" 2>/dev/null) || continue; f=${f##*) }; read -r -a fs <<<"$f"
    pg=$((pg + fs[11] + fs[12]))
    [[ "$q" == "$pm" ]] && pg=$((pg + fs[13] + fs[14]))
  done
  echo "$jvm $pg $sys"
}
# cpu_delta "JVM PG SYS" "JVM PG SYS": "jvm_s|pg_s|jvm_kernel_s" between two samples, NA if one is missing
cpu_delta() {
  [[ -n "$1" && -n "$2" ]] || { echo "NA|NA|NA"; return; }
  awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { split(a, x, " "); split(b, y, " ");
    printf "%.2f|%.2f|%.2f", (y[1] - x[1]) / hz, (y[2] - x[2]) / hz, (y[3] - x[3]) / hz }'
}

declare -A RESULT
row() { RESULT["$1|$2|$3"]="$4"; }

single() { # single JAR LABEL RUN: fresh node, --import, then --import again (re-import)
  local jar=$1 label=$2 run=$3
  local dir="$WORK/$label-single-$run" port=$(( 20000 + RANDOM % 9000 ))
  conf "$dir" node-1 "$port" 1 "\"127.0.0.1:$port\""
  local opts=("${JAVA_OPTS[@]}") jfr=0
  [[ "$label" == "base" ]] && opts=("${BASE_JAVA_OPTS[@]}")
  # JFR over the import window, started in the node's JVM (the relaunched one, if any) with jcmd:
  # a -XX:StartFlightRecording flag would reach both JVMs and the launcher's file would win.
  [[ "${BENCH_JFR:-0}" == "1" && "$label" == "new" ]] && jfr=1
  local plain=("${opts[@]}")
  # Loaded at start in both JVMs (%p: each its own file): attaching with jcmd took 0.4-0.6 s of the window.
  [[ -n "${BENCH_ASPROF:-}" ]] && opts+=("-agentpath:$BENCH_ASPROF=start,event=cpu,interval=1ms,file=$dir/ap-%p.jfr")
  say "$label run $run: single-node import of $N files"
  local t0=$(date +%s.%N)
  java "${opts[@]}" -jar "$jar" --conf "$dir/node.json" --import "$SONGS" >"$dir/import.log" 2>&1 &
  local jpid=$! before="" after="" npid
  # CPU over the import window: sampled when the log says "up" and when it says "finished".
  while alive "$jpid"; do
    if [[ -z "$before" ]] && grep -qE "$UP" "$dir/import.log" 2>/dev/null; then
      before=$(cpu_of "$jpid" "$dir/data")
      npid=$(pgrep -P "$jpid" java || echo "$jpid")
      (( jfr )) && { jcmd "$npid" JFR.start name=import settings=profile "filename=$dir/import.jfr" >/dev/null || say "JFR.start failed"; }
    fi
    if [[ -n "$before" && -z "$after" ]] && grep -qE 'import of .* finished' "$dir/import.log" 2>/dev/null; then
      after=$(cpu_of "$jpid" "$dir/data")
      (( jfr )) && { jcmd "$npid" JFR.stop name=import >/dev/null || say "JFR.stop failed"; say "JFR of the import: $dir/import.jfr"; }
    fi
    sleep 0.02
  done
  wait "$jpid" || say "exit $? (see $dir/import.log)"
  local wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  row single "$label" "$run" "$(import_seconds "$dir/import.log" "$UP")|$wall|$(counts "$dir/import.log")|$(cpu_delta "$before" "$after")"
  if [[ -n "${BENCH_ASPROF:-}" ]]; then
    python3 "$ROOT/bench/jfr-window.py" "$(grep -m1 -E "$UP" "$dir/import.log" | cut -c1-12)" \
      "$(grep -m1 -E 'import of .* finished' "$dir/import.log" | cut -c1-12)" "$dir"/ap-*.jfr >"$dir/import.collapsed" \
      && say "profile of the import window: $dir/import.collapsed" || say "no profile (see $dir)"
  fi
  if [[ " $CASES " == *" reimport "* ]]; then
    say "$label run $run: re-import of the unchanged folder"
    t0=$(date +%s.%N)
    java "${plain[@]}" -jar "$jar" --conf "$dir/node.json" --import "$SONGS" >"$dir/reimport.log" 2>&1 || say "exit $? (see $dir/reimport.log)"
    wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    row reimport "$label" "$run" "$(import_seconds "$dir/reimport.log" "$UP")|$wall|$(counts "$dir/reimport.log")"
  fi
  kill_ours
}

http_port() { grep -m1 -oE 'web player and API on http://[^/]+:[0-9]+' "$1" | grep -oE '[0-9]+$'; }

admin_import() { # API COOKIES FOLDER OUT-PREFIX: asks node-1 for a folder import and waits until it is no longer running
  local api=$1 cookies=$2 folder=$3 out=$4
  curl -s -b "$cookies" -H 'Content-Type: application/json' -d "{\"path\":\"$folder\"}" "$api/api/admin/import" >"$out-started.json"
  if grep -q '"error":"' "$out-started.json"; then say "the import of $folder was refused: $(cat "$out-started.json")"; return 1; fi
  for _ in $(seq 1 1200); do
    curl -s -b "$cookies" "$api/api/admin/import" >"$out-status.json" || true
    grep -q '"state":"running"' "$out-status.json" || break
    sleep 0.5
  done
}

settled() { # API COOKIES OUT: waits (up to 300 s) until no node has a copy queued or a blob under-replicated
  local api=$1 cookies=$2 out=$3
  for _ in $(seq 1 300); do
    curl -s -b "$cookies" "$api/api/cluster" >"$out" || true
    python3 - "$out" <<'PY' && return 0
import json, sys
def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            if k in ("backlog", "underReplicated") and isinstance(x, int) and x > 0:
                return False
            if not walk(x):
                return False
    elif isinstance(v, list):
        return all(walk(x) for x in v)
    return True
try:
    doc = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(1)
sys.exit(0 if walk(doc) and "backlog" in open(sys.argv[1]).read() else 1)
PY
    sleep 1
  done
  return 1
}

cluster() { # cluster JAR LABEL RUN: 3 fresh nodes, import through node-1's admin API
  local jar=$1 label=$2 run=$3
  local dir="$WORK/$label-cluster-$run" base=$(( 20000 + RANDOM % 9000 ))
  local certs="$dir/certs"
  local members="\"127.0.0.1:$base\", \"127.0.0.1:$((base + 1))\", \"127.0.0.1:$((base + 2))\""
  mkdir -p "$certs"
  java -jar "$jar" certs init "$certs" >/dev/null
  for i in 1 2 3; do
    java -jar "$jar" certs node "$certs" "node-$i" --host 127.0.0.1 >/dev/null
    conf "$dir/n$i" "node-$i" $((base + i - 1)) 3 "$members" "$certs"
  done
  say "$label run $run: starting 3 nodes"
  local pids=() opts=("${JAVA_OPTS[@]}")
  [[ "$label" == "base" ]] && opts=("${BASE_JAVA_OPTS[@]}")
  for i in 1 2 3; do
    local nopts=("${opts[@]}")
    # Each node's JVMs (the launcher and the node it starts) write their own file; cut to the window below.
    [[ -n "${BENCH_ASPROF:-}" ]] && nopts+=("-agentpath:$BENCH_ASPROF=start,event=cpu,interval=1ms,file=$dir/n$i/ap-%p.jfr")
    java "${nopts[@]}" -jar "$jar" --conf "$dir/n$i/node.json" >"$dir/n$i/node.log" 2>&1 &
    pids+=($!)
  done
  local port=""
  for _ in $(seq 1 "${BENCH_START_TIMEOUT:-300}"); do
    port=$(http_port "$dir/n1/node.log" || true)
    [[ -n "$port" ]] && grep -q 'up in' "$dir/n2/node.log" && grep -q 'up in' "$dir/n3/node.log" && break
    sleep 1
  done
  [[ -n "$port" ]] || { say "cluster did not start (logs in $dir)"; row cluster "$label" "$run" "NA|NA|did not start"; kill_ours; return; }
  local api="http://127.0.0.1:$port"
  local jar_cookies="$dir/cookies"
  # The first write needs the ring: retry the login (it writes a session) until the cluster takes writes.
  for _ in $(seq 1 60); do
    curl -s -o /dev/null -w '%{http_code}' -c "$jar_cookies" -H 'Content-Type: application/json' \
      -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" "$api/api/auth/login" | grep -q 200 && break
    sleep 1
  done
  local skip=0
  if (( WARM_N > 0 )); then
    say "$label run $run: warming the nodes: importing $WARM_N other files, then waiting for every copy"
    admin_import "$api" "$jar_cookies" "$WARM_LIB/songs" "$dir/warm" \
      || { row cluster "$label" "$run" "NA|NA|warm-up import refused"; kill_ours; return; }
    settled "$api" "$jar_cookies" "$dir/cluster.json" || say "$label run $run: copies not settled after 300 s (see $dir/cluster.json)"
    skip=$(wc -l <"$dir/n1/node.log")
  fi
  say "$label run $run: importing $N files through node-1 of 3"
  local t0=$(date +%s.%N)
  admin_import "$api" "$jar_cookies" "$SONGS" "$dir/measured" \
    || { row cluster "$label" "$run" "NA|NA|import refused"; kill_ours; return; }
  local wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  row cluster "$label" "$run" "$(import_seconds "$dir/n1/node.log" 'audio files found' "$skip")|$wall|$(tail -n +"$((skip + 1))" "$dir/n1/node.log" | counts /dev/stdin)"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  sleep 3
  kill_ours
  if [[ -n "${BENCH_ASPROF:-}" ]]; then
    local from to
    from=$(grep -m1 -E 'audio files found' "$dir/n1/node.log" | cut -c1-12)
    to=$(grep -m1 -E 'import of .* finished' "$dir/n1/node.log" | cut -c1-12)
    for i in 1 2 3; do
      python3 "$ROOT/bench/jfr-window.py" "$from" "$to" "$dir/n$i"/ap-*.jfr >"$dir/n$i/import.collapsed" \
        && say "profile of node-$i over node-1's import window: $dir/n$i/import.collapsed" || say "no profile of node-$i (see $dir/n$i)"
    done
  fi
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u +%Y-%m-%dT%H:%MZ)
say "load average at start: $LOAD_START"
for run in $(seq 1 "$RUNS"); do
  for c in single cluster; do
    [[ " $CASES " == *" $c "* || ( $c == single && " $CASES " == *" reimport "* ) ]] || continue
    "$c" "$BASE_JAR" base "$run"
    "$c" "$NEW_JAR" new "$run"
  done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
say "load average at end: $LOAD_END"

rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s == "NA" || s <= 0) print "NA"; else printf "%.0f", n / s }'; }
echo "## Folder import, $N small tagged MP3s ($START, 2 cores shared; load average $LOAD_START at start, $LOAD_END at end)"
echo
echo "anchor = \`$(basename "$(dirname "$BASE_JAR")")/$(basename "$BASE_JAR")\`, new = \`${BENCH_JAR:-target/dspot.jar}\`; JVM flags: anchor \`${BASE_JAVA_OPTS[*]:-none}\`, new \`${JAVA_OPTS[*]:-none}\` (none = what \`java -jar dspot.jar\` chooses); import time from the node's log (single/reimport: node up → finished; cluster: files found → finished); wall = the whole command (node start and stop included for single/reimport)."
if (( WARM_N > 0 )); then
  echo
  echo "cluster: **warm nodes**: each cluster first imported $WARM_N other files and made all their copies; the row times the next import on the same nodes."
fi
echo
echo "| case | run | anchor import s | anchor tracks/s | new import s | new tracks/s | new/anchor | anchor wall s | new wall s | new result |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for c in single reimport cluster; do
  [[ " $CASES " == *" $c "* ]] || continue
  for run in $(seq 1 "$RUNS"); do
    IFS='|' read -r bs bw bc _ _ <<<"${RESULT["$c|base|$run"]:-NA|NA|NA}"
    IFS='|' read -r ns nw nc _ _ <<<"${RESULT["$c|new|$run"]:-NA|NA|NA}"
    br=$(rate "$N" "$bs"); nr=$(rate "$N" "$ns")
    ratio=$(awk -v a="$bs" -v b="$ns" 'BEGIN { if (a == "NA" || b == "NA" || b <= 0) print "NA"; else printf "%.1f×", a / b }')
    echo "| $c | $run | $bs | $br | $ns | $nr | $ratio | $bw | $nw | $nc |"
  done
done
if [[ " $CASES " == *" single "* ]]; then
  echo
  echo "CPU over the single-node import window (JVM = the node's process; PG = its PostgreSQL, every process). ms per track = (JVM + PG) / N; \"2-core bound\" = what 2 fully free cores would allow at that CPU cost, 2000 / (ms per track) tracks/s. JVM kernel s: the part of the JVM's CPU spent in the kernel (creating files, fsync, sockets); on this machine's journal-less ext4, creating a file costs far more while other processes delete many (bench/import.md)."
  echo
  echo "| run | anchor JVM s | anchor JVM kernel s | anchor PG s | anchor ms/track | anchor 2-core bound | new JVM s | new JVM kernel s | new PG s | new ms/track | new 2-core bound |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for run in $(seq 1 "$RUNS"); do
    IFS='|' read -r _ _ _ bj bp bk <<<"${RESULT["single|base|$run"]:-NA|NA|NA|NA|NA|NA}"
    IFS='|' read -r _ _ _ nj np nk <<<"${RESULT["single|new|$run"]:-NA|NA|NA|NA|NA|NA}"
    per() { awk -v j="$1" -v p="$2" -v n="$N" 'BEGIN { if (j == "NA" || j == "") print "NA|NA"; else { m = (j + p) * 1000 / n; printf "%.2f|%.0f", m, (m > 0 ? 2000 / m : 0) } }'; }
    IFS='|' read -r bm bb <<<"$(per "$bj" "$bp")"; IFS='|' read -r nm nb <<<"$(per "$nj" "$np")"
    echo "| $run | $bj | $bk | $bp | $bm | $bb | $nj | $nk | $np | $nm | $nb |"
  done
fi
