/**
 * API defaulting, as the API server applies it before storing (k8s.io/kubernetes
 * pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go): the fields `-o yaml` shows that
 * the manifest did not set.
 */
import type { KObject } from "./objects.js";

function defaultPodSpec(spec: any): void {
  spec.restartPolicy ??= "Always";
  spec.dnsPolicy ??= "ClusterFirst";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= "default-scheduler";
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  // SetDefaults_Container applies to init containers as to the others.
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const tag = String(c.image ?? "").split("/").pop()!.split(":")[1];
    c.imagePullPolicy ??= tag === undefined || tag === "latest" ? "Always" : "IfNotPresent";
    c.terminationMessagePath ??= "/dev/termination-log";
    c.terminationMessagePolicy ??= "File";
    c.resources ??= {};
    for (const p of c.ports ?? []) p.protocol ??= "TCP";
  }
}

/** Fills defaults into `obj` in place. */
export function applyDefaults(obj: KObject): void {
  switch (obj.kind) {
    case "Pod":
      obj.spec ??= {};
      defaultPodSpec(obj.spec);
      break;
    case "Deployment":
    case "ReplicaSet":
      obj.spec ??= {};
      obj.spec.replicas ??= 1;
      if (obj.kind === "Deployment") {
        // SetDefaults_Deployment: RollingUpdate, and each missing budget 25%.
        const st = (obj.spec.strategy ??= {});
        st.type ??= "RollingUpdate";
        if (st.type === "RollingUpdate") {
          st.rollingUpdate ??= {};
          st.rollingUpdate.maxUnavailable ??= "25%";
          st.rollingUpdate.maxSurge ??= "25%";
        }
        obj.spec.revisionHistoryLimit ??= 10;
        obj.spec.progressDeadlineSeconds ??= 600;
      }
      obj.spec.template ??= {};
      obj.spec.template.spec ??= {};
      defaultPodSpec(obj.spec.template.spec);
      break;
    case "Service":
      obj.spec ??= {};
      obj.spec.type ??= "ClusterIP";
      obj.spec.sessionAffinity ??= "None";
      for (const p of obj.spec.ports ?? []) {
        p.protocol ??= "TCP";
        p.targetPort ??= p.port;
      }
      if (obj.spec.type === "NodePort" || obj.spec.type === "LoadBalancer") obj.spec.externalTrafficPolicy ??= "Cluster";
      obj.spec.internalTrafficPolicy ??= "Cluster";
      break;
    case "Ingress":
      obj.spec ??= {};
      break;
  }
}
