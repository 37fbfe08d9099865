import { describe, expect, it } from "vitest";
import type { Packet } from "../packet.js";
import { TupleIndex } from "./ct-index.js";

describe("conntrack tuple index", () => {
  it("finds a tuple from the tuple or from a packet, and keeps other protocols and directions apart", () => {
    const ix = new TupleIndex<string>();
    ix.set("tcp", { src: "10.0.0.5", sport: 40000, dst: "172.17.0.2", dport: 80 }, "orig");
    ix.set("tcp", { src: "172.17.0.2", sport: 80, dst: "10.0.0.5", dport: 40000 }, "reply");
    ix.set("icmp", { src: "10.0.0.5", dst: "10.0.0.6", type: 8, code: 0, id: 7 }, "ping");
    const pkt: Packet = { id: 1, ip: { src: "172.17.0.2", dst: "10.0.0.5", ttl: 64, proto: "tcp", len: 40 }, tcp: { sport: 80, dport: 40000, flags: ["ACK"] }, mark: 0 };
    expect(ix.getPacket(pkt)).toBe("reply");
    expect(ix.get("udp", { src: "10.0.0.5", sport: 40000, dst: "172.17.0.2", dport: 80 })).toBeUndefined();
    expect(ix.get("icmp", { src: "10.0.0.5", dst: "10.0.0.6", type: 8, id: 7 })).toBe("ping");
    ix.delete("tcp", { src: "10.0.0.5", sport: 40000, dst: "172.17.0.2", dport: 80 });
    expect(ix.has("tcp", { src: "10.0.0.5", sport: 40000, dst: "172.17.0.2", dport: 80 })).toBe(false);
    expect(ix.getPacket(pkt)).toBe("reply");
  });

  it("keeps tuples that are not dotted quads with 16-bit ports apart from every numeric one", () => {
    const ix = new TupleIndex<string>();
    // 10.0.0.5:70000 would be 10.0.0.6:4464 if the port were folded into the address.
    ix.set("tcp", { src: "10.0.0.5", sport: 70000, dst: "10.0.0.1", dport: 80 }, "big port");
    ix.set("tcp", { src: "10.0.0.6", sport: 4464, dst: "10.0.0.1", dport: 80 }, "normal");
    ix.set("icmp", { src: "10.0.0.5", dst: "10.0.0.6", type: 8 }, "no id");
    expect(ix.get("tcp", { src: "10.0.0.5", sport: 70000, dst: "10.0.0.1", dport: 80 })).toBe("big port");
    expect(ix.get("tcp", { src: "10.0.0.6", sport: 4464, dst: "10.0.0.1", dport: 80 })).toBe("normal");
    expect(ix.get("icmp", { src: "10.0.0.5", dst: "10.0.0.6", type: 8, id: 0 })).toBeUndefined();
    expect(ix.get("icmp", { src: "10.0.0.5", dst: "10.0.0.6", type: 8 })).toBe("no id");
    ix.clear();
    expect(ix.get("tcp", { src: "10.0.0.5", sport: 70000, dst: "10.0.0.1", dport: 80 })).toBeUndefined();
  });
});
