#!/usr/bin/env bash
# A keepalived-only lab: three node namespaces and a client namespace on an external bridge (the
# contract's addresses), keepalived in each node namespace, and a stand-in HTTP server per node
# that answers /api/health with {"status":"UP","node":"nN"} so the track_script and the client
# probes have something real to ask. It measures and tests what keepalived itself does with the
# VIP; the full lab with real nodes is ha/lab.
#
#   lab.sh TAG up [ADVERT_INT]   namespaces dsl-TAG-{ext,n1,n2,n3,client}, keepalived started
#   lab.sh TAG holders           the namespaces whose eth1 carries the VIP, one per line
#   lab.sh TAG cut N | heal N    takes node N's external link down / up at the bridge
#   lab.sh TAG fail N | mend N   makes node N's health check fail / pass again
#   lab.sh TAG down              stops everything and deletes the namespaces
#   lab.sh sweep                 removes labs left by runs whose owner process is gone
#
# TAG: a few letters and digits, unique per run, so parallel runs do not collide.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
VIP=198.18.1.100
PORT=8080

sweep() {
  local dir tag
  for dir in /tmp/dsl-kalab-*; do
    [[ -d $dir ]] || continue
    tag=${dir#/tmp/dsl-kalab-}
    if ! kill -0 "$(cat "$dir/owner" 2>/dev/null || echo 0)" 2>/dev/null; then
      echo "lab.sh: sweeping lab $tag left by an earlier run" >&2
      down "$tag"
    fi
  done
}

down() {
  local tag=$1 ns
  for ns in $(ip netns list | awk '{print $1}' | grep -E "^dsl-$tag-" || true); do
    # keepalived first, so it does not announce anything while its namespace goes away.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "/tmp/dsl-kalab-$tag"
}

up() {
  local tag=$1 advert=$2 work="/tmp/dsl-kalab-$tag" i ns
  [[ $tag =~ ^[a-z0-9]{1,8}$ ]] || { echo "lab.sh: TAG must be 1-8 lowercase letters or digits" >&2; exit 2; }
  command -v keepalived >/dev/null || { echo "lab.sh: keepalived is not installed (apt-get install keepalived)" >&2; exit 1; }
  mkdir -p "$work"
  # The owner is whoever keeps the lab: the caller's caller (the test or bench), not this script.
  echo "${LAB_OWNER:-$PPID}" >"$work/owner"
  trap 'down "$tag"' ERR
  ip netns add "dsl-$tag-ext"
  ip -n "dsl-$tag-ext" link add br1 type bridge
  ip -n "dsl-$tag-ext" link set br1 up
  for i in 1 2 3 client; do
    ns="dsl-$tag-$([[ $i == client ]] && echo client || echo "n$i")"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "dsl-$tag-ext" link add "v-$i" type veth peer name eth1 netns "$ns"
    ip -n "dsl-$tag-ext" link set "v-$i" master br1 up
    ip -n "$ns" addr add "198.18.1.$([[ $i == client ]] && echo 200 || echo "1$i")/24" dev eth1
    ip -n "$ns" link set eth1 up
  done
  for i in 1 2 3; do
    ns="dsl-$tag-n$i"
    mkdir -p "$work/www-n$i/api"
    echo "{\"status\":\"UP\",\"node\":\"n$i\"}" >"$work/www-n$i/api/health"
    setsid ip netns exec "$ns" python3 -m http.server "$PORT" --bind 0.0.0.0 --directory "$work/www-n$i" \
      >"$work/http-n$i.log" 2>&1 </dev/null &
    "$here/render.sh" --node "n$i" --vip "$VIP/24" --interface eth1 --priority $((200 - 50 * i)) \
      --advert-int "$advert" --health-url "http://198.18.1.1$i:$PORT/api/health" \
      --internal-url "http://198.18.0.1$i:9090" --certs-dir "$work/certs" --out "$work/n$i.conf"
  done
  for i in 1 2 3; do
    setsid ip netns exec "dsl-$tag-n$i" keepalived -f "$work/n$i.conf" -n -l -D -G -P \
      -p "$work/n$i.pid" -r "$work/n$i-vrrp.pid" -c "$work/n$i-chk.pid" >"$work/keepalived-n$i.log" 2>&1 </dev/null &
  done
  trap - ERR
}

holders() {
  local tag=$1 ns
  for ns in $(ip netns list | awk '{print $1}' | grep -E "^dsl-$tag-" | sort); do
    if ip -n "$ns" -4 addr show 2>/dev/null | grep -q "inet $VIP/"; then echo "$ns"; fi
  done
}

if [[ ${1:-} == sweep ]]; then sweep; exit 0; fi
tag=${1:?usage: lab.sh TAG up|holders|cut N|heal N|fail N|mend N|down}
cmd=${2:?usage: lab.sh TAG up|holders|cut N|heal N|fail N|mend N|down}
case "$cmd" in
  up) up "$tag" "${3:-1}" ;;
  down) down "$tag" ;;
  holders) holders "$tag" ;;
  cut) ip -n "dsl-$tag-ext" link set "v-${3:?node number}" down ;;
  heal) ip -n "dsl-$tag-ext" link set "v-${3:?node number}" up ;;
  fail) echo '{"status":"DOWN"}' >"/tmp/dsl-kalab-$tag/www-n${3:?node number}/api/health" ;;
  mend) echo "{\"status\":\"UP\",\"node\":\"n$3\"}" >"/tmp/dsl-kalab-$tag/www-n${3:?node number}/api/health" ;;
  *) echo "lab.sh: unknown command $cmd" >&2; exit 2 ;;
esac
