#!/bin/sh
# The node container's entry point (PID 1 is tini). Run as root it does what a container
# needs and the node does not, then runs the node as the unprivileged user dspot:
#  1. finds this container's address and interface on each network from the subnets it was given
#     (DSPOT_INTERNAL_SUBNET, DSPOT_EXTERNAL_SUBNET): engines hand out addresses and name the
#     interfaces in an order of their own, so neither can be written in the compose file;
#  2. copies the member certificate, key, CA and secret from the read-only mount /etc/dspot/certs
#     into the data volume, 0600 and owned by dspot (a bind mount keeps the host's owner);
#  3. gives the data volume to dspot, and the node the two capabilities the floating IP needs.
# Anything set explicitly (DSPOT_CLUSTER_HOST, DSPOT_HTTP_HOST, DSPOT_HA_INTERFACE) is left alone.
set -eu
die() { echo "entrypoint: $*" >&2; exit 78; }

to_int() { # dotted quad -> integer
  old_ifs=$IFS; IFS=.; set -- $1; IFS=$old_ifs
  echo $(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 ))
}

# "IFACE ADDRESS" of this container's IPv4 address inside CIDR, or nothing.
address_in() {
  net=${1%/*} bits=${1#*/}
  mask=$(( bits == 0 ? 0 : (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF ))
  want=$(( $(to_int "$net") & mask ))
  ip -o -4 addr show | while read -r _ iface _ cidr _; do
    addr=${cidr%/*}
    if [ $(( $(to_int "$addr") & mask )) -eq "$want" ]; then echo "$iface $addr"; break; fi
  done
}

for var in DSPOT_INTERNAL_SUBNET DSPOT_INTERNAL_RANGE DSPOT_EXTERNAL_SUBNET; do
  eval "value=\${$var:-}"
  echo "$value" | grep -Eq '^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$' || die "$var must be a subnet such as 198.18.10.0/24, got '$value'"
done
addresses() { ip -o -4 addr show | awk '{print $2, $4}' | tr '\n' ' '; }
found=$(address_in "$DSPOT_INTERNAL_SUBNET")
[ -n "$found" ] || die "this container has no address in the internal network $DSPOT_INTERNAL_SUBNET ($(addresses)); was the network created with that subnet? compose/up.sh creates it"
export DSPOT_CLUSTER_HOST="${DSPOT_CLUSTER_HOST:-${found#* }}"
found=$(address_in "$DSPOT_EXTERNAL_SUBNET")
[ -n "$found" ] || die "this container has no address in the external network $DSPOT_EXTERNAL_SUBNET ($(addresses)); was the network created with that subnet? compose/up.sh creates it"
iface=${found% *}
export DSPOT_HTTP_HOST="${DSPOT_HTTP_HOST:-${found#* }}" DSPOT_HA_INTERFACE="${DSPOT_HA_INTERFACE:-${iface%@*}}"
# Hazelcast's members: every address of the internal range ("a.b.c.X-Y:port", Hazelcast's range
# form, so the range must lie within one /24).
if [ -z "${DSPOT_CLUSTER_MEMBERS:-}" ]; then
  bits=${DSPOT_INTERNAL_RANGE#*/}
  [ "$bits" -ge 24 ] && [ "$bits" -le 30 ] || die "DSPOT_INTERNAL_RANGE must be a /24 to /30, got $DSPOT_INTERNAL_RANGE"
  first=${DSPOT_INTERNAL_RANGE%/*}
  last_octet=$(( ${first##*.} + (1 << (32 - bits)) - 2 ))
  export DSPOT_CLUSTER_MEMBERS="${first%.*}.$(( ${first##*.} + 1 ))-$last_octet:${DSPOT_CLUSTER_PORT:-5701}"
fi
# One image for every node: the id defaults to the container's host name (node-1 in compose.yaml).
export DSPOT_NODE_ID="${DSPOT_NODE_ID:-$(hostname)}"
# The health check asks the public server where it listens.
echo "https://$DSPOT_HTTP_HOST:${DSPOT_HTTP_PORT:-8080}/api/health" > /tmp/dspot-health-url

data=${DSPOT_DATA:-/var/lib/dspot}
certs=$data/certs
if [ "$(id -u)" = 0 ]; then
  chown dspot:dspot "$data"
  if [ -d /etc/dspot/certs ]; then
    install -d -o dspot -g dspot -m 0700 "$certs"
    for f in /etc/dspot/certs/*; do
      [ -f "$f" ] && install -o dspot -g dspot -m 0600 "$f" "$certs/"
    done
    export DSPOT_CLUSTER_CERTS_DIR="$certs"
  fi
  # The floating IP (ha/vip-up.sh: ip addr, arping) needs NET_ADMIN and NET_RAW in this
  # container's network namespace. File capabilities on ip/arping would be narrower, but some
  # kernels ignore them (this project's CI machines do), so the node gets exactly these two as
  # ambient capabilities, when the container was given them (compose.yaml: cap_add), and no other.
  caps=""
  bounding=$(awk '/^CapBnd/ {print $2}' /proc/self/status)
  if [ $(( 0x$bounding & 0x3000 )) -eq $(( 0x3000 )) ]; then
    caps="--inh-caps=+net_admin,+net_raw --ambient-caps=+net_admin,+net_raw"
  fi
  # shellcheck disable=SC2086
  exec setpriv --reuid=dspot --regid=dspot --init-groups $caps java ${JAVA_OPTS:-} -jar /opt/dspot/dspot.jar "$@"
fi
[ -d /etc/dspot/certs ] && export DSPOT_CLUSTER_CERTS_DIR="${DSPOT_CLUSTER_CERTS_DIR:-/etc/dspot/certs}"
exec java ${JAVA_OPTS:-} -jar /opt/dspot/dspot.jar "$@"
