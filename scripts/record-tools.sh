#!/usr/bin/env bash
# Records the real outputs of the network tools that the simulator imitates (ip, ping, ifconfig,
# brctl, bridge, wget, httpd, sysctl, nslookup, nc) on THIS machine's kernel, into
# test/fixtures/tools/<scenario>.json. Tests replay every step in the simulator and compare the
# output byte for byte after the normalizations the fixture declares.
#
# Usage (root): scripts/record-tools.sh [scenario ...]     (default: all scenarios)
#
# - Every scenario works only in network namespaces it creates (prefix `lt`), and deletes them,
#   even on failure. Nothing is created in the initial namespace.
# - busybox applets (ping, ifconfig, wget, httpd, nslookup, nc) are reached through a directory of
#   symlinks put first on PATH, so the recorded command lines are the ones a busybox image runs.
#   `ip`, `bridge`, `brctl` and `sysctl` are the host's iproute2 6.1.0, bridge-utils and procps.
# - The dummy module is not available on the recording machine, so scenarios use veth pairs.
# - Steps marked host-only (IPv6 switched off in each namespace, so that link-local addresses and
#   multicast FDB entries, which the simulator does not model, stay out of the listings; settling
#   sleeps) run here but are not replayed.
set -u
cd "$(dirname "$0")/.."
OUT=test/fixtures/tools
mkdir -p "$OUT"
BIN=$(mktemp -d /tmp/lt-bin.XXXXXX)
WORK=$(mktemp -d /tmp/lt-work.XXXXXX)
for a in ping ifconfig wget httpd nslookup nc; do ln -s "$(command -v busybox)" "$BIN/$a"; done
export PATH="$BIN:$PATH"

STEPS=""
SCEN=""
NAMESPACES=()

cleanup_ns() {
  for ns in "${NAMESPACES[@]}"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  NAMESPACES=()
}
cleanup_all() { cleanup_ns; rm -rf "$BIN" "$WORK"; [ -z "${NETNS_ETC:-}" ] || rm -rf "$NETNS_ETC"; }
trap cleanup_all EXIT

# scenario NAME DESCRIPTION: starts a new fixture.
scenario() { SCEN=$1; DESC=$2; STEPS=$(mktemp "$WORK/steps.XXXX"); }

# ns NAME...: creates namespaces (replayed as `ip netns add`), IPv6 off (host only).
ns() {
  for n in "$@"; do
    NAMESPACES+=("$n")
    run "ip netns add $n"
    hostonly "ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1"
  done
}

# run CMD [NORMALIZERS]: runs CMD (bash) with stderr merged in order, records output and status.
run() {
  local cmd=$1 norm=${2:-} out rc
  out=$(timeout 60 bash -c "$cmd" 2>&1; printf 'x%d' $?)
  rc=${out##*x}; out=${out%x*}
  jq -nc --arg cmd "$cmd" --arg out "$out" --argjson rc "$rc" --arg norm "$norm" \
    '{cmd:$cmd, output:$out, exitCode:$rc} + (if $norm == "" then {} else {normalize: ($norm | split(","))} end)' >>"$STEPS"
}

# hostonly CMD: runs CMD here without recording it (not replayed in the simulator).
hostonly() { bash -c "$1" >/dev/null 2>&1; }

# settle: waits for carrier/operstate changes to land (linkwatch runs asynchronously).
settle() { sleep 1.2; }

finish() {
  jq -s --arg name "$SCEN" --arg desc "$DESC" \
    --arg ip "$(ip -V)" --arg bb "$(busybox | head -1)" --arg kernel "$(uname -r)" \
    '{name:$name, description:$desc, recordedWith:{iproute2:$ip, busybox:$bb, kernel:$kernel},
      normalizeAlways:["mac"], steps:.}' "$STEPS" >"$OUT/$SCEN.json"
  cleanup_ns
  echo "recorded $OUT/$SCEN.json ($(wc -l <"$STEPS") steps)"
}

SELECTED=" $* "
sel() { [ -z "${SELECTED// /}" ] || [[ "$SELECTED" == *" $1 "* ]]; }

# ---------------------------------------------------------------- scenarios
SCENARIOS=()

SCENARIOS+=(ip-link)
sc_ip-link() {
  scenario ip-link "veth across namespaces, bridge, master/nomaster, rename, mtu, address, dummy, same-namespace veth, netns move, listings"
  ns lta ltb
  run "ip -n lta link add v1 type veth peer name v2 netns ltb"
  run "ip netns exec lta ip link show"
  run "ip netns exec ltb ip link show"
  run "ip -n lta link add br0 type bridge"
  run "ip -n lta link set v1 master br0"
  run "ip -n lta link set br0 up"
  run "ip -n lta link set v1 up"
  run "ip -n ltb link set v2 up"
  run "ip -n ltb link set lo up"
  settle
  run "ip netns exec lta ip link"
  run "ip netns exec lta ip -o link"
  run "ip netns exec lta ip -br link"
  run "ip netns exec ltb ip link show v2"
  run "ip netns exec ltb ip link show dev lo"
  run "ip -n lta link show master br0"
  run "ip -n lta link show type bridge"
  run "ip -n lta link show type veth"
  run "ip -n lta link set v1 nomaster"
  run "ip -n lta link set v1 name veth-a"
  run "ip -n lta link set veth-a mtu 1400"
  run "ip -n lta link set dev br0 address 02:11:22:33:44:55"
  run "ip -n lta link set veth-a down"
  settle
  run "ip -n lta link"
  run "ip -n ltb link"
  run "ip -n lta link add v3 type veth peer name v4"
  run "ip -n lta link"
  run "ip -n lta link set v4 netns ltb"
  run "ip -n lta link show v3"
  run "ip -n ltb link show v4"
  run "ip -n lta link del v3"
  run "ip -n ltb link"
  run "ip -n lta link del br0"
  run "ip -n lta -br link"
  run "ip -n lta link add mtu 9000 name big type veth peer name big2"
  run "ip -n lta link add name v5 address 02:00:00:00:00:05 type veth peer name v6 address 02:00:00:00:00:06"
  run "ip -n lta -br link show"
  run "ip -n lta link delete v6"
  run "ip -n lta -o link show"
}

SCENARIOS+=(ip-link-errors)
sc_ip-link-errors() {
  scenario ip-link-errors "ip link error texts and exit codes"
  ns lta
  run "ip -n lta link add v1 type veth peer name v2"
  run "ip -n lta link add v1 type veth peer name v2"
  run "ip -n lta link add v9 type veth peer name v1"
  run "ip -n lta link del nope"
  run "ip -n lta link set nope up"
  run "ip -n lta link show nope"
  run "ip -n lta link foo"
  run "ip -n lta foo"
  run "ip -n lta link add x type bogus"
  run "ip -n lta link add x"
  run "ip -n lta link set v1 bogus"
  run "ip -n lta link set v1 master nope"
  run "ip -n lta link set v1 netns nope"
  run "ip -n lta link set v1 mtu abc"
  run "ip -n lta link set v1 address zz"
  run "ip -n lta link add vx type vxlan"
  run "ip -n lta link add d0 type veth peer name d0p"
  run "ip -n lta link set v1 master d0"
  run "ip -n lta link set v1 name v2"
  run "ip -n nope link"
  run "ip -n lta link del lo"
  run "ip -n lta link set lo netns 1"
  run "ip -n lta link"
  run "ip -n lta -z link"
  run "ip -n lta addr foo"
  run "ip -n lta route foo"
  run "ip -n lta neigh foo"
}

SCENARIOS+=(ip-link-keywords)
sc_ip-link-keywords() {
  scenario ip-link-keywords "ip link flag keywords: multicast, arp, promisc, allmulticast, trailers and carrier are whole words (iproute2 6.1), dynamic may be shortened; a link named all or default is refused by the kernel"
  ns lta
  run "ip -n lta link add v1 type veth peer name v2"
  run "ip -n lta link set v1 multi on"
  run "ip -n lta link set v1 prom on"
  run "ip -n lta link set v1 all on"
  run "ip -n lta link set v1 trail on"
  run "ip -n lta link set v1 ar on"
  run "ip -n lta link set v1 carr on"
  run "ip -n lta link set v1 dy on"
  run "ip -n lta link set v1 multicast on"
  run "ip -n lta link set v1 allmulticast off"
  run "ip -n lta link add all type veth peer name v3"
  run "ip -n lta link add default type veth peer name v3"
  run "ip -n lta link add v4 type veth peer name v5"
  run "ip -n lta link"
}

SCENARIOS+=(ip-addr)
sc_ip-addr() {
  scenario ip-addr "addresses: add/del/show/flush, brd, label, peer listings, errors"
  ns lta ltb
  run "ip -n lta link add d0 type veth peer name d0p"
  run "ip -n lta link add d1 type veth peer name d1p"
  run "ip -n lta link set d0p up"
  run "ip -n lta link set d0 up"
  run "ip -n lta addr add 10.1.0.1/24 dev d0"
  run "ip -n lta addr add 10.1.0.1/24 dev d0"
  run "ip -n lta addr add 10.2.0.1/16 brd + dev d0"
  run "ip -n lta addr add 10.3.0.1 dev d0"
  run "ip -n lta addr add 192.168.5.5/24 broadcast 192.168.5.255 dev d1 label d1:x"
  run "ip -n lta link add v1 type veth peer name v2 netns ltb"
  run "ip -n lta addr add 10.0.0.1/24 dev v1"
  run "ip -n ltb addr add 10.0.0.2/24 dev v2"
  run "ip -n lta link set v1 up"
  run "ip -n ltb link set v2 up"
  run "ip -n lta link set lo up"
  settle
  run "ip netns exec lta ip addr"
  run "ip netns exec lta ip a"
  run "ip -n lta -4 addr"
  run "ip -n lta addr show dev d0"
  run "ip -n lta addr show d1"
  run "ip -n lta -br addr"
  run "ip -n lta -br -4 a"
  run "ip -n lta -o addr"
  run "ip -n lta -4 -o addr show d0"
  run "ip -n ltb addr"
  run "ip -n lta addr del 10.1.0.1/24 dev d0"
  run "ip -n lta addr del 10.1.0.1/24 dev d0"
  run "ip -n lta addr add 1.2.3.4/24 nope"
  run "ip -n lta addr add 10.5.0.1/33 dev d0"
  run "ip -n lta addr add bogus dev d0"
  run "ip -n lta addr add 10.5.0.1/24 dev nope"
  run "ip -n lta addr add 10.5.0.1/24"
  run "ip -n lta addr show nope"
  run "ip -n lta addr flush dev d0"
  run "ip -n lta addr show d0"
  run "ip -n lta route"
}

SCENARIOS+=(ip-route)
sc_ip-route() {
  scenario ip-route "routes: kernel routes, via, onlink, default, dev, proto, metric, src, replace, del, get, errors"
  ns lta ltb
  run "ip -n lta link add v1 type veth peer name v2 netns ltb"
  run "ip -n lta addr add 10.1.0.1/24 dev v1"
  run "ip -n lta link set v1 up"
  run "ip -n ltb link set v2 up"
  settle
  run "ip -n lta route"
  run "ip -n lta route get 8.8.8.8"
  run "ip -n lta route add 10.9.0.0/16 via 10.1.0.9"
  run "ip -n lta route add 10.9.0.0/16 via 10.1.0.9"
  run "ip -n lta route add 10.8.0.0/16 via 10.5.0.1"
  run "ip -n lta route add 10.8.0.0/16 via 192.168.1.1 dev v1 onlink"
  run "ip -n lta route add default via 10.1.0.254"
  run "ip -n lta route add 10.7.0.0/16 dev v1"
  run "ip -n lta route add 10.6.0.0/16 dev v1 proto static metric 100"
  run "ip -n lta route add 10.5.5.5 via 10.1.0.7 src 10.1.0.1"
  run "ip -n lta route add 10.4.0.0/16 dev v1 scope link"
  run "ip -n lta route replace 10.9.0.0/16 via 10.1.0.8"
  run "ip -n lta route replace 10.3.0.0/16 via 10.1.0.3"
  run "ip netns exec lta ip route show"
  run "ip netns exec lta ip r"
  run "ip -n lta route list 10.9.0.0/16"
  run "ip -n lta route show dev v1"
  run "ip -n lta route get 10.9.1.1"
  run "ip -n lta route get 10.1.0.5"
  run "ip -n lta route get 8.8.8.8"
  run "ip -n lta route get 10.1.0.1"
  run "ip -n lta route show table local"
  run "ip -n lta route show table all"
  run "ip -n lta route del 10.9.0.0/16"
  run "ip -n lta route del 10.9.0.0/16"
  run "ip -n lta route del default"
  run "ip -n lta route add 10.2.0.0/16 dev nope"
  run "ip -n lta route add 10.2.0.0/33 dev v1"
  run "ip -n lta route add bogus dev v1"
  run "ip -n lta route add 10.2.0.0/16 via 10.1.0.1 bogus"
  run "ip -n lta route get"
  run "ip -n lta route"
  run "ip -n lta link set v1 down"
  run "ip -n lta route"
}

SCENARIOS+=(ip-more)
sc_ip-more() {
  scenario ip-more "secondary addresses, -s, -d for veth and loopback, route types, metrics, route get from, neighbours learned by ping"
  ns lta ltb
  run "ip -n lta link add v1 type veth peer name v2 netns ltb"
  run "ip -n lta link add v3 type veth peer name v4"
  run "ip -n lta addr add 10.0.0.1/24 dev v1"
  run "ip -n lta addr add 10.0.0.11/24 dev v1"
  run "ip -n lta addr add 10.0.0.12/16 dev v1"
  run "ip -n lta addr add 10.5.0.1/24 dev v1 scope link"
  run "ip -n ltb addr add 10.0.0.2/24 dev v2"
  run "ip -n lta link set v1 up"
  run "ip -n ltb link set v2 up"
  settle
  run "ip -n lta addr show v1"
  run "ip -n lta -s link show lo"
  run "ip -n lta -d link show v3"
  run "ip -n lta -d link show lo"
  run "ip -n lta link show up"
  run "ip -n lta route add 10.20.0.0/16 via 10.0.0.9 metric 50"
  run "ip -n lta route add 10.20.0.0/16 via 10.0.0.8 metric 60"
  run "ip -n lta route add blackhole 10.30.0.0/16"
  run "ip -n lta route add unreachable 10.31.0.0/16"
  run "ip -n lta route"
  run "ip -n lta route get 10.20.1.1"
  run "ip -n lta route get 10.0.0.2 from 10.0.0.11"
  run "ip -n lta route del 10.20.0.0/16 metric 50"
  run "ip -n lta route get 10.20.1.1"
  run "ip netns exec lta ping -c 1 -W 1 10.30.0.1"
  run "ip netns exec lta ping -c 1 -W 1 10.31.0.1"
  run "ip netns exec lta ping -c 1 10.0.0.2" "rtt"
  run "ip -n lta neigh"
  run "ip -n ltb neigh show dev v2"
  run "ip -n lta route flush dev v1"
  run "ip -n lta route"
}

SCENARIOS+=(busybox-ip)
sc_busybox-ip() {
  scenario busybox-ip "busybox's own ip applet (the ip of busybox containers): link, addr, route listings"
  ns lta ltb
  run "ip -n lta link add eth0 type veth peer name v9 netns ltb"
  run "ip -n lta link add v3 type veth peer name v4"
  run "ip -n lta link add br0 type bridge"
  run "ip -n lta link set v4 master br0"
  run "ip -n lta addr add 10.0.0.2/24 dev eth0"
  run "ip -n lta addr add 10.0.0.3/24 dev eth0"
  run "ip -n lta addr add 10.9.0.1/16 brd + dev v3"
  run "ip -n lta link set eth0 up"
  run "ip -n lta link set lo up"
  run "ip -n lta link set v3 up"
  run "ip -n ltb link set v9 up"
  run "ip -n lta route add default via 10.0.0.1"
  run "ip -n lta route add 10.8.0.0/16 via 10.0.0.7 metric 20"
  settle
  run "ip netns exec lta busybox ip link"
  run "ip netns exec lta busybox ip addr"
  run "ip netns exec lta busybox ip -o addr"
  run "ip netns exec lta busybox ip -4 addr show eth0"
  run "ip netns exec lta busybox ip addr show dev v3"
  run "ip netns exec lta busybox ip link show nope"
  run "ip netns exec lta busybox ip route"
  run "ip netns exec lta busybox ip route show dev eth0"
  run "ip netns exec lta busybox ip -o link show eth0"
  run "ip netns exec lta busybox ip -br link"
  run "ip netns exec lta busybox ip -s link show lo"
  run "ip netns exec lta busybox ip -on link show lo"
  run "ip netns exec lta busybox ip -f inet addr show lo"
  run "ip netns exec lta busybox ip --oneline -0 link show lo"
}

SCENARIOS+=(ip-neigh)
sc_ip-neigh() {
  scenario ip-neigh "neighbour entries: add/replace/del/show, errors"
  ns lta ltb
  run "ip -n lta link add v1 type veth peer name v2 netns ltb"
  run "ip -n lta addr add 10.1.0.1/24 dev v1"
  run "ip -n lta link set v1 up"
  run "ip -n ltb link set v2 up"
  run "ip -n lta neigh"
  run "ip -n lta neigh add 10.1.0.7 lladdr 02:00:00:00:00:07 dev v1"
  run "ip -n lta neigh add 10.1.0.7 lladdr 02:00:00:00:00:07 dev v1"
  run "ip -n lta neigh replace 10.1.0.7 lladdr 02:00:00:00:00:77 dev v1"
  run "ip -n lta neigh replace 10.1.0.8 lladdr 02:00:00:00:00:08 dev v1"
  run "ip -n lta neigh add 10.1.0.9 lladdr 02:00:00:00:00:09 dev v1 nud reachable"
  run "ip -n lta neigh show"
  run "ip -n lta neigh show dev v1"
  run "ip -n lta neigh del 10.1.0.8 dev v1"
  run "ip -n lta neigh del 10.1.0.8 dev v1"
  run "ip -n lta neigh add 10.1.0.10 lladdr 02:00:00:00:00:10 dev nope"
  run "ip -n lta neigh add 10.1.0.10 dev v1 lladdr zz"
  run "ip -n lta neigh"
}

SCENARIOS+=(ip-netns)
sc_ip-netns() {
  scenario ip-netns "ip netns add/list/exec/del and their errors"
  ns lta ltb
  run "ip netns add lta"
  run "ip -n lta link add v1 type veth peer name v2 netns ltb"
  run "ip netns list | grep '^lt'"
  run "ip netns exec lta ip netns list | grep '^lt'"
  run "ip netns exec lta ip -o link"
  run "ip netns exec nope ip link"
  run "ip netns exec lta nosuchcommand"
  run "ip netns exec lta"
  run "ip netns del nope"
  run "ip netns foo"
  run "ip netns exec ltb ip link show v2"
  run "ip netns del lta"
  run "ip netns exec ltb ip link"
  run "ip netns list | grep '^lt'"
  run "ip netns delete ltb"
}

SCENARIOS+=(ip-vxlan)
sc_ip-vxlan() {
  scenario ip-vxlan "vxlan devices: -d listings, bridge fdb entries for a VTEP"
  ns lta
  run "ip -n lta link add eth0 type veth peer name eth0p"
  run "ip -n lta link set eth0p up"
  run "ip -n lta addr add 192.168.1.1/24 dev eth0"
  run "ip -n lta link set eth0 up"
  run "ip -n lta link add vx0 type vxlan id 42 dstport 4789 local 192.168.1.1 dev eth0 nolearning"
  run "ip -n lta link add vx1 type vxlan id 43 remote 192.168.1.2 dstport 4789 dev eth0"
  run "ip -n lta link add vx2 type vxlan id 44 dev eth0"
  run "ip -n lta -d link show vx0"
  run "ip -n lta -d link show vx1"
  run "ip -n lta -d link show vx2"
  run "ip -n lta link show vx0"
  run "ip -n lta link set vx0 up"
  run "ip -n lta -details link show vx0"
  run "ip -n lta link add vx3 type vxlan id 42 dstport 4789 local 192.168.1.1 dev eth0"
  run "ip -n lta link add vx4 type vxlan dstport 4789"
  run "ip netns exec lta bridge fdb show dev vx0"
  run "ip netns exec lta bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.1.2"
  run "ip netns exec lta bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.1.3"
  run "ip netns exec lta bridge fdb add 02:00:00:00:00:01 dev vx0 dst 192.168.1.2"
  run "ip netns exec lta bridge fdb add 02:00:00:00:00:01 dev vx0 dst 192.168.1.2"
  run "ip netns exec lta bridge fdb show dev vx0"
  run "ip netns exec lta bridge fdb show dev vx1"
  run "ip netns exec lta bridge fdb del 02:00:00:00:00:01 dev vx0"
  run "ip netns exec lta bridge fdb del 02:00:00:00:00:01 dev vx0"
  run "ip netns exec lta bridge fdb del 00:00:00:00:00:00 dev vx0 dst 192.168.1.3"
  run "ip netns exec lta bridge fdb show dev vx0"
  run "ip netns exec lta bridge fdb add 02:00:00:00:00:02 dev nope dst 192.168.1.2"
  run "ip netns exec lta bridge fdb foo"
}

SCENARIOS+=(bridge)
sc_bridge() {
  scenario bridge "a bridge with two veth ports: bridge link, learned fdb entries, brctl show/showmacs"
  ns lta ltb ltc
  run "ip -n lta link add br0 type bridge"
  run "ip -n lta link add vb address 02:00:00:00:0b:01 type veth peer name eth0 netns ltb address 02:00:00:00:0b:02"
  run "ip -n lta link add vc address 02:00:00:00:0c:01 type veth peer name eth0 netns ltc address 02:00:00:00:0c:02"
  run "ip -n lta link set vb master br0"
  run "ip -n lta link set vc master br0"
  run "ip -n ltb addr add 10.0.0.2/24 dev eth0"
  run "ip -n ltc addr add 10.0.0.3/24 dev eth0"
  for l in "lta br0" "lta vb" "lta vc" "ltb eth0" "ltc eth0"; do set -- $l; run "ip -n $1 link set $2 up"; done
  settle
  run "ip netns exec lta bridge link"
  run "ip netns exec lta bridge link show dev vb"
  run "ip netns exec lta brctl show"
  run "ip netns exec lta brctl show br0"
  run "ip netns exec ltb ping -c 1 10.0.0.3" "rtt"
  run "ip netns exec lta bridge fdb show br br0 | grep -v permanent"
  run "ip netns exec lta bridge fdb show dev vb | grep -v permanent"
  run "ip netns exec lta brctl showmacs br0" "ageing"
  run "ip netns exec lta ip link set vc nomaster"
  run "ip netns exec lta brctl show"
  run "ip netns exec lta bridge link"
}

SCENARIOS+=(brctl)
sc_brctl() {
  scenario brctl "brctl addbr/delbr/addif/delif/show and their errors"
  ns lta
  run "ip -n lta link add v1 type veth peer name v2"
  run "ip netns exec lta brctl addbr br1"
  run "ip netns exec lta brctl addbr br1"
  run "ip netns exec lta brctl show"
  run "ip netns exec lta brctl addif br1 v1"
  run "ip netns exec lta brctl addif br1 v1"
  run "ip netns exec lta brctl addif br1 nope"
  run "ip netns exec lta brctl addif nope v2"
  run "ip netns exec lta brctl addbr br2"
  run "ip netns exec lta brctl addif br2 v2"
  run "ip netns exec lta brctl show"
  run "ip netns exec lta brctl show nope"
  run "ip netns exec lta brctl delif br1 v2"
  run "ip netns exec lta brctl delif br1 v1"
  run "ip netns exec lta ip link set br2 up"
  run "ip netns exec lta brctl delbr br2"
  run "ip netns exec lta ip link set br2 down"
  run "ip netns exec lta brctl delbr br2"
  run "ip netns exec lta brctl delbr br2"
  run "ip netns exec lta brctl show"
  run "ip netns exec lta brctl foo"
  run "ip netns exec lta brctl addbr"
}

SCENARIOS+=(ping)
sc_ping() {
  scenario ping "busybox ping: replies, quiet, deadline, no reply, unreachable, usage"
  ns lta ltb ltc
  run "ip -n lta link add v1 type veth peer name v2 netns ltb"
  run "ip -n lta addr add 10.0.0.1/24 dev v1"
  run "ip -n ltb addr add 10.0.0.2/24 dev v2"
  run "ip -n lta link set v1 up"
  run "ip -n ltb link set v2 up"
  run "ip -n ltb link add v3 type veth peer name v4 netns ltc"
  run "ip -n ltb addr add 10.0.1.2/24 dev v3"
  run "ip -n ltc addr add 10.0.1.3/24 dev v4"
  run "ip -n ltb link set v3 up"
  run "ip -n ltc link set v4 up"
  run "ip -n ltc route add default via 10.0.1.2"
  run "ip -n lta route add 10.0.1.0/24 via 10.0.0.2"
  run "ip netns exec ltb sysctl -w net.ipv4.ip_forward=1"
  settle
  run "ip netns exec ltb ping -c 2 10.0.0.1" "rtt"
  run "ip netns exec ltb ping -c 1 -q 10.0.0.1" "rtt"
  run "ip netns exec lta ping -c 2 10.0.1.3" "rtt"
  run "ip netns exec lta ping -c 1 10.0.0.1" "rtt"
  run "ip netns exec lta ping -c 1 127.0.0.1"
  run "ip netns exec lta ip link set lo up"
  run "ip netns exec lta ping -c 1 127.0.0.1" "rtt"
  run "ip netns exec lta ping -c 1 localhost" "rtt"
  run "ip netns exec lta ping -c 2 -W 1 10.0.0.9"
  run "ip netns exec lta ping -c 1 10.99.0.1"
  run "ip netns exec ltb ping -w 2 10.0.0.1" "rtt"
  run "ip netns exec ltb ping -c 3 -i 0.2 -q 10.0.0.1" "rtt"
  run "ip netns exec ltb ping -c 1 -W 1 -w 1 10.0.0.9"
  run "ip netns exec ltb ping -c 1 -s 100 10.0.0.1" "rtt"
  run "ip netns exec ltb ping -c 1 -I v2 10.0.0.1" "rtt"
  run "ip netns exec ltb ping -c 1 -I nope 10.0.0.1"
  run "ip netns exec lta ping -c 1 -W 1 -t 1 10.0.1.3"
  run "ip netns exec lta ping -c 1 -c 2 10.0.0.2" "rtt"
  run "ip netns exec lta ping -c abc 10.0.0.2"
  run "ip netns exec ltb ping"
  run "ip netns exec ltb ping -c"
  run "ip netns exec ltb ping -x 10.0.0.1"
}

SCENARIOS+=(ifconfig)
sc_ifconfig() {
  scenario ifconfig "busybox ifconfig: listings, -a, one interface, setting address/netmask/mtu/up/down, errors"
  ns lta ltb
  run "ip -n lta link add v1 type veth peer name v2 netns ltb"
  run "ip -n lta addr add 10.0.0.1/24 dev v1"
  run "ip -n lta link set v1 up"
  run "ip -n ltb link set v2 up"
  settle
  run "ip netns exec lta ifconfig"
  run "ip netns exec lta ifconfig -a"
  run "ip netns exec lta ifconfig v1"
  run "ip netns exec lta ifconfig lo"
  run "ip netns exec lta ifconfig nope"
  run "ip netns exec ltb ifconfig v2 10.0.0.5 netmask 255.255.255.0"
  run "ip netns exec ltb ifconfig v2"
  run "ip netns exec ltb ip addr show v2"
  run "ip netns exec ltb ifconfig v2 mtu 1400"
  run "ip netns exec ltb ifconfig v2 down"
  run "ip netns exec ltb ifconfig -a"
  run "ip netns exec ltb ifconfig v2 up"
  run "ip netns exec ltb ifconfig lo up"
  settle
  run "ip netns exec ltb ifconfig"
  run "ip netns exec ltb ifconfig nope up"
  run "ip netns exec ltb ifconfig v2 bogus"
}

SCENARIOS+=(ifconfig-order)
sc_ifconfig-order() {
  scenario ifconfig-order "busybox ifconfig lists interfaces sorted by name (strcmp: upper case first, eth10 before eth9), not by index"
  ns lta
  run "ip -n lta link add zz0 type veth peer name aa1"
  run "ip -n lta link add eth10 type veth peer name eth9"
  run "ip -n lta link add B2 type veth peer name a2"
  run "ip -n lta link set lo up"
  run "ip -n lta link set zz0 up"
  run "ip -n lta link set eth9 up"
  settle
  run "ip netns exec lta ifconfig | grep -v '^ '"
  run "ip netns exec lta ifconfig -a | grep -v '^ '"
}

SCENARIOS+=(nsenter)
sc_nsenter() {
  scenario nsenter "util-linux nsenter: a named network namespace by its file, errors (parsing, missing files and targets, exec failure)"
  ns lta
  run "ip -n lta link add v1 type veth peer name v2"
  run "nsenter --net=/var/run/netns/lta ip -br link"
  run "nsenter --net=/run/netns/lta ip -br link show v2"
  run "nsenter --net=/var/run/netns/lta sh -c 'ip -br link show v1 | cut -c1-16'"
  run "nsenter -n true"
  run "nsenter --net=/nope true"
  run "nsenter --net=/var/run/netns/nope true"
  run "nsenter -t abc -n true"
  run "nsenter -t 999999 -n true"
  run "nsenter -t 999999 -u -n true"
  run "nsenter -x"
  run "nsenter --bogus"
  run "nsenter --net=/var/run/netns/lta nosuchcmd"
}

SCENARIOS+=(sysctl)
sc_sysctl() {
  scenario sysctl "procps sysctl: read, -n, -w, errors"
  ns lta
  run "ip netns exec lta sysctl -w net.ipv4.ip_forward=0"
  run "ip netns exec lta sysctl net.ipv4.ip_forward"
  run "ip netns exec lta sysctl -w net.ipv4.ip_forward=1"
  run "ip netns exec lta sysctl net.ipv4.ip_forward"
  run "ip netns exec lta sysctl -n net.ipv4.ip_forward"
  run "ip netns exec lta sysctl net.ipv4.ip_forward=0"
  run "ip netns exec lta sysctl -w net.ipv4.ip_forward=0"
  run "ip netns exec lta sysctl net/ipv4/ip_forward"
  run "ip netns exec lta sysctl net.ipv4.conf.all.forwarding"
  run "ip netns exec lta sysctl net.ipv4.nope"
  run "ip netns exec lta sysctl -w net.ipv4.nope=1"
  run "ip netns exec lta sysctl -w net.ipv4.ip_forward"
  run "ip netns exec lta sysctl -q -w net.ipv4.ip_forward=1"
  run "ip netns exec lta sysctl -n net.ipv4.ip_forward net.ipv4.conf.all.forwarding"
  run "ip netns exec lta sysctl -a 2>/dev/null | grep 'net.ipv4.ip_forward '"
  run "ip netns exec lta sysctl"
  run "ip netns exec lta sysctl -x"
  run "ip netns exec lta sysctl -n"
}

SCENARIOS+=(wget-httpd)
sc_wget-httpd() {
  scenario wget-httpd "busybox httpd serving a directory; busybox wget -O -, -q, -O FILE, -S, 404, refused, unreachable, timeout"
  ns lta ltb
  run "ip -n lta link add v1 type veth peer name v2 netns ltb"
  run "ip -n lta addr add 10.0.0.1/24 dev v1"
  run "ip -n ltb addr add 10.0.0.2/24 dev v2"
  run "ip -n lta link set v1 up"
  run "ip -n ltb link set v2 up"
  run "ip -n lta link set lo up"
  settle
  run "mkdir -p /tmp/ltwww/sub && printf 'hello world\n' > /tmp/ltwww/index.html && printf 'abc' > /tmp/ltwww/sub/a.txt"
  run "ip netns exec lta httpd -p 8080 -h /tmp/ltwww"
  hostonly "sleep 0.5"
  run "ip netns exec ltb wget -O - http://10.0.0.1:8080/index.html"
  run "ip netns exec ltb wget -q -O - http://10.0.0.1:8080/"
  run "ip netns exec ltb wget -O - http://10.0.0.1:8080/sub/a.txt"
  run "ip netns exec ltb wget -O /tmp/ltwww/out.txt http://10.0.0.1:8080/sub/a.txt && cat /tmp/ltwww/out.txt"
  run "ip netns exec ltb wget -S -O - http://10.0.0.1:8080/index.html" "date"
  run "ip netns exec ltb wget -q -S -O - http://10.0.0.1:8080/index.html" "date"
  run "ip netns exec ltb wget -O - http://10.0.0.1:8080/missing"
  run "ip netns exec ltb wget -q -O - http://10.0.0.1:8080/missing"
  run "ip netns exec ltb wget -O - http://10.0.0.1:9999/"
  run "ip netns exec ltb wget -O - http://10.99.0.1/"
  run "ip netns exec ltb wget -T 2 -O - http://10.0.0.9/"
  run "ip netns exec lta wget -q -O - http://127.0.0.1:8080/sub/a.txt"
  run "ip netns exec lta wget -O - http://localhost:8080/sub/a.txt"
  run "ip netns exec ltb wget -S -O - http://10.0.0.1:8080/sub" "date"
  run "ip netns exec ltb wget -q -O - http://10.0.0.1:8080/sub/"
  run "ip netns exec ltb wget -q -O - http://10.0.0.1:8080/../../etc/hostname"
  run "ip netns exec ltb wget"
  run "ip netns exec ltb wget -O - ftp://10.0.0.1/"
  run "rm -rf /tmp/ltwww"
}

# A tiny authoritative DNS server (Python, standard library only) for the nslookup scenario:
# zone .lab is authoritative (AA set, as CoreDNS's kubernetes plugin answers), names under
# .example are answered without AA (as a forwarder would). test/nslookup.test.ts serves the
# same zone from src/sim/userland/lib/dns-message.ts.
dns_server() {
  cat >"$WORK/dns.py" <<'PY'
import socket, struct, sys
ZONE = {
    ("web.lab", 1): [("web.lab", 1, "10.0.0.80")],
    ("multi.lab", 1): [("multi.lab", 1, "10.0.0.81"), ("multi.lab", 1, "10.0.0.82")],
    ("alias.lab", 1): [("alias.lab", 5, "web.lab"), ("web.lab", 1, "10.0.0.80")],
    ("alias.lab", 28): [("alias.lab", 5, "web.lab")],
    ("ext.example", 1): [("ext.example", 1, "192.0.2.7")],
    ("gw.lab", 1): [("gw.lab", 1, "10.0.0.1")],
}
NAMES = {n for (n, _t) in ZONE} | {"web.lab", "multi.lab", "alias.lab", "ext.example", "gw.lab"}
def name(b, o):
    labels = []
    while b[o]:
        l = b[o]; labels.append(b[o+1:o+1+l].decode()); o += 1 + l
    return ".".join(labels), o + 1
def enc(n):
    return b"".join(bytes([len(x)]) + x.encode() for x in n.split(".") if x) + b"\0"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
while True:
    q, peer = s.recvfrom(512)
    qid, flags = struct.unpack("!HH", q[:4])
    qname, o = name(q, 12)
    qtype, qclass = struct.unpack("!HH", q[o:o+4])
    question = q[12:o+4]
    key = (qname.lower(), qtype)
    answers = ZONE.get(key, [])
    rcode = 0 if qname.lower() in NAMES else 3
    aa = 0x0400 if qname.lower().endswith(".lab") or qname.lower() == "lab" else 0
    rflags = 0x8000 | aa | (flags & 0x0100) | 0x0080 | rcode
    body = b""
    for (n, t, d) in answers:
        rd = socket.inet_aton(d) if t == 1 else enc(d)
        body += enc(n) + struct.pack("!HHIH", t, 1, 300, len(rd)) + rd
    s.sendto(struct.pack("!HHHHHH", qid, rflags, 1, len(answers), 0, 0) + question + body, peer)
PY
}

SCENARIOS+=(nslookup)
sc_nslookup() {
  scenario nslookup "busybox nslookup against an authoritative server: A, several A, CNAME, NXDOMAIN, non-authoritative, no server"
  ns lta ltb
  run "ip -n lta link add v1 type veth peer name v2 netns ltb"
  run "ip -n lta addr add 10.0.0.1/24 dev v1"
  run "ip -n ltb addr add 10.0.0.2/24 dev v2"
  run "ip -n lta link set v1 up"
  run "ip -n ltb link set v2 up"
  settle
  run "ip netns exec ltb nslookup web.lab 10.0.0.1"
  dns_server
  ip netns exec lta python3 "$WORK/dns.py" 10.0.0.1 >/dev/null 2>&1 &
  for _ in 1 2 3 4 5 6 7 8 9 10; do ip netns exec lta ss -lun 2>/dev/null | grep -q '10.0.0.1:53' && break; sleep 0.3; done
  run "ip netns exec ltb nslookup web.lab 10.0.0.1"
  run "ip netns exec ltb nslookup multi.lab 10.0.0.1"
  run "ip netns exec ltb nslookup alias.lab 10.0.0.1"
  run "ip netns exec ltb nslookup nope.lab 10.0.0.1"
  run "ip netns exec ltb nslookup ext.example 10.0.0.1"
  run "ip netns exec ltb nslookup -type=a web.lab 10.0.0.1"
  run "ip netns exec ltb nslookup web.lab 10.0.0.9"
  run "ip netns exec ltb nslookup"
  run "ip netns exec ltb nslookup -type=bogus web.lab 10.0.0.1"
  # ip netns exec bind-mounts /etc/netns/NAME/* over /etc: the client's resolv.conf.
  NETNS_ETC=/etc/netns/ltb
  run "mkdir -p /etc/netns/ltb && printf 'nameserver 10.0.0.1\\nsearch lab\\n' > /etc/netns/ltb/resolv.conf"
  run "ip netns exec ltb nslookup web"
  run "ip netns exec ltb nslookup gw.lab"
  run "ip netns exec ltb nslookup nope"
  run "ip netns exec ltb ping -c 1 gw.lab" "rtt"
  run "ip netns exec ltb ping -c 1 nope.lab"
  run "mkdir -p /tmp/ltdns && printf 'ok\\n' > /tmp/ltdns/index.html"
  run "ip netns exec lta httpd -p 8080 -h /tmp/ltdns"
  hostonly "sleep 0.5"
  run "ip netns exec ltb wget -O - http://gw.lab:8080/"
  run "ip netns exec ltb wget -q -O - http://gw:8080/"
  run "ip netns exec ltb wget -q -O - http://nope.lab:8080/"
  run "rm -rf /tmp/ltdns /etc/netns/ltb"
}

SCENARIOS+=(nc)
sc_nc() {
  scenario nc "busybox nc as a client: a raw HTTP exchange with busybox httpd, refused, unreachable, no port, usage"
  ns lta ltb
  run "ip -n lta link add v1 type veth peer name v2 netns ltb"
  run "ip -n lta addr add 10.0.0.1/24 dev v1"
  run "ip -n ltb addr add 10.0.0.2/24 dev v2"
  run "ip -n lta link set v1 up"
  run "ip -n ltb link set v2 up"
  settle
  run "mkdir -p /tmp/ltnc && printf 'hi\\n' > /tmp/ltnc/index.html"
  run "ip netns exec lta httpd -p 8080 -h /tmp/ltnc"
  hostonly "sleep 0.5"
  run "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | ip netns exec ltb nc 10.0.0.1 8080" "date"
  run "printf 'HEAD /index.html HTTP/1.0\\r\\n\\r\\n' | ip netns exec ltb nc 10.0.0.1 8080" "date"
  run "printf 'GET /nope HTTP/1.0\\r\\n\\r\\n' | ip netns exec ltb nc 10.0.0.1 8080" "date"
  run "printf 'BREW / HTTP/1.0\\r\\n\\r\\n' | ip netns exec ltb nc 10.0.0.1 8080" "date"
  run "ip netns exec ltb nc 10.0.0.1 9999 </dev/null"
  run "ip netns exec ltb nc 10.99.0.1 80 </dev/null"
  run "ip netns exec ltb nc 10.0.0.1 </dev/null"
  run "ip netns exec ltb nc"
  run "ip netns exec ltb nc -x 10.0.0.1 80"
  run "rm -rf /tmp/ltnc"
}

for s in "${SCENARIOS[@]}"; do
  sel "$s" || continue
  "sc_$s"
  finish
done
