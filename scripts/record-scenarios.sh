#!/usr/bin/env bash
# Records the comparison scenarios (scripts/scenarios/*.sh) on the real kernel of this machine and
# writes test/fixtures/scenarios/NAME.json: every command's output and exit code, with the kernel
# and tool versions and how it was recorded. test/kernel-replay.test.ts replays them on the simulator.
#
#   sudo scripts/record-scenarios.sh              # all scenarios
#   sudo scripts/record-scenarios.sh vxlan-overlay nat-dnat-snat
#
# Needs root, iproute2, iptables (nft), conntrack, busybox (for ping, wget, httpd, nc, ifconfig),
# bridge-utils. Every scenario only creates namespaces named rec-*, and everything it makes lives
# inside them; its `# @cleanup` section always runs, and the EXIT trap below sweeps any rec-*
# namespace (killing the processes still inside) even when the recorder fails or is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "record-scenarios: needs root (ip netns, iptables, conntrack)" >&2
  exit 1
fi
for tool in ip iptables conntrack busybox brctl bridge stdbuf node; do
  command -v "$tool" >/dev/null || { echo "record-scenarios: missing tool: $tool" >&2; exit 1; }
done

sweep() {
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^rec-' || true); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf /tmp/rec-www /tmp/rec-bin
}
trap sweep EXIT INT TERM

sweep
# busybox applets stand in for the tools the simulator models (busybox ping/wget/httpd/ifconfig,
# as in the containers the lessons use); iproute2, iptables, conntrack and bridge are the real ones.
mkdir -p /tmp/rec-bin
for applet in ping wget httpd nc ifconfig nslookup; do
  ln -sf "$(command -v busybox)" "/tmp/rec-bin/$applet"
done

node scripts/scenarios/record.mjs "$@"
