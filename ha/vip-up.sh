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
# arping's exit status reflects replies, which a gratuitous ARP never gets, and iputils' arping waits
# a second for them whatever -w says (2 s of failover). So both go out in the background at once;
# what they print within 50 ms (a failure to send) is reported, and the script does not wait for the rest.
err=$(mktemp)
arping -q -U -c 1 -I "$iface" "$addr" >/dev/null 2>>"$err" </dev/null &
arping -q -A -c 1 -I "$iface" "$addr" >/dev/null 2>>"$err" </dev/null &
sleep 0.05
[ -s "$err" ] && echo "arping: $(cat "$err")" >&2
rm -f "$err"
exit 0
