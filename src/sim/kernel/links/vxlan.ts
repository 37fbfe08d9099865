/**
 * A VXLAN device: Ethernet frames in, UDP datagrams to remote VTEPs out (RFC 7348).
 *
 *   inner frame ─► fdb[dst mac] ? its remote : every all-zero (00:00:00:00:00:00) entry
 *     ─► outer IPv4/UDP (src local, dst remote, dport dstport, sport from a flow hash)
 *     ─► the underlay namespace's ip_local_out (OUTPUT, POSTROUTING hooks apply)
 *   receiving host: UDP dstport ─► the device with that VNI ─► learn inner src → outer src
 *     (unless nolearning) ─► the inner frame is received on the device.
 *
 * MTU: lower device MTU − 50 when `dev` is given, else 1500 (drivers/net/vxlan/vxlan_core.c).
 */
import type { FdbEntry, LinkInfo, VxlanParams } from "../api.js";
import type { Packet } from "../packet.js";
import { isGroupMac, ZERO_MAC } from "../wire/mac.js";
import { Device, frameLen, type DeviceNs } from "./device.js";

/** The Linux default when dstport is not given: 8472 (iproute2 warns about it). */
export const VXLAN_DEFAULT_PORT = 8472;
/** Outer Ethernet + IPv4 + UDP + VXLAN headers. */
export const VXLAN_HEADROOM = 50;

interface Remote {
  dst: string;
  /** The underlay device of the entry (NDA_IFINDEX): the default entry of `remote ... dev X`. */
  via?: string;
  permanent: boolean;
  isStatic: boolean;
  updatedAt: number;
}

/** `type vxlan`. */
export class Vxlan extends Device {
  readonly kind = "vxlan" as const;
  readonly params: VxlanParams & { dstport: number; learning: boolean };

  /** The kernel counts a VXLAN device's traffic without the inner Ethernet header (84 bytes for a ping). */
  protected override countedLen(frame: Packet): number {
    return frameLen(frame) - 14;
  }
  /** The namespace whose UDP socket carries the tunnel (where the device was created). */
  readonly underlay: DeviceNs;
  /** MAC → remote VTEPs; the all-zero MAC holds the flooding list. */
  private fdb = new Map<string, Remote[]>();
  ageingMs = 300_000;

  constructor(ns: DeviceNs, ifindex: number, name: string, mac: string, mtu: number, params: VxlanParams) {
    super(ns, ifindex, name, mac, mtu);
    this.underlay = ns;
    this.params = { ...params, dstport: params.dstport || VXLAN_DEFAULT_PORT, learning: params.learning ?? true };
    if (params.remote) this.fdb.set(ZERO_MAC, [{ dst: params.remote, ...(params.dev !== undefined ? { via: params.dev } : {}), permanent: true, isStatic: false, updatedAt: 0 }]);
  }

  override carrier(): boolean {
    return true;
  }

  override operstate(): string {
    return this.adminUp ? "UNKNOWN" : "DOWN";
  }

  protected override infoExtra(): Partial<LinkInfo> {
    return { vxlan: { ...this.params } };
  }

  private remotesFor(mac: string): Remote[] {
    const now = this.ns.engine.clock.now();
    const list = this.fdb.get(mac);
    if (!list) return [];
    const live = list.filter((r) => r.permanent || r.isStatic || now - r.updatedAt <= this.ageingMs);
    if (live.length !== list.length) {
      if (live.length) this.fdb.set(mac, live);
      else this.fdb.delete(mac);
    }
    return live;
  }

  protected override xmit(frame: Packet): void {
    const dst = frame.l2!.dst;
    let remotes = isGroupMac(dst) ? [] : this.remotesFor(dst);
    let how = `fdb ${dst}`;
    if (remotes.length === 0) {
      remotes = this.remotesFor(ZERO_MAC);
      how = `no fdb entry for ${dst}: all-zero entries`;
    }
    if (remotes.length === 0) {
      this.stats.txDropped++;
      this.trace("drop", () => `${this.name}: no fdb entry for ${dst} and no all-zero (flood) entry: dropped`, frame);
      return;
    }
    for (const r of remotes) {
      const outer: Packet = {
        id: this.ns.engine.packetId(),
        ip: { src: this.params.local ?? "", dst: r.dst, ttl: this.params.ttl ?? 64, proto: "udp", len: 20 + 8 + 8 + 14 + (frame.arp ? 28 : frame.ip.len) },
        udp: { sport: flowPort(frame), dport: this.params.dstport },
        encap: { vni: this.params.vni, frame },
        mark: 0,
      };
      this.trace("vxlan-encap", () => `${this.name}: vni ${this.params.vni} ${how} → udp ${r.dst}:${this.params.dstport} (outer packet ${outer.id})`, frame, { outer: outer.id, remote: r.dst });
      this.underlay.tunnelOutput(outer);
    }
  }

  /** An outer packet for this VNI arrived: learn, then receive the inner frame. */
  decap(outer: Packet): void {
    const inner = outer.encap!.frame;
    const src = inner.l2!.src;
    if (this.params.learning && !isGroupMac(src)) {
      const list = this.fdb.get(src);
      if (!list || (!list[0]!.permanent && !list[0]!.isStatic)) {
        this.fdb.set(src, [{ dst: outer.ip.src, permanent: false, isStatic: false, updatedAt: this.ns.engine.clock.now() }]);
      }
    }
    this.trace("vxlan-decap", () => `${this.name}: vni ${this.params.vni} from ${outer.ip.src}: inner ${inner.l2!.src} → ${inner.l2!.dst}`, inner, { outer: outer.id });
    this.receive(inner);
  }

  /** `bridge fdb add/append/replace ... dev vxlan0 dst IP`. Returns an errno name on refusal. */
  fdbAdd(mac: string, dst: string, mode: "add" | "append" | "replace", isStatic: boolean): "EEXIST" | undefined {
    const list = this.fdb.get(mac) ?? [];
    const rec: Remote = { dst, permanent: !isStatic, isStatic, updatedAt: this.ns.engine.clock.now() };
    if (mode === "append") {
      if (list.some((r) => r.dst === dst)) return "EEXIST";
      this.fdb.set(mac, [...list, rec]);
      return undefined;
    }
    if (mode === "add" && list.length) return "EEXIST";
    this.fdb.set(mac, [rec]);
    return undefined;
  }

  /** Deletes one remote of an entry (or the whole entry when `dst` is omitted); false if absent. */
  fdbDel(mac: string, dst?: string): boolean {
    const list = this.fdb.get(mac);
    if (!list) return false;
    if (dst === undefined) {
      this.fdb.delete(mac);
      return true;
    }
    const next = list.filter((r) => r.dst !== dst);
    if (next.length === list.length) return false;
    if (next.length) this.fdb.set(mac, next);
    else this.fdb.delete(mac);
    return true;
  }

  /** Entries as `bridge fdb show dev vxlan0` lists them (`self`, with `dst`). */
  fdbEntries(): FdbEntry[] {
    const now = this.ns.engine.clock.now();
    const out: FdbEntry[] = [];
    // Newest entry first (hash chains take new entries at the head); an entry's remotes in the order added.
    for (const mac of [...this.fdb.keys()].reverse()) {
      for (const r of this.remotesFor(mac)) {
        out.push({
          mac,
          dev: this.name,
          dst: r.dst,
          ...(r.via !== undefined ? { via: r.via } : {}),
          self: true,
          ...(r.permanent ? { state: "permanent" as const } : r.isStatic ? { state: "static" as const } : {}),
          ageSec: r.permanent ? 0 : Math.floor((now - r.updatedAt) / 1000),
        });
      }
    }
    return out;
  }
}

/** A source port from the inner flow, in 32768..60999 as udp_flow_src_port() picks it. */
function flowPort(frame: Packet): number {
  let h = 2166136261;
  const key = frame.arp
    ? `${frame.l2!.src}${frame.l2!.dst}`
    : `${frame.ip.src}|${frame.ip.dst}|${frame.ip.proto}|${frame.tcp?.sport ?? frame.udp?.sport ?? 0}|${frame.tcp?.dport ?? frame.udp?.dport ?? 0}`;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619) >>> 0;
  return Math.floor((h / 4294967296) * (60999 - 32768)) + 32768;
}
