#!/usr/bin/env bash
# NAT on a router namespace between a client network 10.1.0.0/24 and a server network 10.2.0.0/24
# whose server (busybox httpd) has no route back to the clients: MASQUERADE makes the reply find
# its way, DNAT publishes the server on the router's port 8080 (as docker -p does), SNAT to a
# chosen address; conntrack -L on the router and on the server shows who saw which address.
# The server's INPUT rule only switches conntrack on there (the kernel tracks a namespace's flows
# only once a rule needs it). IPv6 is off everywhere.
ip netns add rec-cl
ip netns add rec-nat
ip netns add rec-sv
ip netns exec rec-cl sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-nat sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec rec-sv sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n rec-nat link add eth0 type veth peer name eth0 netns rec-cl
ip -n rec-nat link add eth1 type veth peer name eth0 netns rec-sv
ip -n rec-nat addr add 10.1.0.1/24 dev eth0
ip -n rec-nat addr add 10.2.0.1/24 dev eth1
ip -n rec-cl addr add 10.1.0.2/24 dev eth0
ip -n rec-sv addr add 10.2.0.2/24 dev eth0
ip -n rec-nat link set eth0 up
ip -n rec-nat link set eth1 up
ip -n rec-cl link set eth0 up
ip -n rec-sv link set eth0 up
ip -n rec-cl link set lo up
ip -n rec-sv link set lo up
ip -n rec-cl route add default via 10.1.0.1
ip netns exec rec-nat sysctl -w net.ipv4.ip_forward=1
mkdir -p /tmp/rec-www
echo "hello from rec-sv" > /tmp/rec-www/index.html
ip netns exec rec-sv httpd -p 80 -h /tmp/rec-www
ip netns exec rec-sv iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
ip netns exec rec-sv wget -q -O - http://127.0.0.1/
ip netns exec rec-sv wget -q -O - http://10.2.0.2:81/
ip netns exec rec-nat wget -q -O - http://10.2.0.2/
ip netns exec rec-nat wget -O - http://10.2.0.2/nothere
ip netns exec rec-cl ping -c 1 -W 1 10.2.0.2
ip netns exec rec-cl timeout 2 wget -q -O - http://10.2.0.2/
ip netns exec rec-sv conntrack -F
ip netns exec rec-nat iptables -t nat -A POSTROUTING -s 10.1.0.0/24 -o eth1 -j MASQUERADE
ip netns exec rec-cl ping -c 1 10.2.0.2
ip netns exec rec-cl wget -q -O - http://10.2.0.2/
ip netns exec rec-nat conntrack -L
ip netns exec rec-sv conntrack -L
ip netns exec rec-nat iptables -t nat -A PREROUTING -d 10.1.0.1 -p tcp --dport 8080 -j DNAT --to-destination 10.2.0.2:80
ip netns exec rec-cl wget -q -O - http://10.1.0.1:8080/
ip netns exec rec-nat conntrack -L -p tcp --dport 8080
ip netns exec rec-nat iptables -t nat -L -n -v
ip netns exec rec-nat iptables -t nat -S
ip netns exec rec-nat iptables -t nat -D POSTROUTING -s 10.1.0.0/24 -o eth1 -j MASQUERADE
ip netns exec rec-nat conntrack -F
ip netns exec rec-sv conntrack -F
ip netns exec rec-cl timeout 2 wget -q -O - http://10.1.0.1:8080/
ip netns exec rec-nat ip addr add 10.2.0.254/24 dev eth1
ip netns exec rec-nat iptables -t nat -A POSTROUTING -o eth1 -j SNAT --to-source 10.2.0.254
ip netns exec rec-sv conntrack -F
ip netns exec rec-cl wget -q -O - http://10.1.0.1:8080/
ip netns exec rec-sv conntrack -L -p tcp
ip netns exec rec-cl wget -q -O - http://10.1.0.1:8081/
ip netns exec rec-nat iptables -t nat -A PREROUTING -d 10.9.9.9 -p icmp -j DNAT --to-destination 10.2.0.2
ip netns exec rec-cl ping -c 1 10.9.9.9
ip netns exec rec-nat conntrack -L -p icmp
ip netns exec rec-nat iptables-save -t nat
ip netns exec rec-nat iptables -t nat -L POSTROUTING -n --line-numbers
ip netns exec rec-nat iptables -t nat -A POSTROUTING -j MASQUERADE --to-source 1.2.3.4
ip netns exec rec-nat iptables -t nat -A PREROUTING -p tcp -j DNAT
# @cleanup
ip netns pids rec-sv | xargs -r kill
ip netns del rec-cl
ip netns del rec-nat
ip netns del rec-sv
rm -rf /tmp/rec-www
