/**
 * `kubectl apply -f http://…`: the manifest is fetched with an HTTP GET through the kernel from
 * kubectl's own context, as Go's http.Get does (cli-runtime pkg/resource/visitor.go
 * readHttpWithRetries: 3 attempts 1 s apart on transport errors and 5xx; any other status but 200
 * is `unable to read URL "U", server reported STATUS, status code=N`). A transport error reaches
 * kubectl's checkErr (cmd/util/helpers.go StandardErrorMessage) as a *url.Error:
 *
 *   connection refused  The connection to the server HOST:PORT was refused - did you specify the right host or port?
 *   anything else       Unable to connect to the server: dial tcp: lookup H on NS:53: no such host
 *                       Unable to connect to the server: dial tcp IP:PORT: i/o timeout
 *                       Unable to connect to the server: http: server gave HTTP response to HTTPS client
 *
 * The simulator's servers speak plain HTTP only, so an https:// URL that reaches one fails as
 * Go's TLS client does against busybox httpd (test/fixtures/kubectl/client.json).
 */
import { strerror } from "../lib/errno.js";
import { parseResolvConf, resolveIpv4 } from "../lib/resolver.js";
import type { Proc } from "../types.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** What kubectl prints when the fetch fails: `plain` texts carry no `error: ` prefix. */
export type FetchResult = { ok: true; text: string } | { ok: false; error: string; plain?: boolean };

function body(raw: Uint8Array, headers: Map<string, string>): string {
  if (/chunked/i.test(headers.get("transfer-encoding") ?? "")) {
    let text = dec.decode(raw);
    let outText = "";
    for (;;) {
      const nl = text.indexOf("\r\n");
      const size = parseInt(text.slice(0, nl < 0 ? undefined : nl), 16);
      if (nl < 0 || !(size > 0)) break;
      outText += text.slice(nl + 2, nl + 2 + size);
      text = text.slice(nl + 2 + size + 2);
    }
    return outText;
  }
  const cl = headers.get("content-length");
  return dec.decode(cl !== undefined && /^\d+$/.test(cl) ? raw.slice(0, Number(cl)) : raw);
}

/** GETs `url` from the process's network namespace, letting virtual time pass between retries. */
export function fetchUrl(p: Proc, url: string, sleep: (ms: number) => void): FetchResult {
  const m = /^(https?):\/\/([^/:?#]+)(?::(\d+))?([^#]*)/.exec(url);
  if (!m) return { ok: false, error: `the URL passed to filename "${url}" is not valid` };
  const [, scheme, host, portText, rest] = m as unknown as [string, string, string, string | undefined, string];
  const port = Number(portText ?? (scheme === "https" ? 443 : 80));
  const hostPort = `${host}:${port}`;
  const ns = p.ctx.netns;
  let last: FetchResult = { ok: false, error: "" };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) sleep(1000);
    const ip = resolveIpv4(ns, p.ctx.fs, host);
    if (!ip) {
      const server = parseResolvConf(p.ctx.fs.readFile("/etc/resolv.conf")).nameservers[0] ?? "127.0.0.1";
      last = { ok: false, plain: true, error: `Unable to connect to the server: dial tcp: lookup ${host} on ${server}:53: no such host` };
      continue;
    }
    const req = `GET ${rest || "/"} HTTP/1.1\r\nHost: ${portText ? hostPort : host}\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n`;
    const res = ns.tcpRequest(ip, port, enc.encode(req), { timeoutMs: 30_000 });
    if (!res.ok) {
      const d = res.disposition;
      if (d.kind === "refused") last = { ok: false, plain: true, error: `The connection to the server ${hostPort} was refused - did you specify the right host or port?` };
      else if (d.kind === "timeout") last = { ok: false, plain: true, error: `Unable to connect to the server: dial tcp ${ip}:${port}: i/o timeout` };
      else last = { ok: false, plain: true, error: `Unable to connect to the server: dial tcp ${ip}:${port}: connect: ${strerror(d.kind === "unreachable" ? d.errno : "EHOSTUNREACH").toLowerCase()}` };
      continue;
    }
    if (scheme === "https") {
      last = { ok: false, plain: true, error: "Unable to connect to the server: http: server gave HTTP response to HTTPS client" };
      continue;
    }
    const raw = res.response;
    let end = -1;
    for (let i = 0; i + 3 < raw.length; i++) if (raw[i] === 13 && raw[i + 1] === 10 && raw[i + 2] === 13 && raw[i + 3] === 10) { end = i; break; }
    const head = dec.decode(end < 0 ? raw : raw.slice(0, end)).split("\r\n");
    const sm = /^HTTP\/\d\.\d\s+((\d{3}).*)$/.exec(head[0] ?? "");
    if (!sm) {
      last = { ok: false, plain: true, error: `Unable to connect to the server: net/http: HTTP/1.x transport connection broken: malformed HTTP response ${JSON.stringify(head[0] ?? "")}` };
      continue;
    }
    const code = Number(sm[2]);
    const headers = new Map(head.slice(1).filter((l) => l.includes(":")).map((l) => [l.slice(0, l.indexOf(":")).trim().toLowerCase(), l.slice(l.indexOf(":") + 1).trim()] as [string, string]));
    if (code === 200) return { ok: true, text: body(raw.slice(end + 4), headers) };
    last = { ok: false, error: `unable to read URL "${url}", server reported ${sm[1]!.trim()}, status code=${code}` };
    if (code < 500) break;
  }
  return last;
}
