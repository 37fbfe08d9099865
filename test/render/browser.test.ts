/**
 * Rendered HTML pages in a real headless Chromium (Debian's `chromium` driven by
 * playwright-core): every page loads with no console error or page error, each diagram is
 * visible with a non-empty box and content; screenshots go to test-results/render/.
 * Skipped where /usr/bin/chromium is absent (.ci/run installs it).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMain } from "../../src/cli/render.js";

const root = resolve(import.meta.dirname, "../..");
const CHROMIUM = "/usr/bin/chromium";
const LESSONS = ["lessons/01-container-to-container.md", "lessons/07-pod-to-pod-across-nodes.md"];

describe.skipIf(!existsSync(CHROMIUM))("rendered pages in headless Chromium", () => {
  let site = "";
  let profile = "";
  let ctx: BrowserContext | undefined;
  const shots = join(root, "test-results", "render");

  beforeAll(async () => {
    site = await mkdtemp(join(tmpdir(), "lab-site-"));
    profile = await mkdtemp(join(tmpdir(), "lab-chromium-"));
    await mkdir(shots, { recursive: true });
    let err = "";
    const code = await renderMain([...LESSONS, "--out", site], { out: () => undefined, err: (t) => void (err += t), cwd: root });
    expect([0, 1], err).toContain(code); // a failing block is marked on its page, the page is still written
    // A fresh profile per run (launchPersistentContext), no network chatter, generous timeouts.
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 120_000,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  }, 300_000);

  afterAll(async () => {
    await ctx?.close();
    await rm(site, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  }, 60_000);

  it("every page loads without console errors; diagrams are visible and not empty", async () => {
    if (!ctx) throw new Error("Chromium did not start");
    const pages = (await readdir(site)).filter((f) => f.endsWith(".html")).sort();
    expect(pages).toEqual(["01-container-to-container.html", "07-pod-to-pod-across-nodes.html", "index.html"]);
    for (const name of pages) {
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(pathToFileURL(join(site, name)).href, { waitUntil: "load", timeout: 120_000 });
      await page.screenshot({ path: join(shots, name.replace(/\.html$/, ".png")), fullPage: true, timeout: 120_000 });
      expect(errors, name).toEqual([]);
      const diagrams = page.locator("figure.diagram svg");
      const n = await diagrams.count();
      if (name === "index.html") {
        expect(n).toBe(0);
        expect(await page.locator("ol.lessons li").count()).toBe(2);
      } else {
        expect(n, name).toBeGreaterThan(0);
        for (let k = 0; k < n; k++) {
          const svg = diagrams.nth(k);
          expect(await svg.isVisible(), `${name} diagram ${k}`).toBe(true);
          const box = await svg.boundingBox();
          expect(box && box.width > 50 && box.height > 50, `${name} diagram ${k} box ${JSON.stringify(box)}`).toBe(true);
          expect(await svg.locator("rect.if").count()).toBeGreaterThan(1);
          expect(await svg.locator("polyline.edge").count()).toBeGreaterThan(0);
        }
        expect(await page.locator("pre.transcript span.c").count()).toBeGreaterThan(0);
      }
      await page.close();
    }
  }, 300_000);
});
