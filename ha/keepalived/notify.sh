#!/usr/bin/env bash
# keepalived notify hook: tells the node its VRRP state through the internal API's admin hook
# POST /internal/ha/keepalived {"state":"MASTER|BACKUP|FAULT","at":EPOCH_MILLIS}, with the node's member
# certificate (mutual TLS, like every internal route).
#
#   notify.sh STATE [INTERNAL_URL] [CERTS_DIR] [NODE_ID]      (DSPOT_NOTIFY_DEADLINE: seconds of retries, default 10)
#
# keepalived does not wait for the node: the VIP moves whatever this returns. A node that is slow
# to answer (a loaded host) is asked again until DEADLINE seconds have passed; the report carries
# when keepalived changed state ("at", epoch milliseconds), so a late retry never overrides a later
# state. A failure is logged (stderr goes to keepalived's log) and exits non-zero.
set -uo pipefail
state=${1:-}
case "$state" in
  MASTER | BACKUP | FAULT) ;;
  *) echo "notify.sh: STATE must be MASTER, BACKUP or FAULT, got '$state'" >&2; exit 2 ;;
esac
url=${2:-https://127.0.0.1:9090}
certs=${3:-data/certs}
node=${4:-$(hostname)}
for f in "$certs/ca.crt" "$certs/$node.crt" "$certs/$node.key"; do
  [[ -r $f ]] || { echo "notify.sh: cannot read $f (member certificate of $node)" >&2; exit 1; }
done
at=$(date +%s%3N)
deadline=$((at + ${DSPOT_NOTIFY_DEADLINE:-10} * 1000))
while :; do
  curl --silent --show-error --fail --connect-timeout 1 --max-time 3 \
    --cacert "$certs/ca.crt" --cert "$certs/$node.crt" --key "$certs/$node.key" \
    -H 'Content-Type: application/json' --data "{\"state\":\"$state\",\"at\":$at}" \
    "$url/internal/ha/keepalived" >/dev/null
  code=$?
  ((code == 0)) && exit 0
  # Retried: nothing listening yet, a timeout, a connection dropped. Not retried: a certificate the
  # other side refuses or cannot verify, or a 4xx: asking again would get the same answer.
  case $code in
    7 | 28 | 52 | 55 | 56) (($(date +%s%3N) < deadline)) && { sleep 0.2; continue; } ;;
  esac
  echo "notify.sh: could not tell $node at $url that it is $state (curl exit $code)" >&2
  exit 1
done
