/**
 * The files the kubelet writes into every container of a pod. Sources: pkg/kubelet/network/dns/
 * dns.go (search <ns>.svc.<domain> svc.<domain> <domain>, ndots:5; containerd's line order
 * search/nameserver/options), kubelet_pods.go managedHostsHeader.
 */
import type { KObject } from "./objects.js";

/** /etc/resolv.conf, /etc/hosts and /etc/hostname of `pod`'s containers, for cluster DNS `dns`. */
export function podFiles(pod: KObject, dns: { ip: string; domain: string }): Record<string, string> {
  const ns = pod.metadata.namespace!;
  const d = dns.domain;
  return {
    "/etc/resolv.conf": `search ${ns}.svc.${d} svc.${d} ${d}\nnameserver ${dns.ip}\noptions ndots:5\n`,
    "/etc/hosts": `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${pod.status?.podIP ?? ""}\t${pod.metadata.name}\n`,
    "/etc/hostname": `${pod.metadata.name}\n`,
  };
}
