/**
 * Generated submissions for lesson 03's exercise `publish`, as a class would hand them in: a mix
 * of correct, partly correct and wrong answers, each written in the student's own spelling
 * (flag order, short or long flags, `--name=web` or `--name web`, `-dp`, quotes, spacing, a
 * comment, a line continuation, `docker container run`), so that no two submissions are the
 * same text. Deterministic: a seeded generator (xorshift32), the same list for the same count.
 * Used by grade.bench.mjs.
 */

/** What a student meant: the publish specs, the name, detached or not, extra commands. */
const CLASSES = [
  // correct (full marks)
  { weight: 28, ports: ["1234:80"], name: "web", detach: true },
  { weight: 6, ports: ["0.0.0.0:1234:80"], name: "web", detach: true },
  { weight: 6, ports: ["1234:80/tcp"], name: "web", detach: true },
  // partly correct
  { weight: 10, ports: ["127.0.0.1:1234:80"], name: "web", detach: true },
  { weight: 5, ports: ["172.17.0.1:1234:80"], name: "web", detach: true },
  { weight: 10, ports: ["1234:80"], name: "web2", detach: true, before: "docker run -d --name web nginx" },
  // wrong
  { weight: 10, ports: ["1234:8080"], name: "web", detach: true },
  { weight: 10, ports: ["80:1234"], name: "web", detach: true },
  { weight: 5, ports: ["1234:80"], name: "www", detach: true },
  { weight: 5, ports: [], name: "web", detach: true },
  // forgot -d: the run stays attached to nginx and never returns (limit: the exercise's time)
  { weight: 5, ports: ["1234:80"], name: "web", detach: false },
  // empty: the student handed in the lesson without an answer
  { weight: 5, empty: true },
];

function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** One spelling of class `c`. */
function spell(c, r) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const q = (w) => (r() < 0.2 ? `'${w}'` : w);
  if (c.empty) return pick(["", "# TODO", "# not done yet", "\n"]) + "#".repeat(Math.floor(r() * 3));
  const groups = [];
  const ports = [...c.ports];
  if (c.detach && ports.length > 0 && r() < 0.15) groups.push(["-dp", q(ports.shift())]);
  else if (c.detach) groups.push([pick(["-d", "-d", "--detach", "--detach=true"])]);
  for (const p of ports) groups.push(pick([["-p", q(p)], ["-p", q(p)], [`-p${p}`], ["--publish", q(p)], [`--publish=${p}`]]));
  groups.push(pick([["--name", q(c.name)], ["--name", q(c.name)], [`--name=${c.name}`]]));
  for (let i = groups.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [groups[i], groups[j]] = [groups[j], groups[i]];
  }
  const words = [...(r() < 0.1 ? ["docker", "container", "run"] : ["docker", "run"]), ...groups.flat(), q(pick(["nginx", "nginx", "nginx", "nginx:latest"]))];
  let line = words.join(r() < 0.8 ? " " : "  ");
  if (r() < 0.1) line = line.replace(/ (-p|--publish)/, " \\\n  $1");
  if (r() < 0.2) line += pick(["  # publish it", " # host 1234 -> container 80", "   #done"]);
  const lines = [line];
  if (c.before) lines.unshift(c.before);
  if (r() < 0.15) lines.unshift(pick(["# my answer", "# exercise publish", "# -p HOST:CONTAINER"]));
  return lines.join("\n");
}

/** `count` submissions (distinct texts, except empty ones), as pool items: an answers file each. */
export function generatedSubmissions(count, seed = 42) {
  const r = rng(seed);
  const total = CLASSES.reduce((s, c) => s + c.weight, 0);
  const seen = new Set();
  const items = [];
  while (items.length < count) {
    let x = r() * total;
    const c = CLASSES.find((k) => (x -= k.weight) < 0) ?? CLASSES[0];
    const text = spell(c, r);
    if (!c.empty && seen.has(text)) continue;
    seen.add(text);
    items.push({ file: `subs/student-${String(items.length).padStart(4, "0")}.md`, source: `## exercise: publish\n\`\`\`sh\n${text}\n\`\`\`\n` });
  }
  return items;
}
