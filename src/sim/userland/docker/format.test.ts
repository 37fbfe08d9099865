import { describe, expect, test } from "vitest";
import { displayablePorts, ellipsis, goQuote, humanSize, table } from "./format.js";

describe("docker CLI formatting", () => {
  test("PORTS as 20.10 prints them (captures raw-1/raw-2)", () => {
    expect(displayablePorts([
      { containerPort: 80, proto: "tcp", hostIp: "0.0.0.0", hostPort: 1234 },
      { containerPort: 80, proto: "tcp", hostIp: "::", hostPort: 1234 },
    ])).toBe("0.0.0.0:1234->80/tcp, :::1234->80/tcp");
    expect(displayablePorts([
      { containerPort: 80, proto: "tcp", hostIp: "127.0.0.1", hostPort: 8080 },
      { containerPort: 53, proto: "udp", hostIp: "0.0.0.0", hostPort: 5353 },
      { containerPort: 53, proto: "udp", hostIp: "::", hostPort: 5353 },
    ])).toBe("0.0.0.0:5353->53/udp, :::5353->53/udp, 127.0.0.1:8080->80/tcp");
    expect(displayablePorts([{ containerPort: 80, proto: "tcp", hostIp: "", hostPort: 0 }])).toBe("80/tcp");
    expect(displayablePorts([
      { containerPort: 80, proto: "tcp", hostIp: "0.0.0.0", hostPort: 80 },
      { containerPort: 81, proto: "tcp", hostIp: "0.0.0.0", hostPort: 81 },
    ])).toBe("0.0.0.0:80-81->80-81/tcp");
  });

  test("COMMAND is cut to 20 runes with an ellipsis, then Go-quoted", () => {
    expect(goQuote(ellipsis("nginx -g 'daemon off;'", 20))).toBe(`"nginx -g 'daemon of…"`);
    expect(goQuote(ellipsis("sh", 20))).toBe(`"sh"`);
  });

  test("tabwriter: minwidth 10, padding 3, last column unpadded", () => {
    expect(table([["NETWORK ID", "NAME", "DRIVER", "SCOPE"], ["d82a302d36b3", "bridge", "bridge", "local"]])).toBe(
      "NETWORK ID     NAME      DRIVER    SCOPE\nd82a302d36b3   bridge    bridge    local\n",
    );
  });

  test("SIZE in decimal units with 3 significant digits", () => {
    expect(humanSize(1_980_000)).toBe("1.98MB");
    expect(humanSize(612)).toBe("612B");
  });
});
