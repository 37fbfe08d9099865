/**
 * Parsing and matching a synthetic lesson of 1,000 console blocks (3 commands each, with
 * literal lines, `...`, `(re)` lines, captures, normalizers, exit codes): parse, match
 * passing outputs, match failing outputs (alignment + diff views), record for --update.
 * Needs a build (npm run build). Prints a table.
 */
import { measure, printTable } from "./run.mjs";
import { parseLesson } from "../dist/lesson/parse.js";
import { matchOutput, NORMALIZER_NAMES, diffViews } from "../dist/assert/index.js";
import { recordExpected } from "../dist/runner/record.js";

/** Builds the synthetic lesson and, per command, an output that passes and one that fails. */
function synthetic(blocks) {
  const md = ["---", "title: Synthetic", "world: docker", "normalize: [mac, rtt]", "---", "# Synthetic", ""];
  const pass = [];
  const fail = [];
  for (let b = 0; b < blocks; b++) {
    md.push(`Block ${b} explains something.`, "", "```console" + (b % 7 === 0 ? " on=web timeout=5s" : ""));
    md.push(`$ ip addr show dev eth${b}`);
    md.push(`${b + 2}: eth${b}@if${b + 3}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP`);
    md.push(`    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0`);
    md.push(`    inet {{ip${b}}}/16 brd 172.17.255.255 scope global eth${b}`);
    md.push("...");
    pass.push(
      [
        `${b + 2}: eth${b}@if${b + 3}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP`,
        `    link/ether 9e:1b:77:0c:aa:${(b % 256).toString(16).padStart(2, "0")} brd ff:ff:ff:ff:ff:ff link-netnsid 0`,
        `    inet 172.17.${b % 256}.${(b % 250) + 2}/16 brd 172.17.255.255 scope global eth${b}`,
        `       valid_lft forever preferred_lft forever`,
      ].join("\n") + "\n",
    );
    fail.push(pass[pass.length - 1].replace("UP,LOWER_UP", "UP").replace("scope global", "scope link"));
    md.push(`$ ping -c 1 {{ip${b}}}`);
    md.push(`PING {{ip${b}}} ({{ip${b}}}): 56 data bytes`);
    md.push(`64 bytes from {{ip${b}}}: seq=0 ttl=64 time=0.045 ms`);
    md.push(`\\s* (re)`);
    md.push("...");
    pass.push(`PING 172.17.${b % 256}.${(b % 250) + 2} (172.17.${b % 256}.${(b % 250) + 2}): 56 data bytes\n64 bytes from 172.17.${b % 256}.${(b % 250) + 2}: seq=0 ttl=64 time=0.081 ms\n\n--- ping statistics ---\n`);
    fail.push("ping: sendto: Network unreachable\n");
    md.push("$ false", "[1]", "```", "");
    pass.push("");
    fail.push("oops\n");
  }
  return { source: md.join("\n"), pass, fail };
}

{
  const { source, pass, fail } = synthetic(1000);
  const { lesson, diagnostics } = parseLesson(source, "synthetic.md", { normalizers: NORMALIZER_NAMES });
  if (diagnostics.length) throw new Error(`synthetic lesson has diagnostics: ${diagnostics[0].message}`);
  const commands = lesson.blocks.flatMap((b) => b.commands);
  if (commands.length !== 3000) throw new Error(`expected 3000 commands, got ${commands.length}`);

  const matchAll = (outputs, check) => {
    const captures = {};
    let ok = 0;
    commands.forEach((c, i) => {
      const r = matchOutput(c.expected, outputs[i], captures, ["mac", "rtt"]);
      Object.assign(captures, r.bound);
      if (r.ok) ok++;
      if (check === "views" && !r.ok) diffViews(c.expected, r.actual, r.alignment, { expected: c.exit, actual: 0 });
      if (check === "record") recordExpected(c, r, 0, { captures, normalize: ["mac", "rtt"] });
    });
    return ok;
  };
  const okPass = matchAll(pass);
  const okFail = matchAll(fail);
  if (okPass !== 3000 || okFail !== 0) throw new Error(`synthetic outputs: ${okPass}/3000 passing and ${okFail}/3000 failing matched`);

  const lines = source.split("\n").length;
  printTable("Lesson parser and transcript matcher: synthetic lesson of 1,000 console blocks (3,000 commands)", [
    { case: `parse (${lesson.blocks.length} blocks, ${lines} lines)`, ...(await measure(() => parseLesson(source, "synthetic.md", { normalizers: NORMALIZER_NAMES }), { iterations: 10 })) },
    { case: "match 3,000 commands, all pass", ...(await measure(() => matchAll(pass), { iterations: 10 })) },
    { case: "match 3,000 commands, all fail + diff views", ...(await measure(() => matchAll(fail, "views"), { iterations: 10 })) },
    { case: "match + record for --update (failing)", ...(await measure(() => matchAll(fail, "record"), { iterations: 10 })) },
  ]);
}
