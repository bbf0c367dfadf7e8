#!/bin/sh
# Builds the node image, makes the cluster's certificates, starts three nodes and a client on the
# two networks, and waits until every node is healthy (UP: a majority seen, its database answering).
#   mvn -B -q -DskipTests package && sudo compose/up.sh
# Settings (environment): DSPOT_ENGINE (podman|docker), DSPOT_PROJECT (dspot), DSPOT_IMAGE,
# DSPOT_INTERNAL_SUBNET/_RANGE, DSPOT_EXTERNAL_SUBNET/_RANGE, DSPOT_VIP, DSPOT_ADMIN_PASSWORD, DSPOT_UP_TIMEOUT (s).
set -eu
cd "$(dirname "$0")"
. ./engine.sh
. ./project.sh

[ -f ../target/dspot.jar ] || { echo "../target/dspot.jar is missing: run 'mvn -B -q -DskipTests package' first" >&2; exit 3; }

# The image: on the base made from Debian packages unless DSPOT_BASE names another (a registry's).
if [ -z "${DSPOT_BASE:-}" ]; then ./base-image.sh; fi
format=""; [ "$engine" = podman ] && format="--format docker"   # keeps the HEALTHCHECK
# shellcheck disable=SC2086
$engine build $format --quiet --build-arg "BASE=${DSPOT_BASE:-localhost/dspot-base:bookworm}" \
  -f Containerfile -t "$DSPOT_IMAGE" .. >/dev/null
echo "image $DSPOT_IMAGE built"

# The cluster's CA, secret and one certificate per member (README, "Creating certificates"). The
# CA key stays here, on the host: compose.yaml mounts each node only its own files.
certs=$DSPOT_CERTS
if [ ! -f "$certs/ca.crt" ]; then
  java -jar ../target/dspot.jar certs init "$certs"
fi
for n in 1 2 3; do
  [ -f "$certs/node-$n.crt" ] || java -jar ../target/dspot.jar certs node "$certs" "node-$n" --host "node-$n" >/dev/null
done

admin_password
# podman-compose 1.0.3 ignores `ipam`, so the networks are made here with their subnets; Docker
# Compose makes them from compose.yaml.
if [ "$engine" = podman ]; then
  podman network exists "${DSPOT_PROJECT}_internal" ||
    podman network create --internal --subnet "$DSPOT_INTERNAL_SUBNET" --ip-range "$DSPOT_INTERNAL_RANGE" \
      --label "io.podman.compose.project=$DSPOT_PROJECT" "${DSPOT_PROJECT}_internal" >/dev/null
  podman network exists "${DSPOT_PROJECT}_external" ||
    podman network create --subnet "$DSPOT_EXTERNAL_SUBNET" --ip-range "$DSPOT_EXTERNAL_RANGE" \
      --label "io.podman.compose.project=$DSPOT_PROJECT" "${DSPOT_PROJECT}_external" >/dev/null
fi

out=$($compose -p "$DSPOT_PROJECT" -f compose.yaml up -d 2>&1) || {
  echo "compose up failed: $out" >&2
  exit 1
}

for n in 1 2 3; do
  wait_healthy "node-$n"
done
echo "web player: https://${DSPOT_VIP%/*}:8080/ (user admin)"
