/**
 * How iproute2 6.1 prints a link (ipaddress.c print_linkinfo, iplink_*.c print_opt), proven
 * against captures in test/fixtures/tools/ip-*.json:
 *
 *   3: v1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000
 *       link/ether 1a:55:91:26:f5:eb brd ff:ff:ff:ff:ff:ff link-netns ltb
 *
 * `ip addr` prints the same header without `mode DEFAULT`; `-o` joins the lines with `\`;
 * `-br` prints `%-16s %-14s MAC <FLAGS> `.
 */
import type { LinkInfo } from "../../kernel/api.js";

/** Name as iproute2 prints it: `v1@if2` (peer in another namespace), `v3@v4` (same namespace), or `br0`. */
export function displayName(l: LinkInfo, all: LinkInfo[]): string {
  if (l.linkNetnsId !== undefined) return `${l.name}@if${l.iflink}`;
  if (l.peerName) return `${l.name}@${l.peerName}`;
  if (l.iflink === l.ifindex || l.iflink === 0) return l.name;
  const lower = all.find((x) => x.ifindex === l.iflink);
  return lower ? `${l.name}@${lower.name}` : `${l.name}@if${l.iflink}`;
}

/** The `N: name: <FLAGS> mtu ... qlen N` line (no newline); `addrMode` drops `mode DEFAULT`. */
export function headerLine(l: LinkInfo, all: LinkInfo[], addrMode: boolean): string {
  let s = `${l.ifindex}: ${displayName(l, all)}: <${l.flags.join(",")}> mtu ${l.mtu} qdisc ${l.qdisc}`;
  if (l.master) s += ` master ${l.master}`;
  s += ` state ${l.operstate}`;
  if (!addrMode) s += " mode DEFAULT";
  s += " group default";
  if (l.txqlen > 0) s += ` qlen ${l.txqlen}`;
  return s;
}

/** ` link-netns NAME` or ` link-netnsid N` for a link whose peer lives in another namespace. */
export function netnsSuffix(l: LinkInfo, nsNames: Map<number, string>): string {
  if (l.linkNetnsId === undefined) return "";
  const name = nsNames.get(l.linkNetnsId);
  return name !== undefined ? ` link-netns ${name}` : ` link-netnsid ${l.linkNetnsId}`;
}

/** The `    link/ether MAC brd BRD[ link-netns X]` line (no newline). */
export function linkLayerLine(l: LinkInfo, nsNames: Map<number, string>): string {
  const type = l.kind === "loopback" ? "loopback" : "ether";
  return `    link/${type} ${l.mac} brd ${l.brd}${netnsSuffix(l, nsNames)}`;
}

/** IFLA_TSO_MAX_SIZE of a software device without TSO limits of its own (GSO_MAX_SIZE; veth). */
const TSO_MAX = 524280;
/** A device that inherits its limit and has nothing to inherit from (GSO_LEGACY_MAX_SIZE). */
const TSO_LEGACY = 65536;

/**
 * IFLA_TSO_MAX_SIZE (kernel 6.18 here): a bridge takes the smallest of its ports'
 * (br_set_gso_limits; a new bridge without ports has 65536 — one whose last port left keeps
 * 524280 on the real kernel, not modelled), a VXLAN device its lower device's
 * (netif_inherit_tso_max; 65536 without `dev`), other devices the full size.
 */
function tsoMaxSize(l: LinkInfo, all: LinkInfo[], depth = 0): number {
  if (depth > 8) return TSO_MAX;
  if (l.kind === "bridge") {
    const ports = all.filter((x) => x.master === l.name);
    return ports.length === 0 ? TSO_LEGACY : Math.min(...ports.map((x) => tsoMaxSize(x, all, depth + 1)));
  }
  if (l.kind === "vxlan") {
    const lower = l.vxlan?.dev !== undefined ? all.find((x) => x.name === l.vxlan!.dev) : undefined;
    return lower ? tsoMaxSize(lower, all, depth + 1) : TSO_LEGACY;
  }
  return TSO_MAX;
}

/** iproute2 prints bridge ids with `%x` bytes: `8000.46:4:1b:84:b8:59`. */
function bridgeId(mac: string): string {
  return "8000." + mac.split(":").map((b) => parseInt(b, 16).toString(16)).join(":");
}

/**
 * The `-d` continuation: the tail of the link/ether line and the kind's own line(s), ending with
 * a newline. Timers and counters the simulator does not keep print as the idle kernel's values.
 */
export function detailsText(l: LinkInfo, all: LinkInfo[]): string {
  const enslaved = l.master !== undefined;
  const common = (qs: number) => `addrgenmode eui64 numtxqueues ${qs} numrxqueues ${qs} `;
  const counts = ` promiscuity ${l.promiscuity}  allmulti ${l.allmulti}`;
  if (l.kind === "loopback") {
    return `${counts} minmtu 0 maxmtu 0 ${common(1)}gso_max_size 65536 gso_max_segs 65535 tso_max_size ${TSO_MAX} tso_max_segs 65535 gro_max_size 65536 \n`;
  }
  const minmax = l.kind === "dummy" || l.kind === "ipvs" ? "minmtu 0 maxmtu 0" : "minmtu 68 maxmtu 65535";
  let s = `${counts} ${minmax} \n`;
  const queues = l.kind === "veth" ? 2 : 1;
  let kindLine = "";
  switch (l.kind) {
    case "veth":
      kindLine = "    veth ";
      break;
    case "dummy":
    case "ipvs":
      kindLine = "    dummy ";
      break;
    case "vxlan": {
      const v = l.vxlan;
      kindLine = "    vxlan";
      if (v) {
        kindLine += ` id ${v.vni}`;
        if (v.group) kindLine += ` group ${v.group}`;
        else if (v.remote) kindLine += ` remote ${v.remote}`;
        if (v.local) kindLine += ` local ${v.local}`;
        if (v.dev) kindLine += ` dev ${v.dev}`;
        kindLine += ` srcport 0 0 dstport ${v.dstport}`;
        if (!v.learning) kindLine += " nolearning";
        kindLine += ` ttl ${v.ttl ? v.ttl : "auto"} ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx `;
      } else kindLine += " ";
      break;
    }
    case "bridge": {
      const id = bridgeId(l.mac);
      kindLine =
        `    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 ` +
        `bridge_id ${id} designated_root ${id} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 ` +
        `hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 group_fwd_mask 0 group_address 01:80:c2:00:00:00 ` +
        `mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 ` +
        `mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 ` +
        `mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 ` +
        `mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 ` +
        `mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 `;
      break;
    }
    default:
      kindLine = "";
  }
  if (enslaved) {
    const br = all.find((x) => x.name === l.master);
    const ports = all.filter((x) => x.master === l.master).sort((a, b) => a.ifindex - b.ifindex);
    const portNo = ports.findIndex((x) => x.ifindex === l.ifindex) + 1;
    const id = bridgeId(br?.mac ?? l.mac);
    const state = l.flags.includes("UP") && l.flags.includes("LOWER_UP") ? "forwarding" : "disabled";
    if (kindLine) s += kindLine + "\n";
    kindLine =
      `    bridge_slave state ${state} priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on ` +
      `port_id 0x${(0x8000 + portNo).toString(16)} port_no 0x${portNo.toString(16)} designated_port ${0x8000 + portNo} designated_cost 0 ` +
      `designated_bridge ${id} designated_root ${id} hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 ` +
      `topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on ` +
      `bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off `;
  }
  const tso = `gso_max_size 65536 gso_max_segs 65535 tso_max_size ${tsoMaxSize(l, all)} tso_max_segs 65535 gro_max_size 65536 `;
  if (kindLine) s += `${kindLine}${common(queues)}${tso}\n`;
  else s = s.replace(/ \n$/, ` ${common(queues)}${tso}\n`);
  return s;
}

/** `-s`: the RX/TX table (ipaddress.c print_link_stats64, 6.1 column sizing). */
export function statsText(l: LinkInfo): string {
  const st = l.stats;
  const rx = [st.rxBytes, st.rxPackets, 0, st.rxDropped, 0, 0].map(String);
  const tx = [st.txBytes, st.txPackets, 0, st.txDropped, 0, 0].map(String);
  const cols = [10, 7, 6, 7, 7, 7];
  for (const row of [rx, tx]) row.forEach((v, i) => (cols[i] = Math.max(cols[i]!, v.length)));
  const head = (label: string, names: string[]) =>
    `    ${label}: ${names[0]!.padStart(cols[0]! - 4)} ` + names.slice(1).map((n, i) => n.padStart(cols[i + 1]!)).join(" ") + ` ${"".padStart(10)}\n`;
  const vals = (row: string[]) => "    " + row.map((v, i) => v.padStart(cols[i]!) + " ").join("") + "\n";
  return (
    head("RX", ["bytes", "packets", "errors", "dropped", "missed", "mcast"]) +
    vals(rx) +
    head("TX", ["bytes", "packets", "errors", "dropped", "carrier", "collsns"]) +
    vals(tx)
  );
}

/** `-br link` line: `%-16s %-14s MAC <FLAGS> `. */
export function briefLinkLine(l: LinkInfo, all: LinkInfo[]): string {
  return `${displayName(l, all).padEnd(16)} ${l.operstate.padEnd(14)} ${l.mac} <${l.flags.join(",")}> \n`;
}

/** `-o`: one line per object, inner newlines become `\`. */
export function oneline(text: string): string {
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  return body.split("\n").join("\\") + "\n";
}
