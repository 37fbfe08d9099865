#!/usr/bin/env bash
# Records the real kernel's own netfilter trace (nf_tables tracing, read with
# `xtables-monitor --trace`) of the Docker lessons' key packets, for test/trace/nft-replay.test.ts.
#
# The topology is the lessons' own, rebuilt in namespaces so nothing on this machine is touched:
#
#   lt-client 198.51.100.2 ── veth-client 198.51.100.1 ┐
#                                                      lt-host (docker0 172.17.0.1/16, ip_forward=1)
#   lt-inet   203.0.113.2  ── veth-inet   203.0.113.1  ┘   └─ docker0 ── vethweb ── lt-ctr eth0 172.17.0.2 (httpd :80)
#
# lt-host gets exactly the rules the simulator's Docker wrote in the lesson (the *.rules files
# beside the fixtures, dumped with the simulated iptables-save; the replay test checks they still
# are), plus raw-table TRACE rules for the probe's protocol. Each scenario writes one JSON file:
# { scenario, rules, probe, monitor: [xtables-monitor lines] }. Cleans up with a trap.
#
# Usage: scripts/record-nft-trace.sh [OUTDIR]   (default test/fixtures/nft-trace; needs root)
set -euo pipefail
OUT=${1:-test/fixtures/nft-trace}
NS=(lt-host lt-ctr lt-client lt-inet)
WWW=$(mktemp -d)
MON_PID=""
HTTPD_PID=""

teardown() {
  [ -n "$MON_PID" ] && kill "$MON_PID" 2>/dev/null || true
  [ -n "$HTTPD_PID" ] && kill "$HTTPD_PID" 2>/dev/null || true
  HTTPD_PID=""
  for n in "${NS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
}
cleanup() {
  teardown
  rm -rf "$WWW"
}
trap cleanup EXIT INT TERM

topology() {
  teardown
  for n in "${NS[@]}"; do ip netns add "$n"; ip -n "$n" link set lo up; done
  ip netns exec lt-host sysctl -qw net.ipv4.ip_forward=1
  ip -n lt-host link add docker0 type bridge
  ip -n lt-host addr add 172.17.0.1/16 dev docker0
  ip -n lt-host link set docker0 up
  ip -n lt-host link add vethweb type veth peer name eth0 netns lt-ctr
  ip -n lt-host link set vethweb master docker0 up
  ip -n lt-ctr addr add 172.17.0.2/16 dev eth0
  ip -n lt-ctr link set eth0 up
  ip -n lt-ctr route add default via 172.17.0.1
  ip -n lt-host link add veth-client type veth peer name eth0 netns lt-client
  ip -n lt-host addr add 198.51.100.1/24 dev veth-client
  ip -n lt-host link set veth-client up
  ip -n lt-client addr add 198.51.100.2/24 dev eth0
  ip -n lt-client link set eth0 up
  ip -n lt-host link add veth-inet type veth peer name eth0 netns lt-inet
  ip -n lt-host addr add 203.0.113.1/24 dev veth-inet
  ip -n lt-host link set veth-inet up
  ip -n lt-inet addr add 203.0.113.2/24 dev eth0
  ip -n lt-inet link set eth0 up
  echo hello >"$WWW/index.html"
  ip netns exec lt-ctr busybox httpd -f -p 80 -h "$WWW" &
  HTTPD_PID=$!
}

# record NAME RULES TRACE-MATCH PROBE-NS PROBE...
record() {
  local name=$1 rules=$2 match=$3 pns=$4
  shift 4
  topology
  ip netns exec lt-host iptables-restore <"$OUT/$rules"
  # shellcheck disable=SC2086
  ip netns exec lt-host iptables -t raw -A PREROUTING $match -j TRACE
  # shellcheck disable=SC2086
  ip netns exec lt-host iptables -t raw -A OUTPUT $match -j TRACE
  local log
  log=$(mktemp)
  ip netns exec lt-host xtables-monitor --trace >"$log" 2>&1 &
  MON_PID=$!
  sleep 0.5
  ip netns exec "$pns" "$@" </dev/null >/dev/null 2>&1 || true
  sleep 0.5
  kill "$MON_PID" 2>/dev/null || true
  wait "$MON_PID" 2>/dev/null || true
  MON_PID=""
  python3 - "$name" "$rules" "$pns $*" "$log" >"$OUT/$name.json" <<'PY'
import json, sys
name, rules, probe, log = sys.argv[1:5]
lines = [l.rstrip("\n") for l in open(log) if l.strip()]
print(json.dumps({"scenario": name, "rules": rules, "probe": probe, "monitor": lines}, indent=2))
PY
  rm -f "$log"
  echo "recorded $OUT/$name.json ($(grep -c TRACE "$OUT/$name.json") trace lines)"
}

SYN="-p tcp -m tcp --tcp-flags SYN SYN"
record dnat-from-client port-mapping.rules "$SYN" lt-client busybox nc -w 1 198.51.100.1 1234
record dnat-from-host port-mapping.rules "$SYN" lt-host busybox nc -w 1 172.17.0.1 1234
record masquerade-egress egress.rules "-p icmp" lt-ctr busybox ping -c 1 -W 1 203.0.113.2
# The client routes straight to the container network: FORWARD finds no rule for ICMP, policy DROP.
record forward-policy-drop port-mapping.rules "-p icmp" lt-client sh -c 'ip route add 172.17.0.0/16 via 198.51.100.1 && busybox ping -c 1 -W 1 172.17.0.2'
