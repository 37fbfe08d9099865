#!/usr/bin/env bash
# The routing scheme across two "hosts" (namespaces rec-h1, rec-h2) joined by an underlay link
# 192.168.56.0/24, each with a bridge and one "container" behind it: no path before the static
# routes, a path after them (ttl shows the hops), route lookups, and what a gateway that is not on
# a connected network gets. IPv6 is off in every namespace so that listings show IPv4 only; the hosts
# forward because the scenario says so (a new namespace copies ip_forward from the initial one,
# which depends on the machine: Docker sets it to 1).
ip netns add rec-h1
ip netns add rec-h2
ip netns add rec-c1
ip netns add rec-c2
ip netns exec rec-h1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-h2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-c1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-c2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-h1 sysctl -w net.ipv4.ip_forward=1
ip netns exec rec-h2 sysctl -w net.ipv4.ip_forward=1
ip -n rec-h1 link add eth0 type veth peer name eth0 netns rec-h2
ip -n rec-h1 addr add 192.168.56.11/24 dev eth0
ip -n rec-h2 addr add 192.168.56.12/24 dev eth0
ip -n rec-h1 link set eth0 up
ip -n rec-h2 link set eth0 up
ip -n rec-h1 link add br0 type bridge
ip -n rec-h2 link add br0 type bridge
ip -n rec-h1 addr add 10.244.1.1/24 dev br0
ip -n rec-h2 addr add 10.244.2.1/24 dev br0
ip -n rec-h1 link set br0 up
ip -n rec-h2 link set br0 up
ip -n rec-h1 link add veth-c1 type veth peer name eth0 netns rec-c1
ip -n rec-h2 link add veth-c2 type veth peer name eth0 netns rec-c2
ip -n rec-h1 link set veth-c1 master br0 up
ip -n rec-h2 link set veth-c2 master br0 up
ip -n rec-c1 addr add 10.244.1.2/24 dev eth0
ip -n rec-c2 addr add 10.244.2.2/24 dev eth0
ip -n rec-c1 link set eth0 up
ip -n rec-c2 link set eth0 up
ip -n rec-c1 route add default via 10.244.1.1
ip -n rec-c2 route add default via 10.244.2.1
ip netns exec rec-h1 ping -c 1 192.168.56.12
ip netns exec rec-c1 ping -c 1 10.244.1.1
ip netns exec rec-c1 ping -c 1 192.168.56.11
ip netns exec rec-c1 ping -c 1 -W 1 10.244.2.2
ip -n rec-h1 route
ip -n rec-h1 route get 10.244.2.2
ip -n rec-h1 route add 10.244.2.0/24 via 192.168.56.12
ip -n rec-h2 route add 10.244.1.0/24 via 192.168.56.11
ip -n rec-h1 route
ip -n rec-h1 route get 10.244.2.2
ip netns exec rec-c1 ping -c 2 10.244.2.2
ip netns exec rec-c2 ping -c 1 10.244.1.2
ip -n rec-h1 neigh show dev eth0
ip -n rec-h1 route add 10.244.3.0/24 via 172.31.0.1
ip -n rec-h1 route add 10.244.2.0/24 via 192.168.56.12
ip -n rec-h1 route del 10.244.9.0/24
ip -n rec-h1 route add 10.244.3.0/24 via 192.168.56.13
ip netns exec rec-c1 ping -c 1 -W 1 10.244.3.5
ip -n rec-h1 neigh show dev eth0
ip -n rec-h1 route replace 10.244.2.0/24 dev eth0
ip -n rec-h1 route
ip netns exec rec-h1 sysctl -w net.ipv4.ip_forward=0
ip netns exec rec-c2 ping -c 1 -W 1 10.244.1.2
ip netns exec rec-c1 ping -c 1 -W 1 10.244.2.2
ip netns exec rec-h1 cat /proc/sys/net/ipv4/ip_forward
# @cleanup
ip netns del rec-c1
ip netns del rec-c2
ip netns del rec-h1
ip netns del rec-h2
