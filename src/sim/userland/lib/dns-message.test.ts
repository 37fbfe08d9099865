import { describe, expect, it } from "vitest";
import { answerQuery, decodeDns, DnsFormatError, DNS_TYPE, encodeDns, encodeQuery } from "../../kernel/wire/dns-message.js";
import { lookupHosts, parseResolvConf, searchList } from "./resolver.js";

describe("dns-message", () => {
  it("encodes a recursive A query as RFC 1035 bytes", () => {
    expect(Array.from(encodeQuery(0x1234, "web.lab", DNS_TYPE.A))).toEqual([
      0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
      3, 119, 101, 98, 3, 108, 97, 98, 0, 0, 1, 0, 1,
    ]);
  });

  it("decodes an answer whose name is a compression pointer to the question", () => {
    const bytes = Uint8Array.from([
      0xab, 0xcd, 0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
      3, 119, 101, 98, 3, 108, 97, 98, 0, 0, 1, 0, 1,
      0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 10, 0, 0, 80,
    ]);
    const m = decodeDns(bytes);
    expect(m).toMatchObject({ id: 0xabcd, response: true, authoritative: true, recursionDesired: true, recursionAvailable: true, rcode: 0 });
    expect(m.questions).toEqual([{ name: "web.lab", type: 1, class: 1 }]);
    expect(m.answers).toEqual([{ name: "web.lab", type: 1, class: 1, ttl: 300, data: "10.0.0.80" }]);
  });

  it("round-trips every record type it knows", () => {
    const answers = [
      { name: "a.lab", type: DNS_TYPE.A, class: 1, ttl: 5, data: "192.0.2.1" },
      { name: "a.lab", type: DNS_TYPE.AAAA, class: 1, ttl: 5, data: "2001:db8::1" },
      { name: "c.lab", type: DNS_TYPE.CNAME, class: 1, ttl: 5, data: "a.lab" },
      { name: "1.2.0.192.in-addr.arpa", type: DNS_TYPE.PTR, class: 1, ttl: 5, data: "a.lab" },
      { name: "lab", type: DNS_TYPE.NS, class: 1, ttl: 5, data: "ns.lab" },
      { name: "t.lab", type: DNS_TYPE.TXT, class: 1, ttl: 5, data: "hello" },
      { name: "_http._tcp.lab", type: DNS_TYPE.SRV, class: 1, ttl: 5, data: "0 100 80 a.lab" },
      { name: "lab", type: DNS_TYPE.SOA, class: 1, ttl: 5, data: "ns.lab hostmaster.lab 1 7200 1800 86400 30" },
    ];
    const msg = { id: 7, response: true, opcode: 0, authoritative: false, truncated: false, recursionDesired: true, recursionAvailable: true, rcode: 0, questions: [{ name: "a.lab", type: 1, class: 1 }], answers, authority: [], additional: [] };
    expect(decodeDns(encodeDns(msg))).toEqual(msg);
  });

  it("refuses malformed input with DnsFormatError", () => {
    expect(() => decodeDns(Uint8Array.from([0, 1, 0]))).toThrow(DnsFormatError);
    expect(() => decodeDns(Uint8Array.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12]))).toThrow(DnsFormatError);
    expect(() => encodeQuery(1, "a..b", DNS_TYPE.A)).toThrow(DnsFormatError);
  });

  it("answers queries: records, NODATA, NXDOMAIN, AA per question", () => {
    const lookup = (q: { name: string; type: number }) =>
      q.name === "web.lab" ? (q.type === DNS_TYPE.A ? [{ name: "web.lab", type: 1, ttl: 30, data: "10.0.0.80" }] : []) : q.name === "x.example" ? [] : undefined;
    const aa = { authoritative: (q: { name: string }) => q.name.endsWith(".lab") };
    const a = decodeDns(answerQuery(encodeQuery(1, "web.lab", DNS_TYPE.A), lookup, aa)!);
    expect([a.id, a.rcode, a.authoritative, a.answers.map((r) => r.data)]).toEqual([1, 0, true, ["10.0.0.80"]]);
    const nodata = decodeDns(answerQuery(encodeQuery(2, "web.lab", DNS_TYPE.AAAA), lookup, aa)!);
    expect([nodata.rcode, nodata.answers.length]).toEqual([0, 0]);
    const nx = decodeDns(answerQuery(encodeQuery(3, "nope.lab", DNS_TYPE.A), lookup, aa)!);
    expect(nx.rcode).toBe(3);
    expect(decodeDns(answerQuery(encodeQuery(4, "x.example", DNS_TYPE.A), lookup, aa)!).authoritative).toBe(false);
    expect(answerQuery(Uint8Array.from([1, 2, 3]), lookup)).toBeUndefined();
  });
});

describe("resolver", () => {
  it("reads resolv.conf as glibc does", () => {
    expect(parseResolvConf("# c\nnameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5 timeout:2\n")).toEqual({
      nameservers: ["10.96.0.10"], search: ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"], ndots: 5, timeoutSec: 2, attempts: 2,
    });
  });

  it("tries search domains first below ndots, the bare name first at or above", () => {
    const rc = parseResolvConf("search a.lab b.lab\noptions ndots:2\n");
    expect(searchList("web", rc)).toEqual(["web.a.lab", "web.b.lab", "web"]);
    expect(searchList("w.x.y", rc)).toEqual(["w.x.y", "w.x.y.a.lab", "w.x.y.b.lab"]);
    expect(searchList("web.", rc)).toEqual(["web"]);
  });

  it("finds names in /etc/hosts, any alias, case-insensitively", () => {
    const hosts = "127.0.0.1\tlocalhost\n# 10.0.0.9 hidden\n::1 ip6-localhost\n10.0.0.2 web Web.lab\n";
    expect([lookupHosts(hosts, "web.LAB"), lookupHosts(hosts, "hidden"), lookupHosts(hosts, "localhost")]).toEqual(["10.0.0.2", undefined, "127.0.0.1"]);
  });
});
