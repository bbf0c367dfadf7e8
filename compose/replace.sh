#!/bin/sh
# Recreates one node's container from the current image and waits until it is healthy: an upgrade
# (rebuild the image with up.sh's build step, then replace the nodes one at a time) or a node that
# went bad. --fresh also replaces its volume with an empty one, as a new machine would come: the
# node catches up on the ordered log from its peers and copies its replicas back.
#   sudo compose/replace.sh node-2 [--fresh]
set -eu
cd "$(dirname "$0")"
. ./engine.sh
. ./project.sh
service=${1:-}
case $service in node-[0-9]*) ;; *) echo "usage: replace.sh node-N [--fresh]" >&2; exit 2 ;; esac
admin_password
# shellcheck disable=SC2046
remove_containers $(container_of "$service")
if [ "${2:-}" = --fresh ]; then
  $engine volume rm -f "${DSPOT_PROJECT}_$service" >/dev/null 2>&1 || true
fi
out=$($compose -p "$DSPOT_PROJECT" -f compose.yaml up -d --no-deps "$service" 2>&1) || {
  echo "compose up of $service failed: $out" >&2
  exit 1
}
wait_healthy "$service"
