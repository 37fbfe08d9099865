/**
 * `lab render` end to end on the sim target: lessons run through the recording path, pages
 * written through the shipped templates (and an author's override), hidden blocks left out,
 * failed blocks marked, diagrams computed from the world.
 */
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { renderMain } from "../../src/cli/render.js";

const root = resolve(import.meta.dirname, "../..");
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function render(args: string[], cwd = root): Promise<{ code: number; err: string; out: string }> {
  let err = "";
  let out = "";
  const code = await renderMain(args, { out: (t) => void (out += t), err: (t) => void (err += t), cwd });
  return { code, err, out };
}

const LESSON = `---
title: Two namespaces
world: bare
---

Make a veth pair between two namespaces.

\`\`\`console hidden
$ echo setup
setup
\`\`\`

\`\`\`console id=make
$ ip netns add red
$ ip netns add blue
$ ip link add veth-r netns red type veth peer name veth-b netns blue
$ ip -n red addr add 10.0.0.1/24 dev veth-r
$ ip -n blue addr add 10.0.0.2/24 dev veth-b
$ ip -n red link set veth-r up
$ ip -n blue link set veth-b up
\`\`\`

<!-- lab:diagram -->

A wrong expectation:

\`\`\`console id=wrong
$ ip netns exec red ping -c 1 -W 1 10.0.0.2 | head -1
PING nowhere
\`\`\`

<!-- lab:diagram trace -->

\`\`\`console cleanup
$ ip netns del red
$ ip netns del blue
\`\`\`
`;

describe("lab render", () => {
  it("writes Markdown from the recorded run: hidden block out, failure marked, diagrams as SVG files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lab-render-"));
    dirs.push(dir);
    await writeFile(join(dir, "two.md"), LESSON);
    const r = await render(["two.md", "--format", "md", "--out", "site"], dir);
    expect(r.err).toBe(`two.md: failed (1 failed)\nlab render: wrote 4 files to ${join(dir, "site")}\n`);
    expect(r.code).toBe(1);
    expect((await readdir(join(dir, "site"))).sort()).toEqual(["index.md", "two-diagram-1.svg", "two-diagram-2.svg", "two.md"]);
    const md = await readFile(join(dir, "site", "two.md"), "utf8");
    expect(md).not.toContain("echo setup");
    expect(md).toContain("> **Failed on sim:** ");
    expect(md).toContain("$ ip netns exec red ping -c 1 -W 1 10.0.0.2 | head -1\nPING 10.0.0.2 (10.0.0.2): 56 data bytes\n```");
    expect(md).toContain("![Topology after make](two-diagram-1.svg)");
    expect(md).toContain("![Topology after wrong, with the path of its first packet](two-diagram-2.svg)");
    expect(md.split("\n").slice(0, 6)).toEqual(["---", 'title: "Two namespaces"', "---", "", "> Rendered from `two.md` on target **sim**, against: `ip utility, iproute2-6.1.0, libbpf 1.1.2`; `iptables v1.8.9 (nf_tables)`. Status: failed.", ""]);
    const svg = await readFile(join(dir, "site", "two-diagram-1.svg"), "utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="topology"/);
    for (const s of ["netns red", "netns blue", "veth-r (veth)", "10.0.0.1/24", "veth-b (veth)", "10.0.0.2/24"]) expect(svg).toContain(`>${s}</text>`);
    expect(svg.match(/class="edge veth"/g)).toHaveLength(1);
    const traced = await readFile(join(dir, "site", "two-diagram-2.svg"), "utf8");
    expect(traced.match(/class="if path"/g)?.length).toBe(2);
  }, 60_000);

  it("writes an HTML site with highlighted transcripts of this run's output; an author's template wins", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lab-render-"));
    dirs.push(dir);
    await writeFile(join(dir, "two.md"), LESSON);
    await mkdir(join(dir, "tpl"));
    await writeFile(join(dir, "tpl", "index.html.hbs"), "<!doctype html><title>mine</title>{{#each pages}}[{{title}}|{{status}}]{{/each}}\n");
    const r = await render(["two.md", "--out", "site", "--templates", "tpl"], dir);
    expect(r.code).toBe(1);
    expect((await readdir(join(dir, "site"))).sort()).toEqual(["index.html", "style.css", "two.html"]);
    expect(await readFile(join(dir, "site", "index.html"), "utf8")).toBe("<!doctype html><title>mine</title>[Two namespaces|failed]\n");
    const html = await readFile(join(dir, "site", "two.html"), "utf8");
    expect(html).toContain('<span class="p">$ </span><span class="c">ip</span> <span class="o">-n</span> red addr add 10.0.0.1/24 dev veth-r');
    expect(html).toContain('<span class="out">PING 10.0.0.2 (10.0.0.2): 56 data bytes</span>');
    expect(html).toContain('<figure class="block failed" id="wrong">');
    expect(html).not.toContain("echo setup");
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toContain("<script");
  }, 60_000);
});
