# Sourced by the scripts here: one deployment's names and settings, and how to find
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

# The first admin's password: chosen (DSPOT_ADMIN_PASSWORD) or generated once, kept 0600 beside
# the certificates. Only a cluster's first start uses it; the compose file passes it to every node.
admin_password() {
  if [ -z "${DSPOT_ADMIN_PASSWORD:-}" ]; then
    if [ ! -s "$DSPOT_CERTS/admin-password" ]; then
      mkdir -p "$DSPOT_CERTS"
      (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$DSPOT_CERTS/admin-password")
      echo "admin password generated: $DSPOT_CERTS/admin-password"
    fi
    DSPOT_ADMIN_PASSWORD=$(cat "$DSPOT_CERTS/admin-password")
  fi
  export DSPOT_ADMIN_PASSWORD
}

# Waits until a service's container passes its health check, or fails after DSPOT_UP_TIMEOUT s.
wait_healthy() {
  id=$(container_of "$1")
  deadline=$(( $(date +%s) + ${DSPOT_UP_TIMEOUT:-240} ))
  until healthy "$id"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "$1 is not healthy after ${DSPOT_UP_TIMEOUT:-240} s; its last log lines:" >&2
      $engine logs --tail 30 "$id" >&2
      return 1
    fi
    sleep 2
  done
  echo "$1 is UP"
}

# Stops containers with SIGTERM (each node stops its PostgreSQL and leaves the cluster), then
# removes them with their anonymous volumes. Without systemd, podman says at every removal that it
# cannot remove health-check timers it never made: that line is dropped, other errors are not.
remove_containers() {
  [ $# -gt 0 ] || return 0
  $engine stop -t 20 "$@" >/dev/null 2>&1 || true
  $engine rm -f -v "$@" 2>&1 >/dev/null | grep -v 'unable to get systemd connection to remove healthchecks' >&2 || true
}
