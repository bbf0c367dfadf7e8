#!/usr/bin/env bash
# keepalived track_script: exit 0 only when the node's /api/health says UP. A node that answers
# DEGRADED or not at all faults its VRRP instance, so a healthy backup takes the VIP.
#
#   check.sh HEALTH_URL [CA_FILE]      e.g. check.sh https://198.18.1.11:8080/api/health data/tls/edge-cert.pem
#
# Without CA_FILE the certificate is not verified: the check talks to its own node, and an
# unverified "UP" only ever keeps a node in the running, it never hands anything out.
set -uo pipefail
url=${1:?usage: check.sh HEALTH_URL [CA_FILE]}
tls=(--insecure)
[[ -n ${2:-} ]] && tls=(--cacert "$2")
body=$(curl --silent --show-error --fail --connect-timeout 0.5 --max-time 0.9 "${tls[@]}" "$url") || exit 1
[[ $body =~ \"status\"[[:space:]]*:[[:space:]]*\"UP\" ]]
