/**
 * CoreDNS as kubeadm deploys it (Corefile: `kubernetes cluster.local in-addr.arpa ip6.arpa
 * { pods insecure … ttl 30 }`, `forward . /etc/resolv.conf`): a UDP server on port 53 of each
 * coredns pod, reached through the kube-dns Service (10.96.0.10) like any other service, so a
 * query from a pod is DNATed by kube-proxy's rules to a coredns pod.
 *
 *   <svc>.<ns>.svc.cluster.local   A → ClusterIP (headless: the ready endpoints' IPs)
 *   <a-b-c-d>.<ns>.pod.cluster.local A → a.b.c.d ("pods insecure": no API check)
 *   other names under cluster.local → NXDOMAIN, authoritative
 *   AAAA for a known name → NOERROR without answers (the cluster is IPv4-only)
 *   names outside the cluster → forwarded upstream; a lesson world has none: SERVFAIL
 *
 * Sources: coredns plugin/kubernetes (README, handler.go sets Authoritative), kubeadm
 * cmd/kubeadm/app/phases/addons/dns/manifests.go (Corefile).
 */
import { answerQuery, DNS_RCODE, DNS_TYPE } from "../kernel/wire/dns-message.js";
import type { ApiServer } from "./apiserver.js";
import { KIND } from "./controllers.js";
import type { BuiltinProcess } from "./runtime.js";

const TTL = 30;

/** Looks a name up in the cluster: A addresses, [] for NODATA, undefined for NXDOMAIN, "upstream" for other zones. */
export function clusterLookup(api: ApiServer, name: string, qtype: number, domain = "cluster.local"): string[] | undefined | "upstream" {
  const n = name.toLowerCase().replace(/\.$/, "");
  if (!n.endsWith(`.${domain}`) && n !== domain) return "upstream";
  const labels = n.slice(0, n.length - domain.length - 1).split(".");
  let ips: string[] | undefined;
  if (labels.length === 3 && labels[2] === "svc") {
    const svc = api.get(KIND.svc, labels[1]!, labels[0]!);
    if (svc) {
      if (svc.spec.clusterIP && svc.spec.clusterIP !== "None") ips = [svc.spec.clusterIP];
      else {
        const ep = api.get(KIND.ep, labels[1]!, labels[0]!);
        ips = (ep?.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.ip));
      }
    }
  } else if (labels.length === 3 && labels[2] === "pod" && /^\d+-\d+-\d+-\d+$/.test(labels[0]!)) {
    ips = [labels[0]!.replace(/-/g, ".")];
  }
  if (!ips) return undefined;
  return qtype === DNS_TYPE.A ? ips : [];
}

/** The coredns container's main process. */
export function corednsProcess(api: ApiServer): BuiltinProcess {
  return (ctx, log) => {
    log(".:53\n[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908\nCoreDNS-1.10.1\nlinux/amd64, go1.20, 055b2c3\n");
    const handle = ctx.netns.udpListen("0.0.0.0", 53, (payload) => {
      // Authoritative for its own zone (the kubernetes plugin sets AA); no upstream here: SERVFAIL.
      let upstream = false;
      return answerQuery(
        payload,
        (q) => {
          const r = clusterLookup(api, q.name, q.type);
          upstream = r === "upstream";
          if (r === "upstream") return { rcode: DNS_RCODE.SERVFAIL };
          return r?.map((ip) => ({ name: q.name, type: q.type, ttl: TTL, data: ip }));
        },
        { authoritative: () => !upstream },
      );
    });
    return { stop: () => handle.close() };
  };
}
