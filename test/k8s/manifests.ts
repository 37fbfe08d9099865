/**
 * Manifests several cluster tests apply (YAML as a user would write it): a busybox pod pinned to
 * a node, an nginx pod or Deployment labelled app=web, and the `web` Service in front of them.
 */

/** A busybox pod that sleeps, pinned to `node`. */
export function busyboxPod(name: string, node: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: ${node}
  containers:
  - name: busybox
    image: busybox
    args: ["sleep", "12000"]
`;
}

/** The nginx pod `web` (app=web), pinned to `node`. */
export function webPod(node: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  nodeName: ${node}
  containers:
  - name: nginx
    image: nginx:1.16.1
`;
}

/** The nginx Deployment `web` (app=web) with `replicas`. */
export function webDeployment(replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.16.1
`;
}

/** The Service `web` on port 80 for app=web: a ClusterIP, or a NodePort on `nodePort`. */
export function webService(nodePort?: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
${nodePort === undefined ? "" : "  type: NodePort\n"}  selector:
    app: web
  ports:
  - port: 80
${nodePort === undefined ? "" : `    nodePort: ${nodePort}\n`}`;
}

/** Documents joined into one multi-document YAML stream. */
export function yamlDocs(...docs: string[]): string {
  return docs.join("---\n");
}
