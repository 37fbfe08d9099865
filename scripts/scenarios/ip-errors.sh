#!/usr/bin/env bash
# What iproute2 answers to the usual mistakes, each inside namespace rec-e: unknown objects and
# options, missing devices and namespaces, bad addresses and prefixes, a link kind that this
# kernel lacks, deleting what is not there; and conntrack, which lists nothing in a namespace
# until a rule there needs it.
ip netns add rec-e
ip -n rec-e link add v0 type veth peer name v1
ip -n rec-e link show
ip -n rec-e link set v0 up
ip -n rec-e link show v0
ip -n rec-e link show v1
ip -n rec-e addr add 10.3.0.1/24 dev v0
ip -n rec-e addr add 10.3.0.2/24 dev v1
ip -n rec-e link set v1 up
ip netns exec rec-e ping -c 1 10.3.0.2
ip -n rec-e link frobnicate
ip -n rec-e lnk show
ip -n rec-e link show dev nosuch
ip -n rec-e addr add 10.3.0.300/24 dev v0
ip -n rec-e addr add 10.3.0.9/33 dev v0
ip -n rec-e addr add 10.3.0.9/24 dev nosuch
ip -n rec-e addr del 10.3.0.77/24 dev v0
ip -n rec-e route add 10.7.0.0/16 dev nosuch
ip -n rec-e route add 10.7.0.0/16 via 10.3.0.2 dev v0
ip -n rec-e route add default via 10.3.0.2
ip -n rec-e route add default via 10.3.0.2
ip -n rec-e route
ip -n rec-e route show 10.7.0.0/16
ip -n rec-e route get 10.7.1.1
ip -n rec-e route get 8.8.8.8
ip -n rec-e link add br0 type bridge
ip -n rec-e link add d0 type dummy
ip -n rec-e link add x0 type nosuchkind
ip -n rec-e link add v0 type veth peer name v1
ip -n rec-e link del nosuch
ip -n rec-e link set v0 master nosuch
ip -n rec-e link set v0 master br0
ip -n rec-e link show master br0
ip -n rec-e link set v0 nomaster
ip -n rec-e link set v1 netns rec-nosuch
ip -n rec-nosuch link show
ip netns exec rec-nosuch true
ip netns del rec-nosuch
ip -n rec-e neigh add 10.3.0.50 lladdr 02:00:00:00:00:50 dev v0
ip -n rec-e neigh add 10.3.0.50 lladdr 02:00:00:00:00:50 dev v0
ip -n rec-e neigh replace 10.3.0.50 lladdr 02:00:00:00:00:51 dev v0
ip -n rec-e neigh show 10.3.0.50
ip -n rec-e neigh del 10.3.0.51 dev v0
ip netns exec rec-e sysctl net.ipv4.nosuch
ip netns exec rec-e sysctl -w net.ipv4.ip_forward=1
ip netns exec rec-e conntrack -L
ip netns exec rec-e iptables -t nat -A POSTROUTING -o v0 -j MASQUERADE
ip netns exec rec-e ping -c 1 10.3.0.2
ip netns exec rec-e conntrack -L
ip netns exec rec-e conntrack -L -p udp
ip -n rec-e link del v0
ip -n rec-e link show v1
ip -n rec-e route
# @cleanup
ip netns del rec-e
