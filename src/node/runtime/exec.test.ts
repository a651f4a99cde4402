import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRuntimeError } from "./errors.js";
import type { ExecProcess } from "./exec.js";
import { eventually, makeTestRuntime, podSpec, readAll, type TestRuntime } from "./test-support.js";

let t: TestRuntime;
let id: string;
beforeAll(async () => {
  t = await makeTestRuntime("runtime-exec-");
  id = await t.rt.runContainer(
    podSpec({ command: ["sleep", "1000"], env: [{ name: "FOO", value: "bar" }], workingDir: "/tmp", securityContext: { runAsUser: 1000, runAsGroup: 1000 } }),
  );
});
afterAll(async () => {
  await t?.cleanup();
});

async function collect(p: ExecProcess): Promise<{ out: string; err: string; code: number }> {
  const [out, err, code] = await Promise.all([readAll(p.stdout), readAll(p.stderr), p.exitCode]);
  return { out, err, code };
}

describe("exec", () => {
  it("runs a process with separate stdout/stderr and returns its exit code", async () => {
    const r = await collect(await t.rt.exec(id, { argv: ["sh", "-c", "echo out; echo err >&2; exit 7"] }));
    expect(r).toEqual({ out: "out\n", err: "err\n", code: 7 });
  });

  it("inherits the container's user, environment and working directory, and sees its pid namespace", async () => {
    const r = await collect(await t.rt.exec(id, { argv: ["sh", "-c", "echo $FOO $(pwd) $(id -u):$(id -g) $HOSTNAME; cat /proc/1/cmdline | tr '\\0' ' '"] }));
    expect(r.code).toBe(0);
    const [first, second] = r.out.split("\n");
    expect(first).toMatch(/^bar \/tmp 1000:1000 pod-\d+$/);
    expect(second.trim()).toBe("sleep 1000");
    const withEnv = await collect(await t.rt.exec(id, { argv: ["sh", "-c", "echo $FOO-$EXTRA"], env: [{ name: "EXTRA", value: "x" }], cwd: "/" }));
    expect(withEnv.out).toBe("bar-x\n");
  });

  it("feeds stdin", async () => {
    const p = await t.rt.exec(id, { argv: ["sh", "-c", "tr a-z A-Z; echo done"], stdin: true });
    p.stdin!.write("first\nsecond\n");
    p.stdin!.end();
    expect(await collect(p)).toEqual({ out: "FIRST\nSECOND\ndone\n", err: "", code: 0 });
  });

  it("reports a process killed by a signal as 128+signal", async () => {
    const r = await collect(await t.rt.exec(id, { argv: ["sh", "-c", "kill -9 $$"] }));
    expect(r.code).toBe(137);
  });

  it("gives a tty with the requested size, applies resizes, and returns the exit code", async () => {
    const p = await t.rt.exec(id, { argv: ["sh"], tty: true, stdin: true, cols: 100, rows: 40 });
    let out = "";
    p.stdout.on("data", (c: Buffer) => (out += c.toString()));
    p.stdin!.write("tty; stty size\n");
    expect(await eventually(() => /40 100/.test(out))).toBe(true);
    expect(out).toMatch(/\/dev\/pts\/\d+/);
    p.resize(120, 50);
    p.stdin!.write("stty size\n");
    expect(await eventually(() => /50 120/.test(out))).toBe(true);
    p.stdin!.write("exit 3\n");
    expect(await p.exitCode).toBe(3);
  });

  it("a tty exec of a one-shot command delivers all output", async () => {
    const p = await t.rt.exec(id, { argv: ["sh", "-c", "echo one; echo two; exit 5"], tty: true });
    const r = await collect(p);
    expect(r.code).toBe(5);
    expect(r.out.replace(/\r/g, "")).toBe("one\ntwo\n");
  });

  it("refuses exec into a container that is not running", async () => {
    const done = await t.rt.runContainer(podSpec({ command: ["true"] }));
    await t.rt.waitContainer(done);
    const err = await t.rt.exec(done, { argv: ["true"] }).catch((e: unknown) => e);
    expect(isRuntimeError(err, "NotRunning")).toBe(true);
    const bad = await t.rt.exec(id, { argv: [] }).catch((e: unknown) => e);
    expect(isRuntimeError(bad, "InvalidSpec")).toBe(true);
  });
});
