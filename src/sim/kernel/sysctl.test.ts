import { describe, expect, it } from "vitest";
import { Sysctls } from "./sysctl.js";

const errno = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { errno?: string }).errno;
  }
};

describe("Sysctls", () => {
  it("gives a new device conf.default as it is when the device registers", () => {
    const s = new Sysctls();
    s.set("net.ipv4.conf.default.rp_filter", "2");
    s.addDevice("eth0");
    s.set("net.ipv4.conf.default.rp_filter", "1");
    s.addDevice("eth1");
    expect(s.get("net.ipv4.conf.eth0.rp_filter")).toBe("2");
    expect(s.get("net.ipv4.conf.eth1.rp_filter")).toBe("1");
    expect(s.get("net.ipv6.conf.eth0.accept_ra")).toBe("1");
    expect(errno(() => s.get("net.ipv4.conf.eth0.accept_ra"))).toBe("ENOENT");
    expect(errno(() => s.get("net.ipv4.conf.eth2.rp_filter"))).toBe("ENOENT");
  });

  it("switches forwarding on every device with ip_forward, and new devices follow conf.all", () => {
    const s = new Sysctls();
    s.addDevice("lo");
    s.set("net.ipv4.ip_forward", "1");
    s.addDevice("eth0");
    for (const k of ["ip_forward", "conf.all.forwarding", "conf.default.forwarding", "conf.lo.forwarding", "conf.eth0.forwarding"]) {
      expect(s.get(`net.ipv4.${k}`), k).toBe("1");
    }
    s.set("net.ipv6.conf.all.disable_ipv6", "1");
    expect(s.get("net.ipv6.conf.lo.disable_ipv6")).toBe("1");
    expect(s.get("net.ipv6.conf.default.disable_ipv6")).toBe("1");
  });

  it("lets a namespace inherit the IPv4 conf and ip_forward of the one it is created from, as they are then", () => {
    const init = new Sysctls();
    init.set("net.ipv4.ip_forward", "1");
    init.set("net.ipv4.conf.all.rp_filter", "1");
    init.set("net.ipv6.conf.all.disable_ipv6", "1");
    init.set("net.core.somaxconn", "128");
    const before = new Sysctls(init);
    init.set("net.ipv4.conf.all.rp_filter", "2");
    const after = new Sysctls(init);
    expect(before.get("net.ipv4.conf.all.rp_filter")).toBe("1");
    expect(after.get("net.ipv4.conf.all.rp_filter")).toBe("2");
    expect(after.get("net.ipv4.ip_forward")).toBe("1");
    expect(after.get("net.ipv6.conf.all.disable_ipv6")).toBe("0");
    expect(after.get("net.core.somaxconn")).toBe("4096");
    // A write in one child is its own.
    before.set("net.ipv4.conf.default.arp_ignore", "1");
    expect(after.get("net.ipv4.conf.default.arp_ignore")).toBe("0");
  });

  it("moves a device's keys with a rename, written ones included, and drops them with the device", () => {
    const s = new Sysctls();
    s.addDevice("veth0");
    s.set("net.ipv4.conf.veth0.proxy_arp", "1");
    s.renameDevice("veth0", "eth0");
    expect(s.get("net.ipv4.conf.eth0.proxy_arp")).toBe("1");
    expect(s.get("net.ipv4.conf.eth0.rp_filter")).toBe("0");
    expect(errno(() => s.get("net.ipv4.conf.veth0.proxy_arp"))).toBe("ENOENT");
    s.removeDevice("eth0");
    expect(errno(() => s.get("net.ipv4.conf.eth0.proxy_arp"))).toBe("ENOENT");
    expect(errno(() => s.set("net.ipv4.conf.eth0.rp_filter", "1"))).toBe("ENOENT");
  });

  it("lists every key, devices' included, sorted", () => {
    const s = new Sysctls();
    s.addDevice("lo");
    s.set("net.ipv4.conf.lo.rp_filter", "2");
    const all = s.list("");
    const keys = all.map(([k]) => k);
    expect(keys).toEqual([...keys].sort());
    expect(all).toContainEqual(["net.ipv4.conf.lo.rp_filter", "2"]);
    expect(all).toContainEqual(["net.ipv6.conf.lo.forwarding", "0"]);
    expect(keys.filter((k) => k.startsWith("net.ipv4.conf.lo."))).toHaveLength(9);
    expect(s.list("net.ipv6.conf.lo.").map(([k]) => k)).toEqual(["net.ipv6.conf.lo.accept_ra", "net.ipv6.conf.lo.autoconf", "net.ipv6.conf.lo.disable_ipv6", "net.ipv6.conf.lo.forwarding"]);
  });
});
