/**
 * The shared key (src/grade/key.ts) against the simulator itself, on generated `docker run`
 * lines for lesson 03: random configurations (detached or not, ports, name, image), each written
 * in random spellings (flag order, short/long/`=` forms, `-dp` bundles, quoting, spacing, a
 * trailing comment, `docker container run`).
 * - Complete for what it claims: spellings of one configuration get one key.
 * - Sound: two lines with one key get the same full grading result, each in its own fresh world
 *   (labels aside), whatever the configurations were.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { expect, test } from "vitest";
import { sharedKey } from "../../src/grade/key.js";
import { gradeSubmission } from "../../src/grade/submit.js";
import { parseLesson } from "../../src/lesson/parse.js";

const FILE = "lessons/03-port-mapping.md";
const lesson = parseLesson(readFileSync(FILE, "utf8"), FILE).lesson;

interface Config {
  detach: boolean;
  ports: string[];
  name: string;
  image: string;
}

const config: fc.Arbitrary<Config> = fc.record({
  detach: fc.boolean(),
  ports: fc.array(fc.constantFrom("1234:80", "0.0.0.0:1234:80", "1234:80/tcp", "1234:8080", "80:1234", "127.0.0.1:1234:80", "1235:80"), { minLength: 0, maxLength: 2 }),
  name: fc.constantFrom("web", "www"),
  image: fc.constantFrom("nginx", "nginx:latest", "busybox"),
});

/** One random spelling of `c` (randomness from fast-check's generator `g`). */
function spell(c: Config, g: fc.GeneratorValue): string {
  const pick = <T,>(xs: T[]): T => xs[g(fc.integer, { min: 0, max: xs.length - 1 })]!;
  const quote = (w: string): string => (g(fc.boolean) ? `'${w}'` : w);
  const groups: string[][] = [];
  const ports = [...c.ports];
  if (c.detach && ports.length > 0 && g(fc.boolean)) groups.push(["-dp", quote(ports.shift()!)]);
  else if (c.detach) groups.push([pick(["-d", "--detach", "--detach=true"])]);
  for (const p of ports) groups.push(pick([["-p", quote(p)], [`-p${p}`], ["--publish", quote(p)], [`--publish=${p}`]]));
  groups.push(pick([["--name", quote(c.name)], [`--name=${c.name}`]]));
  // Shuffle the option groups (their order never matters to docker run's request).
  for (let i = groups.length - 1; i > 0; i--) {
    const j = g(fc.integer, { min: 0, max: i });
    [groups[i], groups[j]] = [groups[j]!, groups[i]!];
  }
  const words = [...pick([["docker", "run"], ["docker", "container", "run"]]), ...groups.flat(), quote(c.image)];
  return words.join(pick([" ", "  "])) + (g(fc.boolean) ? " # my answer" : "");
}

const sub = (line: string): string => `## exercise: publish\n\`\`\`sh\n${line}\n\`\`\`\n`;
const key = (line: string): string => sharedKey(lesson, new Map([["publish", line]]));
const grade = async (line: string) => {
  const r = await gradeSubmission(lesson, "subs/x.md", sub(line));
  return { score: r.score, verdict: r.verdict, message: r.message, checks: r.checks };
};

test("spellings of one docker run configuration share one key", () => {
  fc.assert(
    fc.property(config, fc.gen(), fc.gen(), (c, g1, g2) => {
      expect(key(spell(c, g1))).toBe(key(spell(c, g2)));
    }),
    { numRuns: 300 },
  );
});

test("lines with one key grade alike, each in its own world", async () => {
  let sameKey = 0;
  await fc.assert(
    // The second configuration is the first with one field drawn again: near misses, where a lossy key would merge two.
    fc.asyncProperty(config, fc.gen(), config, fc.constantFrom<keyof Config>("detach", "ports", "name", "image"), fc.gen(), async (c1, g1, other, field, g2) => {
      const [a, b] = [spell(c1, g1), spell({ ...c1, [field]: other[field] }, g2)];
      if (key(a) !== key(b)) return;
      sameKey++;
      const [ra, rb] = [await grade(a), await grade(b)];
      // The pool shares `graded` results only: a limit's message quotes the command's own text.
      if (ra.verdict !== "graded") {
        expect(rb.verdict).toBe(ra.verdict);
        expect(rb.message?.replace(/`.*`/, "`...`")).toBe(ra.message?.replace(/`.*`/, "`...`"));
        return;
      }
      expect(rb, `${a}\n${b}`).toEqual(ra);
    }),
    { numRuns: 60 },
  );
  // About a third of the pairs redraw a field to its old value: the property was exercised.
  expect(sameKey).toBeGreaterThan(6);
}, 120_000);
