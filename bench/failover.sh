#!/usr/bin/env bash
# Failover benchmark (issue 9): client-visible outage when the VIP holder fails (its links go down,
# or kill -9 of its node), seen from the client namespace by a probe every BENCH_PROBE_MS with a
# short connect timeout (the time between the last answered request before the fault and the first
# one after), BENCH_REPS times per mode and fault, median and worst. Root only (network namespaces). Prints a markdown table to stdout
# and keeps the raw probe results in bench/results/failover-<time>.txt.
#
# Modes (BENCH_MODES, space-separated, in this order in one run):
#   keepalived-1     keepalived, VRRPv3 advert_int 1   (ha/keepalived/lab.sh, stand-in HTTP nodes)
#   keepalived-0.1   keepalived, VRRPv3 advert_int 0.1
#   builtin          the built-in leader (ha.mode=builtin, default pollMillis 200 / leaderTimeoutMillis
#                    600) on real nodes in ha/lab (target/dspot.jar): link down, then kill -9
#   builtin-fast     the same with pollMillis 100 / leaderTimeoutMillis 300
#   keepalived-nodes keepalived (advert_int 0.1) on the same real nodes in ha/lab (ha.mode=keepalived):
#                    link down, then kill -9 (the node and its keepalived)
#
# Knobs: BENCH_REPS=10, BENCH_PROBE_MS=15, BENCH_CONNECT_TIMEOUT=0.2 (s), BENCH_WINDOW=15 (s: no
# answer within this long after the fault is a miss), BENCH_MODES.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) == 0 ]] || { echo "failover.sh: needs root (network namespaces)" >&2; exit 1; }

REPS=${BENCH_REPS:-10}
PROBE_MS=${BENCH_PROBE_MS:-15}
CONNECT_TIMEOUT=${BENCH_CONNECT_TIMEOUT:-0.2}
WINDOW=${BENCH_WINDOW:-15}
MODES=${BENCH_MODES:-keepalived-1 keepalived-0.1 builtin builtin-fast keepalived-nodes}
VIP=198.18.1.100
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
RAW=bench/results/failover-$STAMP.txt
WORK=$(mktemp -d /tmp/failoverbench.XXXXXX)
mkdir -p bench/results

probe_pid="" lab_down=""
cleanup() {
  trap - EXIT INT TERM
  [[ -n $probe_pid ]] && kill "$probe_pid" 2>/dev/null || true
  [[ -n $lab_down ]] && eval "$lab_down" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "failover.sh: $*" >&2; }
now() { date +%s.%N; }

# Waits until the probe log has an answer after time $1; gives up after BENCH_WINDOW seconds.
await_answer_after() {
  local since=$1 deadline
  deadline=$(awk -v s="$since" -v w="$WINDOW" 'BEGIN { printf "%.3f", s + w }')
  while awk -v d="$deadline" -v n="$(now)" 'BEGIN { exit !(n < d) }'; do
    # An answer to a probe sent after the fault: one in flight at the fault proves nothing.
    awk -v s="$since" '$3 == "ok" && $1 > s { found = 1; exit } END { exit !found }' "$WORK/probe.log" && return 0
    sleep 0.1
  done
  return 1
}

# One mode and fault: $1 name, $2 "holders" command, $3 fault command prefix (+ N), $4 mend prefix (+ N),
# $5 probe scheme, $6 port, $7 the fault's name in the table.
measure() {
  local name=$1 holders_cmd=$2 cut_cmd=$3 heal_cmd=$4 scheme=$5 port=$6 fault_name=$7 rep holder n fault outage count
  : >"$WORK/probe.log"
  ip netns exec "$CLIENT_NS" python3 bench/failover-probe.py "$VIP" "$port" "$scheme" "$PROBE_MS" "$CONNECT_TIMEOUT" \
    >>"$WORK/probe.log" 2>/dev/null &
  probe_pid=$!
  sleep 2
  for ((rep = 1; rep <= REPS; rep++)); do
    holder=$($holders_cmd | head -1)
    count=$($holders_cmd | grep -c . || true)
    if [[ -z $holder ]]; then
      echo "$name fault=$fault_name rep=$rep outage=miss reason=no-vip-holder-before-fault" | tee -a "$RAW" >&2
      sleep 3
      continue
    fi
    n=${holder##*-n}
    $cut_cmd "$n" >/dev/null
    # The fault is in effect once the command returns (under load starting it can take most of a
    # second, during which the old holder still answers): measure from there.
    fault=$(now)
    if await_answer_after "$fault"; then
      sleep 0.5
      outage=$(python3 bench/failover-outage.py "$WORK/probe.log" "$fault" "$WINDOW")
    else
      outage=miss
    fi
    count=$($holders_cmd | grep -c . || true)
    echo "$name fault=$fault_name rep=$rep node=n$n outage_ms=$outage holders_after=$count new=$($holders_cmd | tr '\n' ' ')" | tee -a "$RAW" >&2
    $heal_cmd "$n" >/dev/null
    sleep 3 # the healed node settles as a backup before the next fault
  done
  kill "$probe_pid" 2>/dev/null || true
  wait "$probe_pid" 2>/dev/null || true
  probe_pid=""
  gzip -c "$WORK/probe.log" >"bench/results/failover-$STAMP-$name-$fault_name-probes.log.gz"
}

run_keepalived() {
  local advert=$1 tag
  tag=kb$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
  lab_down="ha/keepalived/lab.sh $tag down"
  LAB_OWNER=$$ ha/keepalived/lab.sh "$tag" up "$advert"
  CLIENT_NS=dsl-$tag-client
  local i
  for ((i = 0; i < 100; i++)); do
    [[ $(ha/keepalived/lab.sh "$tag" holders | grep -c .) == 1 ]] && break
    sleep 0.2
  done
  measure "keepalived-$advert" "ha/keepalived/lab.sh $tag holders" "ha/keepalived/lab.sh $tag cut" \
    "ha/keepalived/lab.sh $tag heal" http 8080 link-down
  ha/keepalived/lab.sh "$tag" down
  lab_down=""
}

# Real nodes in ha/lab: $1 name, $2 ha.mode, $3 pollMillis, $4 leaderTimeoutMillis.
run_lab() {
  local name=$1 mode=$2 poll=$3 timeout=$4
  [[ -f target/dspot.jar ]] || { log "target/dspot.jar is missing: mvn -B -q -DskipTests package"; exit 1; }
  export DSPOT_LAB_TAG=kb$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n') DSPOT_LAB_OWNER=$$ DSPOT_HA_MODE=$mode \
    DSPOT_HA_POLL_MILLIS=$poll DSPOT_HA_LEADER_TIMEOUT_MILLIS=$timeout DSPOT_LAB_ADVERT_INT=0.1
  lab_down="ha/lab down"
  ha/lab up
  CLIENT_NS=dsl-$DSPOT_LAB_TAG-client
  holders_builtin() {
    local n
    for n in 1 2 3; do
      ip -n "dsl-$DSPOT_LAB_TAG-n$n" -4 addr show 2>/dev/null | grep -q "inet $VIP/" && echo "dsl-$DSPOT_LAB_TAG-n$n"
    done
    return 0
  }
  # Each fault starts from a whole cluster: every node says UP, and keeps saying so for 5 s (the
  # lab's maxNoHeartbeatSeconds 3 plus 2): a node cut for a second or two is dropped by Hazelcast's
  # majority just after the heal and merged back ~10 s later; a fault in that window found the two
  # survivors in different Hazelcast clusters, and the new holder DEGRADED for 10-13 s. How long
  # the wait took is logged.
  await_whole() {
    local i n up started=$(now) whole_since=""
    for ((i = 0; i < 900; i++)); do
      up=0
      for n in 1 2 3; do
        ip netns exec "$CLIENT_NS" curl -sk -m 1 "https://198.18.1.1$n:8080/api/health" 2>/dev/null | grep -q '"status":"UP"' && up=$((up + 1))
      done
      if ((up == 3)); then
        [[ -n $whole_since ]] || whole_since=$(now)
        if python3 -c "import sys; sys.exit(0 if $(now) - $whole_since >= 5 else 1)"; then
          log "whole again $(python3 -c "print(round($whole_since - $started, 1))") s after $1 (and for 5 s since)"
          return 0
        fi
      else
        whole_since=""
      fi
      sleep 0.1
    done
    log "not every node UP for 5 s within 90 s after $1"
  }
  heal_builtin() { ha/lab heal; await_whole heal; }
  start_builtin() { ha/lab start "$1"; await_whole start; }
  measure "$name" holders_builtin "ha/lab cut" heal_builtin https 8080 link-down
  # After a kill the node is started again (and waited for) before the next repetition.
  measure "$name" holders_builtin "ha/lab kill" start_builtin https 8080 kill-9
  # A complaint of the teardown (a namespace already gone) must not cost the table of the run.
  ha/lab down || log "ha/lab down exited $?"
  lab_down=""
}

{
  echo "# failover benchmark $STAMP: link down / kill -9 of the VIP holder, $REPS reps, probe every ${PROBE_MS} ms, connect timeout ${CONNECT_TIMEOUT} s"
  echo "# host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), keepalived $(keepalived --version 2>&1 | head -1)"
} >"$RAW"
for mode in $MODES; do
  log "mode $mode"
  case "$mode" in
    keepalived-*) run_keepalived "${mode#keepalived-}" ;;
    builtin) run_lab builtin builtin 200 600 ;;
    builtin-fast) run_lab builtin-fast builtin 100 300 ;;
    keepalived-nodes) run_lab keepalived-nodes keepalived 200 600 ;;
    *) log "unknown mode $mode"; exit 2 ;;
  esac
done

echo "| mode | fault | reps | answered | median outage | worst outage | misses |"
echo "|---|---|---:|---:|---:|---:|---:|"
for mode in $MODES; do
  python3 - "$RAW" "$mode" <<'PY'
import statistics, sys
raw, mode = sys.argv[1], sys.argv[2]
rows = [dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
        for line in open(raw) if line.startswith(mode + " ")]
for fault in dict.fromkeys(r.get("fault", "link-down") for r in rows):
    these = [r for r in rows if r.get("fault", "link-down") == fault]
    ms = [int(r["outage_ms"]) for r in these if r.get("outage_ms", "miss").isdigit() and r.get("holders_after") == "1"]
    misses = len(these) - len(ms)
    med = f"{statistics.median(ms) / 1000:.2f} s" if ms else "-"
    worst = f"{max(ms) / 1000:.2f} s" if ms else "-"
    print(f"| {mode} | {fault} | {len(these)} | {len(ms)} | {med} | {worst} | {misses} |")
PY
done
echo
echo "Raw: $RAW"
