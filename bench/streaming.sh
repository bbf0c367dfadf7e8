#!/usr/bin/env bash
# Streaming benchmark: dspot's /api/songs/{id}/stream against nginx serving the SAME blob file.
#
#   bench/streaming.sh                 # defaults: 2 rounds, 15 s per measured run
#   BENCH_ROUNDS=1 BENCH_DURATION=5 bench/streaming.sh     # quick smoke run
#
# Needs: java 17, ffmpeg (libmp3lame), nginx (/usr/sbin/nginx), wrk (with Lua), curl, python3.
# Uses the already-built jar (DSPOT_JAR, default <repo>/target/dspot.jar); it is copied into the
# temp dir first so a rebuild during the run does not swap it. Never runs mvn.
# All traffic goes to 127.0.0.1. Every process started here and the temp dir are removed on exit.
#
# Knobs (environment):
#   DSPOT_JAR            jar to run                          (default <repo>/target/dspot.jar)
#   BENCH_ROUNDS         interleaved rounds                  (default 2)
#   BENCH_DURATION       seconds per measured wrk run        (default 15)
#   BENCH_WARMUP         seconds of warm-up before each run  (default 3)
#   BENCH_SONG_SECONDS   length of the generated 320 kbps MP3 (default 300 -> ~12 MB)
#   BENCH_TTFB_N         curl requests per server per round for TTFB (default 200)
#   BENCH_NGINX_AUTO     1 = also measure nginx with worker_processes auto (default 1)
#   BENCH_KEEP           1 = keep the temp dir (logs) for inspection (default 0)
#   BENCH_TLS            1 = both sides over TLS: dspot with its generated certificate, nginx
#                        with the same certificate and key; wrk and curl speak HTTPS/1.1 (default 0:
#                        plain HTTP, the node with http.tls.enabled=false, as behind a proxy)
#   BENCH_TLS_ENGINE     dspot's http.tls.engine when BENCH_TLS=1: jdk or openssl (default openssl)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
LUA="$HERE/random-range.lua"
DSPOT_JAR=${DSPOT_JAR:-$REPO/target/dspot.jar}
ROUNDS=${BENCH_ROUNDS:-2}
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-3}
SONG_SECONDS=${BENCH_SONG_SECONDS:-300}
TTFB_N=${BENCH_TTFB_N:-200}
NGINX_AUTO=${BENCH_NGINX_AUTO:-1}
KEEP=${BENCH_KEEP:-0}
NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}
TLS=${BENCH_TLS:-0}
TLS_ENGINE=${BENCH_TLS_ENGINE:-openssl}
if [[ "$TLS" == 1 ]]; then SCHEME=https; else SCHEME=http; fi

# Load shapes: identical for every server.
WRK_THREADS=2
C_TPUT=16      # 1 MiB random ranges
C_SEEK=8       # 64 KiB random ranges (seek latency)
C_WHOLE=16     # whole-file GETs, no Range header
RANGE_TPUT=$((1024 * 1024))
RANGE_SEEK=$((64 * 1024))

ADMIN_PASSWORD="bench-$(date +%s)-$RANDOM"

for tool in java ffmpeg wrk curl python3 "$NGINX_BIN"; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
[[ -f "$DSPOT_JAR" ]] || { echo "no jar at $DSPOT_JAR (build it first; this script never runs mvn)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/dspot-bench.XXXXXX)
NODE_PID=""
NGINX_PIDS=()

# shellcheck source=bench-lib.sh
source "$HERE/bench-lib.sh"

cleanup() {
  local rc=$? p pgpid f
  set +e
  trap - EXIT INT TERM
  for p in "${NGINX_PIDS[@]}"; do stop_pid "$p" TERM 5; done
  # SIGTERM runs the node's shutdown hook, which also stops its embedded PostgreSQL.
  [[ -n "$NODE_PID" ]] && stop_pid "$NODE_PID" TERM 20
  # If the node had to be killed, stop the postmaster it started (found by its pid file in our dir).
  for f in "$WORK"/data/postgres/postmaster.pid; do
    [[ -f "$f" ]] || continue
    pgpid=$(head -n1 "$f")
    [[ "$pgpid" =~ ^[0-9]+$ ]] && stop_pid "$pgpid" INT 10
  done
  if [[ "$KEEP" == 1 ]]; then
    echo "kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

json_get() { # file python-expression-on-d
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# ---------------------------------------------------------------------------------------------
# 1. Test song, node, upload, login
# ---------------------------------------------------------------------------------------------
cp "$DSPOT_JAR" "$WORK/dspot.jar"
mkdir -p "$WORK/data" "$WORK/song"
SONG="$WORK/song/bench-song.mp3"
log "generating a ${SONG_SECONDS}s 320 kbps MP3"
ffmpeg -nostdin -loglevel error -f lavfi -i "sine=frequency=440:duration=${SONG_SECONDS}:sample_rate=44100" \
  -ac 2 -c:a libmp3lame -b:a 320k -metadata title="Bench Tone" -metadata artist="Bench" \
  -metadata album="Bench" "$SONG"

NODE_PORT=$(free_port)
cat >"$WORK/node.json" <<EOF
{
  "node": { "id": "bench-node", "dataDir": "$WORK/data" },
  "http": { "host": "127.0.0.1", "port": $NODE_PORT,
            "tls": { "enabled": $([[ "$TLS" == 1 ]] && echo true || echo false), "engine": "$TLS_ENGINE" } },
  "db": { "url": "", "user": "postgres", "password": "", "poolSize": 8, "embeddedPort": 0 },
  "upload": { "maxFileBytes": 524288000 },
  "admin": { "username": "admin" },
  "demo": { "enabled": false }
}
EOF
log "starting dspot on 127.0.0.1:$NODE_PORT ($(basename "$DSPOT_JAR") copied to $WORK)"
(cd "$WORK" && DSPOT_ADMIN_PASSWORD="$ADMIN_PASSWORD" exec java -jar "$WORK/dspot.jar" --conf "$WORK/node.json") \
  >"$WORK/node.log" 2>&1 &
NODE_PID=$!
NODE="$SCHEME://127.0.0.1:$NODE_PORT"
# Over TLS every curl trusts exactly the node's generated certificate (made at its first start).
CERT="$WORK/data/tls/edge-cert.pem" KEY="$WORK/data/tls/edge-key.pem"
curl() {
  if [[ "$TLS" == 1 ]]; then
    command curl --cacert "$CERT" "$@"
  else
    command curl "$@"
  fi
}
for ((i = 0; i < 600; i++)); do
  curl -fs -o /dev/null "$NODE/api/health" && break
  alive "$NODE_PID" || { echo "node died during start:" >&2; tail -n 40 "$WORK/node.log" >&2; exit 1; }
  sleep 0.1
done
curl -fs -o /dev/null "$NODE/api/health" || { echo "node not up after 60 s" >&2; tail -n 40 "$WORK/node.log" >&2; exit 1; }
log "node up after ~$((i / 10)) s ($SCHEME$([[ "$TLS" == 1 ]] && echo ", engine $TLS_ENGINE; $(grep -o 'SHA-256 fingerprint [0-9A-F:]*' "$WORK/node.log")"))"

curl -fsS -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "$NODE/api/auth/login" >"$WORK/login.json"
TOKEN=$(json_get "$WORK/login.json" 'd["token"]')
curl -fsS -H "Authorization: Bearer $TOKEN" -F "f=@$SONG;type=audio/mpeg" "$NODE/api/songs" >"$WORK/upload.json"
SONG_ID=$(json_get "$WORK/upload.json" 'd["songs"][0]["id"]')
SHA=$(json_get "$WORK/upload.json" 'd["songs"][0]["sha256"]')
FILE_SIZE=$(json_get "$WORK/upload.json" 'd["songs"][0]["size"]')
BLOB="$WORK/data/blobs/${SHA:0:2}/${SHA:2:2}/$SHA"
[[ -f "$BLOB" ]] || { echo "blob not found at $BLOB" >&2; exit 1; }
SONG_PATH="/api/songs/$SONG_ID/stream"
log "uploaded song $SONG_ID: $FILE_SIZE bytes, blob $BLOB"

# ---------------------------------------------------------------------------------------------
# 2. nginx on the same blob, same path shape
# ---------------------------------------------------------------------------------------------
start_nginx() { # name worker_processes -> sets STARTED_PORT, STARTED_PORT_NOPUSH_OFF, STARTED_PID (master)
  local name=$1 workers=$2 dir="$WORK/$1" port port2 user_line="" pid
  port=$(free_port)
  port2=$(free_port)
  mkdir -p "$dir/tmp"
  # Workers must be able to read the blob inside our 0700 temp dir.
  [[ $EUID -eq 0 ]] && user_line="user root;"
  local listen_opts="" tls_lines=""
  if [[ "$TLS" == 1 ]]; then
    # The node's own certificate and key; HTTP/1.1 only (wrk speaks nothing else); nginx's
    # sendfile is off under TLS by nature (no kTLS configured), as dspot's is.
    listen_opts=" ssl"
    tls_lines="ssl_certificate $CERT; ssl_certificate_key $KEY; ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:bench:1m;"
  fi
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
  tcp_nopush on;
  tcp_nodelay on;
  # nginx closes a keep-alive connection after 1000 requests by default; dspot never does.
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  $tls_lines
  server {
    listen 127.0.0.1:$port$listen_opts;
    location = $SONG_PATH {
      alias $BLOB;
      default_type audio/mpeg;
      add_header Cache-Control "private, max-age=3600";
    }
  }
  # Same worker(s), same file, tcp_nopush off: on loopback (MSS ~64 KiB) a response of 1-2
  # segments under TCP_CORK waits for the client's delayed ACK (~40 ms). See bench/README.md.
  server {
    listen 127.0.0.1:$port2$listen_opts;
    tcp_nopush off;
    location = $SONG_PATH {
      alias $BLOB;
      default_type audio/mpeg;
      add_header Cache-Control "private, max-age=3600";
    }
  }
}
EOF
  "$NGINX_BIN" -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
  pid=$!
  NGINX_PIDS+=("$pid")
  for ((i = 0; i < 50; i++)); do
    curl -fs -o /dev/null -r 0-0 "$SCHEME://127.0.0.1:$port$SONG_PATH" && break
    sleep 0.1
  done
  curl -fs -o /dev/null -r 0-0 "$SCHEME://127.0.0.1:$port$SONG_PATH" ||
    { echo "nginx $name did not come up" >&2; cat "$dir/error.log" >&2; exit 1; }
  STARTED_PORT=$port
  STARTED_PORT_NOPUSH_OFF=$port2
  STARTED_PID=$pid
}

declare -A URL=([dspot]="$NODE") PID=([dspot]="$NODE_PID")
SERVERS=(dspot nginx1 nginx1np)
start_nginx nginx1 1
URL[nginx1]="$SCHEME://127.0.0.1:$STARTED_PORT" PID[nginx1]=$STARTED_PID
URL[nginx1np]="$SCHEME://127.0.0.1:$STARTED_PORT_NOPUSH_OFF" PID[nginx1np]=$STARTED_PID
log "nginx, worker_processes 1, on ${URL[nginx1]} (tcp_nopush on) and ${URL[nginx1np]} (tcp_nopush off)"
if [[ "$NGINX_AUTO" == 1 ]]; then
  SERVERS+=(nginxauto)
  start_nginx nginxauto auto
  URL[nginxauto]="$SCHEME://127.0.0.1:$STARTED_PORT" PID[nginxauto]=$STARTED_PID
  log "nginx, worker_processes auto ($(nproc) workers), on ${URL[nginxauto]}"
fi

# ---------------------------------------------------------------------------------------------
# 4. Correctness, once, before measuring
# ---------------------------------------------------------------------------------------------
check_same() { # curl range argument (for -r) ; label
  local r=$1 s a b
  for s in "${SERVERS[@]}"; do
    curl -sS -o "$WORK/check.$s.body" -D "$WORK/check.$s.head" -H "Authorization: Bearer $TOKEN" \
      ${r:+-r "$r"} "${URL[$s]}$SONG_PATH"
  done
  for s in "${SERVERS[@]}"; do
    a=$(head -n1 "$WORK/check.$s.head" | awk '{print $2}')
    b=$(grep -i '^content-range:' "$WORK/check.$s.head" | tr -d '\r' | cut -d' ' -f2- || true)
    printf '  %-10s range=%-22s status=%s content-range=%s bytes=%s\n' "$s" "${r:-none}" "$a" "${b:--}" \
      "$(stat -c %s "$WORK/check.$s.body")" >&2
    [[ "$a" == "$(head -n1 "$WORK/check.dspot.head" | awk '{print $2}')" ]] || { echo "status differs" >&2; exit 1; }
    cmp -s "$WORK/check.dspot.body" "$WORK/check.$s.body" || { echo "body differs: dspot vs $s for $r" >&2; exit 1; }
  done
}
log "correctness: node and nginx answer byte-identical ranges"
check_same "1000000-1065535"
check_same "$((FILE_SIZE - RANGE_TPUT))-$((FILE_SIZE - 1))"
check_same "-1000"
check_same ""
cmp -s "$WORK/check.dspot.body" "$SONG" || { echo "whole-file stream differs from the uploaded file" >&2; exit 1; }
[[ "$(sha256sum <"$WORK/check.dspot.body" | cut -d' ' -f1)" == "$SHA" ]] || { echo "sha256 mismatch" >&2; exit 1; }
rm -f "$WORK"/check.*
log "correctness OK (whole file == uploaded file, sha256 matches)"

# ---------------------------------------------------------------------------------------------
# 3. Measurements
# ---------------------------------------------------------------------------------------------
RESULTS="$WORK/results.tsv"
printf 'round\tscenario\tserver\trequests\tbytes\tduration_us\terrors\tp50_us\tp99_us\tcpu_pct\n' >"$RESULTS"

run_wrk() { # round scenario server conns range_bytes
  local round=$1 scen=$2 server=$3 conns=$4 range=$5 out t0 t1 w0 w1 line
  out="$WORK/wrk.$round.$scen.$server.txt"
  BENCH_PATH="$SONG_PATH" BENCH_TOKEN="$TOKEN" BENCH_FILE_SIZE="$FILE_SIZE" BENCH_RANGE_BYTES="$range" \
    wrk -t"$WRK_THREADS" -c"$conns" -d"${WARMUP}s" -s "$LUA" "${URL[$server]}" >/dev/null
  t0=$(cpu_ticks "${PID[$server]}"); w0=$(date +%s%N)
  BENCH_PATH="$SONG_PATH" BENCH_TOKEN="$TOKEN" BENCH_FILE_SIZE="$FILE_SIZE" BENCH_RANGE_BYTES="$range" \
    wrk -t"$WRK_THREADS" -c"$conns" -d"${DURATION}s" --latency -s "$LUA" "${URL[$server]}" >"$out"
  t1=$(cpu_ticks "${PID[$server]}"); w1=$(date +%s%N)
  line=$(grep '^RESULT ' "$out") || { echo "wrk produced no RESULT line:" >&2; cat "$out" >&2; exit 1; }
  wrk_row "$round" "$scen" "$server" "$line" "$t0" "$t1" "$w0" "$w1" >>"$RESULTS"
  tail -n1 "$RESULTS" | awk -F'\t' '{printf "  %-6s %-9s %-10s %8.1f req/s %8.1f MB/s p50 %7.2f ms p99 %7.2f ms errors %s cpu %s%%\n",
    $1, $2, $3, $4/($6/1e6), $5/$6, $8/1000, $9/1000, $7, $10}' >&2
}

# TTFB measured directly: one curl process, keep-alive, sequential 64 KiB ranges at the same
# random offsets for every server; time_starttransfer = request start -> first response byte.
run_ttfb() { # round server offsets_file
  local round=$1 server=$2 offsets=$3 cfg out
  cfg="$WORK/ttfb.$server.cfg" out="$WORK/ttfb.$round.$server.txt"
  {
    local first=1
    while read -r a; do
      ((first)) || echo 'next'
      first=0
      printf 'silent\nurl = "%s%s"\nheader = "Range: bytes=%d-%d"\nheader = "Authorization: Bearer %s"\n' \
        "${URL[$server]}" "$SONG_PATH" "$a" $((a + RANGE_SEEK - 1)) "$TOKEN"
      printf 'output = "/dev/null"\nwrite-out = "%%{http_code} %%{time_starttransfer}\\n"\n'
      if [[ "$TLS" == 1 ]]; then printf 'cacert = "%s"\nhttp1.1\n' "$CERT"; fi
    done <"$offsets"
  } >"$cfg"
  command curl -K "$cfg" >"$out"
  ttfb_row "$round" "$server" "$out" >>"$WORK/ttfb.tsv"
  tail -n1 "$WORK/ttfb.tsv" | awk -F'\t' '{printf "  %-6s ttfb      %-10s n=%s non-206=%s p50 %s ms p99 %s ms\n", $1, $2, $3, $4, $5, $6}' >&2
}

log "measuring: $ROUNDS round(s), ${DURATION}s per run after ${WARMUP}s warm-up, wrk -t$WRK_THREADS; servers: ${SERVERS[*]}"
for ((round = 1; round <= ROUNDS; round++)); do
  order=("${SERVERS[@]}")
  if ((round % 2 == 0)); then # reverse on even rounds so drift does not always favour one side
    order=()
    for ((k = ${#SERVERS[@]} - 1; k >= 0; k--)); do order+=("${SERVERS[k]}"); done
  fi
  log "round $round: order ${order[*]}"
  for s in "${order[@]}"; do run_wrk "$round" range1m "$s" "$C_TPUT" "$RANGE_TPUT"; done
  for s in "${order[@]}"; do run_wrk "$round" seek64k "$s" "$C_SEEK" "$RANGE_SEEK"; done
  for s in "${order[@]}"; do run_wrk "$round" whole "$s" "$C_WHOLE" 0; done
  python3 -c "import random,sys; [print(random.randrange(0, $FILE_SIZE - $RANGE_SEEK + 1)) for _ in range($TTFB_N)]" \
    >"$WORK/offsets.$round"
  for s in "${order[@]}"; do run_ttfb "$round" "$s" "$WORK/offsets.$round"; done
done

# ---------------------------------------------------------------------------------------------
# 5. Report
# ---------------------------------------------------------------------------------------------
echo
echo "## Streaming benchmark $(date -u +%Y-%m-%dT%H:%MZ)$([[ "$TLS" == 1 ]] && echo " over TLS (dspot engine: $TLS_ENGINE)")"
echo
echo "song: ${SONG_SECONDS}s 320 kbps MP3, $FILE_SIZE bytes; host: $(nproc) cores ($(uname -r)), shared;"
echo "load: wrk -t$WRK_THREADS on the same host; ${DURATION}s per run after ${WARMUP}s warm-up; $ROUNDS round(s), interleaved; values = median over rounds."
echo "MB = 10^6 bytes (wrk's byte count: bodies + headers)."
python3 - "$RESULTS" "$WORK/ttfb.tsv" "$C_TPUT" "$C_SEEK" "$C_WHOLE" "$TTFB_N" "${SERVERS[@]}" <<'PY'
import sys, statistics
res_path, ttfb_path, c_tput, c_seek, c_whole, ttfb_n, *servers = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(res_path)][1:]
ttfb = [l.rstrip("\n").split("\t") for l in open(ttfb_path)]

def med(values):
    return statistics.median(values) if values else float("nan")

def wrk(scen, server, field):
    out = []
    for r in rows:
        if r[1] != scen or r[2] != server:
            continue
        req, byt, dur, err, p50, p99, cpu = int(r[3]), int(r[4]), int(r[5]), int(r[6]), int(r[7]), int(r[8]), int(r[9])
        out.append({"mbs": byt / dur, "rps": req / (dur / 1e6), "p50": p50 / 1000, "p99": p99 / 1000,
                    "cpu": cpu, "err": err}[field])
    return med(out)

def tt(server, field):
    return med([float(r[4 if field == "p50" else 5]) for r in ttfb if r[1] == server])

# (label, getter, kind) kind: "tput" target >= 0.9, "lat" target <= 2.0, None informational
metrics = [
    (f"1 MiB random ranges, throughput MB/s (c={c_tput})", lambda s: wrk("range1m", s, "mbs"), "tput"),
    (f"1 MiB random ranges, req/s (c={c_tput})", lambda s: wrk("range1m", s, "rps"), None),
    (f"1 MiB random ranges, p99 ms (wrk, full response, c={c_tput})", lambda s: wrk("range1m", s, "p99"), None),
    (f"1 MiB random ranges, server CPU % (of 1 core)", lambda s: wrk("range1m", s, "cpu"), None),
    (f"64 KiB seeks, req/s (c={c_seek})", lambda s: wrk("seek64k", s, "rps"), None),
    (f"64 KiB seeks, p50 ms (wrk, full response, c={c_seek})", lambda s: wrk("seek64k", s, "p50"), None),
    (f"64 KiB seeks, p99 ms (wrk, full response, c={c_seek})", lambda s: wrk("seek64k", s, "p99"), "lat"),
    (f"whole-file GET, throughput MB/s (c={c_whole})", lambda s: wrk("whole", s, "mbs"), "tput"),
    (f"whole-file GET, req/s (c={c_whole})", lambda s: wrk("whole", s, "rps"), None),
    (f"TTFB p50 ms (curl, 1 conn, sequential, n={ttfb_n}/round)", lambda s: tt(s, "p50"), None),
    (f"TTFB p99 ms (curl, 1 conn, sequential, n={ttfb_n}/round)", lambda s: tt(s, "p99"), "lat"),
]

def fmt(v):
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) >= 1 else f"{v:.3f}"

def best_nginx1(get, kind, label):
    cands = [(get(s), s) for s in ("nginx1", "nginx1np") if s in servers]
    if "ms" in label:
        return min(cands)
    return max(cands)

names = {"nginx1": "nginx 1 worker, tcp_nopush on", "nginx1np": "nginx 1 worker, tcp_nopush off",
         "nginxauto": f"nginx worker_processes auto, tcp_nopush on"}
print("\n### dspot vs nginx (worker_processes 1; per metric the better of tcp_nopush on/off)\n")
print("| metric | dspot | nginx | ratio (dspot/nginx) | target | verdict | nginx config |")
print("|---|---:|---:|---:|---|---|---|")
for label, get, kind in metrics:
    d = get("dspot")
    n, which = best_nginx1(get, kind, label)
    if "CPU" in label:
        n, which = get("nginx1"), "nginx1"
    ratio = d / n if n else float("nan")
    if kind == "tput":
        target, verdict = "≥ 0.90", "PASS" if ratio >= 0.9 else "MISS"
    elif kind == "lat":
        target, verdict = "≤ 2.00", "PASS" if ratio <= 2.0 else "MISS"
    else:
        target, verdict = "—", ""
    print(f"| {label} | {fmt(d)} | {fmt(n)} | {ratio:.2f} | {target} | {verdict} | {'nopush on' if which == 'nginx1' else 'nopush off'} |")

print("\n### All servers (informational; ratio columns are dspot/that server)\n")
others = [s for s in servers if s != "dspot"]
print("| metric | dspot | " + " | ".join(f"{names.get(s, s)} | ratio" for s in others) + " |")
print("|---|---:|" + "---:|---:|" * len(others))
for label, get, kind in metrics:
    d = get("dspot")
    cells = []
    for s in others:
        v = get(s)
        cells += [fmt(v), f"{d / v:.2f}" if v else "nan"]
    print(f"| {label} | {fmt(d)} | " + " | ".join(cells) + " |")

errs = sum(int(r[6]) for r in rows)
bad = sum(int(r[3]) for r in ttfb)
print(f"\nwrk socket/status errors across all runs: {errs}; TTFB non-206 answers: {bad}")
print("\nPer-run raw numbers (round scenario server: MB/s, req/s, p50 ms, p99 ms, server CPU %):\n")
print("```")
for r in rows:
    req, byt, dur = int(r[3]), int(r[4]), int(r[5])
    print(f"{r[0]} {r[1]:8} {r[2]:10} {byt/dur:8.1f} MB/s {req/(dur/1e6):8.1f} req/s "
          f"p50 {int(r[7])/1000:7.2f} p99 {int(r[8])/1000:7.2f} cpu {r[9]:>3}% err {r[6]}")
for r in ttfb:
    print(f"{r[0]} ttfb     {r[1]:10} p50 {r[4]} ms p99 {r[5]} ms (n={r[2]}, non-206={r[3]})")
print("```")
PY
