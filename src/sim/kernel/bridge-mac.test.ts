/**
 * A bridge whose MAC the user set (addr_assign_type 3, NET_ADDR_SET) keeps it when ports come and
 * go, and frames to it are delivered locally. Recorded on this machine's kernel (6.x, iproute2 6.1):
 *
 *   ip link set br0 address 02:42:aa:bb:cc:dd; ip link add va address 00:00:00:00:00:01 type veth ...
 *   ip link set va master br0  →  br0 link/ether 02:42:aa:bb:cc:dd (not the port's 00:..:01)
 *   ping 10.9.0.1 from the port's peer: 64 bytes from 10.9.0.1; neigh 10.9.0.1 lladdr 02:42:aa:bb:cc:dd
 *   ip link set va nomaster       →  br0 still 02:42:aa:bb:cc:dd
 */
import { describe, expect, it } from "vitest";
import { oneHost } from "./test-support/topo.js";

function world(setMac: "create" | "set") {
  const t = oneHost(3);
  const root = t.host.init;
  if (setMac === "create") root.linkAdd({ name: "br0", kind: "bridge", address: "02:42:aa:bb:cc:dd" });
  else {
    root.linkAdd({ name: "br0", kind: "bridge" });
    root.linkSet("br0", { address: "02:42:aa:bb:cc:dd" });
  }
  const c = t.host.netnsCreate("c");
  root.linkAdd({ name: "va", kind: "veth", address: "00:00:00:00:00:01", peer: { name: "eth0", netns: { id: c.id } } });
  root.linkSet("va", { master: "br0", up: true });
  root.linkSet("br0", { up: true });
  root.addrAdd("br0", "10.9.0.1/24");
  c.linkSet("eth0", { up: true });
  c.addrAdd("eth0", "10.9.0.2/24");
  return { root, c };
}

describe("bridge with a user-set MAC", () => {
  for (const how of ["create", "set"] as const) {
    it(`keeps the address given at ${how} time and answers frames sent to it`, () => {
      const { root, c } = world(how);
      const mac = () => root.linkList().find((l) => l.name === "br0")!.mac;
      expect(mac()).toBe("02:42:aa:bb:cc:dd");
      const r = c.ping("10.9.0.1", { timeoutMs: 1000 });
      expect(r.ok).toBe(true);
      expect(c.neighList().map((n) => [n.dst, n.lladdr])).toEqual([["10.9.0.1", "02:42:aa:bb:cc:dd"]]);
      root.linkSet("va", { master: null });
      expect(mac()).toBe("02:42:aa:bb:cc:dd");
    });
  }

  it("without a user-set address it follows the lowest port MAC", () => {
    const t = oneHost(3);
    const root = t.host.init;
    root.linkAdd({ name: "br1", kind: "bridge" });
    const mac = () => root.linkList().find((l) => l.name === "br1")!.mac;
    root.linkAdd({ name: "vb", kind: "veth", address: "00:00:00:00:00:02", peer: { name: "vc" } });
    root.linkSet("vb", { master: "br1" });
    expect(mac()).toBe("00:00:00:00:00:02");
  });
});
