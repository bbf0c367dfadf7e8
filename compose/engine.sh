# Sourced by the compose/*.sh scripts: picks the container engine and its compose command.
# DSPOT_ENGINE=podman|docker chooses; otherwise podman if installed, else docker.
engine=${DSPOT_ENGINE:-}
if [ -z "$engine" ]; then
  if command -v podman >/dev/null 2>&1; then engine=podman
  elif command -v docker >/dev/null 2>&1; then engine=docker
  else echo "neither podman nor docker is installed" >&2; exit 3
  fi
fi
case $engine in
  podman)
    compose="podman-compose"
    command -v podman-compose >/dev/null 2>&1 || { echo "podman-compose is not installed (apt-get install podman-compose)" >&2; exit 3; }
    # Hosts like the CI machines need runc (crun refuses hybrid cgroups) and no raised RLIMIT_NOFILE:
    # compose/containers.conf says both. Used only when runc is there and nobody chose a file.
    if [ -z "${CONTAINERS_CONF:-}" ] && command -v runc >/dev/null 2>&1; then
      CONTAINERS_CONF=$PWD/containers.conf   # the scripts run in compose/
      export CONTAINERS_CONF
    fi ;;
  docker)
    if docker compose version >/dev/null 2>&1; then compose="docker compose"
    elif command -v docker-compose >/dev/null 2>&1; then compose="docker-compose"
    else echo "docker compose is not installed" >&2; exit 3
    fi ;;
  *) echo "DSPOT_ENGINE must be podman or docker, got '$engine'" >&2; exit 2 ;;
esac
