/**
 * Normalizations shared by the tool-fixture replays (see tools-replay.test.ts for what each one
 * hides and why).
 */
const MAC = /\b[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}\b/g;

/** Builds a normalizer with its own MAC numbering (one per side, so the shapes must agree). */
export function makeNormalizer(commands: string[]): (text: string, norms: string[]) => string {
  const literal = new Set(commands.flatMap((c) => (c.match(MAC) ?? []).map((m) => m.toLowerCase())));
  literal.add("00:00:00:00:00:00");
  literal.add("ff:ff:ff:ff:ff:ff");
  const ids = new Map<string, string>();
  const token = (mac: string) => {
    const m = mac.toLowerCase();
    if (literal.has(m)) return mac;
    if (!ids.has(m)) ids.set(m, `MAC${ids.size + 1}`);
    return ids.get(m)!;
  };
  return (text, norms) => {
    let t = text;
    if (norms.includes("mac")) {
      // brctl bridge ids: 8000.1a559126f5eb → 8000.MACn
      t = t.replace(/\b8000\.([0-9a-f]{12})\b/g, (_, h: string) => `8000.${token(h.match(/../g)!.join(":"))}`);
      t = t.replace(MAC, (m) => token(m));
    }
    if (norms.includes("rtt")) {
      t = t.replace(/time=\d+\.\d+ ms/g, "time=T ms").replace(/= \d+\.\d+\/\d+\.\d+\/\d+\.\d+ ms/g, "= T/T/T ms");
    }
    if (norms.includes("date")) {
      t = t.replace(/^(\s*(?:Date|Last-Modified): ).*$/gm, "$1D").replace(/^(\s*ETag: ")[0-9a-f]+-/gm, "$1T-");
    }
    if (norms.includes("ageing")) t = t.replace(/(\s)\d+\.\d\d(\s*)$/gm, "$1A$2");
    return t;
  };
}

