#!/usr/bin/env bash
# Search and list latency over HTTP at library scale: this build against the base build (the anchor),
# both on the same generated catalog, in the same run, requests interleaved.
#
#   bench/search.sh                                   # 1,000 and 100,000 songs, 2 rounds
#   BENCH_SIZES=1000000 BENCH_ROUNDS=1 bench/search.sh   # the 1M data point
#
# For each size: one PostgreSQL 15 (Debian's, run as user postgres, in the temp dir, 127.0.0.1
# only) gets an empty catalog made by the BASE jar's migrations, bench/gen-catalog.sql fills it
# (written straight into the tables, see that file), and two copies of it (CREATE DATABASE ..
# TEMPLATE) serve one node each: the base jar and this jar (which runs its own newer migrations on
# its copy at start; the time that takes is reported). Both nodes are single-node clusters with
# plain HTTP on 127.0.0.1, using the external-database setting (db.url) instead of the embedded
# PostgreSQL so both run on the same server build and data. bench/search-client.py measures.
#
# Knobs (environment):
#   DSPOT_JAR        this build            (default <repo>/target/dspot.jar)
#   BASE_JAR         the anchor            (default /tmp/base13/dspot.jar)
#   BENCH_SIZES      song counts           (default "1000 100000")
#   BENCH_ROUNDS     measured rounds per size, each a fresh pair of node starts (default 2)
#   BENCH_REPS       timed requests per shape per server per round (default 30; BENCH_WARMUP 5 before)
#   BENCH_ANCHOR_MAX largest song count at which the base jar is measured too (default: every size;
#                    at 1,000,000 the base takes seconds per request, so the 1M point is head only)
#   BENCH_SHAPES     comma-separated substrings of shape names to run only those
#   BENCH_KEEP       1 = keep the temp dir (node logs, raw JSON)
#   PG_BIN           PostgreSQL binaries   (default /usr/lib/postgresql/15/bin)
# Prints the markdown report to stdout, progress to stderr; stops every process it started and
# removes its temp dir on exit, also on Ctrl-C.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench-lib.sh
source "$HERE/bench-lib.sh"
REPO=$(dirname "$HERE")
DSPOT_JAR=${DSPOT_JAR:-$REPO/target/dspot.jar}
BASE_JAR=${BASE_JAR:-/tmp/base13/dspot.jar}
SIZES=${BENCH_SIZES:-"1000 100000"}
ROUNDS=${BENCH_ROUNDS:-2}
REPS=${BENCH_REPS:-30}
WARMUP=${BENCH_WARMUP:-5}
ANCHOR_MAX=${BENCH_ANCHOR_MAX:-999999999}
KEEP=${BENCH_KEEP:-0}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
export DSPOT_ADMIN_PASSWORD="bench-$(date +%s)-$RANDOM-pw"

for f in "$DSPOT_JAR" "$BASE_JAR" "$PG_BIN/postgres" "$PG_BIN/psql"; do
  [[ -e "$f" ]] || { echo "missing: $f" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "missing python3" >&2; exit 2; }

WORK=$(mktemp -d /tmp/dspot-search.XXXXXX)
chmod 755 "$WORK"
NODE_PIDS=()
log() { printf '[search.sh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
as_pg() { runuser -u postgres -- "$@"; }
cleanup() {
  local rc=$? p
  set +e
  trap - EXIT INT TERM
  for p in "${NODE_PIDS[@]}"; do stop_pid "$p" TERM 20; done
  [[ -f "$WORK/pg/postmaster.pid" ]] && as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1
  if [[ "$KEEP" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

cp "$DSPOT_JAR" "$WORK/head.jar"
cp "$BASE_JAR" "$WORK/base.jar"
PG_PORT=$(free_port)
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
mkdir "$WORK/pg" && chown postgres "$WORK/pg"
as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log"
as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pg -c max_connections=60 -c fsync=off" start >/dev/null
psql_db() { "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

start_node() { # name jar database -> NODE_URL, NODE_PID
  local name=$1 jar=$2 db=$3 port hz ip
  port=$(free_port) hz=$(free_port) ip=$(free_port)
  mkdir -p "$WORK/$name"
  cat >"$WORK/$name/node.json" <<EOF
{
  "node": { "id": "$name", "dataDir": "$WORK/$name/data" },
  "http": { "host": "127.0.0.1", "port": $port, "tls": { "enabled": false } },
  "db": { "url": "jdbc:postgresql://127.0.0.1:$PG_PORT/$db", "user": "postgres", "password": "", "poolSize": 8 },
  "admin": { "username": "admin" },
  "demo": { "enabled": false },
  "cluster": { "name": "search-$name-$RANDOM", "host": "127.0.0.1", "port": $hz, "members": ["127.0.0.1:$hz"], "size": 1,
               "eventBusPort": 0, "internalHttpPort": $ip, "heartbeatSeconds": 1, "maxNoHeartbeatSeconds": 5 }
}
EOF
  local t0=$SECONDS
  (cd "$WORK/$name" && exec java -jar "$WORK/$jar" --conf "$WORK/$name/node.json") >>"$WORK/$name/node.log" 2>&1 &
  NODE_PID=$!
  NODE_PIDS+=("$NODE_PID")
  NODE_URL="http://127.0.0.1:$port"
  for ((i = 0; i < 3000; i++)); do
    curl -fs -o /dev/null "$NODE_URL/api/health" && break
    alive "$NODE_PID" || { echo "node $name died during start:" >&2; tail -n 40 "$WORK/$name/node.log" >&2; exit 1; }
    sleep 0.2
  done
  curl -fs -o /dev/null "$NODE_URL/api/health" || { echo "node $name not up" >&2; tail -n 40 "$WORK/$name/node.log" >&2; exit 1; }
  NODE_START=$((SECONDS - t0))
}

START_LOAD=$(loadavg)
START_TIME=$(date -u +%Y-%m-%dT%H:%MZ)
declare -A GEN_S MIGRATE_S
for n in $SIZES; do
  log "== $n songs: schema from the base jar's migrations"
  psql_db -d postgres -c "CREATE DATABASE gen_$n"
  start_node "schema-$n" base.jar "gen_$n"
  stop_pid "$NODE_PID" TERM 30
  log "generating $n songs (bench/gen-catalog.sql)"
  t0=$SECONDS
  psql_db -d "gen_$n" -v songs="$n" -v admin=admin -f "$HERE/gen-catalog.sql" >&2
  GEN_S[$n]=$((SECONDS - t0))
  log "generated in ${GEN_S[$n]} s; copies for base and head"
  psql_db -d postgres -c "CREATE DATABASE base_$n TEMPLATE gen_$n" -c "CREATE DATABASE head_$n TEMPLATE gen_$n" -c "DROP DATABASE gen_$n"
  for ((r = 1; r <= ROUNDS; r++)); do
    log "round $r: starting the nodes (load $(loadavg))"
    servers=() BASE_PID=""
    if ((n <= ANCHOR_MAX)); then
      start_node "base-$n-$r" base.jar "base_$n"; servers+=(base="$NODE_URL"); BASE_PID=$NODE_PID
    fi
    start_node "head-$n-$r" head.jar "head_$n"; servers+=(head="$NODE_URL"); HEAD_PID=$NODE_PID
    [[ $r == 1 ]] && MIGRATE_S[$n]=$NODE_START
    BENCH_SONGS=$n python3 "$HERE/search-client.py" "$REPS" "$WARMUP" "${servers[@]}" >"$WORK/result-$n-$r.json"
    [[ -n "$BASE_PID" ]] && stop_pid "$BASE_PID" TERM 30
    stop_pid "$HEAD_PID" TERM 30
  done
  if [[ "$KEEP" != 1 ]]; then psql_db -d postgres -c "DROP DATABASE base_$n" -c "DROP DATABASE head_$n"; fi
done
END_LOAD=$(loadavg)

python3 - "$WORK" "$SIZES" "$ROUNDS" "$START_TIME" "$START_LOAD" "$END_LOAD" "$REPS" <<'EOF'
import json, sys
work, sizes, rounds, when, l0, l1, reps = sys.argv[1], sys.argv[2].split(), int(sys.argv[3]), *sys.argv[4:]
print(f"### Search and lists over HTTP ({when}; load average {l0} at start, {l1} at end; {reps} timed requests per shape, server and round)\n")
print("p50 / p99 in ms; base = the anchor jar, head = this build; ratio = head p99 / base p99 (below 1 is faster). "
      "`total` is what the first page answered (`~` = flagged not exact).\n")
for n in sizes:
    for r in range(1, rounds + 1):
        res = json.load(open(f"{work}/result-{n}-{r}.json"))
        print(f"#### {int(n):,} songs, round {r}\n")
        print("| shape | base p50 | base p99 | head p50 | head p99 | p99 ratio | total base / head |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for shape, v in res.items():
            h = v["head"]
            b = v.get("base", {"p50": "-", "p99": "-", "status": 0, "total": None})
            ratio = f"{h['p99'] / b['p99']:.2f}" if "base" in v and b["p99"] else "-"
            def tot(x):
                if x["status"] == 0: return "-"
                if x["status"] != 200: return f"HTTP {x['status']}"
                if x["total"] is None: return "-"
                return ("~" if x["exact"] is False else "") + str(x["total"])
            print(f"| {shape} | {b['p50']} | {b['p99']} | {h['p50']} | **{h['p99']}** | {ratio} | {tot(b)} / {tot(h)} |")
        print()
EOF
for n in $SIZES; do echo "- $n songs: generated in ${GEN_S[$n]} s; head node's first start (with its own migrations) ${MIGRATE_S[$n]} s"; done
