#!/usr/bin/env bash
# What metrics cost: the same jar with metrics on and off, and the code before metrics (the base
# jar) as the anchor, serving random small ranges of one song, interleaved in the same run.
#
#   bench/metrics-cost.sh                                  # defaults: 2 rounds, 10 s per run
#   BENCH_ROUNDS=1 BENCH_DURATION=5 bench/metrics-cost.sh  # quick smoke run
#
# Prints a markdown table on stdout (progress on stderr): req/s and p99 of 64 KiB random ranges
# (wrk 1 thread x 32 connections, as in issue 13), server CPU, RSS and live heap after a full GC,
# and what one scrape of /metrics costs. Ratios are metrics-on / metrics-off.
#
# Needs: java 17 (jcmd), ffmpeg (libmp3lame), wrk (with Lua), curl, python3. Never runs mvn.
# All traffic is on 127.0.0.1. Every process it starts and its temp dir are removed on exit (Ctrl-C too).
#
# Knobs (environment):
#   DSPOT_JAR           the jar with metrics                    (default <repo>/target/dspot.jar)
#   BASE_JAR            the jar before metrics; empty: skip it  (default /tmp/base13/dspot.jar)
#   MAIN_JAR            an earlier jar with metrics, run with metrics on (column "main", ratio main/off:
#                       what metrics cost before this jar's changes); empty: skip it (default /tmp/m14/dspot.jar)
#   BENCH_ROUNDS        interleaved rounds                      (default 2)
#   BENCH_DURATION      seconds per measured wrk run            (default 10)
#   BENCH_WARMUP        seconds of warm-up before each run      (default 3)
#   BENCH_CONNS         wrk connections                         (default 32)
#   BENCH_THREADS       wrk threads                             (default 1)
#   BENCH_RANGE_BYTES   bytes per range                         (default 65536)
#   BENCH_SONG_SECONDS  length of the generated 320 kbps MP3    (default 120 -> ~4.8 MB)
#   BENCH_SCRAPES       scrapes of /metrics timed per round     (default 20)
#   BENCH_JFR           1 = also run a 4th node, metrics on, recorded with JFR (column "jfr", not in the
#                       ratio), and report the share of its CPU samples in metrics code (default 1)
#   BENCH_PROFILER      path to async-profiler's libasyncProfiler.so (jar tools.profiler:async-profiler,
#                       linux-x64/): CPU-profiles the on and off nodes during their measured runs and
#                       reports where their event loops' time goes; collapsed stacks kept next to the
#                       report (default: none)
#   BENCH_RESULTS_DIR   where the report and profiles are copied (default <repo>/bench/results)
#   BENCH_KEEP          1 = keep the temp dir (logs)            (default 0)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench-lib.sh
source "$HERE/bench-lib.sh"
REPO=$(dirname "$HERE")
LUA="$HERE/random-range.lua"
DSPOT_JAR=${DSPOT_JAR:-$REPO/target/dspot.jar}
BASE_JAR=${BASE_JAR-/tmp/base13/dspot.jar}
MAIN_JAR=${MAIN_JAR-/tmp/m14/dspot.jar}
ROUNDS=${BENCH_ROUNDS:-2}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNS:-32}
THREADS=${BENCH_THREADS:-1}
RANGE=${BENCH_RANGE_BYTES:-65536}
SONG_SECONDS=${BENCH_SONG_SECONDS:-120}
SCRAPES=${BENCH_SCRAPES:-20}
KEEP=${BENCH_KEEP:-0}
JFR=${BENCH_JFR:-1}
PROFILER=${BENCH_PROFILER:-}
RESULTS_DIR=${BENCH_RESULTS_DIR:-$HERE/results}
ADMIN_PASSWORD="bench-$(date +%s)-$RANDOM"
CLK_TCK=$(getconf CLK_TCK)

for tool in java jcmd ffmpeg wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
[[ -f "$DSPOT_JAR" ]] || { echo "no jar at $DSPOT_JAR (build it first; this script never runs mvn)" >&2; exit 2; }
[[ -z "$BASE_JAR" || -f "$BASE_JAR" ]] || { echo "no base jar at $BASE_JAR (set BASE_JAR= to skip it)" >&2; exit 2; }
[[ -z "$MAIN_JAR" || -f "$MAIN_JAR" ]] || { echo "no main jar at $MAIN_JAR (set MAIN_JAR= to skip it)" >&2; exit 2; }
[[ -z "$PROFILER" || -f "$PROFILER" ]] || { echo "no async-profiler library at $PROFILER" >&2; exit 2; }

WORK=$(mktemp -d /tmp/dspot-metrics-bench.XXXXXX)
declare -A PID=() JVM=() URL=() TOKEN=() SONG=()


cleanup() {
  local rc=$? name f pgpid
  set +e
  trap - EXIT INT TERM
  # SIGTERM runs each node's shutdown hook, which stops its embedded PostgreSQL too.
  for name in "${!PID[@]}"; do stop_pid "${PID[$name]}" TERM 20; done
  for f in "$WORK"/*/data/postgres/postmaster.pid; do
    [[ -f "$f" ]] || continue
    pgpid=$(head -n1 "$f")
    [[ "$pgpid" =~ ^[0-9]+$ ]] && stop_pid "$pgpid" INT 10
  done
  if [[ "$KEEP" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Hazelcast's port: below the kernel's temporary range, so no outgoing connection takes it meanwhile.
low_port() {
  python3 -c '
import random, socket
for _ in range(200):
    p = random.randrange(20000, 30000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); s.close(); print(p); break
    except OSError:
        s.close()'
}

json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

# name jar metrics_enabled [java options]: starts a node, uploads the song, logs in.
start_node() {
  local name=$1 jar=$2 metrics=$3 dir="$WORK/$1" port hz i
  local jvm_opts=("${@:4}")
  mkdir -p "$dir/data"
  cp "$jar" "$dir/dspot.jar"
  port=$(free_port)
  hz=$(low_port)
  cat >"$dir/node.json" <<EOF
{
  "node": { "id": "bench-$name", "dataDir": "$dir/data" },
  "http": { "host": "127.0.0.1", "port": $port, "tls": { "enabled": false } },
  "db": { "embeddedPort": 0 },
  "demo": { "enabled": false },
  "cluster": { "host": "127.0.0.1", "port": $hz, "members": ["127.0.0.1:$hz"], "size": 1,
               "eventBusPort": 0, "internalHttpPort": 0 }
}
EOF
  (cd "$dir" && DSPOT_ADMIN_PASSWORD="$ADMIN_PASSWORD" DSPOT_METRICS_ENABLED="$metrics" \
    exec java "${jvm_opts[@]}" -jar "$dir/dspot.jar" --conf "$dir/node.json") >"$dir/node.log" 2>&1 &
  PID[$name]=$!
  URL[$name]="http://127.0.0.1:$port"
  for ((i = 0; i < 900; i++)); do
    curl -fs -o /dev/null "${URL[$name]}/api/health" && break
    alive "${PID[$name]}" || { echo "node $name died during start:" >&2; tail -n 40 "$dir/node.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -fs -o /dev/null "${URL[$name]}/api/health" || { echo "node $name not up after 90 s" >&2; exit 1; }
  curl -fsS -H 'Content-Type: application/json' -H "Origin: ${URL[$name]}" \
    -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "${URL[$name]}/api/auth/login" >"$dir/login.json"
  TOKEN[$name]=$(json_get "$dir/login.json" 'd["token"]')
  curl -fsS -H "Authorization: Bearer ${TOKEN[$name]}" -F "f=@$WORK/song.mp3;type=audio/mpeg" "${URL[$name]}/api/songs" >"$dir/upload.json"
  SONG[$name]="/api/songs/$(json_get "$dir/upload.json" 'd["songs"][0]["id"]')/stream"
  JVM[$name]=$(node_jvm "${PID[$name]}")
  log "node $name ($(basename "$(dirname "$jar")")/$(basename "$jar"), metrics.enabled=$metrics) on ${URL[$name]}, pid ${PID[$name]}"
}

profiled() { [[ -n "$PROFILER" && ( "$1" == on || "$1" == off ) ]]; }

profiler() { # name command: an async-profiler command sent the way asprof does (agent attach)
  jcmd "${JVM[$1]}" JVMTI.agent_load "$PROFILER" "\"$2\"" >/dev/null || { echo "profiler command failed on $1: $2" >&2; exit 1; }
}

run_wrk() { # round server
  local round=$1 name=$2 out t0 t1 w0 w1 line
  out="$WORK/wrk.$round.$name.txt"
  BENCH_PATH="${SONG[$name]}" BENCH_TOKEN="${TOKEN[$name]}" BENCH_FILE_SIZE="$FILE_SIZE" BENCH_RANGE_BYTES="$RANGE" \
    wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$LUA" "${URL[$name]}" >/dev/null
  profiled "$name" && profiler "$name" "start,event=cpu,interval=1ms,threads"
  t0=$(cpu_ticks "${PID[$name]}"); w0=$(date +%s%N)
  BENCH_PATH="${SONG[$name]}" BENCH_TOKEN="${TOKEN[$name]}" BENCH_FILE_SIZE="$FILE_SIZE" BENCH_RANGE_BYTES="$RANGE" \
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$LUA" "${URL[$name]}" >"$out"
  t1=$(cpu_ticks "${PID[$name]}"); w1=$(date +%s%N)
  profiled "$name" && profiler "$name" "stop,collapsed,file=$WORK/profile.$round.$name.collapsed"
  line=$(grep '^RESULT ' "$out") || { echo "wrk produced no RESULT line:" >&2; cat "$out" >&2; exit 1; }
  python3 - "$round" "$name" "$line" "$t0" "$t1" "$w0" "$w1" "$CLK_TCK" >>"$WORK/wrk.tsv" <<'PY'
import sys
round_, name, line, t0, t1, w0, w1, hz = sys.argv[1:]
kv = dict(x.split("=") for x in line.split()[1:])
errors = sum(int(kv[k]) for k in kv if k.startswith("err_"))
secs = int(kv["duration_us"]) / 1e6
cpu = (int(t1) - int(t0)) / int(hz) / ((int(w1) - int(w0)) / 1e9) * 100
print("\t".join([round_, name, f"{int(kv['requests']) / secs:.0f}", f"{int(kv['p99_us']) / 1000:.2f}", f"{cpu:.0f}", str(errors)]))
PY
  tail -n1 "$WORK/wrk.tsv" | awk -F'\t' '{printf "  round %s %-5s %7s req/s p99 %6s ms cpu %s%% errors %s\n", $1, $2, $3, $4, $5, $6}' >&2
}

# round: times BENCH_SCRAPES scrapes of the metrics-on node's external /metrics (as an admin).
run_scrapes() {
  local round=$1 i
  for ((i = 0; i < SCRAPES; i++)); do
    curl -fsS -o "$WORK/scrape.txt" -w '%{time_total}\n' -H "Authorization: Bearer ${TOKEN[on]}" "${URL[on]}/metrics"
  done >"$WORK/scrape.$round.times"
  python3 - "$round" "$WORK/scrape.$round.times" "$WORK/scrape.txt" >>"$WORK/scrape.tsv" <<'PY'
import sys, statistics
round_, times, text = sys.argv[1:]
t = sorted(float(x) * 1000 for x in open(times))
body = open(text).read()
series = sum(1 for l in body.splitlines() if l and not l.startswith("#"))
print(f"{round_}\t{statistics.median(t):.2f}\t{t[-1]:.2f}\t{len(body.encode())}\t{series}")
PY
}

memory() { # name -> "rss_mb heap_mb" after a full GC
  local pid=${JVM[$1]} heap rss
  # jcmd's attach can time out on a loaded machine: the heap then reads 0 (and RSS is before a GC).
  jcmd "$pid" GC.run >/dev/null 2>&1 || true
  sleep 1
  # G1 prints one "heap ... used NK" line, the serial collector (what the node's JVM runs) one per generation.
  heap=$({ jcmd "$pid" GC.heap_info 2>&1 || echo "jcmd GC.heap_info failed on $pid" >&2; } | sed -n 's/.*\(generation\|heap\) *total [0-9]*K, used \([0-9]*\)K.*/\2/p' | paste -sd+ | bc)
  heap=${heap:-0}
  rss=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)
  echo "$((rss / 1024)) $((heap / 1024))"
}

LOAD_START=$(load_avg)
log "load average at start: $LOAD_START"
ffmpeg -nostdin -loglevel error -f lavfi -i "sine=frequency=440:duration=${SONG_SECONDS}:sample_rate=44100" \
  -ac 2 -c:a libmp3lame -b:a 320k -metadata title="Bench Tone" -metadata artist="Bench" "$WORK/song.mp3"
FILE_SIZE=$(stat -c %s "$WORK/song.mp3")

NAMES=(on off)
start_node on "$DSPOT_JAR" true
start_node off "$DSPOT_JAR" false
if [[ -n "$MAIN_JAR" ]]; then
  NAMES+=(main)
  start_node main "$MAIN_JAR" true
fi
if [[ -n "$BASE_JAR" ]]; then
  NAMES+=(base)
  start_node base "$BASE_JAR" false
fi
if [[ "$JFR" == 1 ]]; then
  NAMES+=(jfr)
  start_node jfr "$DSPOT_JAR" true
  # Started in the node's own JVM (a -XX flag would also record the launcher JVM into the same file).
  mkdir -p "$WORK/jfr"
  jcmd "${JVM[jfr]}" JFR.start name=bench settings=profile >/dev/null
fi
for name in "${NAMES[@]}"; do read -r rss heap < <(memory "$name"); echo -e "$name\t$rss\t$heap" >>"$WORK/mem.idle.tsv"; done

for ((round = 1; round <= ROUNDS; round++)); do
  order=("${NAMES[@]}")
  ((round % 2 == 0)) && order=($(printf '%s\n' "${NAMES[@]}" | tac))
  log "round $round: ${order[*]}"
  for name in "${order[@]}"; do run_wrk "$round" "$name"; done
  run_scrapes "$round"
done
for name in "${NAMES[@]}"; do read -r rss heap < <(memory "$name"); echo -e "$name\t$rss\t$heap" >>"$WORK/mem.loaded.tsv"; done
if [[ "$JFR" == 1 ]]; then
  jcmd "${JVM[jfr]}" JFR.dump name=bench filename="$WORK/jfr/recording.jfr" >/dev/null
  jfr print --events jdk.ExecutionSample --stack-depth 64 "$WORK/jfr/recording.jfr" >"$WORK/jfr/samples.txt"
fi
LOAD_END=$(load_avg)
log "load average at end: $LOAD_END"

STAMP=$(date -u +%Y-%m-%dT%H%MZ)

report() {
echo "## Metrics cost $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "$(nproc) cores, shared; load average at start $LOAD_START, at end $LOAD_END."
echo "Random ${RANGE}-byte ranges of one ${FILE_SIZE}-byte MP3, plain HTTP, wrk -t$THREADS -c$CONNS, ${DURATION} s after ${WARMUP} s warm-up,"
echo "$ROUNDS round(s), servers interleaved (order reversed on even rounds); values = median over rounds."
echo "on/off: the same jar ($DSPOT_JAR) with metrics.enabled true/false; main: ${MAIN_JAR:-not run} with metrics on; base: ${BASE_JAR:-not run} (the code before metrics)."
echo
python3 - "$WORK" "${NAMES[@]}" <<'PY'
import sys, statistics
work, *names = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(f"{work}/wrk.tsv")]
def med(name, col):
    return statistics.median(float(r[col]) for r in rows if r[1] == name)
def mem(kind):
    return {l.split("\t")[0]: [int(x) for x in l.split("\t")[1:]] for l in open(f"{work}/mem.{kind}.tsv")}
idle, loaded = mem("idle"), mem("loaded")
ratios = [r for r in ("on", "main") if r in names]
def line(label, value, fmt="{:.0f}"):
    cells = [fmt.format(value(n)) for n in names]
    cells += [f"{value(r) / value('off'):.2f}" if value("off") else "nan" for r in ratios]
    print(f"| {label} | " + " | ".join(cells) + " |")
print("| metric | " + " | ".join(names) + " | " + " | ".join(f"{r}/off" for r in ratios) + " |")
print("|---|" + "---:|" * (len(names) + len(ratios)))
line("64 KiB ranges, req/s", lambda n: med(n, 2))
line("64 KiB ranges, p99 ms", lambda n: med(n, 3), "{:.2f}")
line("server CPU % of one core during the run", lambda n: med(n, 4))
# CPU time per request holds up better than req/s on a shared machine: a server starved of the
# CPU answers fewer requests, but each one still costs what it costs.
line("server CPU µs per request", lambda n: statistics.median(float(r[4]) / 100 / float(r[2]) * 1e6 for r in rows if r[1] == n))
line("RSS MB, idle after start (after a full GC)", lambda n: idle[n][0])
line("live heap MB, idle after start (after a full GC)", lambda n: idle[n][1])
line("RSS MB after the runs (after a full GC)", lambda n: loaded[n][0])
line("live heap MB after the runs (after a full GC)", lambda n: loaded[n][1])
# Servers next to each other in a round saw about the same machine: the ratio per round, then its median.
def per_request(n, rnd):
    return [float(r[4]) / 100 / float(r[2]) * 1e6 for r in rows if r[1] == n and r[0] == rnd][0]
for r in ratios:
    per_round = [per_request(r, rnd) / per_request("off", rnd) for rnd in sorted({row[0] for row in rows}, key=int)]
    print(f"\nServer CPU µs per request, {r}/off round by round: " + ", ".join(f"{x:.2f}" for x in per_round)
          + f"; median {statistics.median(per_round):.2f}.", end="")
print()
errors = sum(int(r[5]) for r in rows)
scr = [l.rstrip("\n").split("\t") for l in open(f"{work}/scrape.tsv")]
print(f"\nwrk socket/status errors: {errors}.")
print(f"One scrape of /metrics on the metrics-on node (admin session, external port): median "
      f"{statistics.median(float(s[1]) for s in scr):.1f} ms, worst {max(float(s[2]) for s in scr):.1f} ms; "
      f"{scr[-1][3]} bytes, {scr[-1][4]} samples.")
import os, re, collections
samples = f"{work}/jfr/samples.txt"
if os.path.exists(samples):
    # One jdk.ExecutionSample per block; a sample is "in metrics" when any frame of its stack is.
    blocks = open(samples).read().split("jdk.ExecutionSample")[1:]
    metric_frame = re.compile(r"io\.micrometer\.|io\.vertx\.micrometer\.|io\.prometheus\.|io\.dspot\.metrics\.")
    inside = [b for b in blocks if metric_frame.search(b)]
    entries = collections.Counter()
    for b in inside:
        frames = [l.strip().split("(")[0] for l in b.splitlines() if "line:" in l and metric_frame.search(l)]
        entries[frames[-1]] += 1
    share = 100 * len(inside) / len(blocks) if blocks else float("nan")
    print(f"\nJFR of the node \"jfr\" (metrics on; every run; settings=profile): {len(inside)} of {len(blocks)} "
          f"CPU samples ({share:.1f} %) have metrics code on the stack (Micrometer, vertx-micrometer, the Prometheus "
          "client, io.dspot.metrics). Where they enter it: " + ", ".join(f"{f} ({n})" for f, n in entries.most_common(6)) + ".")
print("\nPer run (round server req/s p99-ms cpu% errors):\n\n```")
for r in rows:
    print(" ".join(r))
print("```")
PY
if [[ -n "$PROFILER" ]]; then
  echo
  echo "async-profiler (cpu, 1 ms) on the on and off nodes during their measured runs, all rounds together:"
  echo
  python3 "$HERE/profile-split.py" "on=$(cat "$WORK"/profile.*.on.collapsed >"$WORK/on.collapsed"; echo "$WORK/on.collapsed")" \
    "off=$(cat "$WORK"/profile.*.off.collapsed >"$WORK/off.collapsed"; echo "$WORK/off.collapsed")"
fi
}

mkdir -p "$RESULTS_DIR"
report | tee "$RESULTS_DIR/metrics-cost-$STAMP.md"
log "report also written to $RESULTS_DIR/metrics-cost-$STAMP.md"
if [[ -n "$PROFILER" ]]; then
  for name in on off; do
    gzip -c "$WORK/$name.collapsed" >"$RESULTS_DIR/metrics-cost-$STAMP-$name.collapsed.gz"
  done
  log "profiles: $RESULTS_DIR/metrics-cost-$STAMP-{on,off}.collapsed.gz"
fi
