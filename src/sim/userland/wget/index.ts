/**
 * busybox 1.35 `wget` (networking/wget.c, libbb/progress.c): HTTP/1.1 GET over the kernel's
 * tcpRequest, name resolution through /etc/hosts and resolv.conf (lib/resolver). stderr gets,
 * in order, interleaved with the body on stdout (test/fixtures/tools/wget-httpd.json):
 *
 *   Connecting to 10.0.0.1:8080 (10.0.0.1:8080)
 *     HTTP/1.1 200 OK            (-S: each header line, indented by two spaces)
 *   writing to stdout            (or: saving to 'FILE')
 *   <body>
 *   -                    100% |********************************|    12  0:00:00 ETA
 *   written to stdout            (or: 'FILE' saved)
 *
 * -q drops all but -S headers and errors. Errors: `bad address 'h'`, `can't connect to remote
 * host (IP): strerror`, `server returned error: STATUS LINE`, `download timed out` (-T).
 * Redirects (301/302/303/307/308) are followed. The recording machine's Debian busybox-static
 * crashes on -T (SIGSEGV); the simulator does what upstream's code does instead.
 */
import { strerror } from "../lib/errno.js";
import { busyboxGetopt, busyboxUsage } from "../lib/busybox.js";
import { resolveIpv4 } from "../lib/resolver.js";
import { pastDeadline, waitMs } from "../lib/deadline.js";
import type { ProgramSpec, Proc } from "../types.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

interface Url {
  scheme: "http" | "ftp";
  /** host[:port] as written: `Connecting to` and `Host:` print it. */
  hostPort: string;
  host: string;
  port: number;
  path: string;
}

/** parse_url(): scheme, host, port, path; undefined for an unsupported scheme. */
function parseUrl(text: string): Url | { bad: string } {
  let rest = text;
  let scheme: Url["scheme"] = "http";
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text);
  if (m) {
    const s = m[1]!.toLowerCase();
    if (s !== "http" && s !== "ftp") return { bad: text };
    scheme = s;
    rest = text.slice(m[0].length);
  }
  const slash = rest.indexOf("/");
  const hostPort = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "/" : rest.slice(slash);
  const at = hostPort.lastIndexOf("@");
  const hp = at >= 0 ? hostPort.slice(at + 1) : hostPort;
  const colon = hp.lastIndexOf(":");
  const host = colon >= 0 ? hp.slice(0, colon) : hp;
  const port = colon >= 0 ? Number(hp.slice(colon + 1)) : scheme === "http" ? 80 : 21;
  return { scheme, hostPort: hp, host, port: Number.isFinite(port) ? port : 80, path };
}

/** smart_ulltoa5 in a 6-wide field, as the progress line prints the size. */
function size6(n: number): string {
  let v = n;
  let i = 0;
  const units = " kMGTPEZY";
  while (v >= 100000) {
    v = Math.floor(v / 1024);
    i++;
  }
  const s = i === 0 ? String(v) : `${v}${units[i]}`;
  return s.padStart(6);
}

/** The final progress line for a finished transfer to `name` (stderr not a tty: 80 columns). */
export function progressLine(name: string, bytes: number): string {
  return `${name.padEnd(20).slice(0, 20)} 100% |${"*".repeat(32)}|${size6(bytes)}  0:00:00 ETA\n`;
}

interface Response {
  statusLine: string;
  status: number;
  headers: Array<[string, string]>;
  headerLines: string[];
  body: Uint8Array;
}

function indexOfSeq(b: Uint8Array, seq: number[], from = 0): number {
  outer: for (let i = from; i + seq.length <= b.length; i++) {
    for (let j = 0; j < seq.length; j++) if (b[i + j] !== seq[j]) continue outer;
    return i;
  }
  return -1;
}

function parseResponse(raw: Uint8Array): Response | undefined {
  let end = indexOfSeq(raw, [13, 10, 13, 10]);
  let sepLen = 4;
  if (end < 0) {
    end = indexOfSeq(raw, [10, 10]);
    sepLen = 2;
  }
  if (end < 0) return undefined;
  // Views, not copies: the response bytes are never written after they arrive.
  const headText = dec.decode(raw.subarray(0, end));
  const lines = headText.split(/\r?\n/);
  const statusLine = lines[0]!;
  const sm = /^HTTP\/\d\.\d\s+(\d{3})/.exec(statusLine);
  if (!sm) return undefined;
  const headers: Array<[string, string]> = [];
  for (const l of lines.slice(1)) {
    const c = l.indexOf(":");
    if (c > 0) headers.push([l.slice(0, c).trim().toLowerCase(), l.slice(c + 1).trim()]);
  }
  let body: Uint8Array = raw.subarray(end + sepLen);
  const te = headers.find(([k]) => k === "transfer-encoding")?.[1];
  if (te && /chunked/i.test(te)) body = dechunk(body);
  else {
    const cl = headers.find(([k]) => k === "content-length")?.[1];
    if (cl !== undefined && /^\d+$/.test(cl)) body = body.subarray(0, Number(cl));
  }
  return { statusLine, status: Number(sm[1]), headers, headerLines: lines, body };
}

function dechunk(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = 0;
  for (;;) {
    const eol = indexOfSeq(b, [13, 10], pos);
    if (eol < 0) break;
    const size = parseInt(dec.decode(b.slice(pos, eol)).split(";")[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(b.slice(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

function basename(path: string): string {
  const p = path.replace(/\/+$/, "");
  return p.slice(p.lastIndexOf("/") + 1);
}

function run(p: Proc): number {
  const g = busyboxGetopt(
    "wget",
    p.argv.slice(1),
    { c: "flag", q: "flag", O: "arg", o: "arg", P: "arg", S: "flag", s: "flag", T: "arg", U: "arg", Y: "arg", t: "arg", n: "flag", h: "arg", d: "arg", p: "arg", e: "arg" },
    {
      continue: "c", quiet: "q", "output-document": "O", "output-file": "o", "directory-prefix": "P", "server-response": "S", spider: "s",
      timeout: "T", "user-agent": "U", proxy: "Y", tries: "t", header: "h", "post-data": "d", "post-file": "p", "no-check-certificate": "n",
    },
  );
  if (!g.ok) {
    p.err(g.message + busyboxUsage("wget"));
    return 1;
  }
  if (g.operands.length === 0) {
    p.err(busyboxUsage("wget"));
    return 1;
  }
  const o = (k: string) => g.opts.get(k)?.at(-1);
  const quiet = g.opts.has("q");
  const showHeaders = g.opts.has("S");
  const timeoutText = o("T");
  if (timeoutText !== undefined && !/^\d+(\.\d+)?$/.test(timeoutText)) {
    p.err(`wget: invalid number '${timeoutText}'\n`);
    return 1;
  }
  const timeoutMs = timeoutText !== undefined ? Number(timeoutText) * 1000 : 900_000;
  const ns = p.ctx.netns;
  for (const urlText of g.operands) {
    const parsed = parseUrl(urlText);
    if ("bad" in parsed) {
      p.err(`wget: not an http or ftp url: ${parsed.bad}\n`);
      return 1;
    }
    let url: Url = parsed;
    let redirects = 0;
    let announced = false;
    for (;;) {
      const ip = resolveIpv4(ns, p.ctx.fs, url.host, undefined, (ms) => waitMs(p, ms));
      if (!ip) {
        if (pastDeadline(p)) return 124;
        p.err(`wget: bad address '${url.hostPort}'\n`);
        return 1;
      }
      if (!quiet && !announced) p.err(`Connecting to ${url.hostPort} (${ip}:${url.port})\n`);
      announced = true;
      if (url.scheme === "ftp") {
        const probe = ns.tcpRequest(ip, url.port, new Uint8Array(0), { timeoutMs: waitMs(p, timeoutMs) });
        if (!probe.ok && pastDeadline(p)) return 124;
        if (!probe.ok) return connectFail(p, ip, probe.disposition, timeoutText !== undefined);
        p.err("lab: wget ftp://: not available in the simulator\n");
        return 127;
      }
      const headers = [`GET ${url.path} HTTP/1.1`, `Host: ${url.hostPort}`, `User-Agent: ${o("U") ?? "Wget"}`];
      for (const h of g.opts.get("h") ?? []) headers.push(h);
      headers.push("Connection: close", "", "");
      const res = ns.tcpRequest(ip, url.port, enc.encode(headers.join("\r\n")), { timeoutMs: waitMs(p, timeoutMs) });
      if (!res.ok && pastDeadline(p)) return 124;
      if (!res.ok) return connectFail(p, ip, res.disposition, timeoutText !== undefined);
      const r = parseResponse(res.response);
      if (!r) {
        p.err("wget: server returned error: \n");
        return 1;
      }
      // -S prints the status line, then each header as it is read; an error status stops
      // before the headers, a Location header redirects at once (the rest stays unread).
      if (showHeaders) p.err(`  ${r.statusLine}\n`);
      const redirect = [300, 301, 302, 303, 307, 308].includes(r.status);
      if (!redirect && r.status !== 200 && r.status !== 204 && r.status !== 206) {
        p.err(`wget: server returned error: ${r.statusLine}\n`);
        return 1;
      }
      let loc: string | undefined;
      for (const l of r.headerLines.slice(1)) {
        if (showHeaders) p.err(`  ${l}\n`);
        const c = l.indexOf(":");
        if (redirect && c > 0 && l.slice(0, c).trim().toLowerCase() === "location") {
          loc = l.slice(c + 1).trim();
          break;
        }
      }
      if (showHeaders && loc === undefined) p.err("  \n");
      if (redirect) {
        if (loc && redirects++ < 20) {
          const next: Url | { bad: string } = loc.includes("://") ? parseUrl(loc) : { ...url, path: loc.startsWith("/") ? loc : url.path.replace(/[^/]*$/, "") + loc };
          if ("bad" in next) {
            p.err(`wget: not an http or ftp url: ${next.bad}\n`);
            return 1;
          }
          if (next.hostPort !== url.hostPort) announced = false;
          url = next;
          continue;
        }
      }
      if (r.status !== 200 && r.status !== 204 && r.status !== 206) {
        p.err(`wget: server returned error: ${r.statusLine}\n`);
        return 1;
      }
      if (g.opts.has("s")) break;
      const out = o("O") ?? (basename(url.path) || "index.html");
      const body = dec.decode(r.body);
      if (out === "-") {
        if (!quiet) p.err("writing to stdout\n");
        p.out(body);
        if (!quiet) p.err(progressLine("-", r.body.length) + "written to stdout\n");
      } else {
        const dir = o("P");
        const rel = dir !== undefined && !out.startsWith("/") ? `${dir}/${out}` : out;
        const abs = rel.startsWith("/") ? rel : `${p.cwd.replace(/\/$/, "")}/${rel}`;
        const parent = abs.slice(0, abs.lastIndexOf("/")) || "/";
        if (!p.ctx.fs.isDir(parent)) {
          p.err(`wget: can't open '${rel}': No such file or directory\n`);
          return 1;
        }
        if (!o("O") && p.ctx.fs.exists(abs) && !g.opts.has("c")) {
          p.err(`wget: can't open '${rel}': File exists\n`);
          return 1;
        }
        if (!quiet) p.err(`saving to '${rel}'\n`);
        p.ctx.fs.writeFile(abs, body);
        if (!quiet) p.err(progressLine(basename(rel), r.body.length) + `'${rel}' saved\n`);
      }
      break;
    }
  }
  return 0;
}

function connectFail(p: Proc, ip: string, d: { kind: string; errno?: string }, withTimeout: boolean): number {
  if (d.kind === "timeout") {
    p.err(withTimeout ? "wget: download timed out\n" : `wget: can't connect to remote host (${ip}): Connection timed out\n`);
    return 1;
  }
  const errno = d.kind === "refused" ? "ECONNREFUSED" : d.errno ?? "EHOSTUNREACH";
  p.err(`wget: can't connect to remote host (${ip}): ${strerror(errno)}\n`);
  return 1;
}

/** The busybox `wget` program. */
export const wget: ProgramSpec = { name: "wget", summary: "fetch URLs over HTTP (busybox 1.35)", run };

/** Programs this folder provides. */
export const programs: ProgramSpec[] = [wget];
