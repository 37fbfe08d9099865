/**
 * A simulated machine's kernel: its initial namespace, named namespaces (`ip netns`),
 * anonymous ones (containers), and nsid bookkeeping when namespaces die.
 */
import { KernelError, type HostKernelApi, type NetnsApi, type NetnsRef, type TraceEvent } from "./api.js";
import type { Engine } from "./engine.js";
import { Netns, type NsHost } from "./netns.js";
import { NetnsHandle } from "./netns-api.js";

/** One host. */
export class Host implements HostKernelApi, NsHost {
  readonly initNs: Netns;
  readonly init: NetnsApi;
  private all: Netns[] = [];
  private handles = new Map<Netns, NetnsHandle>();
  private named = new Map<string, Netns>();

  constructor(
    readonly hostname: string,
    readonly engine: Engine,
    private nextNsId: () => number,
  ) {
    this.initNs = new Netns(nextNsId(), "init", this, undefined);
    this.all.push(this.initNs);
    this.init = this.handle(this.initNs);
  }

  private handle(ns: Netns): NetnsHandle {
    let h = this.handles.get(ns);
    if (!h) {
      h = new NetnsHandle(ns);
      this.handles.set(ns, h);
    }
    return h;
  }

  /** The Netns behind a handle or ref. */
  resolve(ref: NetnsRef): Netns {
    if (ref === "init") return this.initNs;
    if ("name" in ref) {
      const ns = this.named.get(ref.name);
      if (!ns) throw new KernelError("ENOENT");
      return ns;
    }
    const ns = this.all.find((n) => n.id === ref.id && n.alive);
    if (!ns) throw new KernelError("ENOENT");
    return ns;
  }

  netnsCreate(label: string): NetnsApi {
    const ns = new Netns(this.nextNsId(), label, this, this.initNs.sysctls);
    this.all.push(ns);
    return this.handle(ns);
  }

  netnsAddNamed(name: string): NetnsApi {
    if (!name || name.includes("/") || name === "." || name === "..") throw new KernelError("EINVAL");
    if (this.named.has(name)) throw new KernelError("EEXIST");
    const ns = new Netns(this.nextNsId(), name, this, this.initNs.sysctls);
    this.all.push(ns);
    this.named.set(name, ns);
    return this.handle(ns);
  }

  netnsDelNamed(name: string): void {
    const ns = this.named.get(name);
    if (!ns) throw new KernelError("ENOENT");
    this.named.delete(name);
    this.kill(ns);
  }

  netnsNamed(): string[] {
    // `ip netns list` reads /var/run/netns in readdir order: on tmpfs that is the order of
    // creation since Linux 6.6 (stable directory offsets; older kernels listed newest first).
    return [...this.named.keys()];
  }

  netns(ref: NetnsRef): NetnsApi {
    return this.handle(this.resolve(ref));
  }

  netnsRelease(api: NetnsApi): void {
    const ns = this.all.find((n) => n.id === api.id);
    if (!ns || ns === this.initNs) return;
    for (const [name, n] of this.named) if (n === ns) return;
    this.kill(ns);
  }

  /** The nsid `viewer` uses for the named namespace `name` (`ip netns list` prints `(id: N)`). */
  nsidOfNamed(viewer: NetnsApi, name: string): number | undefined {
    const v = this.all.find((n) => n.id === viewer.id);
    const target = this.named.get(name);
    return v && target ? v.nsidOf(target) : undefined;
  }

  private kill(ns: Netns): void {
    ns.destroy();
    this.all = this.all.filter((n) => n !== ns);
    for (const other of this.all) other.forgetNsid(ns);
    this.handles.delete(ns);
  }

  /** Every live namespace (for the world and tools). */
  namespaces(): Netns[] {
    return [...this.all];
  }

  traceTake(): TraceEvent[] {
    const evs = this.engine.tracer.take();
    return evs;
  }

  tracing(on: boolean): boolean {
    return this.engine.tracer.set(on);
  }
}
