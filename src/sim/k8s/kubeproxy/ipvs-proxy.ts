/**
 * kube-proxy (IPVS mode) on one node: after every settled change of Services or EndpointSlices
 * it computes the desired state (ipvs-state.ts) and brings the node's kernel there through the
 * kernel API, in the order of `syncProxyRules` (kubernetes/kubernetes pkg/proxy/ipvs/proxier.go):
 *
 *   EnsureDummyDevice(kube-ipvs0) → ensure ipsets → per service: AddVirtualServer / bind VIP /32 /
 *   add and remove real servers → sync set members → iptables-restore --noflush (nat, filter)
 *   → unbind VIPs no longer wanted → delete virtual servers no longer wanted (cleanLegacyService)
 *
 * A removed endpoint's real server goes the way of the GracefulTerminationManager
 * (graceful_termination.go): deleted at once when it has no connections, else its weight drops
 * to 0 (no new connections) and a later sync deletes it once its connections are gone.
 */
import type { Clock } from "../../../core/clock.js";
import type { IpsetEntry, IpvsServiceInfo, IpvsServiceKey, NetnsApi, NfRule, NfTableName } from "../../kernel/api.js";
import type { ApiServer } from "../apiserver.js";
import { KIND } from "../controllers.js";
import { applyDesired } from "./apply.js";
import { modelKey } from "./iptables.js";
import { ownedByIpvsProxy } from "./ipvs-rules.js";
import { createSpec, entryText, ipvsSets } from "./ipvs-sets.js";
import { DUMMY_DEVICE, generateIpvsState, nodePortAddresses, type IpvsDesired } from "./ipvs-state.js";
import { minorOf, type ProxyConfig } from "./model.js";
import { buildModel } from "./sync.js";

const key = (k: IpvsServiceKey) => `${k.proto}/${k.addr}:${k.port}`;

function ensureCanary(ns: NetnsApi, table: NfTableName): void {
  const t = structuredClone(ns.nfTableGet(table));
  if (t.chains.some((c) => c.name === "KUBE-PROXY-CANARY")) return;
  t.chains.push({ name: "KUBE-PROXY-CANARY", rules: [] as NfRule[], counters: { packets: 0, bytes: 0 } });
  ns.nfTableReplace(table, t);
}

/** kube-proxy (IPVS mode) on one node. */
export class KubeProxyIpvs {
  /** iptables rules written by the last sync (for the benchmark: they do not grow with services). */
  lastRuleCount = 0;
  /** Virtual servers after the last sync. */
  lastServiceCount = 0;
  private lastKey = "";
  private gracefulCheck: number | undefined;
  /** Real servers wait at weight 0 for their connections to end (GracefulTerminationManager). */
  private gracefulPending = false;

  /** `ns` is the node's initial namespace; `clock` runs the graceful-termination check (every minute, rsCheckDeleteInterval). */
  constructor(private readonly api: ApiServer, readonly ns: NetnsApi, readonly node: string, readonly cfg: ProxyConfig, private readonly clock?: Clock) {
    for (const t of ["mangle", "nat", "filter"] as const) ensureCanary(ns, t);
    // NewProxier's sysctls (conn_reuse_mode is left as is on kernels ≥ 5.9, issue #93297).
    for (const [k, v] of [["net.ipv4.vs.conntrack", "1"], ["net.ipv4.vs.expire_nodest_conn", "1"], ["net.ipv4.vs.expire_quiescent_template", "1"], ["net.ipv4.ip_forward", "1"]]) {
      try {
        ns.sysctlSet(k!, v!);
      } catch {
        /* a sysctl the simulated kernel does not model */
      }
    }
    api.onIdle(() => this.sync());
    this.sync();
  }

  /** The state the next sync would write (for tests). */
  desired(): IpvsDesired {
    return generateIpvsState(buildModel(this.api, this.node, this.cfg.version), this.cfg, this.nodeIPs(), this.sticky());
  }

  /** Services with `sessionAffinity: ClientIP` and their timeout (the API default is 10800 s). */
  private sticky(): Map<string, number> {
    const out = new Map<string, number>();
    for (const svc of this.api.list(KIND.svc)) {
      if (svc.spec?.sessionAffinity !== "ClientIP") continue;
      out.set(`${svc.metadata.namespace}/${svc.metadata.name}`, svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800);
    }
    return out;
  }

  private nodeIPs(): string[] {
    return nodePortAddresses(this.ns.addrList().map((a) => ({ dev: a.dev, ip: a.cidr.split("/")[0]! })), this.cfg.version);
  }

  /** One syncProxyRules (skipped when neither the services, the endpoints, the node's addresses nor a graceful deletion changed). */
  sync(): void {
    const model = buildModel(this.api, this.node, this.cfg.version);
    const nodeIPs = this.nodeIPs();
    const sticky = this.sticky();
    const k = `${nodeIPs.join(",")}|${[...sticky].join(",")}\n${modelKey(model)}`;
    if (k === this.lastKey && !this.gracefulPending) return;
    this.lastKey = k;
    const d = generateIpvsState(model, this.cfg, nodeIPs, sticky);
    const ns = this.ns;
    const current = new Map(ns.ipvsServiceList().map((s) => [key(s), s]));

    if (!ns.linkList().some((l) => l.name === DUMMY_DEVICE)) ns.linkAdd({ name: DUMMY_DEVICE, kind: "dummy", txqlen: 0 });
    for (const def of ipvsSets(minorOf(this.cfg.version))) ns.ipsetCreate(createSpec(def), { exist: true });

    const bound = new Set(ns.addrList().filter((a) => a.dev === DUMMY_DEVICE).map((a) => a.cidr.split("/")[0]!));
    const toBind = new Set(d.bindAddrs);
    const active = new Set<string>();
    let graceful = false;
    for (const want of d.services) {
      const id = key(want.spec);
      active.add(id);
      let have: IpvsServiceInfo | undefined = current.get(id);
      if (!have) {
        ns.ipvsServiceAdd(want.spec);
        have = ns.ipvsServiceGet(want.spec);
      } else if (have.scheduler !== want.spec.scheduler || JSON.stringify(have.persistent) !== JSON.stringify(want.spec.persistent)) {
        ns.ipvsServiceEdit(want.spec);
      }
      if (toBind.has(want.spec.addr) && !bound.has(want.spec.addr)) {
        ns.addrAdd(DUMMY_DEVICE, `${want.spec.addr}/32`);
        bound.add(want.spec.addr);
      }
      const wanted = new Set(want.dests.map((x) => `${x.addr}:${x.port}`));
      const haveDests = new Map(have.dests.map((x) => [`${x.addr}:${x.port}`, x]));
      for (const dest of want.dests) {
        const h = haveDests.get(`${dest.addr}:${dest.port}`);
        if (!h) ns.ipvsDestAdd(want.spec, dest);
        else if (h.weight !== dest.weight) ns.ipvsDestEdit(want.spec, dest); // back from graceful deletion
      }
      for (const [id2, h] of haveDests) {
        if (wanted.has(id2)) continue;
        if (h.activeConns + h.inactConns === 0) ns.ipvsDestDel(want.spec, h);
        else {
          graceful = true;
          if (h.weight !== 0) ns.ipvsDestEdit(want.spec, { addr: h.addr, port: h.port, weight: 0, fwd: h.fwd });
        }
      }
    }

    for (const [name, members] of d.sets) {
      const info = ns.ipsetList(name)[0]!;
      const text = (e: IpsetEntry) => entryText(info.type, e);
      const want = new Map(members.map((e) => [text(e), e]));
      const have = new Map(info.members.map((e) => [text(e), e]));
      for (const [t, e] of have) if (!want.has(t)) ns.ipsetDel(name, e, { exist: true });
      for (const [t, e] of want) if (!have.has(t)) ns.ipsetAdd(name, e, { exist: true });
    }

    let n = 0;
    for (const t of [d.rules.nat, d.rules.filter]) for (const r of t.chains.values()) n += r.length;
    this.lastRuleCount = n;
    ns.nfTableReplace("nat", applyDesired(ns.nfTableGet("nat"), d.rules.nat, ownedByIpvsProxy));
    ns.nfTableReplace("filter", applyDesired(ns.nfTableGet("filter"), d.rules.filter, ownedByIpvsProxy));

    for (const ip of bound) if (!toBind.has(ip)) ns.addrDel(DUMMY_DEVICE, `${ip}/32`);
    for (const [id, s] of current) if (!active.has(id)) ns.ipvsServiceDel(s);
    this.lastServiceCount = active.size;
    this.gracefulPending = graceful;
    if (graceful && this.clock && this.gracefulCheck === undefined) {
      this.gracefulCheck = this.clock.schedule(this.clock.now() + 60_000, () => {
        this.gracefulCheck = undefined;
        this.sync();
      });
    }
  }
}
