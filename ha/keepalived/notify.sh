#!/usr/bin/env bash
# keepalived notify hook: tells the node its VRRP state through the internal API's admin hook
# POST /internal/ha/keepalived {"state":"MASTER|BACKUP|FAULT"}, with the node's member
# certificate (mutual TLS, like every internal route).
#
#   notify.sh STATE [INTERNAL_URL] [CERTS_DIR] [NODE_ID]
#
# keepalived does not wait for the node: the VIP moves whatever this returns. A failure is
# logged (stderr goes to keepalived's log) and exits non-zero so it is visible there.
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
curl --silent --show-error --fail --connect-timeout 0.5 --max-time 2 \
  --cacert "$certs/ca.crt" --cert "$certs/$node.crt" --key "$certs/$node.key" \
  -H 'Content-Type: application/json' --data "{\"state\":\"$state\"}" \
  "$url/internal/ha/keepalived" >/dev/null \
  || { echo "notify.sh: could not tell $node at $url that it is $state" >&2; exit 1; }
