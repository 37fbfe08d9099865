/**
 * `ip link set DEV multicast|arp|promisc|allmulticast|trailers|dynamic on|off`: the kernel keeps
 * each flag per device, the tools print it (iproute2's `<...>` order, `-d` promiscuity/allmulti,
 * ifconfig's words, /sys/class/net/IF/flags), and `arp off` stops ARP on the device.
 */
import { describe, expect, it } from "vitest";
import { createWorld } from "../../index.js";

async function shell(setup: string[]) {
  const world = createWorld({ kind: "bare", seed: 1 });
  const sh = world.session("host");
  const run = async (cmd: string) => {
    const r = await sh.exec(cmd, { timeoutMs: 60_000 });
    return r.output;
  };
  for (const cmd of setup) {
    const r = await sh.exec(cmd);
    expect(r.exitCode, `${cmd}: ${r.output}`).toBe(0);
  }
  return run;
}

/** The `<...>` list of the first line. */
const flagsOf = (out: string) => /<([^>]*)>/.exec(out)?.[1];

const PAIR = ["ip netns add a", "ip -n a link add v1 type veth peer name v2"];

describe("ip link set flags", () => {
  it("are kept and listed in print_link_flags order by ip link and ip addr", async () => {
    const run = await shell([...PAIR, "ip -n a link set v1 trailers off dynamic on promisc on allmulticast on arp off multicast off"]);
    expect(flagsOf(await run("ip -n a link show v1"))).toBe("BROADCAST,NOARP,ALLMULTI,PROMISC,DYNAMIC,NOTRAILERS,M-DOWN");
    expect(flagsOf(await run("ip -n a addr show v1"))).toBe("BROADCAST,NOARP,ALLMULTI,PROMISC,DYNAMIC,NOTRAILERS,M-DOWN");
    expect(await run("ip -n a -d link show v1")).toContain(" promiscuity 1  allmulti 1 ");
    // Only the device asked for changes: its peer keeps the defaults.
    expect(flagsOf(await run("ip -n a link show v2"))).toBe("BROADCAST,MULTICAST,M-DOWN");
  });

  it("are cleared by the opposite word, and a second `on` counts once", async () => {
    const run = await shell([
      ...PAIR, "ip -n a link set v1 promisc on", "ip -n a link set v1 promisc on", "ip -n a link set v1 arp off", "ip -n a link set v1 up",
    ]);
    expect(flagsOf(await run("ip -n a link show v1"))).toBe("NO-CARRIER,BROADCAST,MULTICAST,NOARP,PROMISC,UP,M-DOWN");
    expect(await run("ip -n a -d link show v1")).toContain(" promiscuity 1  allmulti 0 ");
    await run("ip -n a link set v1 promisc off arp on");
    expect(flagsOf(await run("ip -n a link show v1"))).toBe("NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN");
    expect(await run("ip -n a -d link show v1")).toContain(" promiscuity 0  allmulti 0 ");
  });

  it("`arp on` clears a dummy's NOARP and `multicast on` adds MULTICAST to lo", async () => {
    const run = await shell(["ip netns add a", "ip -n a link add d0 type dummy", "ip -n a link set d0 arp on", "ip -n a link set lo multicast on"]);
    expect(flagsOf(await run("ip -n a link show d0"))).toBe("BROADCAST");
    expect(flagsOf(await run("ip -n a link show lo"))).toBe("LOOPBACK,MULTICAST");
  });

  it("add to a bridge port's promiscuity, and are given to `ip link add`", async () => {
    const run = await shell([
      ...PAIR, "ip -n a link add br0 type bridge", "ip -n a link set v1 master br0", "ip -n a link set v1 promisc on",
      "ip -n a link add d0 promisc on type dummy",
    ]);
    const v1 = await run("ip -n a -d link show v1");
    expect(flagsOf(v1)).toBe("BROADCAST,MULTICAST,PROMISC,M-DOWN");
    expect(v1).toContain(" promiscuity 2  allmulti 1 ");
    expect(flagsOf(await run("ip -n a link show d0"))).toBe("BROADCAST,NOARP,PROMISC");
  });

  it("show in ifconfig's flag words and /sys/class/net/IF/flags", async () => {
    const run = await shell([...PAIR, "ip -n a link set v1 up promisc on allmulticast on arp off"]);
    expect(await run("ip netns exec a ifconfig v1")).toContain("          UP BROADCAST NOARP PROMISC ALLMULTI MULTICAST  MTU:1500");
    // UP|BROADCAST|NOARP|PROMISC|ALLMULTI|MULTICAST
    expect(await run("ip netns exec a cat /sys/class/net/v1/flags")).toBe("0x1383\n");
    await run("ip -n a link set v1 promisc off allmulticast off arp on multicast off");
    expect(await run("ip netns exec a cat /sys/class/net/v1/flags")).toBe("0x3\n");
  });
});

describe("arp off (IFF_NOARP)", () => {
  const NET = [
    "ip netns add a", "ip netns add b", "ip -n a link add v1 type veth peer name v2 netns b",
    "ip -n a addr add 10.0.0.1/24 dev v1", "ip -n b addr add 10.0.0.2/24 dev v2", "ip -n a link set v1 up", "ip -n b link set v2 up",
  ];

  it("the device answers no ARP and resolves nothing: its neighbours are NOARP entries with its own address", async () => {
    const run = await shell([...NET, "ip -n a link set v1 arp off"]);
    expect(await run("ip netns exec b ping -c 1 -W 1 10.0.0.1")).toContain("100% packet loss");
    expect(await run("ip -n b neigh show 10.0.0.1")).toBe("10.0.0.1 dev v2 INCOMPLETE \n");
    await run("ip netns exec a ping -c 1 -W 1 10.0.0.2");
    const mac = /link\/ether (\S+)/.exec(await run("ip -n a link show v1"))![1];
    expect(await run("ip -n a neigh show nud noarp")).toBe(`10.0.0.2 dev v1 lladdr ${mac} NOARP \n`);
    expect(await run("ip -n a neigh show")).toBe("");
  });

  it("turning ARP back on while up flushes the NOARP entries and ARP works again", async () => {
    const run = await shell([...NET, "ip -n a link set v1 arp off"]);
    await run("ip netns exec a ping -c 1 -W 1 10.0.0.2");
    expect(await run("ip -n a neigh show nud noarp")).toContain("10.0.0.2 dev v1 lladdr ");
    await run("ip -n a link set v1 arp on");
    expect(await run("ip -n a neigh show nud noarp")).toBe("");
    expect(await run("ip netns exec b ping -c 1 -W 1 10.0.0.1")).toContain("1 packets received");
  });
});
