#!/usr/bin/env bash
# What the VXLAN overhead does to packet sizes: two "hosts" on one underlay, a flannel-style VXLAN
# device each (MTU 1450 = 1500 - 50), containers still at MTU 1500. An echo that fits (1422 data
# bytes + 28 = 1450) passes; one byte more is lost once (the forwarding host answers "fragmentation
# needed" and the container learns the path MTU), then passes fragmented; with the container's MTU
# at 1450 it is fragmented from the start. Counters on host 2 show 50 bytes of overhead per packet.
ip netns add rec-h1
ip netns add rec-h2
ip netns add rec-c1
ip netns add rec-c2
ip netns exec rec-h1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-h2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-c1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-c2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-h1 sysctl -q -w net.ipv4.ip_forward=1
ip netns exec rec-h2 sysctl -q -w net.ipv4.ip_forward=1
ip -n rec-h1 link add eth0 type veth peer name eth0 netns rec-h2
ip -n rec-h1 addr add 192.168.56.11/24 dev eth0
ip -n rec-h2 addr add 192.168.56.12/24 dev eth0
ip -n rec-h1 link set eth0 up
ip -n rec-h2 link set eth0 up
ip -n rec-h1 link add cni0 type bridge
ip -n rec-h2 link add cni0 type bridge
ip -n rec-h1 addr add 10.244.1.1/24 dev cni0
ip -n rec-h2 addr add 10.244.2.1/24 dev cni0
ip -n rec-h1 link set cni0 up
ip -n rec-h2 link set cni0 up
ip -n rec-h1 link add veth-c1 type veth peer name eth0 netns rec-c1
ip -n rec-h2 link add veth-c2 type veth peer name eth0 netns rec-c2
ip -n rec-h1 link set veth-c1 master cni0 up
ip -n rec-h2 link set veth-c2 master cni0 up
ip -n rec-c1 addr add 10.244.1.2/24 dev eth0
ip -n rec-c2 addr add 10.244.2.2/24 dev eth0
ip -n rec-c1 link set eth0 up
ip -n rec-c2 link set eth0 up
ip -n rec-c1 route add default via 10.244.1.1
ip -n rec-c2 route add default via 10.244.2.1
ip -n rec-h1 link add vxlan0 address 0e:00:00:00:01:00 type vxlan id 1 local 192.168.56.11 dev eth0 dstport 8472 nolearning
ip -n rec-h2 link add vxlan0 address 0e:00:00:00:02:00 type vxlan id 1 local 192.168.56.12 dev eth0 dstport 8472 nolearning
ip -n rec-h1 addr add 10.244.1.0/32 dev vxlan0
ip -n rec-h2 addr add 10.244.2.0/32 dev vxlan0
ip -n rec-h1 link set vxlan0 up
ip -n rec-h2 link set vxlan0 up
ip -n rec-h1 route add 10.244.2.0/24 via 10.244.2.0 dev vxlan0 onlink
ip -n rec-h2 route add 10.244.1.0/24 via 10.244.1.0 dev vxlan0 onlink
ip -n rec-h1 neigh add 10.244.2.0 lladdr 0e:00:00:00:02:00 dev vxlan0 nud permanent
ip -n rec-h2 neigh add 10.244.1.0 lladdr 0e:00:00:00:01:00 dev vxlan0 nud permanent
ip netns exec rec-h1 bridge fdb append 0e:00:00:00:02:00 dev vxlan0 dst 192.168.56.12
ip netns exec rec-h2 bridge fdb append 0e:00:00:00:01:00 dev vxlan0 dst 192.168.56.11
ip netns exec rec-h2 iptables -A INPUT -i eth0 -p udp --dport 8472
ip netns exec rec-h2 iptables -A INPUT -i eth0 -s 10.244.0.0/16
ip netns exec rec-c1 ping -c 1 10.244.2.2
ip netns exec rec-h2 iptables -L INPUT -n -v -x
ip netns exec rec-h2 iptables -Z INPUT
ip netns exec rec-c1 ping -c 1 -s 1422 10.244.2.2
ip netns exec rec-h2 iptables -L INPUT -n -v -x
ip netns exec rec-c1 ping -c 1 -W 1 -s 1423 10.244.2.2
ip -n rec-c1 route get 10.244.2.2
ip netns exec rec-c1 ping -c 1 -W 1 -s 1423 10.244.2.2
ip -n rec-h1 route get 10.244.2.2
ip netns exec rec-c2 ping -c 1 -W 1 -s 1423 10.244.1.2
ip -n rec-c2 link set eth0 mtu 1450
ip netns exec rec-c2 ping -c 1 -W 1 -s 1473 10.244.1.2
ip netns exec rec-c2 cat /sys/class/net/eth0/mtu
# @cleanup
ip netns del rec-c1
ip netns del rec-c2
ip netns del rec-h1
ip netns del rec-h2
