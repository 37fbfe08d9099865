import { describe, expect, it } from "vitest";
import { parseConntrack, probeEntry } from "./conntrack.js";

// Captured here with `conntrack -L -o id` (conntrack-tools 1.4.7) around lesson 03's probes.
const BEFORE = `tcp      6 32 TIME_WAIT src=127.0.0.1 dst=127.0.0.1 sport=40394 dport=1234 src=127.0.0.1 dst=127.0.0.1 sport=1234 dport=40394 [ASSURED] mark=0 use=1 id=1708290258
tcp      6 117 TIME_WAIT src=198.51.100.2 dst=198.51.100.1 sport=40100 dport=1234 src=172.17.0.2 dst=198.51.100.2 sport=80 dport=40100 [ASSURED] mark=0 use=1 id=111
unknown  2 314 src=172.18.0.1 dst=224.0.0.22 [UNREPLIED] src=224.0.0.22 dst=172.18.0.1 mark=0 use=1 id=4106441827
`;
const AFTER = `${BEFORE}tcp      6 119 TIME_WAIT src=198.51.100.2 dst=198.51.100.1 sport=40114 dport=1234 src=172.17.0.2 dst=198.51.100.2 sport=80 dport=40114 [ASSURED] mark=0 use=1 id=3254796321
icmp     1 29 src=172.17.0.2 dst=198.51.100.2 type=8 code=0 id=17 src=198.51.100.2 dst=198.51.100.1 type=0 code=0 id=17 mark=0 use=1 id=2790663117
conntrack v1.4.7 (conntrack-tools): 5 flow entries have been shown.
`;

describe("conntrack entries", () => {
  it("parses both tuples and the entry id (not the ICMP id)", () => {
    expect(parseConntrack(AFTER).slice(3)).toEqual([
      {
        proto: "tcp",
        orig: { src: "198.51.100.2", dst: "198.51.100.1", sport: "40114", dport: "1234" },
        reply: { src: "172.17.0.2", dst: "198.51.100.2", sport: "80", dport: "40114" },
        id: "3254796321",
      },
      {
        proto: "icmp",
        orig: { src: "172.17.0.2", dst: "198.51.100.2", type: "8", code: "0", id: "17" },
        reply: { src: "198.51.100.2", dst: "198.51.100.1", type: "0", code: "0", id: "17" },
        id: "2790663117",
      },
    ]);
  });

  it("finds the probe's entry among new ones only (an older connection with the same tuple is not it)", () => {
    const before = parseConntrack(BEFORE);
    const after = parseConntrack(AFTER);
    expect(probeEntry(before, after, "tcp", "198.51.100.1", 1234)?.id).toBe("3254796321");
    expect(probeEntry(before, after, "icmp", "198.51.100.2", undefined)?.reply.dst).toBe("198.51.100.1");
    expect(probeEntry(before, after, "tcp", "198.51.100.1", 80)).toBeUndefined();
    expect(probeEntry(after, after, "tcp", "198.51.100.1", 1234)).toBeUndefined();
  });
});
