/**
 * dockerd's iptables programming, replayed operation by operation through the kernel API
 * (nfTableGet → edit → nfTableReplace, as iptables does one table commit per command), so the
 * final layout comes out of the same insert/append order as libnetwork 20.10
 * (drivers/bridge/setup_ip_tables.go, iptables/iptables.go, portmapper/mapper_linux.go):
 *
 *   daemon start:  nat DOCKER; filter DOCKER, DOCKER-ISOLATION-STAGE-1/2 (+RETURN), DOCKER-USER (+RETURN)
 *   per network:   nat   -I POSTROUTING -s SUBNET ! -o BR -j MASQUERADE
 *                  nat   -I DOCKER -i BR -j RETURN
 *                  filter -I FORWARD -i BR -o BR -j ACCEPT            (ICC)
 *                  filter -I FORWARD -i BR ! -o BR -j ACCEPT          (outgoing)
 *                  nat   -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER        (once)
 *                  nat   -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER (once)
 *                  filter -I FORWARD -o BR -j DOCKER
 *                  filter -I FORWARD -o BR -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
 *                  filter -I DOCKER-ISOLATION-STAGE-1 -i BR ! -o BR -j DOCKER-ISOLATION-STAGE-2
 *                  filter -I DOCKER-ISOLATION-STAGE-2 -o BR -j DROP
 *                  EnsureJumpRule(FORWARD → DOCKER-ISOLATION-STAGE-1), then (FORWARD → DOCKER-USER)
 *   per port:      nat   -A DOCKER ! -i BR -p P -m P --dport HP -j DNAT --to-destination CIP:CP
 *                  filter -A DOCKER -d CIP/32 ! -i BR -o BR -p P -m P --dport CP -j ACCEPT
 *                  nat   -A POSTROUTING -s CIP/32 -d CIP/32 -p P -m P --dport CP -j MASQUERADE
 */
import type { NetnsApi, NfMatch, NfRule, NfTable, NfTableName, NfTarget } from "../kernel/api.js";
import type { Proto } from "./types.js";

type RuleSpec = Omit<NfRule, "counters">;

const ZERO: NfRule["counters"] = Object.freeze({ packets: 0, bytes: 0 }) as NfRule["counters"];

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
    for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

const iface = (name: string, neg = false) => ({ name, neg });
const net = (cidr: string, neg = false) => {
  const [addr, len] = cidr.split("/");
  return { addr: addr!, plen: len === undefined ? 32 : Number(len), neg };
};
/**
 * A rule as dockerd writes it: deep-frozen with zero counters, so the kernel holds this very
 * object (store.ts shares deep-frozen rules) instead of copying it. Every rule has its own
 * `matches` array (the kernel maps its exported copies back through it).
 */
const rule = (r: Partial<RuleSpec> & { target: NfTarget }): NfRule => deepFreeze({ matches: [], ...r, counters: ZERO });
const jump = (chain: string): NfTarget => ({ kind: "jump", chain });
const portMatch = (proto: Proto, dport: number): NfMatch => ({ kind: proto, dport: { from: dport, to: dport } });

/**
 * Rules are immutable values, so one object per distinct rule serves every engine of the process
 * (each world's docker0 gets the same rules): made once per key, the key naming every parameter
 * the rules are built from. Bounded: cleared when full.
 */
const interned = new Map<string, unknown>();
function intern<T>(key: string, make: () => T): T {
  let v = interned.get(key) as T | undefined;
  if (v === undefined) {
    if (interned.size >= 256) interned.clear();
    v = make();
    interned.set(key, v);
  }
  return v;
}

/** Rules that name no bridge: the same for every network. */
const FIXED = {
  preroutingJump: rule({ matches: [{ kind: "addrtype", dstType: { types: ["LOCAL"], neg: false } }], target: jump("DOCKER") }),
  outputJump: rule({ dst: net("127.0.0.0/8", true), matches: [{ kind: "addrtype", dstType: { types: ["LOCAL"], neg: false } }], target: jump("DOCKER") }),
  isolation1Return: rule({ target: { kind: "RETURN" } }),
  isolation2Return: rule({ target: { kind: "RETURN" } }),
  userReturn: rule({ target: { kind: "RETURN" } }),
  toIsolation1: rule({ target: jump("DOCKER-ISOLATION-STAGE-1") }),
  toUser: rule({ target: jump("DOCKER-USER") }),
};

/**
 * Structural equality as rules compare after a round trip through the kernel: key order, keys
 * holding undefined and counters (at any depth) do not count.
 */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (k === "counters" || x[k] === undefined) continue;
    if (!equal(x[k], y[k])) return false;
    n++;
  }
  for (const k in y) if (k !== "counters" && y[k] !== undefined) n--;
  return n === 0;
}

/** `-p all` is the same rule as no `-p`. */
const protoOf = (r: RuleSpec) => (r.proto && r.proto.name !== "all" ? r.proto : undefined);

/** The same rule (what `iptables -C` / `-D rule` compare), counters aside. */
function same(a: RuleSpec, b: RuleSpec): boolean {
  // Cheap differences first: most rules of a chain differ in their target or their matches' count.
  const ta = a.target;
  const tb = b.target;
  if (ta?.kind !== tb?.kind || (ta?.kind === "jump" && ta.chain !== (tb as typeof ta).chain) || a.matches.length !== b.matches.length) return false;
  if (!equal(protoOf(a), protoOf(b))) return false;
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (k === "counters" || k === "proto" || x[k] === undefined) continue;
    if (!equal(x[k], y[k])) return false;
    n++;
  }
  for (const k in y) if (k !== "counters" && k !== "proto" && y[k] !== undefined) n--;
  return n === 0;
}

/** The chain of `t` named `name`. */
function find(t: NfTable, name: string): NfTable["chains"][number] | undefined {
  const chains = t.chains;
  for (let i = 0; i < chains.length; i++) if (chains[i]!.name === name) return chains[i];
  return undefined;
}

/**
 * Edits the tables of one namespace. Each operation is one iptables command; inside `batch` the
 * commands act on a copy and the changed tables are committed once at the end (the final tables
 * are the same as with a commit per command, which is what dockerd's sequence produces).
 */
export class Iptables {
  private pending?: Map<NfTableName, { t: NfTable; dirty: boolean }>;

  constructor(private readonly ns: NetnsApi) {}

  /** Runs `fn` with every table read once and written once. */
  batch<T>(fn: () => T): T {
    if (this.pending) return fn();
    this.pending = new Map();
    try {
      return fn();
    } finally {
      const p = this.pending;
      this.pending = undefined;
      for (const [name, e] of p) if (e.dirty) this.ns.nfTableReplace(name, e.t);
    }
  }

  /** The table to edit: nfTableGet hands out a copy the caller owns (a chain's rules are copied when first read). */
  private load(table: NfTableName): NfTable {
    return this.ns.nfTableGet(table);
  }

  private edit(table: NfTableName, fn: (t: NfTable) => boolean): void {
    if (this.pending) {
      const t = this.view(table);
      if (fn(t)) this.pending.get(table)!.dirty = true;
      return;
    }
    const copy = this.load(table);
    if (fn(copy)) this.ns.nfTableReplace(table, copy);
  }

  private view(table: NfTableName): NfTable {
    if (!this.pending) return this.ns.nfTableGet(table);
    let e = this.pending.get(table);
    if (!e) {
      e = { t: this.load(table), dirty: false };
      this.pending.set(table, e);
    }
    return e.t;
  }

  private chain(t: NfTable, name: string) {
    let c = find(t, name);
    if (!c) {
      c = { name, rules: [], counters: { packets: 0, bytes: 0 } };
      t.chains.push(c);
    }
    return c;
  }

  /** `iptables -t T -N CHAIN` unless it exists. */
  newChain(table: NfTableName, name: string): void {
    this.edit(table, (t) => {
      if (find(t, name)) return false;
      this.chain(t, name);
      return true;
    });
  }

  exists(table: NfTableName, chain: string, r: NfRule): boolean {
    const c = find(this.view(table), chain);
    if (!c) return false;
    const rules = c.rules;
    for (let i = 0; i < rules.length; i++) if (same(rules[i]!, r)) return true;
    return false;
  }

  /** `-I CHAIN [pos]` (1-based). */
  insert(table: NfTableName, chain: string, r: NfRule, pos = 1): void {
    this.edit(table, (t) => {
      this.chain(t, chain).rules.splice(pos - 1, 0, r);
      return true;
    });
  }

  /** `-A CHAIN`. */
  append(table: NfTableName, chain: string, r: NfRule): void {
    this.edit(table, (t) => {
      this.chain(t, chain).rules.push(r);
      return true;
    });
  }

  /** `-F CHAIN`: removes every rule of the chain, if it exists. */
  flush(table: NfTableName, chain: string): void {
    this.edit(table, (t) => {
      const c = find(t, chain);
      if (!c || c.rules.length === 0) return false;
      c.rules = [];
      return true;
    });
  }

  /** `-D CHAIN rule` (first match); false when absent. */
  delete(table: NfTableName, chain: string, r: NfRule): boolean {
    let done = false;
    this.edit(table, (t) => {
      const c = find(t, chain);
      const i = c ? c.rules.findIndex((x) => same(x, r)) : -1;
      if (i < 0) return false;
      c!.rules.splice(i, 1);
      done = true;
      return true;
    });
    return done;
  }

  /** Inserts only if absent (`-C` then `-I`). */
  insertUnique(table: NfTableName, chain: string, r: NfRule): void {
    if (!this.exists(table, chain, r)) this.insert(table, chain, r);
  }

  /** Appends only if absent (`-C` then `-A`). */
  appendUnique(table: NfTableName, chain: string, r: NfRule): void {
    if (!this.exists(table, chain, r)) this.append(table, chain, r);
  }

  /** libnetwork EnsureJumpRule: delete the jump `r` if present, then insert it at the top. */
  ensureJump(from: string, r: NfRule): void {
    while (this.delete("filter", from, r));
    this.insert("filter", from, r);
  }

  setPolicy(table: NfTableName, chain: string, policy: "ACCEPT" | "DROP"): void {
    this.edit(table, (t) => {
      const c = find(t, chain);
      if (!c) return false;
      c.policy = policy;
      return true;
    });
  }
}

/** The chains dockerd creates when it starts (before any network). */
export function setupDaemonChains(ipt: Iptables): void {
  ipt.newChain("nat", "DOCKER");
  ipt.newChain("filter", "DOCKER");
  ipt.newChain("filter", "DOCKER-ISOLATION-STAGE-1");
  ipt.newChain("filter", "DOCKER-ISOLATION-STAGE-2");
  ipt.newChain("filter", "DOCKER-USER");
}

/** Programs one bridge network (see the picture at the top). */
export function setupBridgeRules(ipt: Iptables, br: string, subnet: string): void {
  const b = bridgeRules(br, subnet);
  for (const r of b.natInserted) ipt.insertUnique("nat", r.chain, r.rule);
  ipt.insertUnique("filter", "FORWARD", b.filter[0]!);
  ipt.insertUnique("filter", "FORWARD", b.filter[1]!);
  ipt.appendUnique("nat", "PREROUTING", FIXED.preroutingJump);
  ipt.appendUnique("nat", "OUTPUT", FIXED.outputJump);
  ipt.insertUnique("filter", "FORWARD", b.filter[2]!);
  ipt.insertUnique("filter", "FORWARD", b.filter[3]!);
  for (const r of b.isolation) ipt.insertUnique("filter", r.chain, r.rule);
  ipt.appendUnique("filter", "DOCKER-ISOLATION-STAGE-1", FIXED.isolation1Return);
  ipt.appendUnique("filter", "DOCKER-ISOLATION-STAGE-2", FIXED.isolation2Return);
  ipt.ensureJump("FORWARD", FIXED.toIsolation1);
  ipt.appendUnique("filter", "DOCKER-USER", FIXED.userReturn);
  ipt.ensureJump("FORWARD", FIXED.toUser);
}

/** One bridge network's own rules, in the order setupBridgeRules writes them. */
function bridgeRules(br: string, subnet: string) {
  return intern(`bridge\0${br}\0${subnet}`, () => ({
    natInserted: [
      { chain: "POSTROUTING", rule: rule({ src: net(subnet), outIface: iface(br, true), target: { kind: "MASQUERADE" } }) },
      { chain: "DOCKER", rule: rule({ inIface: iface(br), target: { kind: "RETURN" } }) },
    ],
    filter: [
      rule({ inIface: iface(br), outIface: iface(br), target: { kind: "ACCEPT" } }),
      rule({ inIface: iface(br), outIface: iface(br, true), target: { kind: "ACCEPT" } }),
      rule({ outIface: iface(br), target: jump("DOCKER") }),
      rule({ outIface: iface(br), matches: [{ kind: "conntrack", ctstate: { states: ["RELATED", "ESTABLISHED"], neg: false } }], target: { kind: "ACCEPT" } }),
    ],
    isolation: [
      { chain: "DOCKER-ISOLATION-STAGE-1", rule: rule({ inIface: iface(br), outIface: iface(br, true), target: jump("DOCKER-ISOLATION-STAGE-2") }) },
      { chain: "DOCKER-ISOLATION-STAGE-2", rule: rule({ outIface: iface(br), target: { kind: "DROP" } }) },
    ],
  }));
}

/** Removes what setupBridgeRules added for one network (`docker network rm`). */
export function teardownBridgeRules(ipt: Iptables, br: string, subnet: string): void {
  const r = bridgeRules(br, subnet);
  for (const x of r.natInserted) ipt.delete("nat", x.chain, x.rule);
  for (const x of r.filter) ipt.delete("filter", "FORWARD", x);
  for (const x of r.isolation) ipt.delete("filter", x.chain, x.rule);
}

function portRules(br: string, m: { proto: Proto; hostIp: string; hostPort: number; containerIp: string; containerPort: number }) {
  return intern(`port\0${br}\0${m.proto}\0${m.hostIp}\0${m.hostPort}\0${m.containerIp}\0${m.containerPort}`, () => makePortRules(br, m));
}

function makePortRules(br: string, m: { proto: Proto; hostIp: string; hostPort: number; containerIp: string; containerPort: number }) {
  const dnat = rule({
    inIface: iface(br, true),
    proto: { name: m.proto, neg: false },
    ...(m.hostIp !== "0.0.0.0" ? { dst: net(`${m.hostIp}/32`) } : {}),
    matches: [portMatch(m.proto, m.hostPort)],
    target: { kind: "DNAT", toAddr: m.containerIp, toPort: m.containerPort },
  });
  const accept = rule({
    dst: net(`${m.containerIp}/32`),
    inIface: iface(br, true),
    outIface: iface(br),
    proto: { name: m.proto, neg: false },
    matches: [portMatch(m.proto, m.containerPort)],
    target: { kind: "ACCEPT" },
  });
  const hairpin = rule({
    src: net(`${m.containerIp}/32`),
    dst: net(`${m.containerIp}/32`),
    proto: { name: m.proto, neg: false },
    matches: [portMatch(m.proto, m.containerPort)],
    target: { kind: "MASQUERADE" },
  });
  return { dnat, accept, hairpin };
}

/** One published port (`-p HOST:CONTAINER`): DNAT, the FORWARD accept, the hairpin MASQUERADE. */
export function addPortRules(ipt: Iptables, br: string, m: { proto: Proto; hostIp: string; hostPort: number; containerIp: string; containerPort: number }): void {
  const r = portRules(br, m);
  ipt.append("nat", "DOCKER", r.dnat);
  ipt.append("filter", "DOCKER", r.accept);
  ipt.append("nat", "POSTROUTING", r.hairpin);
}

/** Removes one published port's rules. */
export function removePortRules(ipt: Iptables, br: string, m: { proto: Proto; hostIp: string; hostPort: number; containerIp: string; containerPort: number }): void {
  const r = portRules(br, m);
  ipt.delete("nat", "DOCKER", r.dnat);
  ipt.delete("filter", "DOCKER", r.accept);
  ipt.delete("nat", "POSTROUTING", r.hairpin);
}
