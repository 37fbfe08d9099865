#!/usr/bin/env bash
# UDP as a client sees it: busybox nslookup against an address where nothing listens (the ICMP port
# unreachable: with two queries the second write fails, with one each read does), behind a DNAT to another port, and with a REJECT rule; conntrack shows each flow in
# the router and the server namespace. Namespace names as they appear in `ip netns list`.
ip netns add rec-u1
ip netns add rec-u2
ip netns exec rec-u1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-u2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n rec-u1 link add eth0 type veth peer name eth0 netns rec-u2
ip -n rec-u1 addr add 10.5.0.1/24 dev eth0
ip -n rec-u2 addr add 10.5.0.2/24 dev eth0
ip -n rec-u1 link set eth0 up
ip -n rec-u2 link set eth0 up
ip -n rec-u1 link set lo up
ip -n rec-u2 link set lo up
ip netns list | grep rec-u
ip -n rec-u1 link show eth0
ip netns exec rec-u2 iptables -A INPUT -m conntrack --ctstate INVALID
ip netns exec rec-u1 nslookup example.lab 10.5.0.2
ip netns exec rec-u1 nslookup -type=a -timeout=2 example.lab 10.5.0.2
ip netns exec rec-u2 conntrack -L -p udp
ip netns exec rec-u2 iptables -A INPUT -p udp --dport 53 -j REJECT
ip netns exec rec-u1 nslookup example.lab 10.5.0.2
ip netns exec rec-u2 iptables -R INPUT 2 -p udp --dport 53 -j DROP
ip netns exec rec-u1 timeout 3 nslookup example.lab 10.5.0.2
ip netns exec rec-u2 iptables -L INPUT -n -v
ip netns exec rec-u2 conntrack -L -p udp
ip netns exec rec-u2 iptables -t nat -A PREROUTING -p udp --dport 5353 -j DNAT --to-destination 10.5.0.2:53
ip netns exec rec-u2 iptables -t nat -S
ip netns exec rec-u2 conntrack -F
ip netns exec rec-u1 timeout 3 nslookup -port=5353 example.lab 10.5.0.2
ip netns exec rec-u2 conntrack -L
# @cleanup
ip netns del rec-u1
ip netns del rec-u2
