/**
 * A Topology as an SVG picture, laid out by dagre (compound graph: hosts contain namespaces,
 * namespaces contain interfaces; edges are veth pairs, bridge ports, VXLAN tunnels, the
 * underlay, service → pod). Only coordinates come from the layout; nothing is placed by hand.
 * An optional packet path (interface ids) is drawn over it in a highlight colour.
 */
import dagre from "@dagrejs/dagre";
import type { TraceEvent } from "../sim/kernel/api.js";
import type { Topology } from "../sim/topology/types.js";
import { escapeHtml } from "./escape.js";

const CHAR_W = 7;
const LINE_H = 15;

const EDGE_STYLE: Record<string, string> = {
  veth: "stroke:#2b6cb0;stroke-width:2",
  port: "stroke:#4a5568;stroke-width:1.5;stroke-dasharray:4 2",
  vxlan: "stroke:#c05621;stroke-width:2;stroke-dasharray:8 4",
  underlay: "stroke:#718096;stroke-width:1.5",
  service: "stroke:#6b46c1;stroke-width:1.5;stroke-dasharray:2 3",
};

/** Interface ids a packet crossed, from trace events (first packet of the events, and its reply). */
export function packetPath(topo: Topology, events: readonly TraceEvent[]): string[] {
  if (events.length === 0) return [];
  const first = events[0]!.packetId;
  const ids: string[] = [];
  for (const e of events) {
    if (e.packetId !== first || !e.dev) continue;
    const ns = topo.namespaces.find((n) => n.host === e.host && n.kernelLabel === e.netns);
    const id = ns && `${ns.id}/${e.dev}`;
    if (id && topo.ifaces.some((i) => i.id === id) && ids[ids.length - 1] !== id) ids.push(id);
  }
  return ids;
}

/** The SVG markup of `topo`; `path` (interface ids in order) is highlighted. */
export function topologySvg(topo: Topology, opts: { title: string; path?: readonly string[] }): string {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 16, ranksep: 48, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const text = new Map<string, string[]>();
  const box = (id: string, lines: string[], parent?: string): void => {
    text.set(id, lines);
    const w = Math.max(...lines.map((l) => l.length)) * CHAR_W + 16;
    g.setNode(id, { width: w, height: lines.length * LINE_H + 10 });
    if (parent) g.setParent(id, parent);
  };
  for (const h of topo.hosts) g.setNode(`host:${h}`, { label: h, paddingTop: 28 });
  for (const n of topo.namespaces) {
    if (!topo.ifaces.some((i) => i.ns === n.id)) continue;
    g.setNode(`ns:${n.id}`, { label: n.kind === "init" ? "root netns" : n.label });
    g.setParent(`ns:${n.id}`, `host:${n.host}`);
    // The name is a node of its own inside the cluster, so the layout makes room for it.
    const name = n.kind === "init" ? `root netns of ${n.host}` : n.label;
    text.set(`label:${n.id}`, [name]);
    g.setNode(`label:${n.id}`, { width: name.length * CHAR_W + 8, height: LINE_H + 4 });
    g.setParent(`label:${n.id}`, `ns:${n.id}`);
  }
  for (const i of topo.ifaces) {
    const kind = i.vxlan ? `vxlan ${i.vxlan.id}` : i.kind;
    box(i.id, [`${i.name} (${kind}${i.up ? "" : ", down"})`, ...i.addrs], `ns:${i.ns}`);
  }
  if (topo.links.some((l) => l.to === "segment:underlay")) box("segment:underlay", ["underlay network"]);
  for (const s of topo.services) box(s.id, [`svc/${s.name}`, ...(s.clusterIP ? [s.clusterIP] : []), ...s.ports]);
  const edges: { from: string; to: string; kind: string }[] = [...topo.links];
  for (const s of topo.services) for (const ep of s.endpoints) {
    const eth = topo.ifaces.find((i) => i.ns === ep && i.kind === "veth");
    if (eth) edges.push({ from: s.id, to: eth.id, kind: "service" });
  }
  edges.forEach((e, k) => g.setEdge(e.from, e.to, { kind: e.kind }, `e${k}`));
  dagre.layout(g);

  const path = new Set(opts.path ?? []);
  const graph = g.graph() as { width?: number; height?: number };
  const W = Math.ceil(graph.width ?? 100);
  const H = Math.ceil(graph.height ?? 100);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="topology" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(opts.title)}">`);
  out.push(`<title>${escapeHtml(opts.title)}</title>`);
  out.push(`<style>text{font:12px ui-monospace,Menlo,Consolas,monospace;fill:#1a202c}.host{fill:#f7fafc;stroke:#2d3748}.ns{fill:#ebf8ff;stroke:#90cdf4}.if{fill:#fff;stroke:#4a5568}.if.path{fill:#fefcbf;stroke:#d69e2e;stroke-width:2.5}.cl{font-weight:bold}</style>`);
  const rect = (id: string, cls: string): { x: number; y: number; width: number; height: number } => {
    const n = g.node(id) as { x: number; y: number; width: number; height: number };
    out.push(`<rect class="${cls}" x="${(n.x - n.width / 2).toFixed(1)}" y="${(n.y - n.height / 2).toFixed(1)}" width="${n.width.toFixed(1)}" height="${n.height.toFixed(1)}" rx="6"/>`);
    return n;
  };
  for (const h of topo.hosts) {
    const n = rect(`host:${h}`, "host");
    out.push(`<text class="cl" x="${(n.x - n.width / 2 + 8).toFixed(1)}" y="${(n.y - n.height / 2 + 16).toFixed(1)}">host ${escapeHtml(h)}</text>`);
  }
  for (const ns of topo.namespaces) {
    if (!g.hasNode(`ns:${ns.id}`)) continue;
    rect(`ns:${ns.id}`, "ns");
  }
  for (const [k, e] of edges.entries()) {
    const pts = (g.edge(e.from, e.to, `e${k}`) as { points: { x: number; y: number }[] }).points;
    const on = path.has(e.from) && path.has(e.to);
    const style = on ? "stroke:#d69e2e;stroke-width:4" : EDGE_STYLE[e.kind];
    out.push(`<polyline class="edge ${e.kind}" fill="none" style="${style}" points="${pts.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ")}"><title>${e.kind}</title></polyline>`);
  }
  for (const [id, lines] of text) {
    if (id.startsWith("label:")) {
      const n = g.node(id) as { x: number; y: number; width: number };
      out.push(`<text class="cl" x="${(n.x - n.width / 2 + 4).toFixed(1)}" y="${(n.y + 4).toFixed(1)}">${escapeHtml(lines[0]!)}</text>`);
      continue;
    }
    const n = rect(id, path.has(id) ? "if path" : "if");
    lines.forEach((l, j) => out.push(`<text x="${(n.x - n.width / 2 + 8).toFixed(1)}" y="${(n.y - n.height / 2 + 17 + j * LINE_H).toFixed(1)}">${escapeHtml(l)}</text>`));
  }
  out.push("</svg>");
  return out.join("\n");
}
