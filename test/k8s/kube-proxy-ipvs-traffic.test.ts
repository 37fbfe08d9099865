/**
 * kube-proxy in IPVS mode, traffic through the simulated cluster: a pod reaches a ClusterIP (IPVS
 * at LOCAL_IN of the client's node picks a real server, Masq), round robin spreads new
 * connections over the endpoints, and a NodePort answers a machine outside the cluster.
 */
import { describe, expect, it } from "vitest";
import { ipvsCluster as cluster } from "./ipvs-cluster.js";

describe("kube-proxy IPVS mode: traffic", () => {
  it("serves the ClusterIP to a pod, round robin over the endpoints, and the NodePort to a client outside", async () => {
    const { world, cip, eps, vs } = await cluster();
    const pod = world.session("pod/client");
    for (let i = 0; i < 4; i++) {
      expect((await pod.exec(`wget -q -O - ${cip}:80 | head -4`)).output).toBe("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n");
    }
    // The client runs on node2: IPVS there chose the real servers, two connections each.
    expect(vs("node2").dests.map((d) => `${d.addr} ${d.stats.conns}`).sort()).toEqual(eps.map((ip) => `${ip} 2`));
    expect(vs("node1").dests.map((d) => d.stats.conns)).toEqual([0, 0]);
    const out = await world.session("client").exec("wget -q -O - 192.168.56.11:30080 | head -4");
    expect(out.output).toBe("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n");
  });


  it("keeps a client on one real server when the Service has sessionAffinity: ClientIP (a persistent virtual server)", async () => {
    const { world, host, cip, vs } = await cluster();
    const sticky = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  sessionAffinity: ClientIP\n  selector:\n    app: web\n  ports:\n  - port: 80\n    nodePort: 30080\n";
    expect((await host.exec("kubectl apply -f -", { stdin: sticky })).output).toBe("service/web configured\n");
    expect((await world.session("node2").exec(`ipvsadm -Ln -t ${cip}:80 | sed -n 3p`)).output).toBe(`TCP  ${cip}:80 rr persistent 10800\n`);
    const pod = world.session("pod/client");
    for (let i = 0; i < 4; i++) expect((await pod.exec(`wget -q -O - ${cip}:80 | wc -c`)).output.trim()).toBe("612");
    expect(vs("node2").dests.map((d) => d.stats.conns).sort()).toEqual([0, 4]);
  });
});
