/**
 * Interpreter semantics. Expected outputs were recorded from GNU bash 5.2.15 on this machine
 * (`bash -c 'CMD' 2>&1`), byte for byte, unless a comment says otherwise.
 */
import { describe, expect, test } from "vitest";
import { fakeSession } from "./test-fakes.js";

async function run(cmd: string, opts: Parameters<typeof fakeSession>[0] = {}) {
  const { session } = fakeSession(opts);
  return session.exec(cmd);
}

describe("output order", () => {
  test("stdout and stderr interleave in write order", async () => {
    const r = await run("echo a; echo b >&2; echo c; cat /nope; echo d");
    expect(r.output).toBe("a\nb\nc\ncat: /nope: No such file or directory\nd\n");
    expect(r.exitCode).toBe(0);
  });
  test("group with 2>&1 into a pipe keeps order", async () => {
    const r = await run("{ echo 1; echo 2 >&2; echo 3; } 2>&1 | cat -n");
    expect(r.output).toBe("     1\t1\n     2\t2\n     3\t3\n");
  });
  test("2>&1 >f sends only stdout to the file", async () => {
    const r = await run("{ echo out; echo err >&2; } 2>&1 >/tmp/f; echo ---; cat /tmp/f");
    expect(r.output).toBe("err\n---\nout\n");
  });
});

describe("basics", () => {
  test("pipelines, && || ; and !", async () => {
    const r = await run("true && echo yes || echo no; false && echo yes || echo no; ! false; echo $?; echo hi | grep -c h");
    expect(r.output).toBe("yes\nno\n0\n1\n");
  });
  test("variables, defaults, $? and prefix assignments", async () => {
    const r = await run('A=1; echo $A ${B:-def} "${A}x" ${#A}; B= ; echo "[${B:-e}] [${B-u}]"; X=5 env | grep ^X=; echo "[$X]"');
    expect(r.output).toBe("1 def 1x 1\n[e] []\nX=5\n[]\n");
  });
  test("word splitting and quoting", async () => {
    const r = await run(`V="a  b   c"; for w in $V; do echo "<$w>"; done; echo "$V"; echo '$V' "\\$V"`);
    expect(r.output).toBe("<a>\n<b>\n<c>\na  b   c\n$V $V\n");
  });
  test("command substitution strips trailing newlines", async () => {
    const r = await run('X=$(printf "a\\n\\n\\n"); echo "[$X]"; echo `echo back`');
    expect(r.output).toBe("[a]\nback\n");
  });
  test("here-documents: unquoted expands, quoted does not, <<- strips tabs", async () => {
    const r = await run("N=7\ncat <<EOF\nn=$N\nEOF\ncat <<'EOF'\nn=$N\nEOF\ncat <<-EOF\n\t\tx $N\n\tEOF\n");
    expect(r.output).toBe("n=7\nn=$N\nx 7\n");
  });
  test("if / for / while / case / functions", async () => {
    const r = await run(
      'f() { local x=$1; echo "f:$x:$#"; return 3; }\nf a b; echo $?\nfor i in 1 2 3; do if [ $i -eq 2 ]; then continue; fi; echo $i; done\n' +
        'n=0; while [ $n -lt 3 ]; do n=$((n+1)); done; echo $n\ncase eth0 in lo) echo L;; eth*) echo E;; esac',
    );
    expect(r.output).toBe("f:a:2\n3\n1\n3\n3\nE\n");
  });
  test("globbing on the VFS", async () => {
    const r = await run("cd /etc; echo host*; echo /etc/h*s; echo nomatch*");
    expect(r.output).toBe("hostname hosts\n/etc/hosts\nnomatch*\n");
  });
});

describe("persistence across exec", () => {
  test("cd, variables, exports and functions survive", async () => {
    const { session } = fakeSession();
    await session.exec("cd /tmp; X=1; export Y=2; f() { echo fn $1; }");
    const r = await session.exec('pwd; echo $X; env | grep ^Y=; f ok; false');
    expect(r.output).toBe("/tmp\n1\nY=2\nfn ok\n");
    const r2 = await session.exec("echo $?");
    expect(r2.output).toBe("1\n");
  });
});

describe("errors", () => {
  test("unknown command in bash -c's words, with the line", async () => {
    expect((await run("nosuchcmd")).output).toBe("bash: line 1: nosuchcmd: command not found\n");
    const r = await run("true\nnosuchcmd");
    expect(r.output).toBe("bash: line 2: nosuchcmd: command not found\n");
    expect(r.exitCode).toBe(127);
  });
  test("busybox ash words in ash contexts", async () => {
    const r = await run("nosuchcmd", { ctx: { shell: "ash" } });
    expect(r.output).toBe("sh: nosuchcmd: not found\n");
  });
  test("a real program the simulator lacks gets the lab message", async () => {
    const r = await run("tcpdump -i eth0");
    expect(r.exitCode).toBe(127);
    expect(r.output).toMatch(/^lab: tcpdump: not available in the simulator \(available: \[, awk, .*cat, .*\)\n$/);
  });
  test("redirection failures", async () => {
    const r = await run("echo x > /nope/f; cd /nope; echo $?");
    expect(r.output).toBe("bash: line 1: /nope/f: No such file or directory\nbash: line 1: cd: /nope: No such file or directory\n1\n");
  });
  test("syntax errors exit 2 with bash -c's words", async () => {
    const r = await run("}");
    expect(r).toMatchObject({ exitCode: 2, output: "bash: -c: line 1: syntax error near unexpected token `}'\nbash: -c: line 1: `}'\n" });
  });
});

describe("limits", () => {
  test("an infinite loop ends with a message and 124", async () => {
    const r = await run("while true; do :; done", { limits: { maxLoopIterations: 1000 } });
    expect(r.exitCode).toBe(124);
    expect(r.output).toBe("lab: stopped after 1000 loop iterations (the simulator's limit per exec; a real shell would still be running)\n");
  });
  test("sleep runs in virtual time; the timeout ends it with 124", async () => {
    const { session } = fakeSession();
    const r = await session.exec("sleep 3600; echo done");
    expect(r).toEqual({ exitCode: 0, output: "done\n", durationMs: 3_600_000 });
    const t = await session.exec("echo before; sleep 10; echo after", { timeoutMs: 5000 });
    expect(t).toEqual({ exitCode: 124, output: "before\n", durationMs: 5000, timedOut: true });
  });
  test("output is capped and marked truncated", async () => {
    const { session } = fakeSession();
    const r = await session.exec("for i in 1 2 3 4 5; do echo 123456789; done", { maxOutputBytes: 25 });
    expect(r.output).toBe("123456789\n123456789\n12345");
    expect(r.truncated).toBe(true);
  });
});

describe("files under /sys and /proc", () => {
  test("/sys/class/net attributes", async () => {
    const r = await run("cat /sys/class/net/eth0/iflink /sys/class/net/eth0/ifindex /sys/class/net/lo/flags /sys/class/net/lo/type; ls /sys/class/net");
    expect(r.output).toBe("8\n7\n0x9\n772\neth0\neth1\nlo\n");
  });
  test("carrier of a down link is EINVAL; sysfs is read-only", async () => {
    const r = await run("cat /sys/class/net/eth1/carrier; echo 1 > /sys/class/net/eth0/mtu");
    expect(r.output).toBe("cat: /sys/class/net/eth1/carrier: Invalid argument\nbash: line 1: /sys/class/net/eth0/mtu: Permission denied\n");
  });
  test("writing /proc/sys/net sets the sysctl", async () => {
    const r = await run("cat /proc/sys/net/ipv4/ip_forward; echo 1 > /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ip_forward");
    expect(r.output).toBe("0\n1\n");
  });
});

describe("syntax errors on a later line", () => {
  test("lines before the bad one run, then exit 2", async () => {
    const r = await run("echo a\n}\necho b");
    expect(r).toMatchObject({ exitCode: 2, output: "a\nbash: -c: line 2: syntax error near unexpected token `}'\nbash: -c: line 2: `}'\n" });
    const r2 = await run("echo a; }");
    expect(r2).toMatchObject({ exitCode: 2, output: "bash: -c: line 1: syntax error near unexpected token `}'\nbash: -c: line 1: `echo a; }'\n" });
  });
});

describe("date, uname, timeout in virtual time", () => {
  test("date follows the virtual clock (epoch 2026-01-01 UTC)", async () => {
    const { session } = fakeSession();
    const r = await session.exec("date; sleep 3661; date -u +%Y-%m-%dT%H:%M:%S; date +%s; date -d @0");
    expect(r.output).toBe("Thu Jan  1 00:00:00 UTC 2026\n2026-01-01T01:01:01\n1767229261\nThu Jan  1 00:00:00 UTC 1970\n");
  });
  test("uname -a names the context's host", async () => {
    expect((await run("uname -a")).output).toBe("Linux host 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64 GNU/Linux\n");
  });
  test("timeout cuts a command in virtual time without ending the exec", async () => {
    const { session } = fakeSession();
    const r = await session.exec("timeout 5 sleep 100; echo $?; timeout 5 sh -c 'sleep 1; echo inner'; echo $?");
    expect(r).toEqual({ exitCode: 0, output: "124\ninner\n0\n", durationMs: 6000 });
  });
});

describe("background processes", () => {
  test("a background sleep waits for virtual time; a foreground sleep moves it", async () => {
    const { session, world, ctx } = fakeSession();
    let out = "";
    let status: number | undefined;
    void world.spawn(ctx, { script: "echo start; sleep 5; echo woke", background: true }, { write: (_fd, t) => void (out += t) }).then((c) => (status = c));
    await new Promise((r) => setTimeout(r, 10));
    expect(out).toBe("start\n");
    expect(status).toBeUndefined();
    expect(world.clock.now()).toBe(0);
    const r = await session.exec("sleep 10; echo fg");
    await new Promise((r2) => setTimeout(r2, 10));
    expect(r.output).toBe("fg\n");
    // It resumes once the foreground sleep has moved time past 5 s (it then sees time 10 s: a
    // background process runs again only when the foreground yields; docs/shell.md).
    expect(out).toBe("start\nwoke\n");
    expect(status).toBe(0);
  });
});

describe("jobs with &", () => {
  test("a background job does not hold the shell; its sleep waits for virtual time", async () => {
    const { session, world } = fakeSession();
    const r = await session.exec("(sleep 100; echo late) & echo now; echo pid=$!");
    expect(r).toEqual({ exitCode: 0, output: "now\npid=4243\n", durationMs: 0 });
    expect(world.clock.now()).toBe(0);
  });
});

describe("busybox ash words (recorded with busybox 1.35.0 sh reading stdin)", () => {
  test("cd, missing command, redirection, division by zero", async () => {
    const r = await run("cd /nope\nnosuch\necho > /nope/x\ntrue\ncd /nope\necho $((1/0)); echo after", { ctx: { shell: "ash" } });
    expect(r.output).toBe(
      "sh: cd: line 1: can't cd to /nope: No such file or directory\nsh: nosuch: not found\nsh: can't create /nope/x: nonexistent directory\n" +
        "sh: cd: line 5: can't cd to /nope: No such file or directory\nsh: divide by zero\n",
    );
    expect(r.exitCode).toBe(2);
  });
});
