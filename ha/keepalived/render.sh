#!/usr/bin/env bash
# Renders keepalived.conf.in for one node. Every value is checked here, so a typo fails with the
# option's name instead of a keepalived that starts and silently never takes the VIP.
#
#   ha/keepalived/render.sh --node node-1 --vip 198.18.1.100/24 --interface eth1 --priority 150 \
#     [--advert-int 1|0.1] [--vrid 51] [--health-url https://198.18.1.11:8080/api/health]
#     [--health-ca data/tls/edge-cert.pem] [--internal-url https://198.18.0.11:9090]
#     [--certs-dir data/certs] [--check-timeout 1] [--check-fall 2] [--prefer] [--out FILE]
#
# --check-timeout (whole seconds) bounds one health check, --check-fall is how many failed checks in
# a row fault the instance: raise them on a host so loaded that /api/health may take a second.
# Without --prefer the node does not preempt: a node that comes back leaves the VIP where it is
# (the issue's rule: the old leader does not take it back unless configured to prefer it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

fail() { echo "render.sh: $*" >&2; exit 2; }

node="" vip="" iface="" priority="" advert="1" vrid="51" prefer=0 out=""
health_url="" health_ca="" internal_url="" certs_dir="" check_timeout=1 check_fall=2
while (($#)); do
  [[ $# -ge 2 || $1 == --prefer ]] || fail "$1 needs a value"
  case "$1" in
    --node) node=$2; shift 2 ;;
    --vip) vip=$2; shift 2 ;;
    --interface) iface=$2; shift 2 ;;
    --priority) priority=$2; shift 2 ;;
    --advert-int) advert=$2; shift 2 ;;
    --vrid) vrid=$2; shift 2 ;;
    --health-url) health_url=$2; shift 2 ;;
    --health-ca) health_ca=$2; shift 2 ;;
    --internal-url) internal_url=$2; shift 2 ;;
    --certs-dir) certs_dir=$2; shift 2 ;;
    --check-timeout) check_timeout=$2; shift 2 ;;
    --check-fall) check_fall=$2; shift 2 ;;
    --prefer) prefer=1; shift ;;
    --out) out=$2; shift 2 ;;
    *) fail "unknown option $1" ;;
  esac
done

[[ $node =~ ^[A-Za-z0-9_.-]{1,64}$ ]] || fail "--node must be a node id (letters, digits, . _ -), got '$node'"
octet='(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])'
[[ $vip =~ ^$octet\.$octet\.$octet\.$octet/([0-9]|[12][0-9]|3[0-2])$ ]] \
  || fail "--vip must be an IPv4 address with a prefix length (e.g. 198.18.1.100/24), got '$vip'"
[[ $iface =~ ^[A-Za-z0-9_.@-]{1,15}$ ]] || fail "--interface must be an interface name, got '$iface'"
[[ $priority =~ ^[0-9]{1,3}$ ]] && ((priority >= 1 && priority <= 254)) \
  || fail "--priority must be 1..254, got '$priority'"
[[ $vrid =~ ^[0-9]{1,3}$ ]] && ((vrid >= 1 && vrid <= 255)) || fail "--vrid must be 1..255, got '$vrid'"
# VRRPv3 counts the advertisement interval in centiseconds: 0.01 s .. 40 s.
[[ $advert =~ ^[0-9]{1,2}(\.[0-9]{1,2})?$ ]] || fail "--advert-int must be seconds like 1 or 0.1, got '$advert'"
centis=$(awk -v a="$advert" 'BEGIN { printf "%d", a * 100 + 0.5 }')
((centis >= 1 && centis <= 4000)) || fail "--advert-int must be 0.01..40 seconds, got '$advert'"
[[ $check_timeout =~ ^[0-9]{1,2}$ ]] && ((check_timeout >= 1 && check_timeout <= 30)) \
  || fail "--check-timeout must be 1..30 whole seconds, got '$check_timeout'"
[[ $check_fall =~ ^[0-9]{1,2}$ ]] && ((check_fall >= 1 && check_fall <= 20)) || fail "--check-fall must be 1..20, got '$check_fall'"
for value in "$health_url" "$internal_url"; do
  [[ -z $value || $value =~ ^https?://[A-Za-z0-9.:_-]+(/[A-Za-z0-9._/-]*)?$ ]] || fail "not a plain URL: '$value'"
done
for value in "$health_ca" "$certs_dir"; do
  [[ $value =~ ^[A-Za-z0-9._/-]*$ ]] || fail "paths with spaces or quotes cannot go into keepalived.conf: '$value'"
done

health_url=${health_url:-https://127.0.0.1:8080/api/health}
internal_url=${internal_url:-https://127.0.0.1:9090}
certs_dir=${certs_dir:-data/certs}
max_time=""
# The check's own limit stays under keepalived's, so a slow node is a failed check, not a killed one.
((check_timeout > 1)) && max_time="--max-time $((check_timeout - 1)).9 "
check="$here/check.sh $max_time$health_url${health_ca:+ $health_ca}"
preempt="nopreempt"
((prefer)) && preempt="# preempts: this node is the preferred leader"

rendered=$(sed -e "s|@NODE_ID@|$node|g" -e "s|@INTERFACE@|$iface|g" -e "s|@VRID@|$vrid|g" \
  -e "s|@PRIORITY@|$priority|g" -e "s|@CHECK_TIMEOUT@|$check_timeout|g" -e "s|@CHECK_FALL@|$check_fall|g" -e "s|@ADVERT_INT@|$advert|g" -e "s|@PREEMPT@|$preempt|g" \
  -e "s|@VIP@|$vip|g" -e "s|@CHECK@|$check|g" -e "s|@NOTIFY@|$here/notify.sh|g" \
  -e "s|@NOTIFY_ARGS@|$internal_url $certs_dir $node|g" "$here/keepalived.conf.in")
if [[ -n $out ]]; then
  printf '%s\n' "$rendered" >"$out"
else
  printf '%s\n' "$rendered"
fi
