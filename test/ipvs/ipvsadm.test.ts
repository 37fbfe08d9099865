/**
 * ipvsadm against its source: each step's full output and exit status as ipvsadm v1.31 prints
 * them (ipvsadm.c: list_all/print_title/print_service_entry/print_largenum/list_conn/
 * list_timeout, usage and fail() texts, generic_opt_check and the commands_v_options table;
 * libipvs.c ipvs_strerror; format strings confirmed in the Debian 12 /usr/sbin/ipvsadm). The
 * real tool cannot be recorded here (this kernel has no IPVS: "Can't initialize ipvs: Protocol
 * not available"), so the expectations below were checked by hand against those sources.
 * The traffic is real simulated traffic: wget from the node to a VIP on a dummy device,
 * httpd in two namespaces as real servers, so the counters and connections are computed: each GET
 * is 6 segments each way (src/sim/kernel/tcp.ts), in 60+52+125+52+52+52 = 393 bytes, out
 * 60+52+259+56+52+52 = 531.
 */
import { describe, expect, it } from "vitest";
import { createWorld } from "../../src/sim/index.js";

/** [command, exit status, output (stdout and stderr in order)] */
const STEPS: Array<[string, number, string]> = [
  ["ip link add kube-ipvs0 type dummy", 0, ""],
  ["ip addr add 10.96.0.10/32 dev kube-ipvs0", 0, ""],
  ["ip netns add rs1", 0, ""],
  ["ip link add h1 type veth peer name eth0 netns rs1", 0, ""],
  ["ip addr add 10.0.1.1/24 dev h1", 0, ""],
  ["ip link set h1 up", 0, ""],
  ["ip -n rs1 addr add 10.0.1.2/24 dev eth0", 0, ""],
  ["ip -n rs1 link set eth0 up", 0, ""],
  ["ip -n rs1 link set lo up", 0, ""],
  ["ip -n rs1 route add default via 10.0.1.1", 0, ""],
  ["ip netns add rs2", 0, ""],
  ["ip link add h2 type veth peer name eth0 netns rs2", 0, ""],
  ["ip addr add 10.0.2.1/24 dev h2", 0, ""],
  ["ip link set h2 up", 0, ""],
  ["ip -n rs2 addr add 10.0.2.2/24 dev eth0", 0, ""],
  ["ip -n rs2 link set eth0 up", 0, ""],
  ["ip -n rs2 link set lo up", 0, ""],
  ["ip -n rs2 route add default via 10.0.2.1", 0, ""],
  ["mkdir -p /tmp/w1 /tmp/w2 && printf 'rs1\\n' > /tmp/w1/index.html && printf 'rs2\\n' > /tmp/w2/index.html", 0, ""],
  ["ip netns exec rs1 httpd -p 8080 -h /tmp/w1", 0, ""],
  ["ip netns exec rs2 httpd -p 8080 -h /tmp/w2", 0, ""],
  ["ipvsadm", 0, "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"],
  ["ipvsadm -A -t 10.96.0.10:80 -s rr", 0, ""],
  ["ipvsadm -a -t 10.96.0.10:80 -r 10.0.1.2:8080 -m", 0, ""],
  ["ipvsadm -a -t 10.96.0.10:80 -r 10.0.2.2:8080 -m -w 2", 0, ""],
  ["ipvsadm -A -u 10.96.0.10:53", 0, ""],
  ["ipvsadm -a -u 10.96.0.10:53 -r 10.0.1.2 -m", 0, ""],
  ["ipvsadm -A -t 10.96.0.11:443 -s wrr -p", 0, ""],
  ["ipvsadm -a -t 10.96.0.11:443 -r 10.0.2.2:8443 -g", 0, ""],
  ["wget -q -O - http://10.96.0.10/", 0, "rs2\n"],
  ["wget -q -O - http://10.96.0.10/", 0, "rs1\n"],
  ["wget -q -O - http://10.96.0.10/", 0, "rs2\n"],
  ["ipvsadm -Ln", 0, "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  10.96.0.10:80 rr\n  -> 10.0.1.2:8080                Masq    1      0          1         \n  -> 10.0.2.2:8080                Masq    2      0          2         \nTCP  10.96.0.11:443 wrr persistent 300\n  -> 10.0.2.2:443                 Route   1      0          0         \nUDP  10.96.0.10:53 wlc\n  -> 10.0.1.2:53                  Masq    1      0          0         \n"],
  ["ipvsadm -L", 0, "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  10.96.0.10:http rr\n  -> 10.0.1.2:http-alt            Masq    1      0          1         \n  -> 10.0.2.2:http-alt            Masq    2      0          2         \nTCP  10.96.0.11:https wrr persistent 300\n  -> 10.0.2.2:https               Route   1      0          0         \nUDP  10.96.0.10:domain wlc\n  -> 10.0.1.2:domain              Masq    1      0          0         \n"],
  ["ipvsadm -Ln --stats", 0, "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\nTCP  10.96.0.10:80                       3       18       18     1179     1593\n  -> 10.0.1.2:8080                       1        6        6      393      531\n  -> 10.0.2.2:8080                       2       12       12      786     1062\nTCP  10.96.0.11:443                      0        0        0        0        0\n  -> 10.0.2.2:443                        0        0        0        0        0\nUDP  10.96.0.10:53                       0        0        0        0        0\n  -> 10.0.1.2:53                         0        0        0        0        0\n"],
  ["ipvsadm -Ln --rate", 0, "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n  -> RemoteAddress:Port\nTCP  10.96.0.10:80                       0        0        0        0        0\n  -> 10.0.1.2:8080                       0        0        0        0        0\n  -> 10.0.2.2:8080                       0        0        0        0        0\nTCP  10.96.0.11:443                      0        0        0        0        0\n  -> 10.0.2.2:443                        0        0        0        0        0\nUDP  10.96.0.10:53                       0        0        0        0        0\n  -> 10.0.1.2:53                         0        0        0        0        0\n"],
  ["ipvsadm -Lnc", 0, "IPVS connection entries\npro expire state       source             virtual            destination\nTCP 01:59  TIME_WAIT   10.96.0.10:39524   10.96.0.10:80      10.0.2.2:8080\nTCP 01:59  TIME_WAIT   10.96.0.10:41896   10.96.0.10:80      10.0.1.2:8080\nTCP 01:59  TIME_WAIT   10.96.0.10:37061   10.96.0.10:80      10.0.2.2:8080\n"],
  ["ipvsadm -Sn", 0, "-A -t 10.96.0.10:80 -s rr\n-a -t 10.96.0.10:80 -r 10.0.1.2:8080 -m -w 1\n-a -t 10.96.0.10:80 -r 10.0.2.2:8080 -m -w 2\n-A -t 10.96.0.11:443 -s wrr -p 300\n-a -t 10.96.0.11:443 -r 10.0.2.2:443 -g -w 1\n-A -u 10.96.0.10:53 -s wlc\n-a -u 10.96.0.10:53 -r 10.0.1.2:53 -m -w 1\n"],
  ["ipvsadm -Ln --thresholds", 0, "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n  -> RemoteAddress:Port\nTCP  10.96.0.10:80 rr\n  -> 10.0.1.2:8080                0          0          0          1         \n  -> 10.0.2.2:8080                0          0          0          2         \nTCP  10.96.0.11:443 wrr persistent 300\n  -> 10.0.2.2:443                 0          0          0          0         \nUDP  10.96.0.10:53 wlc\n  -> 10.0.1.2:53                  0          0          0          0         \n"],
  ["ipvsadm -Ln --persistent-conn", 0, "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n  -> RemoteAddress:Port\nTCP  10.96.0.10:80 rr\n  -> 10.0.1.2:8080                1         0           0          1         \n  -> 10.0.2.2:8080                2         0           0          2         \nTCP  10.96.0.11:443 wrr persistent 300\n  -> 10.0.2.2:443                 1         0           0          0         \nUDP  10.96.0.10:53 wlc\n  -> 10.0.1.2:53                  1         0           0          0         \n"],
  ["ipvsadm -L --timeout", 0, "Timeout (tcp tcpfin udp): 900 120 300\n"],
  ["ipvsadm -Ln -t 10.96.0.10:80", 0, "Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  10.96.0.10:80 rr\n  -> 10.0.1.2:8080                Masq    1      0          1         \n  -> 10.0.2.2:8080                Masq    2      0          2         \n"],
  ["ipvsadm -Ln -t 10.96.0.99:80", 1, "No such service\n"],
  ["ipvsadm -A -t 10.96.0.10:80", 255, "Service already exists\n"],
  ["ipvsadm -A -t 10.96.0.12:80 -s foo", 255, "Scheduler or persistence engine not found\n"],
  ["ipvsadm -a -t 10.96.0.99:80 -r 10.0.1.2 -m", 255, "Service not defined\n"],
  ["ipvsadm -a -t 10.96.0.10:80 -r 10.0.1.2:8080 -m", 255, "Destination already exists\n"],
  ["ipvsadm -d -t 10.96.0.10:80 -r 10.0.9.9:80", 255, "No such destination\n"],
  ["ipvsadm -D -t 10.96.0.99:80", 255, "No such service\n"],
  ["ipvsadm -A -t 10.96.0.10", 2, "Zero port specified for non-persistent service\n"],
  ["ipvsadm -n -L", 255, "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n"],
  ["ipvsadm -Lx", 255, "-x: missing argument\n"],
  ["ipvsadm -L -t", 255, "-t: missing argument\n"],
  ["ipvsadm -A -t 10.96.0.13:80 -m", 2, "Illegal 'forwarding-method' option with the 'add-service' command\n"],
  ["ipvsadm -Lc --stats", 2, "options conflicts in the list command\n"],
  ["ipvsadm -a -t 10.96.0.10:80 -r 10.0.1.3 -m -w 70000", 2, "illegal weight specified\n"],
  ["ipvsadm -L -n foo", 2, "unexpected argument foo\n"],
  ["ipvsadm -A -t foo:80", 2, "illegal virtual server address[:port] specified\n"],
  ["ipvsadm -E -t 10.96.0.10:80 -s wlc", 0, ""],
  ["ipvsadm -e -t 10.96.0.10:80 -r 10.0.2.2:8080 -m -w 5", 0, ""],
  ["ipvsadm -Ln", 0, "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  10.96.0.10:80 wlc\n  -> 10.0.1.2:8080                Masq    1      0          1         \n  -> 10.0.2.2:8080                Masq    5      0          2         \nTCP  10.96.0.11:443 wrr persistent 300\n  -> 10.0.2.2:443                 Route   1      0          0         \nUDP  10.96.0.10:53 wlc\n  -> 10.0.1.2:53                  Masq    1      0          0         \n"],
  ["ipvsadm -Z", 0, ""],
  ["ipvsadm -Ln --stats", 0, "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\nTCP  10.96.0.10:80                       0        0        0        0        0\n  -> 10.0.1.2:8080                       0        0        0        0        0\n  -> 10.0.2.2:8080                       0        0        0        0        0\nTCP  10.96.0.11:443                      0        0        0        0        0\n  -> 10.0.2.2:443                        0        0        0        0        0\nUDP  10.96.0.10:53                       0        0        0        0        0\n  -> 10.0.1.2:53                         0        0        0        0        0\n"],
  ["ipvsadm --set 100 20 30", 0, ""],
  ["ipvsadm -L --timeout", 0, "Timeout (tcp tcpfin udp): 100 20 30\n"],
  ["ipvsadm -C", 0, ""],
  ["ipvsadm -Ln", 0, "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"],
  ["ipvsadm -v", 0, "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n"],
];

describe("ipvsadm v1.31 in the simulator", () => {
  it("lists, saves, edits and refuses as ipvsadm.c and libipvs.c do", async () => {
    const world = createWorld({ kind: "bare", seed: 1 });
    const sh = world.session("host");
    const got: Array<[string, number, string]> = [];
    for (const [cmd] of STEPS) {
      const r = await sh.exec(cmd, { timeoutMs: 20_000 });
      got.push([cmd, r.exitCode, r.output]);
    }
    expect(got).toEqual(STEPS);
  });

  it("restores what it saved (-S | -R), and refuses a nested -R", async () => {
    const sh = createWorld({ kind: "bare", seed: 2 }).session("host");
    const run = async (cmd: string) => {
      const r = await sh.exec(cmd, { timeoutMs: 20_000 });
      return `${r.output}[${r.exitCode}]`;
    };
    for (const c of ["ipvsadm -A -t 10.96.0.1:443 -s wrr -p 60 -M 255.255.255.0", "ipvsadm -a -t 10.96.0.1:443 -r 10.0.0.5:6443 -m -w 3", "ipvsadm -A -u 10.96.0.10:53 -s rr", "ipvsadm -a -u 10.96.0.10:53 -r 10.0.0.7:53 -m"]) {
      expect(await run(c)).toBe("[0]");
    }
    const saved = "-A -t 10.96.0.1:443 -s wrr -p 60 -M 255.255.255.0\n-a -t 10.96.0.1:443 -r 10.0.0.5:6443 -m -w 3\n-A -u 10.96.0.10:53 -s rr\n-a -u 10.96.0.10:53 -r 10.0.0.7:53 -m -w 1\n";
    expect(await run("ipvsadm -Sn > /tmp/ipvs.rules && ipvsadm -C && ipvsadm -Sn && ipvsadm -R < /tmp/ipvs.rules && ipvsadm -Sn")).toBe(`${saved}[0]`);
    expect(await run("ipvsadm -Ln")).toBe(
      "IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" +
        "TCP  10.96.0.1:443 wrr persistent 60 mask 255.255.255.0\n  -> 10.0.0.5:6443                Masq    3      0          0         \n" +
        "UDP  10.96.0.10:53 rr\n  -> 10.0.0.7:53                  Masq    1      0          0         \n[0]",
    );
    expect(await run("echo '-R' | ipvsadm -R")).toBe("Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n[255]");
  });
});
