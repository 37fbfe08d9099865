/**
 * A Linux bridge (STP off): ports, a forwarding database that learns source MACs and ages
 * them out (ageing_time 300 s, virtual), flooding of group and unknown frames, and local
 * delivery of frames addressed to the bridge or a port's own MAC.
 *
 *          ┌──────── br0 (L3: ip_rcv / ip_output) ────────┐
 *   port ──► learn src ─► dst? local → up │ known → port │ group/unknown → flood
 *
 * With net.bridge.bridge-nf-call-iptables=1, bridged IPv4 frames pass PREROUTING, FORWARD
 * (per output port) and POSTROUTING, as br_netfilter does.
 */
import type { FdbEntry, LinkInfo } from "../api.js";
import type { Packet } from "../packet.js";
import { isGroupMac, ZERO_MAC } from "../wire/mac.js";
import { clonePacket } from "../frame.js";
import { Device, otherHost, type BridgeMaster } from "./device.js";

interface FdbRecord {
  port: Device;
  /** A port's own address (permanent, local) or a user-added static entry. */
  local: boolean;
  isStatic: boolean;
  updatedAt: number;
}

/** `type bridge`. */
export class Bridge extends Device implements BridgeMaster {
  readonly kind = "bridge" as const;
  readonly ports: Device[] = [];
  private fdb = new Map<string, FdbRecord>();
  /** Until a port comes or goes the bridge's carrier is unmanaged: state UNKNOWN. */
  private carrierManaged = false;
  /** Set when the user gave an address: then ports no longer decide it. */
  macSetByUser = false;
  /** Set when the user gave an MTU: then it no longer follows the smallest port MTU. */
  mtuSetByUser = false;
  ageingMs = 300_000;

  override carrier(): boolean {
    if (!this.carrierManaged) return true;
    return this.ports.some((p) => p.adminUp && p.carrier());
  }

  override operstate(): string {
    if (!this.adminUp) return "DOWN";
    if (!this.carrierManaged) return "UNKNOWN";
    return this.carrier() ? "UP" : "DOWN";
  }

  /** Port state as `bridge link` shows it. */
  portState(port: Device): "forwarding" | "disabled" {
    return this.adminUp && port.adminUp && port.carrier() ? "forwarding" : "disabled";
  }

  /** Enslaves a device. */
  addPort(port: Device): void {
    port.master = this;
    this.ports.push(port);
    this.fdb.set(port.mac, { port, local: true, isStatic: false, updatedAt: 0 });
    this.portsChanged();
  }

  /** Releases a port and forgets what was learned on it. */
  removePort(port: Device): void {
    const i = this.ports.indexOf(port);
    if (i >= 0) this.ports.splice(i, 1);
    port.master = undefined;
    for (const [mac, r] of this.fdb) if (r.port === port) this.fdb.delete(mac);
    this.portsChanged();
  }

  /** Recomputes carrier, MTU and the bridge's own MAC (the lowest port MAC unless set by the user). */
  portsChanged(): void {
    this.carrierManaged = true;
    // br_mtu_auto_adjust: the smallest port MTU, 1500 without ports.
    if (!this.mtuSetByUser) this.mtu = this.ports.length ? Math.min(...this.ports.map((p) => p.mtu)) : 1500;
    if (!this.macSetByUser) {
      let min: string | undefined;
      for (const p of this.ports) if (min === undefined || p.mac < min) min = p.mac;
      this.mac = min ?? ZERO_MAC;
    }
    this.ns.linkChanged(this);
  }

  private lookup(mac: string): FdbRecord | undefined {
    const r = this.fdb.get(mac);
    if (!r) return undefined;
    if (!r.local && !r.isStatic && this.ns.engine.clock.now() - r.updatedAt > this.ageingMs) {
      this.fdb.delete(mac);
      return undefined;
    }
    return r;
  }

  portReceive(port: Device, frame: Packet): void {
    if (this.portState(port) !== "forwarding") {
      if (this.ns.engine.tracer.enabled) port.trace("drop", `bridge ${this.name}: port ${port.name} is not forwarding`, frame);
      return;
    }
    const l2 = frame.l2!;
    if (!isGroupMac(l2.src)) {
      const existing = this.fdb.get(l2.src);
      if (!existing || (!existing.local && !existing.isStatic)) {
        this.fdb.set(l2.src, { port, local: false, isStatic: false, updatedAt: this.ns.engine.clock.now() });
      }
    }
    let f: Packet | undefined = frame;
    const nf = !frame.arp && this.ns.sysctl("net.bridge.bridge-nf-call-iptables") === "1";
    if (isGroupMac(l2.dst)) {
      if (this.ns.engine.tracer.enabled) this.trace("bridge", `${this.name}: ${l2.dst} from ${port.name}: flood and deliver locally`, frame);
      if (nf) f = this.ns.bridgeHook(frame, "PREROUTING", this.name, port.name);
      if (!f) return;
      this.flood(f, port, nf);
      this.deliverUp(f, port, nf);
      return;
    }
    const r = this.lookup(l2.dst);
    // The bridge's own address is local too, also when the user set one no port has
    // (br_fdb_change_mac_address inserts it with no port).
    if (r?.local || l2.dst === this.mac) {
      if (this.ns.engine.tracer.enabled) this.trace("bridge", `${this.name}: ${l2.dst} is local: up to the stack`, frame);
      this.deliverUp(frame, port, false);
      return;
    }
    if (nf) {
      const before = frame.ip.dst;
      f = this.ns.bridgeHook(frame, "PREROUTING", this.name, port.name);
      if (!f) return;
      if (f.ip.dst !== before) {
        // br_nf_pre_routing_finish: DNAT changed the destination, so the IP stack routes it.
        if (this.ns.engine.tracer.enabled) this.trace("bridge", `${this.name}: DNAT to ${f.ip.dst}: handed to the IP stack`, f);
        this.ns.netifReceive(this, f, { physIn: port.name, skipPrerouting: true });
        return;
      }
    }
    if (r) {
      if (r.port === port) {
        if (this.ns.engine.tracer.enabled) this.trace("drop", `${this.name}: ${l2.dst} is on ingress port ${port.name}: filtered`, frame);
        return;
      }
      if (this.ns.engine.tracer.enabled) this.trace("bridge", `${this.name}: ${l2.dst} learned on ${r.port.name}: forward`, frame);
      this.forwardTo(f, port, r.port, nf);
      return;
    }
    if (this.ns.engine.tracer.enabled) this.trace("bridge", `${this.name}: ${l2.dst} unknown: flood`, frame);
    this.flood(f, port, nf);
  }

  /**
   * Up to the bridge's own stack (br_pass_frame_up); br_netfilter's PREROUTING then runs once, in
   * ip_rcv, with physIn. The frame keeps the pkt_type the ingress port gave it: addressed to another
   * port's (local) address, neither that port's nor the bridge's, it is PACKET_OTHERHOST and ip_rcv
   * drops it.
   */
  private deliverUp(frame: Packet, port: Device, pastPrerouting: boolean): void {
    if (!this.adminUp) return;
    this.stats.rxPackets++;
    this.stats.rxBytes += frame.arp ? 42 : 14 + frame.ip.len;
    if (otherHost(frame, port.mac, this.mac)) {
      this.dropOtherHost(frame, `ingress port ${port.name} is ${port.mac}, ${this.name} ${this.mac}`);
      return;
    }
    this.ns.netifReceive(this, frame, { physIn: port.name, skipPrerouting: pastPrerouting });
  }

  private flood(frame: Packet, ingress: Device | undefined, nf: boolean): void {
    for (const p of this.ports) {
      if (p === ingress || this.portState(p) !== "forwarding") continue;
      // Each port gets its own copy when netfilter may rewrite it (POSTROUTING NAT).
      this.forwardTo(nf ? clonePacket(frame) : frame, ingress, p, nf);
    }
  }

  private forwardTo(frame: Packet, ingress: Device | undefined, out: Device, nf: boolean): void {
    if (this.portState(out) !== "forwarding") return;
    let f: Packet | undefined = frame;
    if (nf && ingress) {
      f = this.ns.bridgeHook(frame, "FORWARD", this.name, ingress.name, out.name);
      if (!f) return;
      f = this.ns.bridgeHook(f, "POSTROUTING", this.name, ingress.name, out.name);
      if (!f) return;
    }
    out.transmit(f);
  }

  /** The IP stack sends out of the bridge: to the learned port, else to every port. */
  protected override xmit(frame: Packet): void {
    const dst = frame.l2!.dst;
    const r = isGroupMac(dst) ? undefined : this.lookup(dst);
    if (r && !r.local) {
      this.forwardTo(frame, undefined, r.port, false);
      return;
    }
    this.flood(frame, undefined, false);
  }

  /** Adds a static entry (`bridge fdb add MAC dev PORT master`). */
  fdbAdd(mac: string, port: Device, isStatic: boolean): boolean {
    const existing = this.fdb.get(mac);
    if (existing && (existing.local || existing.isStatic)) return false;
    this.fdb.set(mac, { port, local: false, isStatic, updatedAt: this.ns.engine.clock.now() });
    return true;
  }

  /** Removes an entry; false if absent. */
  fdbDel(mac: string, port: Device): boolean {
    const r = this.fdb.get(mac);
    if (!r || r.port !== port) return false;
    this.fdb.delete(mac);
    return true;
  }

  /** Entries as `bridge fdb show` lists them for the ports (`master br0`). */
  fdbEntries(): FdbEntry[] {
    const now = this.ns.engine.clock.now();
    const out: FdbEntry[] = [];
    for (const [mac, r] of this.fdb) {
      if (!r.local && !r.isStatic && now - r.updatedAt > this.ageingMs) {
        this.fdb.delete(mac);
        continue;
      }
      out.push({
        mac,
        dev: r.port.name,
        master: this.name,
        ...(r.local ? { state: "permanent" as const } : r.isStatic ? { state: "static" as const } : {}),
        ageSec: r.local ? 0 : Math.floor((now - r.updatedAt) / 1000),
      });
    }
    return out;
  }

  /** Called when a port's MAC changes: its local entry follows. */
  portMacChanged(port: Device, oldMac: string): void {
    const r = this.fdb.get(oldMac);
    if (r?.local && r.port === port) this.fdb.delete(oldMac);
    this.fdb.set(port.mac, { port, local: true, isStatic: false, updatedAt: 0 });
    this.portsChanged();
  }

  protected override infoExtra(): Partial<LinkInfo> {
    return {};
  }
}
