/**
 * The bare world with the real kernel and the real `ip` program: `ip netns exec` runs through
 * WorldServices.spawn, and the child sees its namespace's /sys and /proc/sys (as ip netns exec
 * remounts /sys). Outputs checked against this machine (iproute2 6.1, bash 5.2).
 */
import { describe, expect, test } from "vitest";
import { createWorld } from "../index.js";

describe("spawn and ip netns exec", () => {
  test("a child in another namespace sees that namespace's files", async () => {
    const s = createWorld({ kind: "bare" }).session("host");
    const r = await s.exec(
      [
        "ip netns add ns1",
        "ip link add veth0 type veth peer name veth1 netns ns1",
        "ls /sys/class/net",
        "ip netns exec ns1 ls /sys/class/net",
        "echo 1 > /proc/sys/net/ipv4/ip_forward",
        "ip netns exec ns1 cat /proc/sys/net/ipv4/ip_forward",
        "[ $(cat /sys/class/net/veth0/iflink) = $(ip netns exec ns1 cat /sys/class/net/veth1/ifindex) ] && echo peers",
        "ip netns exec ns1 sh -c 'echo in child; exit 3'; echo status $?",
      ].join("\n"),
    );
    expect(r.output).toBe("eth0\nlo\nveth0\nlo\nveth1\n0\npeers\nin child\nstatus 3\n");
    expect(r.exitCode).toBe(0);
  });
  test("programs the simulator lacks, inside and outside a namespace", async () => {
    const s = createWorld({ kind: "bare" }).session("host");
    const r = await s.exec("nosuchprog; echo $?");
    expect(r.output).toBe("bash: line 1: nosuchprog: command not found\n127\n");
    const t = await s.exec("tcpdump -ni eth0 | head -1; echo ${PIPESTATUS:-x}");
    expect(t.output.split("\n")[0]).toMatch(/^lab: tcpdump: not available in the simulator \(available: .*\bip\b.*\)$/);
  });
});

describe("/run/netns", () => {
  test("lists the named namespaces once ip netns add made the directory", async () => {
    const s = createWorld({ kind: "bare" }).session("host");
    const r = await s.exec("ls /var/run/netns; ip netns add blue; ip netns add red; ls /var/run/netns /run/netns; ip netns del blue; ip netns del red; ls /run/netns; echo end");
    // ls sorts its operands: /run/netns before /var/run/netns (coreutils 9.1 on this machine).
    expect(r.output).toBe("ls: cannot access '/var/run/netns': No such file or directory\n/run/netns:\nblue\nred\n\n/var/run/netns:\nblue\nred\nend\n");
  });
});
