#!/bin/sh
# Healthy = the public server answers and says UP (majority seen, database answering, disk above
# its reserve). The entry point wrote where the public server listens.
url=$(cat /tmp/dspot-health-url 2>/dev/null) || { echo "not started yet"; exit 1; }
body=$(curl -fsS --insecure --max-time 4 "$url") || exit 1
echo "$body"
case $body in *'"status":"UP"'*) exit 0 ;; *) exit 1 ;; esac
