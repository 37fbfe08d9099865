#!/usr/bin/env bash
# Two namespaces joined by a veth pair: link and address listings before and after, the scope-link
# route an address makes, a ping, the neighbour entry it leaves, /sys/class/net, and the errors of
# adding what exists.
ip netns add rec-a
ip netns add rec-b
ip -n rec-a link show
ip -n rec-a link add veth-a type veth peer name veth-b netns rec-b
ip -n rec-a link show
ip -n rec-b link show
ip -n rec-a addr add 10.0.0.1/24 dev veth-a
ip -n rec-b addr add 10.0.0.2/24 dev veth-b
ip -n rec-a link set veth-a up
ip -n rec-b link set veth-b up
ip -n rec-a link set lo up
ip -n rec-b link set lo up
ip -n rec-a addr show
ip -n rec-a -br addr
ip -n rec-b -o link show veth-b
ip -n rec-a route show
ip netns exec rec-a cat /sys/class/net/veth-a/ifindex /sys/class/net/veth-a/iflink /sys/class/net/veth-a/mtu /sys/class/net/veth-a/operstate
ip netns exec rec-a ping -c 2 10.0.0.2
ip -n rec-a neigh show
ip netns exec rec-a ping -c 1 -W 1 10.0.0.99
ip netns exec rec-a ping -c 1 -W 1 192.168.77.1
ip -n rec-a route get 10.0.0.2
ip -n rec-a addr add 10.0.0.1/24 dev veth-a
ip netns add rec-a
ip -n rec-a link add veth-a type veth peer name veth-c
ip -n rec-a link set veth-a down
ip -n rec-a link show veth-a
ip -n rec-a link del veth-a
ip -n rec-b link show
ip -n rec-a link show nosuchdev
ip netns exec rec-a ip link set lo mtu 1400
ip netns exec rec-a ip -br link
# @cleanup
ip netns del rec-a
ip netns del rec-b
