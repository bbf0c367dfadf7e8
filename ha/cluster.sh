#!/usr/bin/env bash
# A local 3-node cluster on one machine, from conf/cluster/node-{1,2,3}.json.
#   ha/cluster.sh start            start the nodes that are not running (in the background)
#   ha/cluster.sh stop [node-N]    SIGTERM, wait for a clean leave (SIGKILL after 30 s)
#   ha/cluster.sh status           each node's pid and /api/health (details with DSPOT_TOKEN=<admin token>)
#   ha/cluster.sh logs [node-N]    follow the logs (all nodes, or one)
#   ha/cluster.sh kill node-N      kill -9 one node, to watch the others notice
# Pid files and logs live in data/cluster/; the nodes' data in data/cluster/node-N/; the cluster's
# CA, secret and member certificates in data/cluster/certs/ (made by the first start, see certs()).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/dspot.jar
RUN=data/cluster
NODES=(node-1 node-2 node-3)
STOP_WAIT_SECONDS=30
# A node starts in ~10 s on a quiet machine; on a busy one it was seen to take ~65 s.
START_WAIT_SECONDS=${START_WAIT_SECONDS:-180}

pid_of() {
  local file="$RUN/$1.pid"
  [[ -f $file ]] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
}

api_port() {
  sed -n 's/.*"http": *{[^}]*"port": *\([0-9]*\).*/\1/p' "conf/cluster/$1.json"
}

data_dir() {
  sed -n 's/.*"dataDir": *"\([^"]*\)".*/\1/p' "conf/cluster/$1.json"
}

# The nodes speak HTTPS with the self-signed certificate each made in its data directory at its
# first start: trust exactly that one (curl checks it names 127.0.0.1). Before it exists, -k.
node_curl() {
  local node=$1 cert
  shift
  cert="$(data_dir "$node")/tls/edge-cert.pem"
  if [[ -f $cert ]]; then
    curl --cacert "$cert" "$@"
  else
    curl -k "$@"
  fi
}

check_node() {
  [[ -f conf/cluster/$1.json ]] || { echo "unknown node '$1' (expected one of: ${NODES[*]})" >&2; exit 2; }
}

start() {
  if [[ ! -f $JAR ]]; then
    echo "$JAR is missing: build it first with 'mvn -B package -DskipTests'" >&2
    exit 1
  fi
  mkdir -p "$RUN"
  certs
  for node in "${NODES[@]}"; do
    if pid=$(pid_of "$node"); then
      echo "$node already running (pid $pid)"
      continue
    fi
    # A PostgreSQL left running by a kill -9 of this node is stopped by the node itself.
    # Each node joins the others through Hazelcast; starting them together is fine.
    nohup java -jar "$JAR" --conf "conf/cluster/$node.json" >>"$RUN/$node.log" 2>&1 &
    echo $! >"$RUN/$node.pid"
    echo "$node starting (pid $!, log $RUN/$node.log, https://127.0.0.1:$(api_port "$node")/)"
  done
  echo "waiting for the nodes to answer..."
  for node in "${NODES[@]}"; do
    local port deadline=$((SECONDS + START_WAIT_SECONDS))
    port=$(api_port "$node")
    until node_curl "$node" -sf -o /dev/null "https://127.0.0.1:$port/api/health"; do
      if ((SECONDS > deadline)) || ! pid_of "$node" >/dev/null; then
        echo "$node did not come up within ${START_WAIT_SECONDS} s; see $RUN/$node.log" >&2
        exit 1
      fi
      sleep 0.5
    done
  done
  status
  echo "admin password (generated once for the whole cluster, by the node that created the account; mode 0600): cat $RUN/node-*/admin-password"
}

# The cluster identity, made once: a CA and secret (certs init), then a certificate per node.
# On real machines the CA key stays on the operator's machine; here all three nodes share one host.
certs() {
  local dir=$RUN/certs
  if [[ ! -f $dir/ca.crt ]]; then
    java -jar "$JAR" certs init "$dir"
  fi
  for node in "${NODES[@]}"; do
    if [[ ! -f $dir/$node.crt ]]; then
      java -jar "$JAR" certs node "$dir" "$node" --host 127.0.0.1
    fi
  done
}

stop() {
  local targets=("$@")
  ((${#targets[@]})) || targets=("${NODES[@]}")
  for node in "${targets[@]}"; do
    check_node "$node"
    if pid=$(pid_of "$node"); then
      kill -TERM "$pid"
      echo "$node: SIGTERM sent (pid $pid)"
    fi
  done
  for node in "${targets[@]}"; do
    local deadline=$((SECONDS + STOP_WAIT_SECONDS))
    while pid=$(pid_of "$node"); do
      if ((SECONDS > deadline)); then
        echo "$node: still running after ${STOP_WAIT_SECONDS}s, sending SIGKILL" >&2
        kill -KILL "$pid" || true
        break
      fi
      sleep 0.2
    done
    rm -f "$RUN/$node.pid"
    echo "$node stopped"
  done
}

kill_node() {
  check_node "$1"
  if pid=$(pid_of "$1"); then
    kill -KILL "$pid"
    rm -f "$RUN/$1.pid"
    echo "$1 killed (kill -9, pid $pid)"
  else
    echo "$1 is not running"
  fi
}

status() {
  for node in "${NODES[@]}"; do
    local port health
    port=$(api_port "$node")
    if pid=$(pid_of "$node"); then
      # Anonymous callers see the status alone; an admin's token shows the cluster view too.
      health=$(node_curl "$node" -s -m 2 ${DSPOT_TOKEN:+-H "Authorization: Bearer $DSPOT_TOKEN"} "https://127.0.0.1:$port/api/health" || echo '(no answer)')
      echo "$node  pid $pid  https://127.0.0.1:$port  $health"
    else
      echo "$node  not running"
    fi
  done
}

logs() {
  if (($#)); then
    check_node "$1"
    tail -n 50 -F "$RUN/$1.log"
  else
    tail -n 20 -F "$RUN"/node-*.log
  fi
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  status) status ;;
  logs) shift; logs "$@" ;;
  kill) [[ $# -eq 2 ]] || { echo "usage: $0 kill node-N" >&2; exit 2; }; kill_node "$2" ;;
  *) echo "usage: $0 start | stop [node-N] | status | logs [node-N] | kill node-N" >&2; exit 2 ;;
esac
