import { describe, expect, test } from "vitest";
import { createWorld, UnknownContextError } from "../index.js";

describe("bare world", () => {
  test("one host with lo and eth0 on the underlay", async () => {
    const w = createWorld({ kind: "bare" });
    expect(w.kind).toBe("bare");
    expect(w.contexts()).toEqual(["host"]);
    const s = w.session("host");
    const r = await s.exec("hostname; cat /etc/hostname; ls /sys/class/net; cat /sys/class/net/eth0/operstate /sys/class/net/lo/operstate /sys/class/net/eth0/mtu");
    expect(r).toEqual({ exitCode: 0, output: "host\nhost\neth0\nlo\nup\nunknown\n1500\n", durationMs: 0 });
  });
  test("/proc/sys writes reach the namespace's sysctl", async () => {
    const w = createWorld({ kind: "bare" });
    const r = await w.session("host").exec("cat /proc/sys/net/ipv4/ip_forward; echo 1 > /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ip_forward");
    expect(r.output).toBe("0\n1\n");
  });
  test("the same session keeps its state; unknown contexts name the known ones", async () => {
    const w = createWorld({ kind: "bare" });
    await w.session("host").exec("cd /tmp; X=42");
    expect((await w.session("host").exec("echo $PWD $X")).output).toBe("/tmp 42\n");
    expect(() => w.session("nope")).toThrow(UnknownContextError);
    expect(() => w.session("nope")).toThrow('unknown context "nope"; this world has: host');
  });
  test("same seed, same world", async () => {
    const a = await createWorld({ kind: "bare", seed: 7 }).session("host").exec("cat /sys/class/net/eth0/address");
    const b = await createWorld({ kind: "bare", seed: 7 }).session("host").exec("cat /sys/class/net/eth0/address");
    expect(a.output).toBe(b.output);
    expect(a.output).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}\n$/);
  });
});

describe("determinism and traces", () => {
  const script = "ip netns add a; ip link add v0 type veth peer name v1 netns a; ip addr add 10.9.0.1/24 dev v0; ip link set v0 up; " +
    "ip -n a addr add 10.9.0.2/24 dev v1; ip -n a link set v1 up; ip -n a link set lo up; ping -c 2 10.9.0.2; cat /sys/class/net/v0/address";
  test("the same script in two worlds of one seed gives the same bytes and virtual time", async () => {
    const a = await createWorld({ kind: "bare", seed: 3 }).session("host").exec(script);
    const b = await createWorld({ kind: "bare", seed: 3 }).session("host").exec(script);
    expect(a).toEqual(b);
    expect(a.exitCode).toBe(0);
    expect(a.output).toMatch(/^PING 10\.9\.0\.2 \(10\.9\.0\.2\): 56 data bytes\n64 bytes from 10\.9\.0\.2: seq=0 ttl=64 time=/);
  });
  test("a world records no trace unless asked: trace: true, or tracing(true) around a part", async () => {
    const quiet = createWorld({ kind: "bare" });
    await quiet.session("host").exec(script);
    expect(quiet.traceTake()).toEqual([]);
    expect(quiet.tracing!(true)).toBe(false);
    await quiet.session("host").exec("ping -c 1 10.9.0.2");
    const part = quiet.traceTake();
    expect(part.some((e) => e.step === "deliver")).toBe(true);
    expect(quiet.tracing!(false)).toBe(true);
    await quiet.session("host").exec("ping -c 1 10.9.0.2");
    expect(quiet.traceTake()).toEqual([]);
  });
  test("traceTake returns the packets since the last call", async () => {
    const w = createWorld({ kind: "bare", trace: true });
    await w.session("host").exec(script);
    const t = w.traceTake();
    expect(t.length).toBeGreaterThan(0);
    expect(t.some((e) => e.step === "deliver")).toBe(true);
    expect(w.traceTake()).toEqual([]);
    expect(w.now()).toBeGreaterThan(1000);
  });
});
