import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "../../../core/random.js";
import type { NfRule, NfTable, NfTableName, NfTarget } from "../api.js";
import { BUILTIN_CHAINS } from "./hooks.js";
import { surelyValid } from "./precheck.js";
import { validateTable } from "./validate.js";

const TARGETS: Array<NfTarget["kind"]> = ["ACCEPT", "DROP", "RETURN", "DNAT", "SNAT", "MASQUERADE", "REDIRECT", "REJECT", "NOTRACK", "MARK", "jump", "jump", "jump", "goto"];

function target(rng: Rng, kind: NfTarget["kind"], chains: string[]): NfTarget {
  switch (kind) {
    case "jump":
    case "goto":
      return { kind, chain: chains[rng.int(chains.length)]! };
    case "DNAT":
      return { kind, toAddr: "10.0.0.1" };
    case "SNAT":
      return { kind, toAddr: "10.0.0.2" };
    case "REJECT":
      return { kind, rejectWith: "icmp-port-unreachable" };
    case "MARK":
      return { kind, value: 1, mask: 0xffffffff };
    default:
      return { kind } as NfTarget;
  }
}

/**
 * A random table. Wild ones mix in missing chains, loops, misplaced targets and policies; tame
 * ones (half) jump only forward and use plain targets, so most of them are valid.
 */
function randomTable(rng: Rng): NfTable {
  const names: NfTableName[] = ["filter", "nat", "mangle", "raw"];
  const name = names[rng.int(4)]!;
  const tame = rng.int(2) === 0;
  const user = Array.from({ length: 1 + rng.int(6) }, (_, i) => `U${i}`);
  const wildRefs = [...user, ...(rng.int(4) === 0 ? ["MISSING"] : []), ...(rng.int(6) === 0 ? [BUILTIN_CHAINS[name][0]!] : [])];
  const rules = (from: number): NfRule[] =>
    Array.from({ length: rng.int(4) }, () => {
      const kind = tame ? (["ACCEPT", "DROP", "RETURN", "MARK", "jump"] as const)[rng.int(5)]! : TARGETS[rng.int(TARGETS.length)]!;
      const refs = tame ? user.slice(from) : wildRefs;
      return { matches: [], target: refs.length === 0 && (kind === "jump" || kind === "goto") ? { kind: "ACCEPT" } : target(rng, kind, refs), counters: { packets: 0, bytes: 0 } };
    });
  const builtins = BUILTIN_CHAINS[name].filter(() => tame || rng.int(30) !== 0);
  return {
    name,
    chains: [
      ...builtins.map((b) => ({ name: b, policy: !tame && rng.int(25) === 0 ? undefined : ("ACCEPT" as const), rules: rules(0), counters: { packets: 0, bytes: 0 } })),
      ...user.map((u, i) => ({ name: u, ...(!tame && rng.int(40) === 0 ? { policy: "DROP" as const } : {}), rules: rules(i + 1), counters: { packets: 0, bytes: 0 } })),
      ...(!tame && rng.int(30) === 0 ? [{ name: user[0]!, rules: [], counters: { packets: 0, bytes: 0 } }] : []),
    ],
  };
}

describe("surelyValid (fast pre-check of validateTable)", () => {
  it("agrees with validateTable on 5,000 random tables, valid and invalid", () => {
    const rng = createRng(42);
    const disagreements: string[] = [];
    let valid = 0;
    for (let i = 0; i < 5000; i++) {
      const t = randomTable(rng);
      let ok = true;
      try {
        validateTable(t);
      } catch {
        ok = false;
      }
      if (ok) valid++;
      if (surelyValid(t) !== ok) disagreements.push(JSON.stringify(t));
    }
    expect(disagreements).toEqual([]);
    // Both outcomes are well represented, so the comparison means something.
    expect(valid).toBeGreaterThan(1000);
    expect(valid).toBeLessThan(4000);
  });

  it("answers 'not sure' for a rule with -m set, whatever validateTable says", () => {
    const t: NfTable = {
      name: "filter",
      chains: [
        { name: "INPUT", policy: "ACCEPT", rules: [{ matches: [{ kind: "set" } as never], target: { kind: "ACCEPT" }, counters: { packets: 0, bytes: 0 } }], counters: { packets: 0, bytes: 0 } },
        { name: "FORWARD", policy: "ACCEPT", rules: [], counters: { packets: 0, bytes: 0 } },
        { name: "OUTPUT", policy: "ACCEPT", rules: [], counters: { packets: 0, bytes: 0 } },
      ],
    };
    expect(surelyValid(t)).toBe(false);
  });
});
