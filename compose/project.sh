# Sourced by up.sh, down.sh and status.sh: one deployment's names and settings, and how to find
# its containers (by the labels both Compose implementations put on them).
DSPOT_PROJECT=${DSPOT_PROJECT:-dspot}
DSPOT_IMAGE=${DSPOT_IMAGE:-localhost/dspot:latest}
DSPOT_INTERNAL_SUBNET=${DSPOT_INTERNAL_SUBNET:-198.18.10.0/24}
DSPOT_INTERNAL_RANGE=${DSPOT_INTERNAL_RANGE:-198.18.10.0/28}
DSPOT_EXTERNAL_SUBNET=${DSPOT_EXTERNAL_SUBNET:-198.18.11.0/24}
DSPOT_EXTERNAL_RANGE=${DSPOT_EXTERNAL_RANGE:-198.18.11.0/25}
DSPOT_VIP=${DSPOT_VIP:-198.18.11.200/24}
DSPOT_CERTS=${DSPOT_CERTS:-$(cd .. && pwd)/conf/compose/certs}
export DSPOT_PROJECT DSPOT_IMAGE DSPOT_INTERNAL_SUBNET DSPOT_INTERNAL_RANGE DSPOT_EXTERNAL_SUBNET DSPOT_EXTERNAL_RANGE DSPOT_VIP DSPOT_CERTS

container_of() {
  $engine ps -aq --filter "label=com.docker.compose.project=$DSPOT_PROJECT" \
    --filter "label=com.docker.compose.service=$1" | head -1
}

healthy() {
  if [ "$engine" = podman ]; then
    # podman runs health checks from systemd timers; without systemd nothing would run them.
    podman healthcheck run "$1" >/dev/null 2>&1
  else
    [ "$(docker inspect --format '{{.State.Health.Status}}' "$1" 2>/dev/null)" = healthy ]
  fi
}
