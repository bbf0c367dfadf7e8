#!/bin/sh
# Releases the floating IP: vip-down.sh VIP_CIDR INTERFACE. Idempotent: no VIP, nothing to do.
set -u
die() { echo "vip-down.sh: $1" >&2; exit "${2:-1}"; }
[ $# -eq 2 ] || die "usage: vip-down.sh VIP_CIDR INTERFACE" 2
cidr=$1 iface=$2
case $cidr in */*) ;; *) die "'$cidr' is not a CIDR such as 198.18.1.100/24" 2 ;; esac
command -v ip >/dev/null 2>&1 || die "'ip' not found (package iproute2)" 3
ip link show dev "$iface" >/dev/null 2>&1 || die "no interface '$iface'" 4
if ip -o addr show dev "$iface" | grep -q " inet $cidr "; then
  out=$(ip addr del "$cidr" dev "$iface" 2>&1) || {
    ip -o addr show dev "$iface" | grep -q " inet $cidr " && die "ip addr del $cidr dev $iface: $out" 5
  }
fi
exit 0
