#!/usr/bin/env bash
# Replication benchmark (issue 7) on a 3-node cluster on loopback, started by this script.
#
#   bench/replication.sh                                   # defaults, ~6 min
#   BENCH_UPLOADS=5 BENCH_SONGS=30 BENCH_DURATION=3 bench/replication.sh   # quick smoke run
#
# Measures, in one run, each against a peer measured in the same run:
#   1. upload acknowledged -> song at its factor (10 MB WAV, factor 2 of 3 nodes): p50/p99 over N uploads;
#   2. repair throughput after kill -9 of a node (bytes copied / seconds from the grace period's end
#      to every song back at its factor) against `cp` of the same blob files on the same disk;
#   3. proxied streaming (serving node lacks the blob) against local streaming from a holder,
#      same wrk load (random 1 MiB and 64 KiB ranges, bench/random-range.lua): throughput and p99;
#   4. a listener's throughput on a node while it repairs (second kill -9) against the same load
#      on the same node just before.
# Prints one markdown table (and raw numbers) to stdout; progress to stderr.
#
# Needs: java 17, maven (unless BENCH_SKIP_BUILD=1), wrk (with Lua), curl, python3.
# Builds target/dspot.jar (mvn -B -q -o -DskipTests package) and copies it into the temp dir, so a
# rebuild during the run cannot swap it. Each node gets its own config, free ports and data dir in
# the temp dir (like conf/cluster/node-{1,2,3}.json). Every process started here (node JVMs, their
# embedded PostgreSQL) and the temp dir are removed on exit, also on failure or Ctrl-C.
#
# Knobs (environment):
#   DSPOT_JAR           jar to run (default <repo>/target/dspot.jar)
#   BENCH_SKIP_BUILD    1 = do not run mvn                                  (default 0)
#   BENCH_UPLOADS       N, timed uploads for section 1                      (default 12)
#   BENCH_SONGS         M, songs loaded in total (>= N) for sections 2 and 4 (default 60)
#   BENCH_SONG_BYTES    size of each generated WAV                          (default 10485760)
#   BENCH_FACTOR        replication.factor                                  (default 2)
#   BENCH_GRACE         replication.graceSeconds                            (default 5)
#   BENCH_MAX_BPS       replication.maxBytesPerSecond (unset = the product default, 1 GiB/s while idle)
#   BENCH_MAX_BPS_STREAMING  replication.maxBytesPerSecondWhileStreaming (unset = the product default, 8 MiB/s)
#   BENCH_DURATION      seconds per measured wrk run in section 3           (default 8)
#   BENCH_WARMUP        seconds of warm-up before each wrk run              (default 2)
#   BENCH_ROUNDS        interleaved rounds in section 3                     (default 2)
#   BENCH_KEEP          1 = keep the temp dir (node logs, raw output)       (default 0)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
LUA="$HERE/random-range.lua"
DSPOT_JAR=${DSPOT_JAR:-$REPO/target/dspot.jar}
N_UPLOADS=${BENCH_UPLOADS:-12}
M_SONGS=${BENCH_SONGS:-60}
SONG_BYTES=${BENCH_SONG_BYTES:-10485760}
FACTOR=${BENCH_FACTOR:-2}
GRACE=${BENCH_GRACE:-5}
MAX_BPS=${BENCH_MAX_BPS:-}
MAX_BPS_STREAMING=${BENCH_MAX_BPS_STREAMING:-}
DURATION=${BENCH_DURATION:-8}
WARMUP=${BENCH_WARMUP:-2}
ROUNDS=${BENCH_ROUNDS:-2}
KEEP=${BENCH_KEEP:-0}
WRK_THREADS=2
C_LOAD=8
RANGE_BIG=$((1024 * 1024))
RANGE_SEEK=$((64 * 1024))
NODES=(1 2 3)
ADMIN_PASSWORD="bench-$(date +%s)-$RANDOM"

((M_SONGS >= N_UPLOADS)) || { echo "BENCH_SONGS must be >= BENCH_UPLOADS" >&2; exit 2; }
for tool in java wrk curl python3 cp; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done

# shellcheck source=bench-lib.sh
source "$HERE/bench-lib.sh"
now() { date +%s.%N; }

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "building (mvn -B -q -o -DskipTests package)"
  (cd "$REPO" && mvn -B -q -o -DskipTests package >&2)
fi
[[ -f "$DSPOT_JAR" ]] || { echo "no jar at $DSPOT_JAR" >&2; exit 2; }

WORK=$(mktemp -d /tmp/dspot-replbench.XXXXXX)
declare -A PID HTTP_PORT HZ_PORT INT_PORT

stop_postgres_of() { # node: the embedded PostgreSQL a kill -9'd node left behind, by its pid file
  local f="$WORK/node-$1/postgres/postmaster.pid" pgpid
  [[ -f "$f" ]] || return 0
  pgpid=$(head -n1 "$f")
  [[ "$pgpid" =~ ^[0-9]+$ ]] && stop_pid "$pgpid" INT 10
  return 0
}

cleanup() {
  local rc=$? n p pids
  set +e
  trap - EXIT INT TERM
  # wrk runs in the foreground; nodes get SIGTERM (their shutdown hook stops their PostgreSQL).
  for n in "${NODES[@]}"; do [[ -n "${PID[$n]:-}" ]] && kill -TERM "${PID[$n]}" 2>/dev/null; done
  for n in "${NODES[@]}"; do [[ -n "${PID[$n]:-}" ]] && stop_pid "${PID[$n]}" TERM 20; done
  for n in "${NODES[@]}"; do stop_postgres_of "$n"; done
  # Anything still carrying our temp dir on its command line (e.g. a postgres child), by pid.
  for _ in 1 2 3; do
    pids=""
    for p in /proc/[0-9]*; do
      p=${p#/proc/}
      [[ "$p" == "$$" || "$p" == "$BASHPID" ]] && continue
      tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -qF -- "$WORK" && pids+=" $p"
    done
    [[ -z "$pids" ]] && break
    log "killing leftover processes:$pids"
    kill -KILL $pids 2>/dev/null
    sleep 1
  done
  if [[ "$KEEP" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# 0. Cluster: three configs, three nodes
# ---------------------------------------------------------------------------------------------
cp "$DSPOT_JAR" "$WORK/dspot.jar"
# The cluster's CA, secret and member certificates (a clustered node refuses to start without them).
java -jar "$WORK/dspot.jar" certs init "$WORK/certs" >/dev/null
for n in "${NODES[@]}"; do
  java -jar "$WORK/dspot.jar" certs node "$WORK/certs" "node-$n" --host 127.0.0.1 >/dev/null
done
for n in "${NODES[@]}"; do
  HTTP_PORT[$n]=$(free_port); HZ_PORT[$n]=$(free_port); INT_PORT[$n]=$(free_port)
done
MEMBERS=$(for n in "${NODES[@]}"; do printf '"127.0.0.1:%s",' "${HZ_PORT[$n]}"; done)
MEMBERS="[${MEMBERS%,}]"
REPL="\"factor\": $FACTOR, \"graceSeconds\": $GRACE"
[[ -n "$MAX_BPS" ]] && REPL+=", \"maxBytesPerSecond\": $MAX_BPS"
[[ -n "$MAX_BPS_STREAMING" ]] && REPL+=", \"maxBytesPerSecondWhileStreaming\": $MAX_BPS_STREAMING"
# Plain HTTP at the edge (as behind a TLS-terminating proxy): this measures replication and
# relaying, and stays comparable with the runs before TLS; bench/streaming.sh BENCH_TLS=1 measures TLS.
for n in "${NODES[@]}"; do
  mkdir -p "$WORK/node-$n"
  cat >"$WORK/node-$n.json" <<EOF
{
  "node": { "id": "node-$n", "dataDir": "$WORK/node-$n" },
  "http": { "host": "127.0.0.1", "port": ${HTTP_PORT[$n]}, "tls": { "enabled": false } },
  "db": { "url": "", "user": "postgres", "password": "", "poolSize": 8, "embeddedPort": 0 },
  "upload": { "maxFileBytes": 524288000 },
  "admin": { "username": "admin" },
  "demo": { "enabled": false },
  "cluster": {
    "name": "dspot-replbench-$$",
    "host": "127.0.0.1",
    "port": ${HZ_PORT[$n]},
    "members": $MEMBERS,
    "size": 3,
    "eventBusPort": 0,
    "internalHttpPort": ${INT_PORT[$n]},
    "heartbeatSeconds": 1,
    "maxNoHeartbeatSeconds": 5,
    "certsDir": "$WORK/certs"
  },
  "replication": { $REPL }
}
EOF
done

start_node() { # n
  local n=$1
  (cd "$WORK" && DSPOT_ADMIN_PASSWORD="$ADMIN_PASSWORD" exec java -jar "$WORK/dspot.jar" --conf "$WORK/node-$n.json") \
    >>"$WORK/node-$n.log" 2>&1 &
  PID[$n]=$!
  disown "$!"   # no "Killed" job notice when the benchmark kill -9s it
}
url() { echo "http://127.0.0.1:${HTTP_PORT[$1]}"; }
wait_healthy() { # n...
  local n i
  for n in "$@"; do
    for ((i = 0; i < 1200; i++)); do
      curl -fs -o /dev/null "$(url "$n")/api/health" && break
      alive "${PID[$n]}" || { echo "node-$n died during start:" >&2; tail -n 40 "$WORK/node-$n.log" >&2; exit 1; }
      sleep 0.1
    done
    curl -fs -o /dev/null "$(url "$n")/api/health" || { echo "node-$n not up after 120 s" >&2; tail -n 40 "$WORK/node-$n.log" >&2; exit 1; }
  done
}

T0=$(now)
log "starting 3 nodes (factor $FACTOR, grace ${GRACE}s, maxBytesPerSecond ${MAX_BPS:-default}, while streaming ${MAX_BPS_STREAMING:-default}) in $WORK"
for n in "${NODES[@]}"; do start_node "$n"; done
wait_healthy "${NODES[@]}"
log "nodes answer /api/health after $(python3 -c "print(round($(now)-$T0,1))") s"

login() {
  local i
  for ((i = 0; i < 300; i++)); do
    if curl -fsS -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" \
      "$(url 1)/api/auth/login" >"$WORK/login.json" 2>/dev/null; then
      python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$WORK/login.json"
      return 0
    fi
    sleep 0.2
  done
  echo "login failed" >&2; return 1
}
TOKEN=$(login)

# Waits until /api/cluster on node $1 lists every node in $2 (space-separated) reachable, every
# one under-replicated 0 and backlog 0, and every song's blob is on exactly FACTOR of the live
# nodes' disks (surplus copies dropped). Prints the seconds it took.
settle() { # via_node "live nodes" timeout_s
  python3 - "$(url "$1")" "$TOKEN" "$WORK" "$2" "$FACTOR" "$3" "$WORK/songs.tsv" <<'PY'
import json, os, sys, time, urllib.request
base, token, work, live, factor, timeout, songs = sys.argv[1:]
live, factor, timeout = live.split(), int(factor), float(timeout)
shas = [l.split("\t")[1] for l in open(songs)] if os.path.exists(songs) else []
t0 = time.time()
while True:
    try:
        req = urllib.request.Request(base + "/api/cluster", headers={"Authorization": "Bearer " + token})
        d = json.load(urllib.request.urlopen(req, timeout=5))
        ms = {m["nodeId"]: m for m in d["members"]}
        ok = all(ms.get("node-" + n, {}).get("reachable") and ms["node-" + n].get("replication")
                 and ms["node-" + n]["replication"]["underReplicated"] == 0
                 and ms["node-" + n]["replication"]["backlog"] == 0 for n in live)
        if ok:
            ok = all(sum(os.path.exists(f"{work}/node-{n}/blobs/{s[:2]}/{s[2:4]}/{s}") for n in live) == factor
                     for s in shas)
        if ok:
            print(f"{time.time() - t0:.1f}")
            sys.exit(0)
    except Exception:
        pass
    if time.time() - t0 > timeout:
        print(f"not settled after {timeout:.0f} s: {d['members'] if 'd' in dir() else 'no answer'}", file=sys.stderr)
        sys.exit(1)
    time.sleep(0.2)
PY
}
for ((i = 0; i < 300; i++)); do settle 1 "1 2 3" 1 >/dev/null 2>&1 && break; sleep 0.2; done
settle 1 "1 2 3" 60 >/dev/null
log "cluster formed: 3 members reachable, replication idle"

# ---------------------------------------------------------------------------------------------
# 1. Upload acknowledged -> factor reached (N timed uploads, one at a time), then the rest of M
# ---------------------------------------------------------------------------------------------
# Songs: distinct WAVs (44-byte PCM header as in src/test/.../TestAudio.java + random samples).
# Upload i goes to node (i mod 3)+1, so the uploader is sometimes in the song's placement and
# sometimes not, as with clients behind any node.
log "section 1: $N_UPLOADS timed uploads of $SONG_BYTES-byte WAVs (factor $FACTOR)"
python3 - "$WORK" "$TOKEN" "$SONG_BYTES" "$N_UPLOADS" "$M_SONGS" "$FACTOR" \
  "$(url 1) $(url 2) $(url 3)" >"$WORK/upload.tsv" <<'PY'
import hashlib, json, os, struct, subprocess, sys, time, urllib.request
work, token, size, n_timed, m_total, factor, urls = sys.argv[1:]
size, n_timed, m_total, factor, urls = int(size), int(n_timed), int(m_total), int(factor), urls.split()
os.makedirs(f"{work}/songs", exist_ok=True)

def wav(path):
    data = size - 44
    hdr = b"RIFF" + struct.pack("<I", size - 8) + b"WAVE" + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) \
        + b"data" + struct.pack("<I", data)
    with open(path, "wb") as f:
        f.write(hdr + os.urandom(data))

def holders(sha):
    return [n for n in (1, 2, 3) if os.path.exists(f"{work}/node-{n}/blobs/{sha[:2]}/{sha[2:4]}/{sha}")]

def cluster_clean():
    req = urllib.request.Request(urls[0] + "/api/cluster", headers={"Authorization": "Bearer " + token})
    d = json.load(urllib.request.urlopen(req, timeout=5))
    return all(m.get("reachable") and m.get("replication") and m["replication"]["underReplicated"] == 0
               and m["replication"]["backlog"] == 0 for m in d["members"])

songs = open(f"{work}/songs.tsv", "w")
for i in range(m_total):
    path = f"{work}/songs/song-{i:03d}.wav"
    wav(path)
    via = urls[i % 3]
    t0 = time.time()
    out = subprocess.run(["curl", "-fsS", "-H", "Authorization: Bearer " + token,
                          "-F", f"f=@{path};type=audio/wav;filename=bench-{i:03d}.wav", via + "/api/songs"],
                         capture_output=True, text=True)
    t_ack = time.time()
    if out.returncode != 0:
        sys.exit(f"upload {i} failed: {out.stderr}")
    s = json.loads(out.stdout)["songs"][0]
    sha = s["sha256"]
    assert sha == hashlib.sha256(open(path, "rb").read()).hexdigest(), "sha mismatch"
    songs.write(f"{s['id']}\t{sha}\t{s['size']}\n"); songs.flush()
    os.remove(path)
    if i >= n_timed:
        continue
    # Poll: files on disk (published by rename after verification, so a file there is complete)
    # and the cluster view (every member: underReplicated 0, backlog 0) at ~10 ms / ~50 ms.
    t_files = t_index = None
    last_api = 0.0
    while t_index is None and time.time() - t_ack < 60:
        now = time.time()
        if t_files is None and len(holders(sha)) >= factor:
            t_files = now
        if t_files is not None and now - last_api >= 0.05:
            last_api = now
            if cluster_clean():
                t_index = time.time()
        time.sleep(0.01)
    if t_index is None:
        sys.exit(f"upload {i}: factor not reached within 60 s (holders {holders(sha)})")
    print(f"{i}\t{via}\t{t_ack - t0:.4f}\t{t_files - t_ack:.4f}\t{t_index - t_ack:.4f}\t{len(holders(sha))}", flush=True)
    print(f"  upload {i} via {via[-5:]}: ack {t_ack - t0:.3f} s, files at factor +{t_files - t_ack:.3f} s, "
          f"cluster view clean +{t_index - t_ack:.3f} s", file=sys.stderr)
PY
log "all $M_SONGS songs uploaded; waiting for replication to settle"
S=$(settle 1 "1 2 3" 300)
log "settled ${S} s after the last upload"

# ---------------------------------------------------------------------------------------------
# Helpers for wrk
# ---------------------------------------------------------------------------------------------
holders_of() { # sha -> node numbers that have the blob on disk
  local n
  for n in "${NODES[@]}"; do [[ -f "$WORK/node-$n/blobs/${1:0:2}/${1:2:2}/$1" ]] && printf '%s ' "$n"; done
  return 0
}
RESULTS="$WORK/wrk.tsv"
: >"$RESULTS"
run_wrk() { # label node song_id file_size range_bytes duration -> appends "label node requests bytes dur_us errors p50 p99"
  local label=$1 n=$2 id=$3 size=$4 range=$5 dur=$6 out line
  out="$WORK/wrk.$label.$n.$(date +%s%N).txt"
  export BENCH_PATH="/api/songs/$id/stream" BENCH_TOKEN="$TOKEN" BENCH_FILE_SIZE="$size" BENCH_RANGE_BYTES="$range"
  ((WARMUP > 0)) && wrk -t"$WRK_THREADS" -c"$C_LOAD" -d"${WARMUP}s" -s "$LUA" "$(url "$n")" >/dev/null
  wrk -t"$WRK_THREADS" -c"$C_LOAD" -d"${dur}s" --latency -s "$LUA" "$(url "$n")" >"$out"
  line=$(grep '^RESULT ' "$out") || { echo "wrk produced no RESULT line:" >&2; cat "$out" >&2; exit 1; }
  python3 - "$label" "$n" "$line" >>"$RESULTS" <<'PY'
import sys
label, n, line = sys.argv[1:]
kv = dict(x.split("=") for x in line.split()[1:])
err = sum(int(kv[k]) for k in kv if k.startswith("err_"))
print("\t".join([label, n, kv["requests"], kv["bytes"], kv["duration_us"], str(err), kv["p50_us"], kv["p99_us"]]))
PY
  tail -n1 "$RESULTS" | awk -F'\t' '{printf "  %-14s node-%s %8.1f MB/s %8.1f req/s p50 %7.2f ms p99 %7.2f ms errors %s\n",
    $1, $2, $4/$5, $3/($5/1e6), $7/1000, $8/1000, $6}' >&2
}

# ---------------------------------------------------------------------------------------------
# 3. Proxied vs local streaming (same song, same load; holder vs a node without the blob)
# ---------------------------------------------------------------------------------------------
read -r SONG_ID SONG_SHA SONG_SIZE < <(head -n1 "$WORK/songs.tsv")
read -r -a HOLD <<<"$(holders_of "$SONG_SHA")"
LOCAL_NODE=${HOLD[0]}
PROXY_NODE=""
for n in "${NODES[@]}"; do [[ " ${HOLD[*]} " == *" $n "* ]] || PROXY_NODE=$n; done
[[ -n "$PROXY_NODE" ]] || { echo "every node holds song 1; use factor < 3" >&2; exit 1; }
log "section 3: song $SONG_ID held by node(s) ${HOLD[*]}; local = node-$LOCAL_NODE, proxied via node-$PROXY_NODE"
# Correctness first: the proxied body equals the local one for a range and the whole file.
for r in "1000000-1065535" ""; do
  curl -fsS -o "$WORK/chk.local" -H "Authorization: Bearer $TOKEN" ${r:+-r "$r"} "$(url "$LOCAL_NODE")/api/songs/$SONG_ID/stream"
  curl -fsS -o "$WORK/chk.proxy" -H "Authorization: Bearer $TOKEN" ${r:+-r "$r"} "$(url "$PROXY_NODE")/api/songs/$SONG_ID/stream"
  cmp -s "$WORK/chk.local" "$WORK/chk.proxy" || { echo "proxied body differs from local for range '${r:-none}'" >&2; exit 1; }
done
[[ "$(sha256sum <"$WORK/chk.proxy" | cut -d' ' -f1)" == "$SONG_SHA" ]] || { echo "proxied whole file: sha256 mismatch" >&2; exit 1; }
rm -f "$WORK"/chk.*
log "proxied and local bodies identical (range and whole file, sha256 ok)"
# Unloaded per-request cost: one curl, one keep-alive connection, the same 200 random 64 KiB
# ranges in sequence against each node; time_total per request.
python3 -c "import random; [print(random.randrange(0, $SONG_SIZE - $RANGE_SEEK + 1)) for _ in range(200)]" >"$WORK/offsets"
for n in "$LOCAL_NODE" "$PROXY_NODE" "$LOCAL_NODE" "$PROXY_NODE"; do
  kind=local; [[ $n == "$PROXY_NODE" ]] && kind=proxy
  first=1
  while read -r a; do
    ((first)) || echo next
    first=0
    printf 'silent\nurl = "%s/api/songs/%s/stream"\nheader = "Range: bytes=%d-%d"\nheader = "Authorization: Bearer %s"\n' \
      "$(url "$n")" "$SONG_ID" "$a" $((a + RANGE_SEEK - 1)) "$TOKEN"
    printf 'output = "/dev/null"\nwrite-out = "%%{http_code} %%{time_total}\\n"\n'
  done <"$WORK/offsets" >"$WORK/curl.cfg"
  curl -K "$WORK/curl.cfg" | sed "s/^/$kind /" >>"$WORK/unloaded.txt"
done
python3 - "$WORK/unloaded.txt" >&2 <<'PY'
import math, sys
rows = [l.split() for l in open(sys.argv[1])]
for kind in ("local", "proxy"):
    t = sorted(float(r[2]) * 1000 for r in rows if r[0] == kind)
    bad = sum(1 for r in rows if r[0] == kind and r[1] != "206")
    pct = lambda p: t[max(0, math.ceil(p / 100 * len(t)) - 1)]
    print(f"  unloaded 64 KiB {kind}: n={len(t)} p50 {pct(50):.3f} ms p99 {pct(99):.3f} ms non-206 {bad}")
PY
for ((round = 1; round <= ROUNDS; round++)); do
  order=("$LOCAL_NODE" "$PROXY_NODE")
  ((round % 2 == 0)) && order=("$PROXY_NODE" "$LOCAL_NODE")
  for shape in big seek; do
    range=$RANGE_BIG; [[ $shape == seek ]] && range=$RANGE_SEEK
    for n in "${order[@]}"; do
      kind=local; [[ $n == "$PROXY_NODE" ]] && kind=proxy
      run_wrk "s3.$shape.$kind" "$n" "$SONG_ID" "$SONG_SIZE" "$range" "$DURATION"
    done
  done
done

# ---------------------------------------------------------------------------------------------
# 2. Repair throughput after kill -9, against cp of the same blob files
# ---------------------------------------------------------------------------------------------
# Which songs the victim held, and so which survivor lacks them (with 3 nodes and factor 2 the
# two survivors must end up with every song).
repair() { # victim "survivors" -> writes $WORK/repair.<victim>.json
  local victim=$1 survivors=$2 t_kill
  python3 - "$WORK" "$victim" "$survivors" "$FACTOR" >"$WORK/repair.$victim.todo" <<'PY'
import os, sys
work, victim, survivors, factor = sys.argv[1], sys.argv[2], sys.argv[3].split(), int(sys.argv[4])
for line in open(f"{work}/songs.tsv"):
    sid, sha, size = line.split()
    have = [n for n in survivors if os.path.exists(f"{work}/node-{n}/blobs/{sha[:2]}/{sha[2:4]}/{sha}")]
    if len(have) < factor and have:
        need = [n for n in survivors if n not in have][: factor - len(have)]
        for n in need:
            print(sha, size, have[0], n)   # sha size source_node target_node
PY
  t_kill=$(now)
  kill -KILL "${PID[$victim]}"
  echo "$t_kill"
}

watch_repair() { # victim t_kill -> prints JSON; touches repair.<victim>.started when copying starts
  python3 - "$WORK" "$1" "$2" "$GRACE" "$(url 1)" "$TOKEN" <<'PY'
import json, os, sys, time, urllib.request
work, victim, t_kill, grace, base, token = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
todo = [l.split() for l in open(f"{work}/repair.{victim}.todo")]
path = lambda n, sha: f"{work}/node-{n}/blobs/{sha[:2]}/{sha[2:4]}/{sha}"
seen = {}
t_start = None   # first /api/cluster answer (node 1, every 50 ms) with a live node's replication backlog > 0
last_api = 0.0
deadline = time.time() + 300
while len(seen) < len(todo) and time.time() < deadline:
    for sha, size, src, dst in todo:
        if (sha, dst) not in seen and os.path.exists(path(dst, sha)):
            seen[(sha, dst)] = time.time()
    if t_start is None and time.time() - last_api >= 0.05:
        last_api = time.time()
        try:
            req = urllib.request.Request(base + "/api/cluster", headers={"Authorization": "Bearer " + token})
            d = json.load(urllib.request.urlopen(req, timeout=2))
            if any(m.get("replication") and m["replication"]["backlog"] > 0 for m in d["members"]):
                t_start = last_api
                open(f"{work}/repair.{victim}.started", "w").close()
        except Exception:
            pass
    time.sleep(0.01)
if len(seen) < len(todo):
    sys.exit(f"repair incomplete after 300 s: {len(seen)}/{len(todo)} copies")
t_done = max(seen.values()) if seen else time.time()
t_first = min(seen.values()) if seen else t_done
if t_start is None or t_start > t_first:   # backlog never seen (copies faster than the poll)
    t_start = t_first
open(f"{work}/repair.{victim}.started", "w").close()
print(json.dumps({"copies": len(todo), "bytes": sum(int(t[1]) for t in todo), "t_kill": t_kill,
                  "t_grace_end": t_kill + grace, "t_start": t_start, "t_first": t_first, "t_done": t_done}))
PY
}

cp_baseline() { # victim -> seconds to cp the same files (from their surviving holders) into a fresh dir
  local victim=$1 t0 t1
  mkdir -p "$WORK/cp.$victim"
  awk -v w="$WORK" '{print w "/node-" $3 "/blobs/" substr($1,1,2) "/" substr($1,3,2) "/" $1}' "$WORK/repair.$victim.todo" \
    >"$WORK/cp.$victim.list"
  t0=$(now)
  xargs -a "$WORK/cp.$victim.list" cp -t "$WORK/cp.$victim/"
  sync -f "$WORK/cp.$victim" 2>/dev/null || sync
  t1=$(now)
  rm -rf "$WORK/cp.$victim"
  python3 -c "print(round($t1 - $t0, 4))"
}

VICTIM1=3
log "section 2: kill -9 node-$VICTIM1, grace ${GRACE}s, then time until every song is on $FACTOR survivors"
T_KILL=$(repair "$VICTIM1" "1 2")
watch_repair "$VICTIM1" "$T_KILL" >"$WORK/repair.$VICTIM1.json"
log "repair: $(cat "$WORK/repair.$VICTIM1.json")"
CP1=$(cp_baseline "$VICTIM1")
log "cp of the same $(wc -l <"$WORK/repair.$VICTIM1.todo") files: $CP1 s (with sync; page cache warm, drop_caches not available)"
settle 1 "1 2" 120 >/dev/null || log "WARN: not settled on nodes 1 2 after repair"

# ---------------------------------------------------------------------------------------------
# 4. A listener on a node while it repairs: bring node 3 back, kill another node, wrk on a survivor
# ---------------------------------------------------------------------------------------------
log "section 4: restarting node-$VICTIM1 (its PostgreSQL left by kill -9 is stopped by the node itself)"
start_node "$VICTIM1"
wait_healthy "$VICTIM1"
S=$(settle 1 "1 2 3" 180)
log "node-$VICTIM1 back and cluster settled after ${S} s (surplus copies dropped)"
VICTIM2=2
LISTEN=1
# The listener streams a song node 1 holds locally (so the drop is the repair's cost, not a proxy's).
while read -r id sha size; do
  [[ -f "$WORK/node-$LISTEN/blobs/${sha:0:2}/${sha:2:2}/$sha" ]] && { L_ID=$id; L_SIZE=$size; break; }
done <"$WORK/songs.tsv"
R1=$(python3 -c "import json; d=json.load(open('$WORK/repair.$VICTIM1.json')); print(d['t_done']-d['t_start'])")
L_DUR=$(python3 -c "print(max(2, round($R1)))")
log "listener: node-$LISTEN, song $L_ID, 1 MiB random ranges, c=$C_LOAD, ${L_DUR}s windows (repair 1 copied for ${R1:0:4} s)"
WARMUP_SAVED=$WARMUP
run_wrk "s4.before" "$LISTEN" "$L_ID" "$L_SIZE" "$RANGE_BIG" "$L_DUR"
T_KILL2=$(repair "$VICTIM2" "1 3")
watch_repair "$VICTIM2" "$T_KILL2" >"$WORK/repair.$VICTIM2.json" &
WATCH_PID=$!
# The listener's window starts when a node's replication backlog becomes non-zero (no warm-up:
# the same load just ran) and lasts as long as repair 1's copying did.
for ((i = 0; i < 1200; i++)); do [[ -f "$WORK/repair.$VICTIM2.started" ]] && break; sleep 0.05; done
WARMUP=0
T_L0=$(now)
run_wrk "s4.during" "$LISTEN" "$L_ID" "$L_SIZE" "$RANGE_BIG" "$L_DUR"
T_L1=$(now)
WARMUP=$WARMUP_SAVED
wait "$WATCH_PID"
log "repair 2: $(cat "$WORK/repair.$VICTIM2.json")"
run_wrk "s4.after" "$LISTEN" "$L_ID" "$L_SIZE" "$RANGE_BIG" "$L_DUR"

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
echo
echo "## Replication benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "3 nodes on loopback, factor $FACTOR, graceSeconds $GRACE, maxBytesPerSecond ${MAX_BPS:-default}, maxBytesPerSecondWhileStreaming ${MAX_BPS_STREAMING:-default};"
echo "songs: distinct WAVs of $SONG_BYTES bytes; N = $N_UPLOADS timed uploads, M = $M_SONGS songs loaded;"
echo "host: $(nproc) cores ($(uname -r)), shared; wrk -t$WRK_THREADS -c$C_LOAD on the same host, ${DURATION}s runs after ${WARMUP}s warm-up, $ROUNDS round(s) interleaved (section 3)."
python3 - "$WORK" "$RESULTS" "$VICTIM1" "$VICTIM2" "$CP1" "$T_L0" "$T_L1" "$FACTOR" <<'PY'
import json, math, statistics, sys
work, res, v1, v2, cp1, tl0, tl1, factor = sys.argv[1:]
cp1, tl0, tl1 = float(cp1), float(tl0), float(tl1)
up = [l.rstrip("\n").split("\t") for l in open(f"{work}/upload.tsv") if l.strip()]
ack = sorted(float(r[2]) for r in up)
files = sorted(float(r[3]) for r in up)
index = sorted(float(r[4]) for r in up)
pct = lambda t, p: t[max(0, math.ceil(p / 100 * len(t)) - 1)]
rows = [l.rstrip("\n").split("\t") for l in open(res) if l.strip()]
def agg(label, field):
    vals = []
    for r in rows:
        if r[0] != label:
            continue
        req, byt, dur, err, p50, p99 = int(r[2]), int(r[3]), int(r[4]), int(r[5]), int(r[6]), int(r[7])
        vals.append({"mbs": byt / dur, "rps": req / (dur / 1e6), "p99": p99 / 1000, "err": err}[field])
    return statistics.median(vals)
r1 = json.load(open(f"{work}/repair.{v1}.json"))
r2 = json.load(open(f"{work}/repair.{v2}.json"))
rep_s = r1["t_done"] - r1["t_grace_end"]
rep_rate = r1["bytes"] / 1e6 / rep_s
rep_rate_first = r1["bytes"] / 1e6 / max(1e-3, r1["t_done"] - r1["t_start"])
cp_rate = r1["bytes"] / 1e6 / cp1
# overlap of the listener window with repair 2 (grace end .. last copy)
ov = max(0.0, min(tl1, r2["t_done"]) - max(tl0, r2["t_start"]))
frac = ov / (tl1 - tl0)
def verdict(ok): return "yes" if ok else "**no**"
T = []
T.append((f"upload ack → factor {factor} reached, p50 (s; files on disk + every node's /api/cluster clean; N={len(up)})",
          f"{pct(index, 50):.3f}", "—", "—", "≤ 0.300 s", verdict(pct(index, 50) <= 0.3)))
T.append((f"upload ack → factor {factor} reached, p99 (s; same signal, nearest rank of N={len(up)})",
          f"{pct(index, 99):.3f}", "—", "—", "—", ""))
T.append((f"upload ack → blob file on {factor} nodes' disks, p50 / p99 (s)",
          f"{pct(files, 50):.3f} / {pct(files, 99):.3f}", "—", "—", "(≤ 0.300 s)", verdict(pct(files, 50) <= 0.3)))
T.append(("upload itself (curl, request → 201), p50 / p99 (s)", f"{pct(ack, 50):.3f} / {pct(ack, 99):.3f}", "—", "—", "—", ""))
T.append((f"repair after kill -9: MB/s from grace end to last copy ({r1['copies']} copies, {r1['bytes']/1e6:.0f} MB, {rep_s:.2f} s)",
          f"{rep_rate:.0f}", f"cp same files, same disk: {cp_rate:.0f} MB/s ({cp1:.2f} s)", f"{rep_rate/cp_rate:.2f}", "≥ 0.50",
          verdict(rep_rate / cp_rate >= 0.5)))
T.append((f"repair, MB/s while copying: first backlog > 0 in /api/cluster to last copy ({r1['t_done']-r1['t_start']:.2f} s; {r1['t_start']-r1['t_grace_end']:.2f} s after grace end)", f"{rep_rate_first:.0f}", f"{cp_rate:.0f}",
          f"{rep_rate_first/cp_rate:.2f}", "—", ""))
for shape, name in (("big", "1 MiB random ranges"), ("seek", "64 KiB random ranges")):
    p, l = agg(f"s3.{shape}.proxy", "mbs"), agg(f"s3.{shape}.local", "mbs")
    T.append((f"proxied streaming, {name}, MB/s (c=8)", f"{p:.0f}", f"local on holder: {l:.0f}", f"{p/l:.2f}", "≥ 0.80",
              verdict(p / l >= 0.8)))
    p, l = agg(f"s3.{shape}.proxy", "p99"), agg(f"s3.{shape}.local", "p99")
    T.append((f"proxied streaming, {name}, p99 ms (c=8)", f"{p:.2f}", f"local on holder: {l:.2f}", f"{p/l:.2f}", "— (reported)", ""))
ul = [l.split() for l in open(f"{work}/unloaded.txt")]
def ulp(kind, p):
    t = sorted(float(r[2]) * 1000 for r in ul if r[0] == kind)
    return t[max(0, math.ceil(p / 100 * len(t)) - 1)]
for p in (50, 99):
    pr, lo = ulp("proxy", p), ulp("local", p)
    T.append((f"unloaded 64 KiB range, p{p} ms (curl, 1 connection, 2 x 200 sequential requests; informational)",
              f"{pr:.3f}", f"local on holder: {lo:.3f}", f"{pr/lo:.2f}", "—", ""))
b, d, a = agg("s4.before", "mbs"), agg("s4.during", "mbs"), agg("s4.after", "mbs")
T.append((f"listener on a repairing node, 1 MiB ranges MB/s (window {tl1-tl0:.1f} s, {100*frac:.0f} % of it inside the repair)",
          f"{d:.0f}", f"same load just before: {b:.0f} (after: {a:.0f})", f"{d/b:.2f}", "≥ 0.80 (drop ≤ 20 %)", verdict(d / b >= 0.8)))
print("\n| what | measured | peer / baseline | ratio | target | met? |")
print("|---|---:|---|---:|---|---|")
for t in T:
    print("| " + " | ".join(t) + " |")
errs = sum(int(r[5]) for r in rows)
print(f"\nwrk socket/status errors across all runs: {errs}.")
print(f"Repair 2 (section 4, node-{v2} killed): {r2['copies']} copies, {r2['bytes']/1e6:.0f} MB, "
      f"{r2['t_done']-r2['t_grace_end']:.2f} s from grace end to last copy, {r2['t_done']-r2['t_start']:.2f} s of copying "
      f"({r2['bytes']/1e6/max(1e-3, r2['t_done']-r2['t_start']):.0f} MB/s while copying, under the listener's load).")
print("\nRaw numbers:\n\n```")
print("upload  node   ack_s   files_s  view_s  holders_on_disk")
for r in up:
    print(f"{r[0]:>6}  {r[1][-5:]}  {float(r[2]):.3f}  {float(r[3]):.3f}  {float(r[4]):.3f}  {r[5]}")
for r in rows:
    req, byt, dur = int(r[2]), int(r[3]), int(r[4])
    print(f"{r[0]:14} node-{r[1]} {byt/dur:8.1f} MB/s {req/(dur/1e6):8.1f} req/s p50 {int(r[6])/1000:7.2f} ms "
          f"p99 {int(r[7])/1000:7.2f} ms err {r[5]}")
print(f"repair 1: {json.dumps(r1)}; cp {cp1} s")
print(f"repair 2: {json.dumps(r2)}; listener window {tl0:.3f}..{tl1:.3f}")
print("```")
PY
