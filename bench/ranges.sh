#!/usr/bin/env bash
# Small and large random ranges over a library of songs (issue 13's streaming rows): dspot (this
# tree's jar and, in the same run, a base jar) against nginx serving the same blob files.
#
#   bench/ranges.sh                                   # defaults: 2 rounds, 10 s per measured run, ~6 min
#   BENCH_ROUNDS=1 BENCH_DURATION=4 bench/ranges.sh   # quick smoke run
#
# Rows: random 64 KiB ranges and random 1 MiB ranges over BENCH_SONGS songs of ~BENCH_SONG_MB MB
# (wrk BENCH_THREADS thread(s) x BENCH_CONNS connections), and unloaded time to first byte (one
# curl, keep-alive, sequential 64 KiB ranges at the same random song/offset list for every server).
# nginx runs twice: with worker_processes = BENCH_NGINX_WORKERS (default: nproc, which is the number
# of event loops the node serves HTTP on) and with 1 worker. Servers are measured interleaved, the
# order reversed every other round; values are medians over rounds.
#
# Needs: java 17, ffmpeg (libmp3lame), nginx, wrk (with Lua), curl, python3. Never runs mvn.
# All traffic goes to 127.0.0.1. Every process started here and the temp dir are removed on exit
# (also on Ctrl-C). Progress goes to stderr, the report (markdown) to stdout and, unless
# BENCH_RESULTS_DIR is empty, to <BENCH_RESULTS_DIR>/ranges-<UTC timestamp>.md.
#
# Knobs (environment):
#   DSPOT_JAR           jar under test                       (default <repo>/target/dspot.jar)
#   BASE_JAR            jar to compare with in the same run; empty = none (default /tmp/base13/dspot.jar)
#   DSPOT_JAVA_OPTS     extra JVM options for the node under test (e.g. a JFR recording)
#   BASE_JAVA_OPTS      extra JVM options for the base node
#   BENCH_ROUNDS        interleaved rounds                   (default 2)
#   BENCH_DURATION      seconds per measured wrk run         (default 10)
#   BENCH_WARMUP        seconds of warm-up before each run   (default 3)
#   BENCH_SONGS         songs in the library                 (default 40)
#   BENCH_SONG_MB       approximate size of each song in MB  (default 5)
#   BENCH_THREADS       wrk threads                          (default 1)
#   BENCH_CONNS         wrk connections                      (default 32)
#   BENCH_TTFB_N        sequential requests per server per round for TTFB (default 300)
#   BENCH_TTFB_WARMUP   unmeasured requests of the same kind just before each (default 100; 0 = none)
#   BENCH_NGINX_WORKERS worker_processes of the first nginx  (default nproc)
#   BENCH_NGINX_NOPUSH  nginx's tcp_nopush: off or on         (default off)
#   BENCH_SCENARIOS     which wrk rows: "64k 1m"             (default both; empty = TTFB only)
#   BENCH_RESULTS_DIR   where the report is also written     (default <repo>/bench/results; empty = nowhere)
#   BENCH_PROFILER      path to async-profiler's libasyncProfiler.so (jar tools.profiler:async-profiler,
#                       linux-x64/): profiles the node under test's CPU during its measured runs
#                       (attached with jcmd) and writes collapsed stacks per run next to the report
#   BENCH_PROFILER_START what to profile  (default "event=cpu,interval=1ms,threads"; e.g. "event=alloc,alloc=4k")
#   BENCH_PROFILER_DUMP  how to dump it   (default "collapsed"; "collapsed,total" = bytes for alloc)
#   BENCH_KEEP          1 = keep the temp dir (logs, node data) (default 0)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
LUA="$HERE/random-range.lua"
DSPOT_JAR=${DSPOT_JAR:-$REPO/target/dspot.jar}
BASE_JAR=${BASE_JAR-/tmp/base13/dspot.jar}
ROUNDS=${BENCH_ROUNDS:-2}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
SONGS=${BENCH_SONGS:-40}
SONG_MB=${BENCH_SONG_MB:-5}
THREADS=${BENCH_THREADS:-1}
CONNS=${BENCH_CONNS:-32}
TTFB_N=${BENCH_TTFB_N:-300}
TTFB_WARMUP=${BENCH_TTFB_WARMUP:-100}
NGINX_WORKERS=${BENCH_NGINX_WORKERS:-$(nproc)}
SCENARIOS=${BENCH_SCENARIOS-64k 1m}
RESULTS_DIR=${BENCH_RESULTS_DIR-$REPO/bench/results}
KEEP=${BENCH_KEEP:-0}
NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}
NGINX_NOPUSH=${BENCH_NGINX_NOPUSH:-off}
PROFILER=${BENCH_PROFILER:-}
PROFILER_START=${BENCH_PROFILER_START:-event=cpu,interval=1ms,threads}
PROFILER_DUMP=${BENCH_PROFILER_DUMP:-collapsed}
ADMIN_PASSWORD="bench-$(date +%s)-$RANDOM"

for tool in java ffmpeg wrk curl python3 "$NGINX_BIN"; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
for jar in "$DSPOT_JAR" ${BASE_JAR:+"$BASE_JAR"}; do
  [[ -f "$jar" ]] || { echo "no jar at $jar (build it first; this script never runs mvn)" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/dspot-ranges.XXXXXX)
PIDS=()   # every server process started here (node JVMs, nginx masters)

# shellcheck source=bench-lib.sh
source "$HERE/bench-lib.sh"
cleanup() {
  local rc=$? p f pgpid
  set +e
  trap - EXIT INT TERM
  # SIGTERM runs a node's shutdown hook, which also stops its embedded PostgreSQL.
  for p in "${PIDS[@]}"; do stop_pid "$p" TERM 20; done
  for f in "$WORK"/*/data/postgres/postmaster.pid; do # a node that had to be killed left its postmaster
    [[ -f "$f" ]] || continue
    pgpid=$(head -n1 "$f")
    [[ "$pgpid" =~ ^[0-9]+$ ]] && stop_pid "$pgpid" INT 10
  done
  if [[ "$KEEP" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
token_of() { cat "$WORK/$1/token" 2>/dev/null || true; } # nginx has none and ignores the header
LOAD_START=$(loadavg)
log "load average at start: $LOAD_START"

# ---------------------------------------------------------------------------------------------
# 1. Songs: one ~SONG_MB MB 320 kbps MP3, copied with distinct tags so every song is its own blob
# ---------------------------------------------------------------------------------------------
mkdir -p "$WORK/songs"
SECONDS_PER_SONG=$((SONG_MB * 1000000 / 40000)) # 320 kbps = 40 kB/s
log "generating $SONGS songs of ${SECONDS_PER_SONG}s at 320 kbps (~$SONG_MB MB each)"
ffmpeg -nostdin -loglevel error -f lavfi -i "sine=frequency=440:duration=${SECONDS_PER_SONG}:sample_rate=44100" \
  -ac 2 -c:a libmp3lame -b:a 320k "$WORK/tone.mp3"
# An ID3v1 tag (128 bytes at the end) per copy: distinct titles, distinct blobs, no ffmpeg per song.
python3 - "$WORK/tone.mp3" "$WORK/songs" "$SONGS" <<'PY'
import sys
tone, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
audio = open(tone, "rb").read()
field = lambda s, n: s.encode("latin-1")[:n].ljust(n, b"\0")
for i in range(1, n + 1):
    tag = b"TAG" + field(f"Range Bench {i}", 30) + field("Bench", 30) + field("Range Bench", 30) + field("2026", 4) \
        + field("", 28) + b"\0" + bytes([i % 256]) + bytes([255])
    open(f"{out}/song-{i:03d}.mp3", "wb").write(audio + tag)
PY

# ---------------------------------------------------------------------------------------------
# 2. Nodes (plain HTTP, as behind a TLS-terminating proxy), library uploaded to each
# ---------------------------------------------------------------------------------------------
declare -A URL PID TARGETS LABEL
start_node() { # name jar java_opts
  local name=$1 jar=$2 opts=$3 dir="$WORK/$1" port hz i
  mkdir -p "$dir/data"
  cp "$jar" "$dir/dspot.jar" # a rebuild during the run must not swap the jar
  port=$(free_port)
  hz=$(free_port)
  cat >"$dir/node.json" <<EOF
{
  "node": { "id": "bench-$name", "dataDir": "$dir/data" },
  "http": { "host": "127.0.0.1", "port": $port, "tls": { "enabled": false } },
  "db": { "url": "", "user": "postgres", "password": "", "poolSize": 8, "embeddedPort": 0 },
  "upload": { "maxFileBytes": 524288000 },
  "admin": { "username": "admin" },
  "demo": { "enabled": false },
  "cluster": { "name": "ranges-$name-$$", "host": "127.0.0.1", "port": $hz,
               "members": ["127.0.0.1:$hz"], "size": 1, "eventBusPort": 0, "internalHttpPort": $(free_port) }
}
EOF
  # shellcheck disable=SC2086 # opts are JVM options, split on purpose
  (cd "$dir" && DSPOT_ADMIN_PASSWORD="$ADMIN_PASSWORD" exec java $opts -jar "$dir/dspot.jar" --conf "$dir/node.json") \
    >"$dir/node.log" 2>&1 &
  PID[$name]=$!
  PIDS+=("$!")
  URL[$name]="http://127.0.0.1:$port"
  for ((i = 0; i < 900; i++)); do
    curl -fs -o /dev/null "${URL[$name]}/api/health" && break
    alive "${PID[$name]}" || { echo "node $name died during start:" >&2; tail -n 40 "$dir/node.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -fs -o /dev/null "${URL[$name]}/api/health" || { echo "node $name not up after 90 s" >&2; tail -n 40 "$dir/node.log" >&2; exit 1; }
  log "node $name ($(basename "$(dirname "$jar")")/$(basename "$jar")) up on ${URL[$name]}; $(grep -o 'transport [a-z_]*' "$dir/node.log" | head -n1 || true)"
}

upload_library() { # name -> writes $WORK/<name>/targets ("path size" per song) and blobs.tsv ("path blob")
  local name=$1 dir="$WORK/$1" token f
  token=$(curl -fsS -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" \
    "${URL[$name]}/api/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  echo "$token" >"$dir/token"
  : >"$dir/uploads.jsonl"
  for f in "$WORK"/songs/*.mp3; do
    curl -fsS -H "Authorization: Bearer $token" -F "f=@$f;type=audio/mpeg" "${URL[$name]}/api/songs" >>"$dir/uploads.jsonl"
    echo >>"$dir/uploads.jsonl"
  done
  python3 - "$dir" <<'PY'
import json, os, sys
d = sys.argv[1]
songs = [json.loads(l)["songs"][0] for l in open(f"{d}/uploads.jsonl") if l.strip()]
with open(f"{d}/targets", "w") as t, open(f"{d}/blobs.tsv", "w") as b:
    for s in songs:
        sha = s["sha256"]
        blob = f"{d}/data/blobs/{sha[:2]}/{sha[2:4]}/{sha}"
        assert os.path.getsize(blob) == s["size"], blob
        t.write(f"/api/songs/{s['id']}/stream {s['size']}\n")
        b.write(f"/api/songs/{s['id']}/stream {blob}\n")
PY
  TARGETS[$name]="$dir/targets"
  log "uploaded $(wc -l <"$dir/targets") songs to $name"
}

SERVERS=()
if [[ -n "$BASE_JAR" ]]; then
  start_node base "$BASE_JAR" "${BASE_JAVA_OPTS:-}"
  upload_library base
  SERVERS+=(base)
  LABEL[base]="dspot base ($BASE_JAR)"
fi
start_node dspot "$DSPOT_JAR" "${DSPOT_JAVA_OPTS:-}"
upload_library dspot
SERVERS+=(dspot)
LABEL[dspot]="dspot ($DSPOT_JAR)"

# ---------------------------------------------------------------------------------------------
# 3. nginx on the node under test's blob files, under the same paths (a symlink per song)
# ---------------------------------------------------------------------------------------------
ROOT="$WORK/nginx-root"
while read -r path blob; do
  mkdir -p "$ROOT$(dirname "$path")"
  ln -s "$blob" "$ROOT$path"
done <"$WORK/dspot/blobs.tsv"

start_nginx() { # name workers
  local name=$1 workers=$2 dir="$WORK/$1" port user_line="" i
  port=$(free_port)
  mkdir -p "$dir/tmp"
  [[ $EUID -eq 0 ]] && user_line="user root;" # workers must read inside our 0700 temp dir
  cat >"$dir/nginx.conf" <<EOF
$user_line
worker_processes $workers;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  # tcp_nopush on would cork a 64 KiB answer on loopback (MSS ~64 KiB) until the client's delayed
  # ACK, ~40 ms per request (see bench/README.md, streaming); off is nginx's faster setting here.
  tcp_nopush $NGINX_NOPUSH;
  tcp_nodelay on;
  # nginx closes a keep-alive connection after 1000 requests by default; dspot never does.
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $ROOT;
    default_type audio/mpeg;
    add_header Cache-Control "private, max-age=3600";
  }
}
EOF
  "$NGINX_BIN" -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
  PID[$name]=$!
  PIDS+=("$!")
  URL[$name]="http://127.0.0.1:$port"
  TARGETS[$name]="$WORK/dspot/targets"
  for ((i = 0; i < 50; i++)); do
    curl -fs -o /dev/null -r 0-0 "${URL[$name]}$(head -n1 "$WORK/dspot/targets" | cut -d' ' -f1)" && break
    sleep 0.1
  done
  curl -fs -o /dev/null -r 0-0 "${URL[$name]}$(head -n1 "$WORK/dspot/targets" | cut -d' ' -f1)" ||
    { echo "nginx $name did not come up" >&2; cat "$dir/error.log" >&2; exit 1; }
  SERVERS+=("$name")
  LABEL[$name]="nginx $("$NGINX_BIN" -v 2>&1 | cut -d/ -f2), worker_processes $workers, sendfile, tcp_nopush $NGINX_NOPUSH"
  log "${LABEL[$name]} on ${URL[$name]}"
}
start_nginx "nginx$NGINX_WORKERS" "$NGINX_WORKERS"
NGINX_N="nginx$NGINX_WORKERS"
if [[ "$NGINX_WORKERS" != 1 ]]; then start_nginx nginx1 1; fi

# ---------------------------------------------------------------------------------------------
# 4. Correctness once: every server answers the same bytes for the same song and range
# ---------------------------------------------------------------------------------------------
log "correctness: every server answers byte-identical ranges"
for range in "1000000-1065535" "0-1048575" "-1000"; do
  for line in 1 "$SONGS"; do
    ref=""
    for s in "${SERVERS[@]}"; do
      path=$(sed -n "${line}p" "${TARGETS[$s]}" | cut -d' ' -f1)
      code=$(curl -sS -o "$WORK/check.$s" -w '%{http_code}' -H "Authorization: Bearer $(token_of "$s")" \
        -r "$range" "${URL[$s]}$path")
      [[ "$code" == 206 ]] || { echo "$s answered $code for song $line range $range" >&2; exit 1; }
      [[ -z "$ref" ]] && ref="$WORK/check.$s"
      cmp -s "$ref" "$WORK/check.$s" || { echo "body differs: $s vs $(basename "$ref") for song $line range $range" >&2; exit 1; }
    done
  done
done
rm -f "$WORK"/check.*
log "correctness OK"

# ---------------------------------------------------------------------------------------------
# 5. Measurements
# ---------------------------------------------------------------------------------------------
RESULTS="$WORK/results.tsv"
: >"$RESULTS"
: >"$WORK/ttfb.tsv"

profiler() { # async-profiler command, sent to the node under test the way asprof does (agent attach)
  jcmd "$(node_jvm "${PID[dspot]}")" JVMTI.agent_load "$PROFILER" "\"$1\"" >&2 || { echo "profiler command failed: $1" >&2; exit 1; }
}

sys_ticks() { # pid: stime alone of the process and its direct children (the kernel's part of cpu_ticks)
  local pid=$1 total=0 p f fs
  for p in $pid $(pgrep -P "$pid"); do
    f=$(cat /proc/"$p"/stat 2>/dev/null) || continue
    f=${f##*) }
    read -r -a fs <<<"$f"
    total=$((total + fs[12]))
  done
  echo "$total"
}

run_wrk() { # round scenario server range_bytes
  local round=$1 scen=$2 s=$3 range=$4 out t0 t1 w0 w1 k0 k1 line
  out="$WORK/wrk.$round.$scen.$s.txt"
  BENCH_TARGETS="${TARGETS[$s]}" BENCH_TOKEN="$(token_of "$s")" BENCH_RANGE_BYTES="$range" \
    wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$LUA" "${URL[$s]}" >/dev/null
  [[ -n "$PROFILER" && "$s" == dspot ]] && profiler "start,$PROFILER_START"
  t0=$(cpu_ticks "${PID[$s]}"); w0=$(date +%s%N); k0=$(sys_ticks "${PID[$s]}")
  BENCH_TARGETS="${TARGETS[$s]}" BENCH_TOKEN="$(token_of "$s")" BENCH_RANGE_BYTES="$range" \
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$LUA" "${URL[$s]}" >"$out"
  t1=$(cpu_ticks "${PID[$s]}"); w1=$(date +%s%N); k1=$(sys_ticks "${PID[$s]}")
  [[ -n "$PROFILER" && "$s" == dspot ]] && profiler "stop,$PROFILER_DUMP,file=$WORK/profile.$round.$scen.collapsed"
  line=$(grep '^RESULT ' "$out") || { echo "wrk produced no RESULT line:" >&2; cat "$out" >&2; exit 1; }
  wrk_row "$round" "$scen" "$s" "$line" "$t0" "$t1" "$w0" "$w1" >>"$RESULTS"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$scen" "$s" $((k1 - k0)) $((t1 - t0)) \
    "$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$line")" >>"$WORK/kernel.tsv"
  tail -n1 "$RESULTS" | awk -F'\t' '{printf "  %-3s %-4s %-8s %9.1f req/s %8.1f MB/s p50 %6.2f ms p99 %6.2f ms err %s cpu %s%%\n",
    $1, $2, $3, $4/($6/1e6), $5/$6, $8/1000, $9/1000, $7, $10}' >&2
}

# A curl config: one 64 KiB range per "song offset" line of picks_file, in one curl process, so
# every request after the first reuses the keep-alive connection.
ttfb_config() { # server picks_file
  local s=$1 picks=$2 first=1 n a path
  while read -r n a; do
    ((first)) || echo next
    first=0
    path=$(sed -n "${n}p" "${TARGETS[$s]}" | cut -d' ' -f1)
    printf 'silent\nurl = "%s%s"\nheader = "Range: bytes=%d-%d"\nheader = "Authorization: Bearer %s"\n' \
      "${URL[$s]}" "$path" "$a" $((a + 65535)) "$(token_of "$s")"
    printf 'output = "/dev/null"\nwrite-out = "%%{http_code} %%{time_starttransfer} %%{time_pretransfer} %%{time_total} %%{num_connects}\\n"\n'
  done <"$picks"
}

# Same (song number, offset) list for every server in a round. Each server first gets an
# unmeasured pass of the same kind (its own connection, another random list), as every wrk run
# gets its warm-up: without it a JVM met curl's requests, a new connection and files closed by
# the idle sweep for the first time inside the measured 300 and compiled code for them there
# (bench/ranges.md, round 5); nginx has nothing to warm and gets the same pass.
run_ttfb() { # round server picks_file warmup_picks_file
  local round=$1 s=$2 picks=$3 warm=$4 out="$WORK/ttfb.$1.$2.txt"
  ttfb_config "$s" "$picks" >"$WORK/ttfb.$s.cfg"
  if [[ -s "$warm" ]]; then
    ttfb_config "$s" "$warm" >"$WORK/ttfb.$s.warm.cfg"
    command curl -K "$WORK/ttfb.$s.warm.cfg" >"$WORK/ttfb.$round.$s.warm.txt"
  fi
  date +%s.%N >"$WORK/ttfb.$round.$s.start" # wall clock of the first request, to line requests up with server logs
  command curl -K "$WORK/ttfb.$s.cfg" >"$out"
  date +%s.%N >"$WORK/ttfb.$round.$s.end"
  ttfb_row "$round" "$s" "$out" >>"$WORK/ttfb.tsv"
  tail -n1 "$WORK/ttfb.tsv" | awk -F'\t' '{printf "  %-3s ttfb %-8s n=%s non-206=%s p50 %s ms p99 %s ms\n", $1, $2, $3, $4, $5, $6}' >&2
}

log "measuring: $ROUNDS round(s), ${DURATION}s per run after ${WARMUP}s warm-up, wrk -t$THREADS -c$CONNS; servers: ${SERVERS[*]}"
for ((round = 1; round <= ROUNDS; round++)); do
  order=("${SERVERS[@]}")
  if ((round % 2 == 0)); then
    order=()
    for ((k = ${#SERVERS[@]} - 1; k >= 0; k--)); do order+=("${SERVERS[k]}"); done
  fi
  log "round $round: order ${order[*]} (load average $(loadavg))"
  for scen in $SCENARIOS; do
    case $scen in 64k) bytes=65536 ;; 1m) bytes=1048576 ;; *) echo "unknown scenario $scen" >&2; exit 2 ;; esac
    for s in "${order[@]}"; do run_wrk "$round" "$scen" "$s" "$bytes"; done
  done
  python3 -c "
import random
sizes = [int(l.split()[1]) for l in open('$WORK/dspot/targets')]
for _ in range($TTFB_N):
    n = random.randrange(len(sizes)); print(n + 1, random.randrange(0, sizes[n] - 65536 + 1))" >"$WORK/picks.$round"
  python3 -c "
import random
sizes = [int(l.split()[1]) for l in open('$WORK/dspot/targets')]
for _ in range($TTFB_WARMUP):
    n = random.randrange(len(sizes)); print(n + 1, random.randrange(0, sizes[n] - 65536 + 1))" >"$WORK/warm-picks.$round"
  for s in "${order[@]}"; do run_ttfb "$round" "$s" "$WORK/picks.$round" "$WORK/warm-picks.$round"; done
done
LOAD_END=$(loadavg)
log "load average at end: $LOAD_END"

# ---------------------------------------------------------------------------------------------
# 6. Report
# ---------------------------------------------------------------------------------------------
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
report() {
  echo "## Random ranges over $SONGS songs $STAMP"
  echo
  echo "host: $(nproc) cores ($(uname -r)), shared; load average at start $LOAD_START, at end $LOAD_END."
  echo "songs: $SONGS x $(head -n1 "$WORK/dspot/targets" | cut -d' ' -f2) bytes (320 kbps MP3, distinct tags);"
  echo "wrk -t$THREADS -c$CONNS, ${DURATION}s per run after ${WARMUP}s warm-up, $ROUNDS round(s) interleaved, medians;"
  echo "plain HTTP (http.tls.enabled=false). The node serves HTTP on $(nproc) event loops (one instance per core):"
  echo "\`$NGINX_N\` has that many workers. MB = 10^6 bytes (wrk's count: bodies + headers)."
  for s in "${SERVERS[@]}"; do echo "- \`$s\`: ${LABEL[$s]}"; done
  python3 - "$RESULTS" "$WORK/ttfb.tsv" "$NGINX_N" "${SERVERS[@]}" <<'PY'
import sys, statistics
res, ttfb_path, nginx_n, *servers = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(res) if l.strip()]
ttfb = [l.rstrip("\n").split("\t") for l in open(ttfb_path) if l.strip()]
def med(v): return statistics.median(v) if v else float("nan")
def wrk(scen, s, f):
    out = []
    for r in rows:
        if r[1] == scen and r[2] == s:
            req, byt, dur = int(r[3]), int(r[4]), int(r[5])
            out.append({"rps": req / (dur / 1e6), "mbs": byt / dur, "p50": int(r[7]) / 1000,
                        "p99": int(r[8]) / 1000, "cpu": int(r[9]), "us_per_req": int(r[10]) * 1000 / req}[f])
    return med(out)
def tt(s, f): return med([float(r[4 if f == "p50" else 5]) for r in ttfb if r[1] == s])
scens = sorted({r[1] for r in rows}, key=lambda x: x != "64k")
metrics = []
for sc in scens:
    name = "64 KiB" if sc == "64k" else "1 MiB"
    metrics += [(f"{name} ranges, req/s", lambda s, sc=sc: wrk(sc, s, "rps"), "up"),
                (f"{name} ranges, MB/s", lambda s, sc=sc: wrk(sc, s, "mbs"), "up"),
                (f"{name} ranges, p50 ms", lambda s, sc=sc: wrk(sc, s, "p50"), "down"),
                (f"{name} ranges, p99 ms", lambda s, sc=sc: wrk(sc, s, "p99"), "down"),
                (f"{name} ranges, server CPU % of a core", lambda s, sc=sc: wrk(sc, s, "cpu"), "down"),
                (f"{name} ranges, server CPU µs per request (user+system)", lambda s, sc=sc: wrk(sc, s, "us_per_req"), "down")]
metrics += [("TTFB p50 ms (unloaded, 1 connection)", lambda s: tt(s, "p50"), "down"),
            ("TTFB p99 ms (unloaded, 1 connection)", lambda s: tt(s, "p99"), "down")]
def fmt(v): return f"{v:.0f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) >= 1 else f"{v:.3f}"
ratios = [("dspot", nginx_n)]
if "nginx1" in servers and nginx_n != "nginx1": ratios.append(("dspot", "nginx1"))
if "base" in servers: ratios += [("base", nginx_n), ("dspot", "base")]
print()
print("| metric | " + " | ".join(servers) + " | " + " | ".join(f"{a}/{b}" for a, b in ratios) + " |")
print("|---|" + "---:|" * (len(servers) + len(ratios)))
for label, get, _ in metrics:
    vals = {s: get(s) for s in servers}
    cells = [fmt(vals[s]) for s in servers] + [f"**{vals[a] / vals[b]:.2f}**" if vals[b] else "nan" for a, b in ratios]
    print(f"| {label} | " + " | ".join(cells) + " |")
errs = sum(int(r[6]) for r in rows)
bad = sum(int(r[3]) for r in ttfb)
print(f"\nwrk socket/status errors across all runs: {errs}; TTFB answers other than 206: {bad}")
print("\nPer run (round scenario server: req/s, MB/s, p50 ms, p99 ms, server CPU %):\n\n```")
for r in rows:
    req, byt, dur = int(r[3]), int(r[4]), int(r[5])
    print(f"{r[0]} {r[1]:4} {r[2]:8} {req/(dur/1e6):9.1f} req/s {byt/dur:8.1f} MB/s p50 {int(r[7])/1000:6.2f} "
          f"p99 {int(r[8])/1000:6.2f} cpu {r[9]:>3}% err {r[6]}")
for r in ttfb:
    print(f"{r[0]} ttfb {r[1]:8} p50 {r[4]} ms p99 {r[5]} ms max {r[6]} ms (n={r[2]}, non-206={r[3]})")
print("```")
PY
  if [[ -s "$WORK/kernel.tsv" ]]; then
    echo
    echo "Server CPU per request split into user and kernel (system) time, from /proc (round scenario server):"
    echo
    echo '```'
    awk -F'\t' -v hz="$(getconf CLK_TCK)" '$6 > 0 {printf "%s %-4s %-8s user %5.1f us  kernel %5.1f us  per request (kernel %2.0f %% of its CPU)\n",
      $1, $2, $3, ($5 - $4) / hz * 1e6 / $6, $4 / hz * 1e6 / $6, ($5 > 0 ? 100 * $4 / $5 : 0)}' "$WORK/kernel.tsv"
    echo '```'
  fi
  local profiles=() f
  for f in "$WORK"/profile.*.collapsed; do
    [[ -f "$f" ]] || continue
    profiles+=("$(basename "$f" .collapsed | sed 's/^profile\.//')=$f")
  done
  if ((${#profiles[@]})); then
    echo
    echo "async-profiler ($PROFILER_START) on dspot during its measured runs (round.scenario):"
    echo
    python3 "$HERE/profile-split.py" "${profiles[@]}"
  fi
}
if [[ -n "$RESULTS_DIR" ]]; then
  mkdir -p "$RESULTS_DIR"
  report | tee "$RESULTS_DIR/ranges-$STAMP.md"
  log "report also written to $RESULTS_DIR/ranges-$STAMP.md"
  # Every TTFB request (round server index pass_start_s pass_end_s status starttransfer_s pretransfer_s
  # total_s connects): which requests were slow, and when (bench/ttfb-outliers.py lines them up with
  # a node's GC, safepoint and JIT logs).
  for f in "$WORK"/ttfb.*.txt; do
    [[ -f "$f" && "$f" != *.warm.txt ]] || continue
    awk -v r="$(basename "$f" .txt | cut -d. -f2)" -v s="$(basename "$f" .txt | cut -d. -f3-)" \
      -v t0="$(cat "${f%.txt}.start")" -v t1="$(cat "${f%.txt}.end")" \
      '{print r "\t" s "\t" NR "\t" t0 "\t" t1 "\t" $1 "\t" $2 "\t" $3 "\t" $4 "\t" $5}' "$f"
  done | gzip >"$RESULTS_DIR/ranges-$STAMP-ttfb-requests.tsv.gz"
  log "TTFB per request: $RESULTS_DIR/ranges-$STAMP-ttfb-requests.tsv.gz"
  for f in "$WORK"/profile.*.collapsed; do
    [[ -f "$f" ]] || continue   # no profiler: the glob stays unexpanded
    gzip -c "$f" >"$RESULTS_DIR/ranges-$STAMP-$(basename "$f").gz" && log "profile: $RESULTS_DIR/ranges-$STAMP-$(basename "$f").gz"
  done
else
  report
fi
