/**
 * busybox 1.35 `httpd` (networking/httpd.c): a static file server on a tcpListen of the
 * context's namespace, serving HOME (-h, default the current directory) with busybox's own
 * status lines, headers and error pages (proven against test/fixtures/tools/wget-httpd.json and
 * raw captures with nc):
 *
 *   HTTP/1.1 200 OK / Date / Connection: close / Content-type / Accept-Ranges: bytes /
 *   Last-Modified / ETag: "<mtime hex>-<size hex>" / Content-Length
 *
 * Without -f it daemonizes: the listener stays and the command returns 0 at once. With -f it
 * runs in the foreground for ever, as a container's main process does (as nginx's stand-in).
 * The simulated file system keeps no mtimes, so Last-Modified/ETag use the time the server
 * started.
 */
import { KernelError } from "../../kernel/api.js";
import { busyboxGetopt, busyboxUsage } from "../lib/busybox.js";
import type { ProgramSpec, Proc, SimFs } from "../types.js";
import { waitOrDie } from "../lib/deadline.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Suffix → Content-type, from httpd.c's suffixTable (unknown suffixes get no header). */
const MIME: Array<[string[], string]> = [
  [[".htm", ".html"], "text/html"],
  [[".jpg", ".jpeg"], "image/jpeg"],
  [[".gif"], "image/gif"],
  [[".png"], "image/png"],
  [[".svg"], "image/svg+xml"],
  [[".txt", ".h", ".c", ".cc", ".cpp"], "text/plain"],
  [[".css"], "text/css"],
  [[".wav"], "audio/wav"],
  [[".avi"], "video/x-msvideo"],
  [[".qt", ".mov"], "video/quicktime"],
  [[".mpe", ".mpeg"], "video/mpeg"],
  [[".mid", ".midi"], "audio/midi"],
  [[".mp3"], "audio/mpeg"],
  [[".js"], "application/javascript"],
];

function mimeOf(path: string): string | undefined {
  const dot = path.lastIndexOf(".");
  if (dot < 0 || dot < path.lastIndexOf("/")) return undefined;
  const suffix = path.slice(dot).toLowerCase();
  return MIME.find(([s]) => s.includes(suffix))?.[1];
}

const ERRORS: Record<number, [string, string]> = {
  400: ["Bad Request", "Unsupported method"],
  403: ["Forbidden", ""],
  404: ["Not Found", "The requested URL was not found"],
  501: ["Not Implemented", "The requested method is not recognized"],
};

/** Joins and normalizes an absolute path. */
function normPath(base: string, rel: string): string {
  const parts: string[] = [];
  for (const seg of (rel.startsWith("/") ? rel : `${base}/${rel}`).split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

/** Builds the request handler serving `home` from `fs`. */
export function httpdHandler(fs: SimFs, home: string, now: () => number, startedMs: number): (req: Uint8Array) => Uint8Array | Uint8Array[] {
  return (req) => {
    const date = new Date(now()).toUTCString();
    const head = (status: string, extra: string[]) => [`HTTP/1.1 ${status}`, `Date: ${date}`, "Connection: close", ...extra, "", ""].join("\r\n");
    const error = (code: number) => {
      const [text, msg] = ERRORS[code]!;
      const body = `<HTML><HEAD><TITLE>${code} ${text}</TITLE></HEAD>\n<BODY><H1>${code} ${text}</H1>\n${msg}\n</BODY></HTML>\n`;
      return enc.encode(head(`${code} ${text}`, ["Content-type: text/html"]) + body);
    };
    const line = dec.decode(req).split("\r\n")[0]!.split("\n")[0]!;
    const [method = "", target = ""] = line.split(" ");
    if (method !== "GET" && method !== "HEAD" && method !== "POST") return error(501);
    if (!target.startsWith("/")) return error(400);
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(target.split("?")[0]!);
    } catch {
      return error(400);
    }
    // A path that climbs above the document root is refused (httpd.c: 400 Bad Request).
    let depth = 0;
    for (const seg of urlPath.split("/")) {
      if (seg === "..") depth--;
      else if (seg !== "" && seg !== ".") depth++;
      if (depth < 0) return error(400);
    }
    const clean = normPath("/", urlPath);
    const path = normPath(home, "." + clean);
    if (fs.isDir(path)) {
      if (!urlPath.endsWith("/")) return enc.encode(head("302 Found", ["Content-type: text/html", `Location: ${clean === "/" ? "/" : clean + "/"}`]));
      const index = `${path === "/" ? "" : path}/index.html`;
      return serve(index, urlPath);
    }
    return serve(path, urlPath);

    function serve(file: string, _url: string): Uint8Array | Uint8Array[] {
      const text = fs.isDir(file) ? undefined : fs.readFile(file);
      if (text === undefined) return error(404);
      const body = enc.encode(text);
      const mime = mimeOf(file);
      const mtime = Math.floor(startedMs / 1000);
      const headers = [
        ...(mime ? [`Content-type: ${mime}`] : []),
        "Accept-Ranges: bytes",
        `Last-Modified: ${new Date(mtime * 1000).toUTCString()}`,
        `ETag: "${mtime.toString(16)}-${body.length.toString(16)}"`,
        `Content-Length: ${body.length}`,
      ];
      // busybox 1.35 answers HEAD with the body too (captured with nc). The headers and the file
      // are two writes (full_write of the headers, then sendfile): two segments on the wire.
      const h = enc.encode(head("200 OK", headers));
      return body.length > 0 ? [h, body] : h;
    }
  };
}

function run(p: Proc): number | Promise<number> {
  const g = busyboxGetopt("httpd", p.argv.slice(1), { i: "flag", f: "flag", v: "flag", c: "arg", d: "arg", e: "arg", h: "arg", m: "arg", p: "arg", r: "arg", u: "arg" });
  if (!g.ok) {
    p.err(g.message + busyboxUsage("httpd"));
    return 1;
  }
  const o = (k: string) => g.opts.get(k)?.at(-1);
  if (o("d") !== undefined) {
    let s = o("d")!;
    try {
      s = decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
      // busybox leaves malformed escapes as they are
    }
    p.out(s + "\n");
    return 0;
  }
  if (o("e") !== undefined) {
    p.out([...o("e")!].map((ch) => (/[A-Za-z0-9]/.test(ch) ? ch : `&#${ch.charCodeAt(0)};`)).join("") + "\n");
    return 0;
  }
  if (o("m") !== undefined || g.opts.has("i")) {
    p.err(`lab: httpd ${o("m") !== undefined ? "-m" : "-i"}: not available in the simulator\n`);
    return 127;
  }
  if (g.operands.length > 0) {
    p.err(busyboxUsage("httpd"));
    return 1;
  }
  let addr = "0.0.0.0";
  let port = 80;
  const spec = o("p");
  if (spec !== undefined) {
    const colon = spec.lastIndexOf(":");
    const portText = colon >= 0 ? spec.slice(colon + 1) : spec;
    if (colon >= 0) addr = spec.slice(0, colon);
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
      p.err(`httpd: bad port spec '${spec}'\n`);
      return 1;
    }
    if (colon >= 0 && !/^\d+\.\d+\.\d+\.\d+$/.test(addr)) {
      p.err(`httpd: bad address '${addr}'\n`);
      return 1;
    }
    port = Number(portText);
  }
  const home = normPath(p.cwd, o("h") ?? ".");
  const clock = p.world.clock;
  const now = () => clock.epochMs + clock.now();
  let handle: { close(): void };
  try {
    handle = p.ctx.netns.tcpListen(addr, port, httpdHandler(p.ctx.fs, home, now, now()));
  } catch (e) {
    if (e instanceof KernelError || (e instanceof Error && /EADDRINUSE|EADDRNOTAVAIL/.test(e.message))) {
      const text = /EADDRNOTAVAIL/.test(e.message) ? "Cannot assign requested address" : "Address already in use";
      p.err(`httpd: bind: ${text}\n`);
      return 1;
    }
    throw e;
  }
  // In the foreground it serves until it is killed: its promise never settles (a container's
  // main process ends when the daemon stops the container and closes its sockets).
  if (g.opts.has("f")) {
    const forever = new Promise<number>(() => void handle);
    return waitOrDie(p, forever);
  }
  return 0;
}

/** The busybox `httpd` program. */
export const httpd: ProgramSpec = { name: "httpd", summary: "static HTTP server (busybox 1.35)", run };

/** Programs this folder provides. */
export const programs: ProgramSpec[] = [httpd];
