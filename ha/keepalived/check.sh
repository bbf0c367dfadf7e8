#!/usr/bin/env bash
# keepalived track_script: exit 0 only when the node's /api/health says UP. A node that answers
# DEGRADED or not at all faults its VRRP instance, so a healthy backup takes the VIP.
#
#   check.sh [--max-time SECONDS] HEALTH_URL [CA_FILE]
#            e.g. check.sh https://198.18.1.11:8080/api/health data/tls/edge-cert.pem
#
# --max-time (default 0.9) must stay below the vrrp_script's timeout, or keepalived kills the check
# first (render.sh --check-timeout sets both).
# Without CA_FILE the certificate is not verified: the check talks to its own node, and an
# unverified "UP" only ever keeps a node in the running, it never hands anything out.
set -uo pipefail
max_time=0.9
if [[ ${1:-} == --max-time ]]; then
  max_time=${2:?usage: check.sh [--max-time SECONDS] HEALTH_URL [CA_FILE]}
  shift 2
fi
url=${1:?usage: check.sh [--max-time SECONDS] HEALTH_URL [CA_FILE]}
tls=(--insecure)
[[ -n ${2:-} ]] && tls=(--cacert "$2")
body=$(curl --silent --show-error --fail --connect-timeout 0.5 --max-time "$max_time" "${tls[@]}" "$url") || exit 1
[[ $body =~ \"status\"[[:space:]]*:[[:space:]]*\"UP\" ]]
