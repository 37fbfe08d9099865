// Records the kernel-api scenarios on the real kernel of this machine (root) into
// test/fixtures/kernel-api/NAME.json. Every namespace it makes is deleted, even on failure.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { scenarios } from "./scenarios.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const out = join(root, "test/fixtures/kernel-api");
mkdirSync(out, { recursive: true });

const sh = (cmd) => {
  const r = spawnSync("bash", ["-c", cmd], { encoding: "utf8" });
  return { exitCode: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
};
const real = (name) => `kapi-${name}`;
const subst = (cmd, nss) => nss.reduce((c, n) => c.replaceAll(` ${n.toUpperCase()} `, ` ${real(n)} `).replace(new RegExp(` ${n.toUpperCase()}$`), ` ${real(n)}`), cmd);

const snapCmd = (s) => {
  const ns = real(s.ns);
  switch (s.what) {
    case "links": return `ip -j -n ${ns} link show`;
    case "addrs": return `ip -j -n ${ns} -4 addr show`;
    case "routes": return `ip -j -n ${ns} route show table all`;
    case "neigh": return `ip -j -n ${ns} neigh show`;
    case "routeget": return `ip -j -n ${ns} route get ${s.arg}`;
    case "sysctl": return `ip netns exec ${ns} sysctl -n ${s.arg}`;
    case "addrs6": return `ip -j -n ${ns} -6 addr show`;
    case "fdb": return `ip netns exec ${ns} bridge -j fdb show`;
  }
  throw new Error(`unknown snapshot ${s.what}`);
};

// `record-kernel-api.sh NAME...` records only the named scenarios.
const only = process.argv.slice(2);
for (const sc of scenarios.filter((s) => only.length === 0 || only.includes(s.name))) {
  for (const n of sc.namespaces) sh(`ip netns del ${real(n)} 2>/dev/null`);
  const items = [];
  try {
    for (const n of sc.namespaces) {
      const r = sh(`ip netns add ${real(n)}`);
      if (r.exitCode !== 0) throw new Error(r.stderr);
    }
    for (const it of sc.items) {
      if (it.step) {
        const cmd = subst(it.step.cmd, sc.namespaces);
        const r = sh(cmd);
        items.push({ step: it.step, real: { exitCode: r.exitCode, stderr: r.stderr.replaceAll("kapi-", "") } });
      } else {
        // Let linkwatch settle (it applies operstate changes up to a second late): the simulator models the settled state.
        // (IPv6 duplicate address detection takes about a second too.)
        if (it.snap.what === "links" || it.snap.what === "addrs6" || it.snap.what === "fdb") sh("sleep 2.2");
        const r = sh(snapCmd(it.snap));
        const text = r.stdout.trim();
        const rec = { exitCode: r.exitCode, value: it.snap.what === "sysctl" ? text : text ? JSON.parse(text) : null, stderr: r.stderr.replaceAll("kapi-", "") };
        // A new namespace inherits from the initial one: record what the initial one had.
        if (it.snap.what === "sysctl") rec.init = sh(`sysctl -n ${it.snap.arg}`).stdout.trim();
        items.push({ snap: it.snap, real: rec });
      }
    }
  } finally {
    for (const n of sc.namespaces) sh(`ip netns del ${real(n)} 2>/dev/null`);
  }
  const kernel = sh("uname -r").stdout.trim();
  const iproute = sh("ip -V").stdout.trim();
  writeFileSync(join(out, `${sc.name}.json`), JSON.stringify({ scenario: sc.name, description: sc.description, namespaces: sc.namespaces, recordedWith: { kernel, iproute }, items }, null, 1) + "\n");
  console.log(`recorded ${sc.name}: ${items.length} items`);
}
