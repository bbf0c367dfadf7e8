#!/bin/sh
# Stops the deployment and removes its containers, networks and volumes (the songs and databases
# in them too: back them up first, README "Where the data lives"). --image also removes the image.
#   sudo compose/down.sh [--image]
set -u
cd "$(dirname "$0")"
. ./engine.sh
. ./project.sh
$compose -p "$DSPOT_PROJECT" -f compose.yaml down -v -t 5 >/dev/null 2>&1
# Whatever the compose tool left (podman-compose 1.0.3 keeps volumes and networks, and a failed
# `up` may leave containers it no longer knows): everything carrying the project's label.
label="label=com.docker.compose.project=$DSPOT_PROJECT"
ids=$($engine ps -aq --filter "$label")
[ -n "$ids" ] && $engine rm -f -t 2 $ids >/dev/null
for v in $($engine volume ls -q --filter "$label"); do $engine volume rm -f "$v" >/dev/null; done
for n in internal external; do
  $engine network rm -f "${DSPOT_PROJECT}_$n" >/dev/null 2>&1 || true
done
[ "${1:-}" = --image ] && $engine rmi -f "$DSPOT_IMAGE" >/dev/null 2>&1
echo "$DSPOT_PROJECT removed"
