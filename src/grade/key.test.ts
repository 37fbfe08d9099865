import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { parseLesson } from "../lesson/parse.js";
import { gradingKey, sharedKey } from "./key.js";
import { plainData } from "../sim/keys.js";

const FILE = "lessons/03-port-mapping.md";
const lesson = parseLesson(readFileSync(FILE, "utf8"), FILE).lesson;
const key = (entries: [string, string][]): string => gradingKey(lesson, new Map(entries));

test("the key is the exercise's commands as the grader runs them (comments and blank lines are not run)", () => {
  expect(key([["publish", "# mine\n\ndocker run -d -p 1234:80 --name web nginx\n"]])).toBe('[["publish",["docker run -d -p 1234:80 --name web nginx"]]]');
  expect(key([["publish", "docker run -d \\\n  -p 1234:80 --name web nginx"]])).toBe('[["publish",["docker run -d \\\\\\n  -p 1234:80 --name web nginx"]]]');
});

test("answers to ids the lesson has no exercise for are never run, so not in the key; a missing answer is empty", () => {
  expect(key([["nope", "rm -rf /"]])).toBe('[["publish",[]]]');
  expect(key([])).toBe(key([["publish", "   "]]));
});

test("a different spelling is a different key (its feedback may quote it)", () => {
  expect(key([["publish", "docker run -d -p 1234:80 --name web nginx"]])).not.toBe(key([["publish", "docker run  -d -p 1234:80 --name web nginx"]]));
});

const shared = (text: string): string => sharedKey(lesson, new Map([["publish", text]]));
const REF = "docker run -d -p 1234:80 --name web nginx";

test("the shared key sees through spellings the shell and docker treat alike", () => {
  for (const same of [
    "docker  run -d -p 1234:80 --name web nginx # publish",
    "docker run -d -p 1234:80 --name 'web' nginx",
    "docker run --name web -p 1234:80 -d nginx",
    "docker run --name=web --publish=1234:80 --detach nginx",
    "docker container run -dp1234:80 --name web nginx",
    "docker run -d -p 1234:80 --name web -d nginx",
  ]) expect(shared(same), same).toBe(shared(REF));
});

test("the shared key keeps what changes the run apart", () => {
  for (const other of [
    "docker run -d -p 1234:8080 --name web nginx",
    "docker run -d -p 80:1234 --name web nginx",
    "docker run -p 1234:80 --name web nginx",
    "docker run -d -p 1234:80 --name web nginx:latest",
    "docker create -p 1234:80 --name web nginx",
    "docker run -d -p 1234:80 --name web nginx sh",
    "docker run -d -p 1234:80 --name $NAME nginx",
    "docker run -d -p 1234:80 --name \"web\" nginx",
    "docker run -d -p 1234:80 --name web nginx > /dev/null",
    "docker run -d -p 1234:80 --name web nginx &",
    "sudo docker run -d -p 1234:80 --name web nginx",
    "docker run -d -p 1234:80 --name web --help nginx",
    "docker run -d -p 99999:80 --name web nginx",
    "docker run -d -p 1234:80 --name web nginx\ndocker ps",
  ]) expect(shared(other), other).not.toBe(shared(REF));
  // Usage errors keep their text: the message quotes it.
  expect(shared("docker run -d -p 99999:80 --name web nginx")).not.toBe(shared("docker run -p 99999:80 -d --name web nginx"));
});

test("iptables: one key for one parsed rule; a host name, a usage error or another position keeps the text", () => {
  const l04 = parseLesson(readFileSync("lessons/04-egress.md", "utf8"), "lessons/04-egress.md").lesson;
  const k = (text: string): string => sharedKey(l04, new Map([["masquerade", text]]));
  const ref = k("iptables -t nat -I POSTROUTING 1 -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE");
  expect(k("iptables --table nat --insert POSTROUTING 1 ! --out-interface docker0 --source 172.17.0.0/16 --jump MASQUERADE")).toBe(ref);
  expect(k("iptables -I POSTROUTING 1 -t nat -s 172.17.0.5/16 ! -o docker0 -j MASQUERADE")).toBe(ref); // the address masked, as the kernel stores it
  for (const other of [
    "iptables -t nat -I POSTROUTING 2 -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
    "iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
    "iptables -t nat -I POSTROUTING 1 -s 172.17.0.0/16 -o docker0 -j MASQUERADE",
    "iptables-legacy -t nat -I POSTROUTING 1 -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
    "iptables -t nat -I POSTROUTING 1 -s myhost ! -o docker0 -j MASQUERADE",
  ]) expect(k(other), other).not.toBe(ref);
  // A usage error is keyed by its argv (its message quotes the words), not by a request.
  expect(k("iptables -t nat -I POSTROUTING 1 --bogus")).toContain('\\"argv\\"');
  expect(k("iptables -t nat -I POSTROUTING 1 --bogus")).not.toBe(k("iptables -I POSTROUTING 1 -t nat --bogus"));
});

test("plainData: canonical for plain data, undefined for what JSON would drop", () => {
  expect(plainData({ b: 1, a: [true, null, "x"] })).toBe(plainData({ a: [true, null, "x"], b: 1 }));
  for (const bad of [new Map([["a", 1]]), { s: new Set([1]) }, [() => 1], { d: new Date(0) }, NaN, { n: Infinity }, new Uint8Array(2)]) expect(plainData(bad)).toBeUndefined();
});
