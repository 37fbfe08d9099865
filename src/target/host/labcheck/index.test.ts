/**
 * Host lab-check against a scripted machine (a fake Run answering argv with recorded real
 * outputs): the argv it runs in each FROM context, and its whole output line and exit status.
 * test/grade/host-grade.test.ts runs it on the real kernel and dockerd.
 */
import { describe, expect, it } from "vitest";
import { runLabCheck } from "./index.js";
import type { Run, RunResult } from "./run.js";

function machine(answers: Array<[RegExp, RunResult | RunResult[]]>): { run: Run; calls: string[] } {
  const calls: string[] = [];
  const queues = answers.map(([re, r]) => [re, Array.isArray(r) ? [...r] : [r]] as const);
  const run: Run = async (argv) => {
    const line = argv.join(" ");
    calls.push(line);
    for (const [re, q] of queues) if (re.test(line)) return q.length > 1 ? q.shift()! : q[0]!;
    return { code: 127, out: `${argv[0]}: not found\n` };
  };
  return { run, calls };
}

async function check(argv: string[], run: Run): Promise<[number, string]> {
  let text = "";
  const code = await runLabCheck(argv, { out: (t) => void (text += t), err: (t) => void (text += t) }, run);
  return [code, text];
}

const SAVE_BEFORE = "*nat\n[0:0] -A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:1234\nCOMMIT\n";
const SAVE_AFTER = "*nat\n[1:60] -A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:1234\nCOMMIT\n";

describe("host lab-check", () => {
  it("reach: a connection accepted by a container", async () => {
    const m = machine([[/^iptables-save/, { code: 0, out: SAVE_BEFORE }], [/nc -w 1/, { code: 0, out: "" }]]);
    expect(await check(["reach", "web", "172.17.0.3:80"], m.run)).toEqual([0, "ok: tcp from web to 172.17.0.3:80 gets a reply\n"]);
    expect(m.calls).toEqual(["iptables-save -c", "docker exec web nc -w 1 172.17.0.3 80"]);
  });

  it("reach: no reply names the probe's words and the deciding rules whose counters rose", async () => {
    const m = machine([
      [/^ip netns exec client iptables-save/, { code: 0, out: "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n" }],
      [/^iptables-save/, [{ code: 0, out: SAVE_BEFORE }, { code: 0, out: SAVE_AFTER }]],
      [/nc -w 1/, { code: 1, out: "nc: can't connect to remote host (198.51.100.1): Connection refused\n" }],
    ]);
    expect(await check(["reach", "netns:client", "198.51.100.1"], m.run)).toEqual([
      1,
      "not ok: tcp from netns:client to 198.51.100.1:80: no reply: the probe said: nc: can't connect to remote host (198.51.100.1): Connection refused; iptables counters that rose during the probe: [nat] -A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:1234\n",
    ]);
    expect(m.calls).toEqual([
      "iptables-save -c",
      "ip netns exec client iptables-save -c",
      "ip netns exec client busybox nc -w 1 198.51.100.1 80",
      "iptables-save -c",
      "ip netns exec client iptables-save -c",
    ]);
  });

  it("no-reach: icmp with and without a reply; udp counts NXDOMAIN as a reply", async () => {
    const quiet = machine([[/^iptables-save/, { code: 0, out: "" }], [/ping/, { code: 1, out: "PING 10.9.9.9 (10.9.9.9): 56 data bytes\n\n--- 10.9.9.9 ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss\n" }]]);
    expect(await check(["no-reach", "host", "10.9.9.9", "--proto", "icmp"], quiet.run)).toEqual([0, "ok: icmp from host to 10.9.9.9 gets no reply\n"]);
    expect(quiet.calls[1]).toBe("busybox ping -c 1 -W 1 10.9.9.9");
    const dns = machine([[/^iptables-save/, { code: 0, out: "" }], [/nslookup/, { code: 1, out: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find lab-check.invalid: NXDOMAIN\n" }]]);
    expect(await check(["no-reach", "pod/a:c", "10.96.0.10", "--proto", "udp"], dns.run)).toEqual([1, "not ok: udp from pod/a:c to 10.96.0.10:53 gets a reply, expected none\n"]);
    expect(dns.calls[1]).toBe("kubectl exec a -c c -- nslookup -timeout=1 lab-check.invalid 10.96.0.10");
  });

  it("nat: the reply tuple of the probe's new conntrack entry is what the server saw", async () => {
    const ct0 = "tcp      6 117 TIME_WAIT src=198.51.100.2 dst=198.51.100.1 sport=40100 dport=1234 src=172.17.0.2 dst=10.0.0.1 sport=80 dport=40100 [ASSURED] mark=0 use=1 id=111\n";
    const ct1 = `${ct0}tcp      6 119 TIME_WAIT src=198.51.100.2 dst=198.51.100.1 sport=40114 dport=1234 src=172.17.0.2 dst=198.51.100.2 sport=80 dport=40114 [ASSURED] mark=0 use=1 id=3254796321\n`;
    const answers = (): Array<[RegExp, RunResult | RunResult[]]> => [
      [/iptables-save/, { code: 0, out: "" }],
      [/^conntrack -L -o id$/, [{ code: 0, out: ct0 }, { code: 0, out: ct1 }]],
      [/nc -w 1/, { code: 0, out: "" }],
    ];
    expect(await check(["nat", "netns:client", "198.51.100.1:1234", "--seen-as", "198.51.100.2"], machine(answers()).run)).toEqual([
      0,
      "ok: tcp from netns:client to 198.51.100.1:1234: the server sees 198.51.100.2\n",
    ]);
    expect(await check(["nat", "netns:client", "198.51.100.1:1234", "--seen-as", "10.0.0.1"], machine(answers()).run)).toEqual([
      1,
      "not ok: tcp from netns:client to 198.51.100.1:1234: the server sees 198.51.100.2, expected 10.0.0.1\n",
    ]);
    const none = machine([[/iptables-save/, { code: 0, out: "" }], [/^conntrack/, { code: 0, out: ct0 }], [/nc -w 1/, { code: 0, out: "" }]]);
    expect(await check(["nat", "netns:client", "198.51.100.1:1234", "--seen-as", "198.51.100.2"], none.run)).toEqual([
      1,
      "not ok: tcp from netns:client to 198.51.100.1:1234: the server sees an address this host's conntrack table does not show (the probe did not pass through this host's network namespace), expected 198.51.100.2\n",
    ]);
    const noTool = machine([[/iptables-save/, { code: 0, out: "" }], [/nc -w 1/, { code: 0, out: "" }]]);
    expect(await check(["nat", "host", "10.0.0.2:80", "--seen-as", "10.0.0.1"], noTool.run)).toEqual([1, "not ok: tcp from host to 10.0.0.2:80: cannot read this host's conntrack table (conntrack: not found)\n"]);
  });

  it("a probe that did not run fails every check, no-reach included", async () => {
    const gone = machine([[/iptables-save/, { code: 0, out: "" }], [/^docker exec/, { code: 1, out: "Error response from daemon: No such container: web2\n" }]]);
    expect(await check(["no-reach", "web2", "172.17.0.2:80"], gone.run)).toEqual([1, "not ok: tcp from web2 to 172.17.0.2:80: the probe did not run: Error response from daemon: No such container: web2\n"]);
    const ns = machine([[/iptables-save/, { code: 0, out: "" }], [/^ip netns exec nosuch busybox/, { code: 255, out: 'Cannot open network namespace "nosuch": No such file or directory\n' }]]);
    expect(await check(["reach", "netns:nosuch", "10.0.0.1", "--proto", "icmp"], ns.run)).toEqual([1, 'not ok: icmp from netns:nosuch to 10.0.0.1: the probe did not run: Cannot open network namespace "nosuch": No such file or directory\n']);
    const noBusybox = machine([[/iptables-save/, { code: 0, out: "" }]]);
    expect(await check(["no-reach", "host", "10.0.0.1:80"], noBusybox.run)).toEqual([1, "not ok: tcp from host to 10.0.0.1:80: the probe did not run: busybox: not found\n"]);
  });

  it("dns: busybox nslookup's answer in FROM", async () => {
    const out = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tn1\nAddress: 172.18.0.2\n\n";
    const m = machine([[/nslookup n1/, { code: 0, out }]]);
    expect(await check(["dns", "n1", "n1", "--is", "172.18.0.2"], m.run)).toEqual([0, "ok: n1 resolves to 172.18.0.2 in n1\n"]);
    expect(await check(["dns", "n1", "n1", "--is", "172.18.0.3"], m.run)).toEqual([1, "not ok: n1 in n1 resolves to 172.18.0.2, expected 172.18.0.3\n"]);
    const nx = machine([[/nslookup/, { code: 1, out: "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n** server can't find n2: NXDOMAIN\n\n" }]]);
    expect(await check(["dns", "n1", "n2", "--is", "172.18.0.3"], nx.run)).toEqual([1, "not ok: n2 in n1 does not resolve (** server can't find n2: NXDOMAIN), expected 172.18.0.3\n"]);
    expect(m.calls[0]).toBe("docker exec n1 nslookup n1");
  });

  it("rule: iptables -S words in order; a missing chain in iptables' own words", async () => {
    const m = machine([
      [/-S DOCKER$/, { code: 0, out: "-N DOCKER\n-A DOCKER -i docker0 -j RETURN\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 1234 -j DNAT --to-destination 172.17.0.2:80\n" }],
      [/-S NOPE$/, { code: 1, out: "iptables v1.8.9 (nf_tables): chain `NOPE' in table `nat' is incompatible, use 'nft' tool.\n\n" }],
    ]);
    expect(await check(["rule", "nat", "DOCKER", "-p", "tcp", "--dport", "1234", "-j", "DNAT"], m.run)).toEqual([
      0,
      "ok: nat DOCKER has -A DOCKER ! -i docker0 -p tcp -m tcp --dport 1234 -j DNAT --to-destination 172.17.0.2:80\n",
    ]);
    expect(await check(["rule", "nat", "DOCKER", "--dport", "80", "-j", "DNAT"], m.run)).toEqual([1, 'not ok: no rule in nat DOCKER matches "--dport 80 -j DNAT" (2 rules there)\n']);
    expect(await check(["rule", "nat", "NOPE", "-j", "X"], m.run)).toEqual([1, "not ok: no chain NOPE in table nat (iptables v1.8.9 (nf_tables): chain `NOPE' in table `nat' is incompatible, use 'nft' tool.)\n"]);
    expect(m.calls).toEqual(["iptables -t nat -S DOCKER", "iptables -t nat -S DOCKER", "iptables -t nat -S NOPE"]);
  });

  it("usage errors exit 2 without running anything", async () => {
    const m = machine([]);
    expect(await check(["reach", "host", "1.2.3.4:99999"], m.run)).toEqual([
      2,
      `lab-check: bad address "1.2.3.4:99999", expected ADDR[:PORT]
usage: lab-check reach|no-reach FROM TO[:PORT] [--proto tcp|udp|icmp]
       lab-check nat FROM TO:PORT --seen-as ADDR
       lab-check dns FROM NAME --is ADDR
       lab-check rule TABLE CHAIN MATCH...
`,
    ]);
    expect(m.calls).toEqual([]);
  });
});
