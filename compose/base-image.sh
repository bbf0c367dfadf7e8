#!/bin/sh
# Builds the node image's base from Debian packages, with no registry involved:
#   compose/base-image.sh [--force]      -> localhost/dspot-base:bookworm
# mmdebstrap installs bookworm from the host's configured Debian mirror into a tarball, which the
# engine imports as an image. People with a registry can skip this and build the node image on
# debian:bookworm-slim instead (see the README, "Deploy with containers").
set -eu
cd "$(dirname "$0")"
. ./engine.sh
image=${DSPOT_BASE_IMAGE:-localhost/dspot-base:bookworm}
# One build at a time: a second caller (up.sh while .ci/run's early build still runs) waits for it
# and then finds the image.
exec 9>"${TMPDIR:-/tmp}/dspot-base-image.lock"
flock 9
if [ "${1:-}" != "--force" ] && $engine image inspect "$image" >/dev/null 2>&1; then
  echo "$image is there (--force builds it again)"
  exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || { echo "mmdebstrap is not installed (apt-get install mmdebstrap)" >&2; exit 3; }
tar=$(mktemp -d)/rootfs.tar
trap 'rm -rf "$(dirname "$tar")"' EXIT
# The packages the node needs at run time: the JRE, ip and the iputils arping for the floating IP,
# curl for the health check, tini as PID 1.
# Man pages are removed after install, not excluded: update-alternatives needs their folders.
mmdebstrap --variant=apt --quiet \
  --include=openjdk-17-jre-headless,iproute2,iputils-arping,curl,ca-certificates,tini \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook='rm -rf "$1"/usr/share/man/* "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  bookworm "$tar"
$engine import "$tar" "$image" >/dev/null
echo "built $image"
