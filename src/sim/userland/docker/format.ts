/**
 * Output helpers of the docker CLI 20.10: the table writer (text/tabwriter with minwidth 10,
 * padding 3, as cli/command/formatter does), go-units HumanDuration/HumanSize, Ellipsis, and
 * DisplayablePorts (formatter/container.go in 20.10: sorted by private port, then IP string,
 * then public port; ports published on their own number are grouped into ranges; the others
 * are listed after, as `IP:PUBLIC->PRIVATE/proto`).
 */
import type { PortMapping } from "../../docker/api.js";

/** tabwriter.NewWriter(w, 10, 1, 3, ' ', 0) over rows of cells; the last cell of a row is not padded. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, i) => {
      if (i < r.length - 1) widths[i] = Math.max(widths[i] ?? 0, [...c].length + 3, 10);
    });
  }
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c + " ".repeat(widths[i]! - [...c].length) : c)).join("")).join("\n") + "\n";
}

/** go-units HumanSizeWithPrecision(size, 3) (decimal units), as `docker images` SIZE. */
export function humanSize(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

/** formatter.Ellipsis: cut to `max` runes, the last one replaced by `…`. */
export function ellipsis(s: string, max: number): string {
  const r = [...s];
  return r.length <= max ? s : r.slice(0, max - 1).join("") + "…";
}

/** Go's strconv.Quote for the printable ASCII and UTF-8 text docker ps shows. */
export function goQuote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t")}"`;
}

/** The PORTS column. `hostPort` 0 means exposed but not published. */
export function displayablePorts(ports: PortMapping[]): string {
  const sorted = [...ports].sort((a, b) =>
    a.containerPort - b.containerPort || (a.hostIp < b.hostIp ? -1 : a.hostIp > b.hostIp ? 1 : 0) || a.hostPort - b.hostPort || (a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : 0));
  const groups = new Map<string, { first: number; last: number }>();
  const keys: string[] = [];
  const result: string[] = [];
  const mappings: string[] = [];
  const form = (key: string, g: { first: number; last: number }) => {
    const [a, b] = key.split("/");
    const ip = b === undefined ? "" : a!;
    const type = b === undefined ? a! : b;
    let group = String(g.first);
    if (g.first !== g.last) group = `${group}-${g.last}`;
    if (ip !== "") group = `${ip}:${group}->${group}`;
    return `${group}/${type}`;
  };
  for (const p of sorted) {
    let key: string = p.proto;
    if (p.hostIp !== "") {
      if (p.hostPort !== p.containerPort) {
        mappings.push(`${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.proto}`);
        continue;
      }
      key = `${p.hostIp}/${p.proto}`;
    }
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { first: p.containerPort, last: p.containerPort });
      keys.push(key);
      continue;
    }
    if (p.containerPort === g.last + 1) {
      g.last = p.containerPort;
      continue;
    }
    result.push(form(key, g));
    groups.set(key, { first: p.containerPort, last: p.containerPort });
  }
  for (const k of keys) result.push(form(k, groups.get(k)!));
  return [...result, ...mappings].join(", ");
}
