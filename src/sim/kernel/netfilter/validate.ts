/**
 * What the kernel refuses when iptables-nft commits a table (checked as nf_tables does when a
 * rule is bound to a base chain): a jump to a chain that does not exist (ENOENT) or to a base
 * chain (EOPNOTSUPP), a loop reachable from a base chain (EMLINK, "Too many links"), and a
 * target used outside the tables/hooks its xt module allows (EINVAL): DNAT/REDIRECT only in nat
 * PREROUTING/OUTPUT, SNAT only in nat POSTROUTING/INPUT, MASQUERADE only in nat POSTROUTING,
 * REJECT only from INPUT/FORWARD/OUTPUT, NOTRACK only in raw. A chain nothing jumps to may hold
 * a loop or a misplaced target until it is bound, as on the real kernel.
 */
import { KernelError, type NfHook, type NfTable, type NfTarget } from "../api.js";
import { BUILTIN_CHAINS, isBuiltin } from "./hooks.js";

const NAT_TARGETS: Record<string, NfHook[]> = {
  DNAT: ["PREROUTING", "OUTPUT"],
  REDIRECT: ["PREROUTING", "OUTPUT"],
  SNAT: ["POSTROUTING", "INPUT"],
  MASQUERADE: ["POSTROUTING"],
};

function jumpTarget(t: NfTarget | undefined): string | undefined {
  return t && (t.kind === "jump" || t.kind === "goto") ? t.chain : undefined;
}

/** Throws the KernelError the kernel would return for `t`, or returns when the table is acceptable. */
export function validateTable(t: NfTable): void {
  const byName = new Map<string, NfTable["chains"][number]>();
  for (const c of t.chains) {
    if (byName.has(c.name)) throw new KernelError("EEXIST", `chain ${c.name} exists`);
    byName.set(c.name, c);
  }
  for (const b of BUILTIN_CHAINS[t.name]) {
    const c = byName.get(b);
    if (!c || !c.policy) throw new KernelError("EINVAL", `built-in chain ${b} missing`);
  }
  // Static checks on every rule, bound or not; meanwhile each chain's distinct jump targets and
  // its rules whose target is allowed only from some hooks (one pass over the rules).
  const jumps = new Map<string, string[]>();
  const restricted = new Map<string, NfTarget["kind"][]>();
  for (const c of t.chains) {
    if (!isBuiltin(t.name, c.name) && c.policy) throw new KernelError("EINVAL", `user chain ${c.name} has a policy`);
    const to: string[] = [];
    let last: string | undefined;
    for (const r of c.rules) {
      const j = jumpTarget(r.target);
      if (j !== undefined) {
        if (!byName.has(j)) throw new KernelError("ENOENT", `chain ${j} does not exist`);
        if (isBuiltin(t.name, j)) throw new KernelError("EOPNOTSUPP", `jump to base chain ${j}`);
        if (j !== last) to.push((last = j));
      }
      const k = r.target?.kind;
      if (k && NAT_TARGETS[k] && t.name !== "nat") throw new KernelError("EINVAL", `${k} outside the nat table`);
      if (k === "NOTRACK" && t.name !== "raw") throw new KernelError("EINVAL", "NOTRACK outside the raw table");
      if (k && (NAT_TARGETS[k] || k === "REJECT")) {
        const ks = restricted.get(c.name);
        if (!ks) restricted.set(c.name, [k]);
        else if (!ks.includes(k)) ks.push(k);
      }
    }
    jumps.set(c.name, to);
  }
  // Hooks each chain is reachable from, and loops among reachable chains.
  const hooks = new Map<string, Set<NfHook>>();
  for (const b of BUILTIN_CHAINS[t.name]) {
    const state = new Map<string, "open" | "done">();
    const visit = (name: string): void => {
      const st = state.get(name);
      if (st === "open") throw new KernelError("EMLINK", `loop through chain ${name}`);
      if (st === "done") return;
      state.set(name, "open");
      let set = hooks.get(name);
      if (!set) hooks.set(name, (set = new Set()));
      set.add(b);
      for (const j of jumps.get(name)!) visit(j);
      state.set(name, "done");
    };
    visit(b);
  }
  for (const [name, set] of hooks) {
    for (const k of restricted.get(name) ?? []) {
      const allowed = NAT_TARGETS[k] ?? (["INPUT", "FORWARD", "OUTPUT"] as NfHook[]);
      if ([...set].some((h) => !allowed.includes(h))) {
        throw new KernelError("EINVAL", `${k} not allowed in chain ${name} reached from ${[...set].join(",")}`);
      }
    }
  }
}
