#!/usr/bin/env bash
# Counters as iptables-nft 1.8.9 shows them: a built-in chain that `-A` created implicitly shows its
# policy counters as 0 while packets fall through to the policy; after `-Z` (or `-P`) on the chain
# they count. Rule counters always count. Loopback pings inside namespace rec-k.
ip netns add rec-k
ip -n rec-k link set lo up
ip netns exec rec-k iptables -A INPUT -p icmp
ip netns exec rec-k ping -c 1 127.0.0.1
ip netns exec rec-k iptables -L INPUT -n -v
ip netns exec rec-k iptables -L OUTPUT -n -v
ip netns exec rec-k iptables -Z INPUT
ip netns exec rec-k ping -c 1 127.0.0.1
ip netns exec rec-k iptables -L INPUT -n -v
ip netns exec rec-k iptables -P OUTPUT ACCEPT
ip netns exec rec-k ping -c 1 127.0.0.1
ip netns exec rec-k iptables -L OUTPUT -n -v
ip netns exec rec-k iptables-save -c
ip netns exec rec-k iptables -L -n -v -x --line-numbers
ip netns exec rec-k iptables -S -v
ip netns exec rec-k iptables -Z
ip netns exec rec-k iptables -S INPUT -v
# @cleanup
ip netns del rec-k
