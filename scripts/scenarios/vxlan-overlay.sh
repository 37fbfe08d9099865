#!/usr/bin/env bash
# The tunnel scheme: two "hosts" in different underlay subnets joined by a router (rec-r) that knows
# nothing of the container networks 10.244.1.0/24 and 10.244.2.0/24. A flannel-style VXLAN device
# (VNI 1, port 8472, nolearning) on each host, with the route, permanent neighbour and FDB entry
# that name the remote VTEP; counting rules on the router show that it forwards only UDP between
# the hosts. A second VXLAN device shows the all-zero flooding entry. IPv6 is off everywhere.
ip netns add rec-r
ip netns add rec-h1
ip netns add rec-h2
ip netns add rec-c1
ip netns add rec-c2
ip netns exec rec-r sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-h1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-h2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-c1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-c2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-h1 sysctl -q -w net.ipv4.ip_forward=1
ip netns exec rec-h2 sysctl -q -w net.ipv4.ip_forward=1
ip netns exec rec-r sysctl -w net.ipv4.ip_forward=1
ip -n rec-r link add eth1 type veth peer name eth0 netns rec-h1
ip -n rec-r link add eth2 type veth peer name eth0 netns rec-h2
ip -n rec-r addr add 192.168.1.1/24 dev eth1
ip -n rec-r addr add 192.168.2.1/24 dev eth2
ip -n rec-r link set eth1 up
ip -n rec-r link set eth2 up
ip -n rec-h1 addr add 192.168.1.10/24 dev eth0
ip -n rec-h2 addr add 192.168.2.10/24 dev eth0
ip -n rec-h1 link set eth0 up
ip -n rec-h2 link set eth0 up
ip -n rec-h1 route add default via 192.168.1.1
ip -n rec-h2 route add default via 192.168.2.1
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
ip netns exec rec-h1 ping -c 1 192.168.2.10
ip netns exec rec-c1 ping -c 1 -W 1 10.244.2.2
ip netns exec rec-r iptables -A FORWARD -p udp --dport 8472
ip netns exec rec-r iptables -A FORWARD -s 10.244.0.0/16
ip netns exec rec-r iptables -A FORWARD -d 10.244.0.0/16
ip -n rec-h1 link add vxlan0 address 0e:00:00:00:01:00 type vxlan id 1 local 192.168.1.10 dev eth0 dstport 8472 nolearning
ip -n rec-h2 link add vxlan0 address 0e:00:00:00:02:00 type vxlan id 1 local 192.168.2.10 dev eth0 dstport 8472 nolearning
ip -n rec-h1 addr add 10.244.1.0/32 dev vxlan0
ip -n rec-h2 addr add 10.244.2.0/32 dev vxlan0
ip -n rec-h1 link set vxlan0 up
ip -n rec-h2 link set vxlan0 up
ip -n rec-h1 -d link show vxlan0
ip -n rec-h1 link show vxlan0
ip -n rec-h1 route add 10.244.2.0/24 via 10.244.2.0 dev vxlan0 onlink
ip -n rec-h2 route add 10.244.1.0/24 via 10.244.1.0 dev vxlan0 onlink
ip -n rec-h1 neigh add 10.244.2.0 lladdr 0e:00:00:00:02:00 dev vxlan0 nud permanent
ip -n rec-h2 neigh add 10.244.1.0 lladdr 0e:00:00:00:01:00 dev vxlan0 nud permanent
ip netns exec rec-h1 bridge fdb append 0e:00:00:00:02:00 dev vxlan0 dst 192.168.2.10
ip netns exec rec-h2 bridge fdb append 0e:00:00:00:01:00 dev vxlan0 dst 192.168.1.10
ip -n rec-h1 route
ip -n rec-h1 route get 10.244.2.2
ip -n rec-h1 neigh show dev vxlan0
ip netns exec rec-h1 bridge fdb show dev vxlan0
ip netns exec rec-c1 ping -c 2 10.244.2.2
ip netns exec rec-c2 ping -c 1 10.244.1.2
ip netns exec rec-r iptables -L FORWARD -n -v -x
ip -n rec-r route
ip -n rec-h1 -s link show vxlan0
ip netns exec rec-h1 cat /sys/class/net/vxlan0/mtu
ip -n rec-h1 link set vxlan0 mtu 1500
ip -n rec-h1 link add vxlan0 type vxlan id 2 dstport 4789
ip -n rec-h1 link add vxlan1 type vxlan id 1 local 192.168.1.10 dev eth0 dstport 8472
ip -n rec-h1 link add vxlan2 type vxlan id 2 dstport 4789 dev eth0
ip -n rec-h1 link add vxlan3 type vxlan id 3 local 192.168.1.10
ip -n rec-h1 -d link show vxlan2
ip -n rec-h1 -d link show vxlan3
ip netns exec rec-h1 bridge fdb append 00:00:00:00:00:00 dev vxlan2 dst 192.168.2.10
ip netns exec rec-h1 bridge fdb append 00:00:00:00:00:00 dev vxlan2 dst 192.168.2.11
ip netns exec rec-h1 bridge fdb show dev vxlan2
ip netns exec rec-h1 bridge fdb del 00:00:00:00:00:00 dev vxlan2 dst 192.168.2.11
ip netns exec rec-h1 bridge fdb show dev vxlan2
ip -n rec-h1 neigh del 10.244.2.0 dev vxlan0
ip netns exec rec-c1 ping -c 1 -W 1 10.244.2.2
ip -n rec-h1 neigh show dev vxlan0
# @cleanup
ip netns del rec-c1
ip netns del rec-c2
ip netns del rec-h1
ip netns del rec-h2
ip netns del rec-r
