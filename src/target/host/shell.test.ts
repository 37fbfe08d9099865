import { afterEach, describe, expect, it } from "vitest";
import { PersistentShell, shellQuote } from "./shell.js";
import { shellArgv } from "./contexts.js";

const shells: PersistentShell[] = [];
const bash = (): PersistentShell => {
  const s = new PersistentShell(["bash", "--noprofile", "--norc"]);
  shells.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(shells.splice(0).map((s) => s.close()));
});

describe("PersistentShell (real bash)", () => {
  it("keeps cd, exports, variables and functions across commands", async () => {
    const s = bash();
    await s.exec("cd /tmp && export A=1 && B=2 && f() { echo f$1; }", { timeoutMs: 5000 });
    expect(await s.exec('echo "$PWD $A $B $(f x)"', { timeoutMs: 5000 })).toMatchObject({ exitCode: 0, output: "/tmp 1 2 fx\n" });
  });

  it("interleaves stderr with stdout in write order and keeps exit statuses", async () => {
    const s = bash();
    const r = await s.exec("echo a; echo b >&2; echo c; ls /nonexistent-lab-path; printf 'no newline'", { timeoutMs: 5000 });
    expect(r).toMatchObject({
      exitCode: 0,
      output: "a\nb\nc\nls: cannot access '/nonexistent-lab-path': No such file or directory\nno newline",
    });
    expect((await s.exec("(exit 7)", { timeoutMs: 5000 })).exitCode).toBe(7);
  });

  it("runs here-documents and keeps stdin away from commands", async () => {
    const s = bash();
    expect((await s.exec("cat <<'EOF'\n$HOME 'q'\nEOF", { timeoutMs: 5000 })).output).toBe("$HOME 'q'\n");
    expect(await s.exec("cat; echo after", { timeoutMs: 5000 })).toMatchObject({ exitCode: 0, output: "after\n" });
  });

  it("reports a syntax error as a result, and the shell lives on", async () => {
    const s = bash();
    const r = await s.exec('echo "open', { timeoutMs: 5000 });
    expect(r.exitCode).toBe(2);
    expect(r.output).toMatch(/unexpected EOF while looking for matching `"'/);
    expect((await s.exec("echo ok", { timeoutMs: 5000 })).output).toBe("ok\n");
  });

  it("times out with 124, kills the whole process group, and restarts for the next command", async () => {
    const s = bash();
    await s.exec("export KEEP=1", { timeoutMs: 5000 });
    const dur = `29.${process.pid}`; // a unique command line to look for
    const probe = bash();
    const running = s.exec(`echo started; (sleep ${dur}; true) & sleep ${dur}`, { timeoutMs: 4000 });
    // Both sleeps run (polled: a loaded machine may take a while to start them).
    let count = "";
    for (let k = 0; k < 35 && count !== "2\n"; k++) {
      count = (await probe.exec(`pgrep -cxf 'sleep ${dur}'`, { timeoutMs: 5000 })).output;
      if (count !== "2\n") await new Promise((r) => setTimeout(r, 100));
    }
    expect(count).toBe("2\n");
    const r = await running;
    expect(r).toMatchObject({ exitCode: 124, output: "started\n", timedOut: true });
    expect(await probe.exec(`pgrep -cxf 'sleep ${dur}'`, { timeoutMs: 5000 })).toMatchObject({ exitCode: 1, output: "0\n" });
    // A fresh shell: state is gone, commands work.
    expect(await s.exec('echo "[$KEEP]"', { timeoutMs: 5000 })).toMatchObject({ exitCode: 0, output: "[]\n" });
  });

  it("cuts output at the cap and still finds the end of the command", async () => {
    const s = bash();
    const r = await s.exec("yes abcdefgh | head -c 100000; echo; echo done", { timeoutMs: 10000, maxOutputBytes: 1000 });
    expect(r.exitCode).toBe(0);
    expect(r.truncated).toBe(true);
    expect(r.output).toBe("abcdefgh\n".repeat(112).slice(0, 1000));
  });

  it("an `exit` ends the shell: its status is the result, and the next command gets a new shell", async () => {
    const s = bash();
    expect(await s.exec("echo bye; exit 3", { timeoutMs: 5000 })).toMatchObject({ exitCode: 3, output: "bye\n" });
    expect((await s.exec("echo again", { timeoutMs: 5000 })).output).toBe("again\n");
  });

  it("kill() ends a running command with 130", async () => {
    const s = bash();
    const p = s.exec("sleep 30", { timeoutMs: 60000 });
    setTimeout(() => s.kill(130), 100);
    expect(await p).toMatchObject({ exitCode: 130 });
  });
});

describe("contexts", () => {
  it("maps context names to shells", () => {
    expect(shellArgv("host")).toEqual(["bash", "--noprofile", "--norc"]);
    expect(shellArgv("web")).toEqual(["docker", "exec", "-i", "web", "sh"]);
    expect(shellArgv("pod/api")).toEqual(["kubectl", "exec", "-i", "api", "--", "sh"]);
    expect(shellArgv("pod/api:side")).toEqual(["kubectl", "exec", "-i", "api", "-c", "side", "--", "sh"]);
    expect(shellArgv("node1", { contexts: { node1: "docker exec -i kind-worker bash" } })).toEqual(["sh", "-c", "exec docker exec -i kind-worker bash"]);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe("a shell that cannot start", () => {
  it("is exit 127 with the reason, and a later command tries again", async () => {
    const s = new PersistentShell(["no-such-shell-for-lab"]);
    shells.push(s);
    expect(await s.exec("echo hi", { timeoutMs: 5000 })).toMatchObject({
      exitCode: 127,
      output: "lab: cannot start `no-such-shell-for-lab`: spawn no-such-shell-for-lab ENOENT\n",
    });
    expect((await s.exec("echo hi", { timeoutMs: 5000 })).exitCode).toBe(127);
  });
});

describe("closing a shell", () => {
  it("kills background jobs the lesson left running", async () => {
    const s = new PersistentShell(["bash", "--noprofile", "--norc"]);
    const dur = `28.${process.pid}`;
    await s.exec(`sleep ${dur} &`, { timeoutMs: 5000 });
    const probe = new PersistentShell(["bash", "--noprofile", "--norc"]);
    expect((await probe.exec(`pgrep -cxf 'sleep ${dur}'`, { timeoutMs: 5000 })).output).toBe("1\n");
    await s.close();
    expect((await probe.exec(`pgrep -cxf 'sleep ${dur}'`, { timeoutMs: 5000 })).output).toBe("0\n");
    await probe.close();
  });
});
