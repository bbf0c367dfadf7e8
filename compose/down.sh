#!/bin/sh
# Stops the deployment and removes its containers, networks and volumes (the songs and databases
# in them too: back them up first, README "Where the data lives"). --image also removes the image.
#   sudo compose/down.sh [--image]
set -u
cd "$(dirname "$0")"
. ./engine.sh
. ./project.sh
# Containers first, by the project's label, with their anonymous volumes (-v; the compose tools'
# `down` keeps those), then what the compose tool knows, then whatever it left: podman-compose
# 1.0.3 keeps named volumes and networks.
label="label=com.docker.compose.project=$DSPOT_PROJECT"
# shellcheck disable=SC2046
remove_containers $($engine ps -aq --filter "$label")
$compose -p "$DSPOT_PROJECT" -f compose.yaml down -v >/dev/null 2>&1
for v in $($engine volume ls -q --filter "$label"); do $engine volume rm -f "$v" >/dev/null; done
for n in internal external; do
  $engine network rm -f "${DSPOT_PROJECT}_$n" >/dev/null 2>&1 || true
done
[ "${1:-}" = --image ] && $engine rmi -f "$DSPOT_IMAGE" >/dev/null 2>&1
echo "$DSPOT_PROJECT removed"
