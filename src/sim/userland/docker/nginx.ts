/**
 * nginx 1.16.1 as the nginx image runs it (`nginx -g 'daemon off;'`): a static server on port 80
 * of its namespace, serving /usr/share/nginx/html from the container's file system with nginx's
 * status line and headers. It runs until its container stops (the daemon closes its socket), so
 * it never returns on its own. Only what lessons reach is modelled: GET of files and `/`.
 */
import type { ProgramSpec } from "../types.js";
import { waitOrDie } from "../lib/deadline.js";

const ROOT = "/usr/share/nginx/html";
const enc = new TextEncoder();
const dec = new TextDecoder();

/** The Date header's text (one-second resolution; the last second's text is kept, keyed by the second). */
let dateSec = NaN;
let dateText = "";
function httpDate(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== dateSec) {
    dateText = new Date(ms).toUTCString();
    dateSec = sec;
  }
  return dateText;
}

/** A page's UTF-8 bytes; the last page's are kept, keyed by its text (callers copy, never write, them). */
let pageText: string | undefined;
let pageBytes = new Uint8Array(0);
function pageUtf8(text: string): Uint8Array {
  if (text !== pageText) {
    pageBytes = enc.encode(text);
    pageText = text;
  }
  return pageBytes;
}

/** Header text and body bytes as one response. */
function response(head: string, body: Uint8Array): Uint8Array {
  const h = enc.encode(head);
  const out = new Uint8Array(h.length + body.length);
  out.set(h, 0);
  out.set(body, h.length);
  return out;
}

export const nginx: ProgramSpec = {
  name: "nginx",
  summary: "nginx 1.16.1 (static welcome page on port 80)",
  imageOnly: true,
  run(p) {
    const args = p.argv.slice(1);
    if (args[0] === "-v") {
      p.err("nginx version: nginx/1.16.1\n");
      return 0;
    }
    const fs = p.ctx.fs;
    const clock = p.world.clock;
    try {
      p.ctx.netns.tcpListen("0.0.0.0", 80, (req) => {
        const line = dec.decode(req).split("\r\n")[0] ?? "";
        const [method = "", target = "/"] = line.split(" ");
        const path = target.split("?")[0]!;
        const file = `${ROOT}${path.endsWith("/") ? path + "index.html" : path}`;
        const body = method === "GET" || method === "HEAD" ? fs.readFile(file) : undefined;
        const date = httpDate(clock.epochMs + clock.now());
        if (body === undefined) {
          const page = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.16.1</center>\r\n</body>\r\n</html>\r\n";
          return enc.encode(`HTTP/1.1 404 Not Found\r\nServer: nginx/1.16.1\r\nDate: ${date}\r\nContent-Type: text/html\r\nContent-Length: ${page.length}\r\nConnection: close\r\n\r\n${page}`);
        }
        const bytes = pageUtf8(body);
        return response(`HTTP/1.1 200 OK\r\nServer: nginx/1.16.1\r\nDate: ${date}\r\nContent-Type: text/html\r\nContent-Length: ${bytes.length}\r\nLast-Modified: Tue, 13 Aug 2019 10:05:00 GMT\r\nConnection: close\r\nETag: "5d528b4c-264"\r\nAccept-Ranges: bytes\r\n\r\n`, method === "HEAD" ? new Uint8Array(0) : bytes);
      });
    } catch {
      p.err(`nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n`);
      return 1;
    }
    const forever = new Promise<number>(() => {});
    return waitOrDie(p, forever);
  },
};
