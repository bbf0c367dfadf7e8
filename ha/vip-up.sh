#!/bin/sh
# Claims the floating IP: vip-up.sh VIP_CIDR INTERFACE (e.g. 198.18.1.100/24 eth1).
# Idempotent: a VIP already on the interface is announced again, not added twice. The gratuitous
# ARPs (-U unsolicited, then -A reply form; some neighbours only honour one) make neighbours move
# to this node's MAC within a fraction of a second instead of waiting for their ARP entries to expire.
set -u
die() { echo "vip-up.sh: $1" >&2; exit "${2:-1}"; }
[ $# -eq 2 ] || die "usage: vip-up.sh VIP_CIDR INTERFACE" 2
cidr=$1 iface=$2
case $cidr in */*) ;; *) die "'$cidr' is not a CIDR such as 198.18.1.100/24" 2 ;; esac
addr=${cidr%/*}
command -v ip >/dev/null 2>&1 || die "'ip' not found (package iproute2)" 3
command -v arping >/dev/null 2>&1 || die "'arping' not found (package iputils-arping)" 3
ip link show dev "$iface" >/dev/null 2>&1 || die "no interface '$iface'" 4
if ! ip -o addr show dev "$iface" | grep -q " inet $cidr "; then
  out=$(ip addr add "$cidr" dev "$iface" 2>&1) || {
    # Lost a race with ourselves (a second call): fine if the address is there now.
    ip -o addr show dev "$iface" | grep -q " inet $cidr " || die "ip addr add $cidr dev $iface: $out" 5
  }
fi
ip link set dev "$iface" up 2>/dev/null || true
# arping's exit status reflects replies, which a gratuitous ARP never gets: only a failure to send
# (a message) is reported. -w 0: send and return at once instead of waiting a second for replies
# that never come (2 s of failover otherwise).
out=$(arping -q -U -c 1 -w 0 -I "$iface" "$addr" 2>&1); [ -z "$out" ] || echo "arping -U: $out" >&2
out=$(arping -q -A -c 1 -w 0 -I "$iface" "$addr" 2>&1); [ -z "$out" ] || echo "arping -A: $out" >&2
exit 0
