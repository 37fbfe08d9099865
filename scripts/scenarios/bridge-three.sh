#!/usr/bin/env bash
# One "host" namespace with a Linux bridge and three "containers" (namespaces) plugged into it by
# veth pairs, as docker0 does: brctl and bridge listings, FDB learning after pings, the bridge's
# own address as the containers' gateway, and a port taken out of the bridge. IPv6 is off in every
# namespace (its autoconfiguration traffic would make counters and FDB listings timing-dependent).
ip netns add rec-h
ip netns add rec-c1
ip netns add rec-c2
ip netns add rec-c3
ip netns exec rec-h sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-c1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-c2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-c3 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n rec-h link add br0 type bridge
ip -n rec-h addr add 172.18.0.1/24 dev br0
ip -n rec-h link set br0 up
ip -n rec-h link add veth1 type veth peer name eth0 netns rec-c1
ip -n rec-h link add veth2 type veth peer name eth0 netns rec-c2
ip -n rec-h link add veth3 type veth peer name eth0 netns rec-c3
ip -n rec-h link set veth1 master br0
ip -n rec-h link set veth2 master br0
ip -n rec-h link set veth3 master br0
ip -n rec-h link set veth1 up
ip -n rec-h link set veth2 up
ip -n rec-h link set veth3 up
ip -n rec-c1 addr add 172.18.0.11/24 dev eth0
ip -n rec-c2 addr add 172.18.0.12/24 dev eth0
ip -n rec-c3 addr add 172.18.0.13/24 dev eth0
ip -n rec-c1 link set eth0 up
ip -n rec-c2 link set eth0 up
ip -n rec-c3 link set eth0 up
ip -n rec-c1 route add default via 172.18.0.1
ip netns exec rec-h brctl show
ip netns exec rec-h brctl show br0
ip -n rec-h link show master br0
ip -n rec-h -d link show br0
ip -n rec-h -br link
ip netns exec rec-c1 ping -c 1 172.18.0.12
ip netns exec rec-c1 ping -c 1 172.18.0.13
ip netns exec rec-c1 ping -c 1 172.18.0.1
ip netns exec rec-h bridge fdb show br br0
ip netns exec rec-h bridge fdb show br br0 | grep -v permanent
ip netns exec rec-h bridge fdb show dev veth2
ip -n rec-c1 neigh show
ip -n rec-h neigh show
ip -n rec-c1 route
ip netns exec rec-c2 ping -c 1 -W 1 8.8.8.8
ip -n rec-h link set veth3 nomaster
ip netns exec rec-c1 ping -c 1 -W 1 172.18.0.13
ip netns exec rec-h brctl show
ip netns exec rec-h brctl addbr br1
ip netns exec rec-h brctl addif br1 veth3
ip netns exec rec-h brctl addbr br1
ip netns exec rec-h brctl show
ip netns exec rec-h ifconfig br0
ip netns exec rec-c1 ifconfig
ip -n rec-h link del br0
ip -n rec-h link show veth1
# @cleanup
ip netns del rec-c1
ip netns del rec-c2
ip netns del rec-c3
ip netns del rec-h
