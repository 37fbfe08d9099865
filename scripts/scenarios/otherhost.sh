#!/usr/bin/env bash
# Frames whose destination MAC is another host's (PACKET_OTHERHOST): eth_type_trans marks them and
# ip_rcv drops them before PREROUTING, also on a promiscuous device and with ip_forward=1. A veth
# pair with a wrong static neighbour (then the peer promiscuous, then arp off on the sender, whose
# frames carry its own MAC), and a bridge with three namespaces: an unknown unicast destination is
# flooded to every port and dropped in each namespace (c2 forwards nothing), and the host answers
# a frame sent to the bridge's or the ingress port's address but not to another port's. Fixed
# MACs keep neighbour entries exact; IPv6 is off (its traffic would make counters timing-dependent).
ip netns add rec-o1
ip netns add rec-o2
ip netns exec rec-o1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-o2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n rec-o1 link add v1 type veth peer name v2 netns rec-o2
ip -n rec-o1 link set v1 address 02:00:00:00:01:01
ip -n rec-o2 link set v2 address 02:00:00:00:01:02
ip -n rec-o1 addr add 10.0.7.1/24 dev v1
ip -n rec-o2 addr add 10.0.7.2/24 dev v2
ip -n rec-o1 link set v1 up
ip -n rec-o2 link set v2 up
ip netns exec rec-o2 iptables -A INPUT -p icmp
ip netns exec rec-o1 ping -c 1 -W 1 10.0.7.2
ip -n rec-o1 neigh replace 10.0.7.2 lladdr 02:00:00:00:00:99 dev v1 nud permanent
ip netns exec rec-o1 ping -c 1 -W 1 10.0.7.2
ip -n rec-o2 -s link show v2
ip netns exec rec-o2 iptables -L INPUT -n -v -x
ip -n rec-o2 link set v2 promisc on
ip netns exec rec-o1 ping -c 1 -W 1 10.0.7.2
ip netns exec rec-o2 iptables -L INPUT -n -v -x
ip -n rec-o2 link set v2 promisc off
ip -n rec-o1 neigh replace 10.0.7.2 lladdr 02:00:00:00:01:02 dev v1 nud permanent
ip netns exec rec-o1 ping -c 1 -W 1 10.0.7.2
ip netns exec rec-o2 iptables -L INPUT -n -v -x
ip -n rec-o1 neigh del 10.0.7.2 dev v1
ip -n rec-o1 link set v1 arp off
ip netns exec rec-o1 ping -c 1 -W 1 10.0.7.2
ip -n rec-o1 neigh show
ip netns exec rec-o2 iptables -L INPUT -n -v -x
ip -n rec-o2 -s link show v2
ip netns add rec-oh
ip netns add rec-oc1
ip netns add rec-oc2
ip netns add rec-oc3
ip netns exec rec-oh sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-oc1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-oc2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-oc3 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n rec-oh link add br0 type bridge
ip -n rec-oh link set br0 address 02:00:00:00:02:ff
ip -n rec-oh addr add 172.19.0.1/24 dev br0
ip -n rec-oh link set br0 up
ip -n rec-oh link add veth1 type veth peer name eth0 netns rec-oc1
ip -n rec-oh link add veth2 type veth peer name eth0 netns rec-oc2
ip -n rec-oh link add veth3 type veth peer name eth0 netns rec-oc3
ip -n rec-oh link set veth1 address 02:00:00:00:02:01
ip -n rec-oh link set veth2 address 02:00:00:00:02:02
ip -n rec-oh link set veth3 address 02:00:00:00:02:03
ip -n rec-oc1 link set eth0 address 02:00:00:00:03:01
ip -n rec-oc2 link set eth0 address 02:00:00:00:03:02
ip -n rec-oc3 link set eth0 address 02:00:00:00:03:03
ip -n rec-oh link set veth1 master br0
ip -n rec-oh link set veth2 master br0
ip -n rec-oh link set veth3 master br0
ip -n rec-oh link set veth1 up
ip -n rec-oh link set veth2 up
ip -n rec-oh link set veth3 up
ip -n rec-oc1 addr add 172.19.0.11/24 dev eth0
ip -n rec-oc2 addr add 172.19.0.12/24 dev eth0
ip -n rec-oc3 addr add 172.19.0.13/24 dev eth0
ip -n rec-oc1 link set eth0 up
ip -n rec-oc2 link set eth0 up
ip -n rec-oc3 link set eth0 up
ip netns exec rec-oc2 sysctl -q -w net.ipv4.ip_forward=1
ip netns exec rec-oc2 iptables -A FORWARD -p icmp
ip netns exec rec-oc2 iptables -A INPUT -p icmp
ip netns exec rec-oc3 iptables -A INPUT -p icmp
ip netns exec rec-oc1 ping -c 1 -W 1 172.19.0.13
ip -n rec-oc1 neigh replace 172.19.0.13 lladdr 02:00:00:00:00:99 dev eth0 nud permanent
ip netns exec rec-oc1 ping -c 1 -W 1 172.19.0.13
ip netns exec rec-oc2 iptables -L -n -v -x
ip netns exec rec-oc3 iptables -L INPUT -n -v -x
ip netns exec rec-oh bridge fdb show br br0 | grep -v permanent
ip -n rec-oc1 neigh replace 172.19.0.1 lladdr 02:00:00:00:02:03 dev eth0 nud permanent
ip netns exec rec-oc1 ping -c 1 -W 1 172.19.0.1
ip -n rec-oc1 neigh replace 172.19.0.1 lladdr 02:00:00:00:02:01 dev eth0 nud permanent
ip netns exec rec-oc1 ping -c 1 -W 1 172.19.0.1
ip -n rec-oc1 neigh replace 172.19.0.1 lladdr 02:00:00:00:02:ff dev eth0 nud permanent
ip netns exec rec-oc1 ping -c 1 -W 1 172.19.0.1
ip -n rec-oc1 neigh replace 172.19.0.1 lladdr 02:00:00:00:02:02 dev eth0 nud permanent
ip netns exec rec-oc1 ping -c 1 -W 1 172.19.0.1
ip netns exec rec-oc2 iptables -L -n -v -x
# @cleanup
ip netns del rec-o1
ip netns del rec-o2
ip netns del rec-oh
ip netns del rec-oc1
ip netns del rec-oc2
ip netns del rec-oc3
