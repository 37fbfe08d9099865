/**
 * The cluster's networking really goes through the simulated kernel: pod-to-pod across nodes is
 * VXLAN-encapsulated by flannel.1 (VNI 1, UDP 8472 between the node addresses), a ClusterIP
 * answers TCP on its service port through kube-proxy's DNAT but not ping, and CoreDNS answers
 * through the kube-dns ClusterIP.
 */
import { describe, expect, it } from "vitest";
import { createWorld } from "../../src/sim/index.js";
import { busyboxPod, webPod, webService, yamlDocs } from "./manifests.js";

const PODS = yamlDocs(busyboxPod("client", "node2"), webPod("node1"), webService());

describe("cluster networking", () => {
  it("carries pod traffic across nodes in VXLAN and serves a ClusterIP on its port only", async () => {
    const w = createWorld({ kind: "kubernetes", trace: true });
    const host = w.session("host");
    await host.exec("kubectl apply -f -", { stdin: PODS });
    expect((await host.exec("kubectl wait --for=condition=Ready pod/client pod/web")).output).toBe("pod/client condition met\npod/web condition met\n");
    const webIP = (await host.exec("kubectl get pod web -o jsonpath='{.status.podIP}'")).output;
    expect(webIP).toBe("10.244.1.3");
    w.traceTake();
    const get = await w.session("pod/client").exec(`wget -q -O - ${webIP}:80 | head -4`);
    expect(get.output).toBe("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n");
    const steps = w.traceTake().filter((e) => e.step === "vxlan-encap" || e.step === "vxlan-decap").map((e) => `${e.host} ${e.step} ${e.dev ?? ""}`);
    expect(steps.slice(0, 2)).toEqual(["node2 vxlan-encap flannel.1", "node1 vxlan-decap flannel.1"]);

    const cip = (await host.exec("kubectl get svc web -o jsonpath='{.spec.clusterIP}'")).output;
    const viaVip = await w.session("pod/client").exec(`wget -q -O - ${cip}:80 | wc -c`);
    expect(viaVip.output.trim()).toBe("612");
    const ping = await w.session("pod/client").exec(`ping -c 1 -W 1 ${cip}`);
    expect(ping.exitCode).toBe(1);
    expect(ping.output).toBe(`PING ${cip} (${cip}): 56 data bytes\n\n--- ${cip} ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss\n`);
    const wrongPort = await w.session("pod/client").exec(`wget -q -T 2 -O - ${cip}:8080`);
    expect(wrongPort.exitCode).not.toBe(0);
    const byName = await w.session("pod/client").exec("wget -q -O - web.default | wc -c");
    expect(byName.output.trim()).toBe("612");
  });
});
