#!/usr/bin/env bash
# The filter table on a "host" namespace with two "containers" on a bridge. Bridged traffic passes
# the FORWARD chain (br_netfilter, net.bridge.bridge-nf-call-iptables=1, as on Docker hosts), so a
# FORWARD policy DROP cuts the bridge. REJECT vs DROP as a client sees them, a stateful rule pair,
# user chains, listings (-L -n -v, --line-numbers, -S, iptables-save), counters, and errors.
ip netns add rec-fw
ip netns add rec-c1
ip netns add rec-c2
ip netns exec rec-fw sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-c1 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-c2 sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n rec-fw link add br0 type bridge
ip -n rec-fw addr add 172.20.0.1/24 dev br0
ip -n rec-fw link set br0 up
ip -n rec-fw link add veth1 type veth peer name eth0 netns rec-c1
ip -n rec-fw link add veth2 type veth peer name eth0 netns rec-c2
ip -n rec-fw link set veth1 master br0 up
ip -n rec-fw link set veth2 master br0 up
ip -n rec-c1 addr add 172.20.0.11/24 dev eth0
ip -n rec-c2 addr add 172.20.0.12/24 dev eth0
ip -n rec-c1 link set eth0 up
ip -n rec-c2 link set eth0 up
ip -n rec-c2 link set lo up
mkdir -p /tmp/rec-www
echo "hello from rec-c2" > /tmp/rec-www/index.html
ip netns exec rec-c2 httpd -p 80 -h /tmp/rec-www
ip netns exec rec-fw sysctl net.bridge.bridge-nf-call-iptables
ip netns exec rec-fw iptables -L -n
ip netns exec rec-c1 ping -c 1 172.20.0.12
ip netns exec rec-c1 wget -q -O - http://172.20.0.12/
ip netns exec rec-fw iptables -P FORWARD DROP
ip netns exec rec-c1 ping -c 1 -W 1 172.20.0.12
ip netns exec rec-c1 ping -c 1 172.20.0.1
ip netns exec rec-fw iptables -A FORWARD -i br0 -o br0 -j ACCEPT
ip netns exec rec-c1 ping -c 1 172.20.0.12
ip netns exec rec-fw iptables -I FORWARD 1 -p tcp --dport 80 -j REJECT
ip netns exec rec-c1 wget -q -O - http://172.20.0.12/
ip netns exec rec-fw iptables -R FORWARD 1 -p tcp --dport 80 -j REJECT --reject-with tcp-reset
ip netns exec rec-c1 wget -q -O - http://172.20.0.12/
ip netns exec rec-fw iptables -R FORWARD 1 -p tcp --dport 80 -j DROP
ip netns exec rec-c1 timeout 2 wget -q -O - http://172.20.0.12/
ip netns exec rec-fw iptables -L FORWARD -n -v --line-numbers
ip netns exec rec-fw iptables -D FORWARD 1
ip netns exec rec-fw iptables -I FORWARD -p icmp -j REJECT
ip netns exec rec-c1 ping -c 1 -W 1 172.20.0.12
ip netns exec rec-fw iptables -D FORWARD -p icmp -j REJECT
ip netns exec rec-fw iptables -D FORWARD -p icmp -j REJECT
ip netns exec rec-fw iptables -F FORWARD
ip netns exec rec-fw iptables -N STATEFUL
ip netns exec rec-fw iptables -A STATEFUL -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ip netns exec rec-fw iptables -A STATEFUL -s 172.20.0.11 -j ACCEPT
ip netns exec rec-fw iptables -A STATEFUL -j DROP
ip netns exec rec-fw iptables -A FORWARD -j STATEFUL
ip netns exec rec-c1 wget -q -O - http://172.20.0.12/
ip netns exec rec-c1 ping -c 1 172.20.0.12
ip netns exec rec-c2 ping -c 1 -W 1 172.20.0.11
ip netns exec rec-fw iptables -S
ip netns exec rec-fw iptables -L STATEFUL -n -v
ip netns exec rec-fw iptables -Z STATEFUL
ip netns exec rec-fw iptables -L STATEFUL -n -v
ip netns exec rec-fw iptables-save -t filter
ip netns exec rec-fw iptables -X STATEFUL
ip netns exec rec-fw iptables -N STATEFUL
ip netns exec rec-fw iptables -A NOSUCH -j ACCEPT
ip netns exec rec-fw iptables -A FORWARD -j NOSUCH
ip netns exec rec-fw iptables -P STATEFUL DROP
ip netns exec rec-fw iptables -P FORWARD REJECT
ip netns exec rec-fw iptables -A FORWARD -p tcp --dport 99999 -j ACCEPT
ip netns exec rec-fw iptables -A FORWARD -s 300.1.1.1 -j ACCEPT
ip netns exec rec-fw iptables --bogus
ip netns exec rec-fw iptables -t nosuch -L
ip netns exec rec-fw iptables -F
ip netns exec rec-fw iptables -X STATEFUL
ip netns exec rec-fw iptables -P FORWARD ACCEPT
ip netns exec rec-fw iptables -A INPUT -s 172.20.0.11 -p icmp -j DROP
ip netns exec rec-c1 ping -c 1 -W 1 172.20.0.1
ip netns exec rec-c2 ping -c 1 172.20.0.1
ip netns exec rec-fw iptables -L INPUT -n -v -x
ip netns exec rec-fw iptables -L -n
# @cleanup
ip netns pids rec-c2 | xargs -r kill
ip netns del rec-c1
ip netns del rec-c2
ip netns del rec-fw
rm -rf /tmp/rec-www
