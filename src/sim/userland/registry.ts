/**
 * Every program of the simulator. Add ONE line per program module, exporting its
 * `programs: ProgramSpec[]` (or one `ProgramSpec`) under a unique name:
 *
 *   export { programs as ip } from "./ip/index.js";
 *
 * The shell reads this module's namespace (src/sim/shell/programs.ts); keep nothing else here.
 */
export { programs as core } from "./core/index.js";
export { programs as ip } from "./ip/index.js";
export { programs as ping } from "./ping/index.js";
export { programs as iptables } from "./iptables/index.js";
export { programs as conntrack } from "./conntrack/index.js";
export { programs as docker } from "./docker/index.js";
export { programs as bridge } from "./bridge/index.js";
export { programs as brctl } from "./brctl/index.js";
export { programs as ifconfig } from "./ifconfig/index.js";
export { programs as sysctl } from "./sysctl/index.js";
export { programs as kubectl } from "./kubectl/index.js";
export { programs as wget } from "./wget/index.js";
export { programs as httpd } from "./httpd/index.js";
export { programs as nslookup } from "./nslookup/index.js";
export { programs as nc } from "./nc/index.js";
export { programs as labcheck } from "./labcheck/index.js";
export { programs as ipset } from "./ipset/index.js";
export { programs as ipvsadm } from "./ipvsadm/index.js";
export { nsenter } from "./nsenter/index.js";
