/**
 * World builders by kind. Add ONE line per builder module, exported under its WorldKind:
 *
 *   export { dockerWorld as docker } from "./docker.js";
 *   export { kubernetesWorld as kubernetes } from "./kubernetes.js";
 */
export { bareWorld as bare } from "./bare.js";
export { dockerWorld as docker } from "./docker.js";
export { kubernetesWorld as kubernetes } from "./kubernetes.js";
