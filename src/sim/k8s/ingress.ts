/**
 * The ingress-nginx controller's data path: an HTTP server on port 80 of its pod that matches
 * the request's Host and path against the Ingresses of its class and proxies to one of the
 * backend Service's endpoints (pod IP and port, not the ClusterIP: "By default the Ingress-Nginx
 * Controller uses a list of all endpoints (Pod IP/port) in the NGINX upstream configuration").
 *
 *   client ─► nodeIP:nodePort ─(kube-proxy DNAT)─► controller pod :80 ─► Host/path match
 *          ─► endpoint pod IP:targetPort (round robin) ─► response back the same way
 *
 * Matching follows the Ingress API: exact host (no host = any), pathType Exact, Prefix
 * (element-wise) and ImplementationSpecific (as Prefix); the longest path wins. No match: the
 * default backend's 404; a backend without endpoints: 503.
 * Sources: kubernetes/ingress-nginx docs/user-guide/nginx-configuration/annotations.md
 * (service-upstream), networking.k8s.io/v1 HTTPIngressPath docs.
 */
import type { ApiServer } from "./apiserver.js";
import { KIND } from "./controllers.js";
import type { KObject } from "./objects.js";
import type { BuiltinProcess } from "./runtime.js";
import { findKind } from "./schema.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const ING = findKind("networking.k8s.io/v1", "Ingress")!;

function page(code: number, text: string): string {
  return `<html>\r\n<head><title>${code} ${text}</title></head>\r\n<body>\r\n<center><h1>${code} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function respond(code: number, text: string, date: string): Uint8Array {
  const body = page(code, text);
  return enc.encode(`HTTP/1.1 ${code} ${text}\r\nDate: ${date}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}

function pathMatches(type: string, path: string, reqPath: string): boolean {
  if (type === "Exact") return reqPath === path;
  if (path === "/" || path === "") return true;
  const p = path.replace(/\/$/, "");
  return reqPath === p || reqPath.startsWith(p + "/");
}

/** The Ingress backend for `host` and `path` among `ingresses`, longest path first. */
export function matchIngress(ingresses: KObject[], host: string, path: string): { ing: KObject; service: string; port: { number?: number; name?: string } } | undefined {
  let best: { len: number; ing: KObject; service: string; port: { number?: number; name?: string } } | undefined;
  for (const ing of ingresses) {
    for (const r of ing.spec.rules ?? []) {
      if (r.host && r.host !== host) continue;
      for (const p of r.http?.paths ?? []) {
        const svc = p.backend?.service;
        if (!svc || !pathMatches(p.pathType, p.path ?? "/", path)) continue;
        const len = (p.path ?? "/").length + (r.host ? 10_000 : 0);
        if (!best || len > best.len) best = { len, ing, service: svc.name, port: svc.port };
      }
    }
    if (!best && ing.spec.defaultBackend?.service) best = { len: 0, ing, service: ing.spec.defaultBackend.service.name, port: ing.spec.defaultBackend.service.port };
  }
  return best && { ing: best.ing, service: best.service, port: best.port };
}

/** Whether the controller (class `nginx`) serves this Ingress. */
export function servedByNginx(ing: KObject): boolean {
  return ing.spec.ingressClassName === "nginx" || ing.metadata.annotations?.["kubernetes.io/ingress.class"] === "nginx";
}

/** The controller container's main process. */
export function ingressProcess(api: ApiServer): BuiltinProcess {
  let rr = 0;
  return (ctx, log) => {
    log("-------------------------------------------------------------------------------\nNGINX Ingress controller\n  Release:       v1.10.0\n  Build:         71f78d49f0a496c31d4c19f095469f3f23900f8a\n  Repository:    https://github.com/kubernetes/ingress-nginx\n  nginx version: nginx/1.25.3\n\n-------------------------------------------------------------------------------\n\n");
    const handle = ctx.netns.tcpListen("0.0.0.0", 80, (req, peer) => {
      const text = dec.decode(req);
      const [head = ""] = text.split("\r\n\r\n");
      const lines = head.split("\r\n");
      const [method = "GET", target = "/"] = (lines[0] ?? "").split(" ");
      const hostHeader = lines.find((l) => /^host:/i.test(l))?.slice(5).trim() ?? "";
      const host = hostHeader.replace(/:\d+$/, "");
      const path = target.split("?")[0]!;
      const now = new Date(api.clock.epochMs + api.clock.now()).toUTCString();
      const ings = api.list(ING).filter(servedByNginx);
      const m = matchIngress(ings, host, path);
      const date = now;
      if (!m) {
        log(`${peer.addr} - - "${method} ${target} HTTP/1.1" 404 ${page(404, "Not Found").length}\n`);
        return respond(404, "Not Found", date);
      }
      const ns = m.ing.metadata.namespace!;
      const svc = api.get(KIND.svc, ns, m.service);
      const sp = (svc?.spec.ports ?? []).find((p: any) => (m.port.number !== undefined ? p.port === m.port.number : p.name === m.port.name));
      const ep = api.get(KIND.ep, ns, m.service);
      const targets: Array<{ ip: string; port: number }> = [];
      for (const ss of ep?.subsets ?? []) {
        const port = (ss.ports ?? []).find((p: any) => (p.name ?? "") === (sp?.name ?? ""));
        if (!port) continue;
        for (const a of ss.addresses ?? []) targets.push({ ip: a.ip, port: port.port });
      }
      if (!sp || targets.length === 0) {
        log(`${peer.addr} - - "${method} ${target} HTTP/1.1" 503 ${page(503, "Service Temporarily Unavailable").length}\n`);
        return respond(503, "Service Temporarily Unavailable", date);
      }
      const t = targets[rr++ % targets.length]!;
      const r = ctx.netns.tcpRequest(t.ip, t.port, req);
      if (!r.ok) {
        log(`[error] connect() to ${t.ip}:${t.port} failed (${r.disposition.kind}${"reason" in r.disposition ? ": " + r.disposition.reason : ""}) while connecting to upstream\n`);
        return respond(502, "Bad Gateway", date);
      }
      const resp = dec.decode(r.response);
      const status = resp.split("\r\n")[0]?.split(" ")[1] ?? "200";
      log(`${peer.addr} - - "${method} ${target} HTTP/1.1" ${status} ${r.response.length} "-" "-" ${req.length} 0.001 [${ns}-${m.service}-${sp.port}] [] ${t.ip}:${t.port} ${r.response.length} 0.001 ${status}\n`);
      // nginx's proxy replaces the upstream's Server header with its own (server_tokens off).
      return enc.encode(resp.replace(/\r\nServer: [^\r]*/i, "\r\nServer: nginx"));
    });
    return { stop: () => handle.close() };
  };
}
