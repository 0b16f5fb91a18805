#!/bin/sh
# Runs the SDP capture inside a fresh, private network namespace that holds only lo and a
# veth pair (10.77.0.1 <-> 10.77.0.2). Nothing in it can reach any other network. Needs root.
#
# The default route through v0 deviates from the INTEROP.md recipe on purpose: without media
# permission Chromium gathers host candidates only on the interface of the default route (it
# asks the kernel which source address a UDP socket "connected" to a public address would use;
# no packet is sent). Without a default route it gathers no host candidate at all. The route
# leads to v1, which is also inside this namespace, so nothing can leave it.
#   usage: interop/capture/run-in-netns.sh [output-dir] [scenario-name]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec unshare -n sh -c '
  ip link set lo up
  ip link add v0 type veth peer name v1
  ip addr add 10.77.0.1/24 dev v0; ip addr add 10.77.0.2/24 dev v1
  ip link set v0 up; ip link set v1 up
  ip route add default dev v0
  exec "$@"' sh node "$here/capture.mjs" "$@"
