/**
 * Shared grading is fresh grading: the pool grades one submission per grading key (the exact
 * commands it would run) and relabels that result for the others. That is only sound if grading
 * is a deterministic function of the commands: nothing may leak from one world into the next
 * (module-level counters, caches with state) and nothing may depend on grading order. Here a
 * varied set (correct, variants, partial, wrong, empty, endless loop, output flood, copies and
 * near-copies) is graded for every lesson 01-10 (Docker and Kubernetes; extra variants for 03,
 * 04, 06 and 08) once through the pool with sharing, once each submission alone in a fresh world in reverse order, and the
 * full results (scores, verdicts, messages, feedback) must be equal.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { referenceAnswers } from "../../src/grade/grade.js";
import { gradeAll, type PoolItem } from "../../src/grade/pool.js";
import { gradeSubmission } from "../../src/grade/submit.js";
import type { SubmissionResult } from "../../src/grade/types.js";
import { parseLesson } from "../../src/lesson/parse.js";

const LIMITS = { maxOutputBytes: 20_000 };

const sub = (id: string, cmds: string): string => `## exercise: ${id}\n\`\`\`sh\n${cmds}\n\`\`\`\n`;

/** The varied set for a lesson: reference, its wrong solutions, extras, hostile ones, copies. */
function submissions(file: string, extras: string[]): { lesson: ReturnType<typeof parseLesson>["lesson"]; items: PoolItem[] } {
  const { lesson } = parseLesson(readFileSync(file, "utf8"), file);
  const [id, ref] = [...referenceAnswers(lesson)][0]!;
  const wrong = lesson.blocks.filter((b) => b.grade?.role === "wrong-solution").map((b) => b.commands.map((c) => c.text).join("\n"));
  const answers = [ref, ...wrong, ...extras, "", "while true; do :; done", "while true; do echo flood flood flood; done", ref, ` ${ref}`, ...wrong, ""];
  return { lesson, items: answers.map((a, k) => ({ file: `subs/s${String(k).padStart(2, "0")}.md`, source: sub(id, a) })) };
}

const EXTRAS: Record<string, string[]> = {
  "03-port-mapping.md": [
    "docker run --detach --publish 0.0.0.0:1234:80 --name web nginx",
    "docker run -d -p 1234:8080 --name web nginx",
    "docker run -d -p 1234:80 --name www nginx",
    // Spellings with one shared key (key.ts): graded once, each must still equal its own grading.
    "docker run --name=web -p 1234:80 --detach nginx",
    "docker container run -dp1234:80 --name 'web' nginx # mine",
    "docker run --name web \\\n  -p 1234:8080 -d nginx",
    // A shell function shadows docker and reads the argv: the spellings must be graded apart.
    'docker() { [ "$2" = -d ] && command docker "$@"; }\ndocker run -d -p 1234:80 --name web nginx',
    'docker() { [ "$2" = -d ] && command docker "$@"; }\ndocker run --name web -d -p 1234:80 nginx',
    // Limit verdicts quote the command: spellings of one runaway are graded apart.
    "docker run -d -p 1234:80 --name web nginx\nsleep 7200",
    "docker run -d -p 1234:80 --name web nginx\nsleep  7200",
  ],
  "04-egress.md": [
    "iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
    "iptables -t nat -A POSTROUTING -j MASQUERADE",
    // Spellings of the reference rule with one shared key, and a near miss (another position).
    "iptables --table nat --insert POSTROUTING 1 ! --out-interface docker0 --source 172.17.0.0/16 --jump MASQUERADE",
    "iptables -I POSTROUTING 1 -t nat -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE  # NAT the containers",
    "iptables -t nat -I POSTROUTING 2 -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
  ],
  "06-pod-shared-netns.md": ["kubectl apply -f busybox-nginx.yaml"],
  "08-service-clusterip.md": ["kubectl scale deployment nginx-server --replicas=10", "kubectl scale deployment nginx-server --replicas=9"],
};
const CASES: [string, string[]][] = readdirSync("lessons")
  .filter((f) => /^\d\d-.*\.md$/.test(f))
  .sort()
  .map((f) => [`lessons/${f}`, EXTRAS[f] ?? []]);

describe("shared grading equals grading each submission in a fresh world", () => {
  for (const [file, extras] of CASES) {
    test(file, async () => {
      const { lesson, items } = submissions(file, extras);
      const shared = await gradeAll(lesson, items, { jobs: 1, inProcess: true, limits: LIMITS });
      const fresh: SubmissionResult[] = new Array(items.length);
      for (let k = items.length - 1; k >= 0; k--) fresh[k] = await gradeSubmission(lesson, items[k]!.file, items[k]!.source, { limits: LIMITS });
      expect(shared).toEqual(fresh);
      // The set is varied: full marks, zero and limit verdicts all occur, so equality says something.
      expect(fresh[0]!.score).toBe(fresh[0]!.max);
      expect(fresh.some((r) => r.verdict === "graded" && r.score === 0)).toBe(true);
      expect(fresh.filter((r) => r.verdict === "limit").map((r) => r.message?.replace(/`.*`/, "`...`"))).toEqual(expect.arrayContaining([
        expect.stringMatching(/^exercise ".*": `...` lab: stopped after/),
        "output limit: more than 20000 bytes of output",
      ]));
    }, 120_000);
  }
});
