/**
 * Programs that exist on a real Linux host (Debian with iproute2, iptables, Docker and
 * Kubernetes tooling) but may be missing from the simulator. Running one of these in the
 * simulator prints `lab: NAME: not available in the simulator (available: ...)`; a name not
 * in this list (a typo) gets the real shell's own `command not found`.
 */
export const KNOWN_REAL_PROGRAMS: ReadonlySet<string> = new Set(`
apt apt-get arp arping bash bc brctl bridge bunzip2 busybox bzip2 cat chattr chgrp chmod chown chroot cksum clear cmp
conntrack containerd cp crictl crontab csplit ctr curl cut dash date dd df diff dig dmesg dnsdomainname docker dockerd du
ebtables egrep env ethtool expand expr factor false fgrep file find flock fmt free fuser getent getfacl grep groups gunzip
gzip head hexdump host hostname hostnamectl htop id ifconfig ifdown ifup install ionice ip ip6tables ip6tables-save
ip6tables-restore ipcalc iperf iperf3 ipset iptables iptables-legacy iptables-nft iptables-restore iptables-save
ipvsadm iw journalctl jq kill killall kubeadm kubectl kubelet last less link ln locale logger login logname look losetup
ls lsattr lsblk lsmod lsns lsof make man md5sum mkdir mkfifo mknod mktemp modprobe more mount mtr mv nano nc ncat netcat
netstat nft nice nl nmap nohup nproc nslookup numfmt od openssl passwd paste pgrep pidof ping ping6 pkill
pmap printenv printf ps pstree pwd python python3 readlink realpath reboot rename renice resolvectl rev rm rmdir rmmod
route rsync runc runuser scp script sed seq setfacl setsid sh sha1sum sha256sum sha512sum shred shuf sleep socat sort
split ss ssh ssh-keygen stat stdbuf strace stty su sudo sum swapoff swapon sync sysctl systemctl systemd-resolve tac tail
tar taskset tc tcpdump tcptraceroute tee telnet test time timedatectl timeout top touch tr tracepath traceroute tree
true truncate tsort tty tune2fs umount uname unexpand uniq unlink unshare unzip uptime useradd usermod users vi vim
vmstat w wall watch wc wget whereis which who whoami xargs xxd yes zcat zip
`.trim().split(/\s+/));
