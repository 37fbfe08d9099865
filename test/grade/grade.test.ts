/**
 * Grading lesson 03 (exercise `publish`, checks reach-published 2 points and dnat-rule 1 point)
 * on the simulator: correct, partial, wrong, empty and hostile submissions, each with its full
 * result (score, verdict, feedback from the packet trace, hints).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { gradeSubmission } from "../../src/grade/submit.js";
import { parseLesson } from "../../src/lesson/parse.js";

const FILE = "lessons/03-port-mapping.md";
const lesson = parseLesson(readFileSync(FILE, "utf8"), FILE).lesson;
const answer = (cmds: string): string => `# my answers\n\n## exercise: publish\n\n\`\`\`sh\n${cmds}\n\`\`\`\n`;
const grade = (source: string, limits = {}) => gradeSubmission(lesson, "subs/alice.md", source, { limits });

describe("lab grade on lesson 03", () => {
  test("a correct answer that differs from the reference text scores full marks", async () => {
    const r = await grade(answer("docker run --detach --publish 0.0.0.0:1234:80 --name web nginx"));
    expect(r).toMatchInlineSnapshot(`
      {
        "checks": [
          {
            "earned": 2,
            "feedback": [],
            "id": "reach-published",
            "passed": true,
            "points": 2,
          },
          {
            "earned": 1,
            "feedback": [],
            "id": "dnat-rule",
            "passed": true,
            "points": 1,
          },
        ],
        "file": "subs/alice.md",
        "max": 3,
        "score": 3,
        "student": "alice",
        "verdict": "graded",
      }
    `);
  });

  test("ports swapped: both checks fail, feedback names the cause from the trace", async () => {
    const r = await grade(answer("docker run -d -p 80:1234 --name web nginx"));
    expect(r).toMatchInlineSnapshot(`
      {
        "checks": [
          {
            "earned": 0,
            "feedback": [
              "tcp from host to 172.17.0.1:1234: no reply: nothing listens there: tcp port 1234 closed: RST (init)",
              "tcp from netns:client to 198.51.100.1:1234: no reply: nothing listens there: tcp port 1234 closed: RST (init)",
            ],
            "hint": "-p HOST:CONTAINER: the host port comes first, nginx listens on 80",
            "id": "reach-published",
            "passed": false,
            "points": 2,
          },
          {
            "earned": 0,
            "feedback": [
              "no rule in nat DOCKER matches "-p tcp --dport 1234 -j DNAT --to-destination 172.17.0.2:80" (2 rules there)",
            ],
            "hint": "the DNAT rule lives in the nat table's DOCKER chain",
            "id": "dnat-rule",
            "passed": false,
            "points": 1,
          },
        ],
        "file": "subs/alice.md",
        "max": 3,
        "score": 0,
        "student": "alice",
        "verdict": "graded",
      }
    `);
  });

  test("partial: published on the wrong container port; DNAT matched but nothing listens", async () => {
    const r = await grade(answer("docker run -d -p 1234:8080 --name web nginx"));
    expect(r).toMatchInlineSnapshot(`
      {
        "checks": [
          {
            "earned": 0,
            "feedback": [
              "tcp from host to 172.17.0.1:1234: no reply: DNAT 172.17.0.1:1234 → 172.17.0.2:8080 (by -A DOCKER ! -i docker0 -p tcp -m tcp --dport 1234 -j DNAT --to-destination 172.17.0.2:8080), but nothing listens on 172.17.0.2:8080: connection refused",
              "tcp from netns:client to 198.51.100.1:1234: no reply: DNAT 198.51.100.1:1234 → 172.17.0.2:8080 (by -A DOCKER ! -i docker0 -p tcp -m tcp --dport 1234 -j DNAT --to-destination 172.17.0.2:8080), but nothing listens on 172.17.0.2:8080: connection refused",
            ],
            "hint": "-p HOST:CONTAINER: the host port comes first, nginx listens on 80",
            "id": "reach-published",
            "passed": false,
            "points": 2,
          },
          {
            "earned": 0,
            "feedback": [
              "no rule in nat DOCKER matches "-p tcp --dport 1234 -j DNAT --to-destination 172.17.0.2:80" (2 rules there)",
            ],
            "hint": "the DNAT rule lives in the nat table's DOCKER chain",
            "id": "dnat-rule",
            "passed": false,
            "points": 1,
          },
        ],
        "file": "subs/alice.md",
        "max": 3,
        "score": 0,
        "student": "alice",
        "verdict": "graded",
      }
    `);
  });

  test("a student's copy of the lesson is a submission too", async () => {
    const copy = readFileSync(FILE, "utf8").replace("$ docker run -d -p 1234:80 --name web nginx", "$ docker run -d -p 1234:80 --name web busybox");
    const r = await gradeSubmission(lesson, "subs/bob.md", copy);
    expect({ score: r.score, verdict: r.verdict, student: r.student, failed: r.checks.filter((c) => !c.passed).map((c) => [c.id, c.feedback]) }).toMatchInlineSnapshot(`
      {
        "failed": [
          [
            "reach-published",
            [
              "tcp from host to 172.17.0.1:1234: no reply: nothing listens there: tcp port 1234 closed: RST (init)",
              "tcp from netns:client to 198.51.100.1:1234: no reply: nothing listens there: tcp port 1234 closed: RST (init)",
            ],
          ],
          [
            "dnat-rule",
            [
              "no rule in nat DOCKER matches "-p tcp --dport 1234 -j DNAT --to-destination 172.17.0.2:80" (1 rule there)",
            ],
          ],
        ],
        "score": 0,
        "student": "bob",
        "verdict": "graded",
      }
    `);
  });

  test("an endless loop ends with a limit verdict, every check 0", async () => {
    const r = await grade(answer("while true; do :; done"));
    expect(r).toMatchInlineSnapshot(`
      {
        "checks": [
          {
            "earned": 0,
            "feedback": [
              "not run: exercise "publish": \`while true; do :; done\` lab: stopped after 20000 loop iterations (the simulator's limit per exec; a real shell would still be running)",
            ],
            "hint": "-p HOST:CONTAINER: the host port comes first, nginx listens on 80",
            "id": "reach-published",
            "passed": false,
            "points": 2,
          },
          {
            "earned": 0,
            "feedback": [
              "not run: exercise "publish": \`while true; do :; done\` lab: stopped after 20000 loop iterations (the simulator's limit per exec; a real shell would still be running)",
            ],
            "hint": "the DNAT rule lives in the nat table's DOCKER chain",
            "id": "dnat-rule",
            "passed": false,
            "points": 1,
          },
        ],
        "file": "subs/alice.md",
        "max": 3,
        "message": "exercise "publish": \`while true; do :; done\` lab: stopped after 20000 loop iterations (the simulator's limit per exec; a real shell would still be running)",
        "score": 0,
        "student": "alice",
        "verdict": "limit",
      }
    `);
  });

  test("an output flood hits the output limit", async () => {
    const r = await grade(answer("while true; do echo flood flood flood flood; done"), { maxOutputBytes: 10_000 });
    expect({ score: r.score, verdict: r.verdict, message: r.message }).toMatchInlineSnapshot(`
      {
        "message": "output limit: more than 10000 bytes of output",
        "score": 0,
        "verdict": "limit",
      }
    `);
  });

  test("too many commands hit the command limit", async () => {
    const r = await grade(answer(Array.from({ length: 50 }, (_, k) => `echo ${k}`).join("\n")), { maxCommands: 20 });
    expect({ score: r.score, verdict: r.verdict, message: r.message }).toMatchInlineSnapshot(`
      {
        "message": "command limit: more than 20 commands",
        "score": 0,
        "verdict": "limit",
      }
    `);
  });

  test("a long sleep hits the virtual-time limit", async () => {
    const r = await grade(answer("sleep 7200"), { maxVirtualMs: 60_000 });
    expect({ score: r.score, verdict: r.verdict, message: r.message }).toMatchInlineSnapshot(`
      {
        "message": "virtual-time limit: more than 60s of simulated time",
        "score": 0,
        "verdict": "limit",
      }
    `);
  });

  test("malformed Markdown and binary files are malformed, not crashes", async () => {
    const unclosed = await grade("# copy\n\n```console exercise id=publish\n$ docker run -d -p 1234:80 --name web nginx\n");
    const binary = await grade("\0\0\x01garbage");
    const nothing = await grade("just some text\n");
    expect([unclosed, binary, nothing].map((r) => [r.verdict, r.score, r.message])).toMatchInlineSnapshot(`
      [
        [
          "malformed",
          0,
          "line 3: Unclosed code fence: expected a closing \`\`\` for the block opened here",
        ],
        [
          "malformed",
          0,
          "binary file, expected Markdown text",
        ],
        [
          "malformed",
          0,
          "no exercise found: expected the lesson's \`exercise id=NAME\` blocks or \`## exercise: NAME\` sections",
        ],
      ]
    `);
  });
});
