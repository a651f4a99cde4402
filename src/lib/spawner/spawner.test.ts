/**
 * The spawner's calls behave the same through the helper and directly: results, errors, detached starts. Every
 * behaviour is run both ways; helper-only behaviour (it really does the forking, restarts, fallbacks) is below.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../log.js";
import { SpawnError } from "./errors.js";
import { Spawner } from "./spawner.js";
import { alive, buildSpawnerForTests, procStat } from "./test-support.js";

const log = createLogger("spawner-test");
let helperPath: string;
let dir: string;
const started: number[] = [];

beforeAll(() => {
  helperPath = buildSpawnerForTests();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "spawner-test-"));
});
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

const node = process.execPath;
/** A program that writes `said` on fd 3, closes it, writes to stderr and keeps running. */
const detachedScript = (said: string) => `const fs=require("fs");fs.writeSync(3,${JSON.stringify(said)});fs.closeSync(3);process.stderr.write("to the log\\n");setTimeout(()=>{},60000)`;

async function failure(p: Promise<unknown>): Promise<SpawnError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SpawnError);
  return e as SpawnError;
}

for (const mode of ["helper", "direct"] as const) {
  describe(`spawner (${mode})`, () => {
    let sp: Spawner;
    beforeAll(() => {
      sp = new Spawner({ helperPath: mode === "helper" ? helperPath : undefined, log });
    });
    afterAll(() => sp.close());
    afterEach(() => expect(mode === "helper" ? sp.stats.directCalls : sp.stats.helperCalls).toBe(0));

    it("runs a program and returns its output; bare names are found in PATH", async () => {
      expect(await sp.run("echo", ["a b", "c"])).toEqual({ stdout: "a b c\n", stderr: "" });
      expect(await sp.run(node, ["-e", "process.stderr.write('e')"])).toEqual({ stdout: "", stderr: "e" });
    });

    it("rejects a non-zero exit with the code and both outputs, a signal with its name", async () => {
      const e = await failure(sp.run(node, ["-e", "process.stdout.write('o');process.stderr.write('bad');process.exit(3)"]));
      expect(e).toMatchObject({ failure: "exit", code: 3, stdout: "o", stderr: "bad" });
      expect(e.message).toContain("bad");
      const k = await failure(sp.run(node, ["-e", "process.kill(process.pid,'SIGTERM')"]));
      expect(k).toMatchObject({ failure: "exit", signal: "SIGTERM" });
    });

    it("reports a missing or non-executable program as a start failure and never runs a script through a shell", async () => {
      expect(await failure(sp.run(path.join(dir, "missing"), []))).toMatchObject({ failure: "start", code: "ENOENT" });
      const plain = path.join(dir, `plain-${mode}`);
      fs.writeFileSync(plain, "x", { mode: 0o644 });
      expect(await failure(sp.run(plain, []))).toMatchObject({ failure: "start", code: "EACCES" });
      // No "#!": execve says ENOEXEC; execvp would have handed it to /bin/sh, which would create the marker.
      const script = path.join(dir, `script-${mode}`);
      const marker = path.join(dir, `marker-${mode}`);
      fs.writeFileSync(script, `touch ${marker}\n`, { mode: 0o755 });
      const e = await failure(sp.run(script, []));
      expect(e.failure).toBe("start");
      expect(fs.existsSync(marker)).toBe(false);
    });

    it("refuses shells and NUL bytes before anything runs", async () => {
      for (const [file, args] of [["/bin/sh", ["-c", "true"]], ["bash", []], ["/usr/bin/busybox", ["sh", "-c", "true"]]] as const) {
        expect(await failure(sp.run(file, [...args]))).toMatchObject({ failure: "refused" });
      }
      expect(await failure(sp.run("echo", ["a\0b"]))).toMatchObject({ failure: "refused" });
      expect(await sp.run("/bin/busybox", ["true"])).toEqual({ stdout: "", stderr: "" });
    });

    it("kills a program at its deadline", async () => {
      const e = await failure(sp.run("sleep", ["30"], { timeoutMs: 200 }));
      expect(e).toMatchObject({ failure: "timeout", killed: true });
    });

    it("kills a program whose output exceeds 8 MiB", async () => {
      const e = await failure(sp.run("head", ["-c", String(9 << 20), "/dev/zero"]));
      expect(e.failure).toBe("overflow");
    });

    it("answers many concurrent calls each with its own result", async () => {
      const out = await Promise.all(Array.from({ length: 40 }, (_, i) => sp.run("echo", [String(i)])));
      expect(out.map((r) => r.stdout)).toEqual(Array.from({ length: 40 }, (_, i) => `${i}\n`));
    });

    it("starts a detached program in its own session, returns what it said on fd 3 and appends its stderr to the log", async () => {
      const logFile = path.join(dir, `detached-${mode}.log`);
      fs.writeFileSync(logFile, "before\n");
      const r = await sp.startDetached({ file: node, args: ["-e", detachedScript("ok 42\n")], stderrPath: logFile, timeoutMs: 30_000 });
      started.push(r.pid);
      expect(r).toMatchObject({ text: "ok 42\n", timedOut: false });
      const [state, , pgrp, session] = procStat(r.pid);
      expect(state).not.toBe("Z");
      expect([Number(pgrp), Number(session)]).toEqual([r.pid, r.pid]);
      await expect.poll(() => fs.readFileSync(logFile, "utf8")).toBe("before\nto the log\n");
      expect(fs.statSync(logFile).mode & 0o777).toBe(0o644); // an existing log keeps its mode
      process.kill(-r.pid, "SIGKILL");
    });

    it("does not follow a symlink as the log, and kills a program that does not answer in time", async () => {
      const link = path.join(dir, `link-${mode}.log`);
      fs.symlinkSync(path.join(dir, "elsewhere"), link);
      const e = await failure(sp.startDetached({ file: node, args: ["-e", detachedScript("x")], stderrPath: link, timeoutMs: 30_000 }));
      expect(String(e.code ?? e.message)).toMatch(/ELOOP/);
      expect(fs.existsSync(path.join(dir, "elsewhere"))).toBe(false);
      const silent = await sp.startDetached({ file: node, args: ["-e", "setTimeout(()=>{},60000)"], stderrPath: path.join(dir, `silent-${mode}.log`), timeoutMs: 300 });
      expect(silent.timedOut).toBe(true);
      await expect.poll(() => alive(silent.pid)).toBe(false);
    });
  });
}

describe("spawner helper", () => {
  it("forks in the helper, not in this process", async () => {
    const sp = new Spawner({ helperPath: buildSpawnerForTests(), log });
    try {
      const { stdout } = await sp.run("cat", ["/proc/self/stat"]);
      const ppid = Number(stdout.slice(stdout.lastIndexOf(")") + 2).split(" ")[1]);
      expect(ppid).toBe(sp.helperPid);
      expect(ppid).not.toBe(process.pid);
    } finally {
      sp.close();
    }
  });

  it("detached programs outlive the helper; a call in flight when it dies fails, the next starts a new helper", async () => {
    const sp = new Spawner({ helperPath, log });
    try {
      const d = await sp.startDetached({ file: node, args: ["-e", detachedScript("ok\n")], stderrPath: path.join(dir, "outlive.log"), timeoutMs: 30_000 });
      started.push(d.pid);
      const first = sp.helperPid!;
      const inFlight = sp.run("sleep", ["30"]);
      // Taken by the helper (its sleep child exists): from now on it may have run, so it must not be sent again.
      const sleeping = () =>
        fs
          .readFileSync(`/proc/${first}/task/${first}/children`, "utf8")
          .trim()
          .split(/\s+/)
          .filter((pid) => pid && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("sleep\0"));
      await expect.poll(() => sleeping().length).toBe(1);
      process.kill(first, "SIGKILL");
      expect(await failure(inFlight)).toMatchObject({ failure: "helper-lost" });
      expect(alive(d.pid)).toBe(true);
      expect((await sp.run("echo", ["again"])).stdout).toBe("again\n");
      expect(sp.helperPid).not.toBe(first);
      expect(sp.stats).toMatchObject({ helperStarts: 2, helperDeaths: 1, directCalls: 0 });
      process.kill(-d.pid, "SIGKILL");
    } finally {
      sp.close();
    }
  });

  it("a request the dead helper never took is sent to a new one and succeeds", async () => {
    const sp = new Spawner({ helperPath, log });
    try {
      await sp.run("true", []);
      // SIGKILL before the request is written: the helper cannot read it, so it was not accepted.
      process.kill(sp.helperPid!, "SIGKILL");
      expect((await sp.run("echo", ["after"])).stdout).toBe("after\n");
      expect(sp.stats).toMatchObject({ helperStarts: 2, helperDeaths: 1, directCalls: 0 });
    } finally {
      sp.close();
    }
  });

  it("works directly when the helper is missing, speaks another protocol, or keeps dying", async () => {
    const missing = new Spawner({ helperPath: path.join(dir, "no-such-helper"), log });
    expect((await missing.run("echo", ["x"])).stdout).toBe("x\n");
    expect(missing.stats).toMatchObject({ helperCalls: 0, directCalls: 1 });
    expect(missing.mode).toBe("direct"); // a helper that cannot start is not tried again on every call
    missing.close();

    const impostor = path.join(dir, "impostor");
    fs.writeFileSync(
      impostor,
      `#!${node}\nconst f=(s)=>{const b=Buffer.from(s);const h=Buffer.alloc(4);h.writeUInt32LE(b.length);return Buffer.concat([h,b])};` +
        `const body=Buffer.concat(["0","hello","cistern-spawner","999","1"].map(f));const h=Buffer.alloc(4);h.writeUInt32LE(body.length);process.stdout.write(Buffer.concat([h,body]));setTimeout(()=>{},60000)\n`,
      { mode: 0o755 },
    );
    const other = new Spawner({ helperPath: impostor, log, maxCrashes: 1 });
    expect((await other.run("echo", ["y"])).stdout).toBe("y\n");
    expect(other.stats).toMatchObject({ helperStarts: 0, directCalls: 1 });
    expect(other.mode).toBe("direct");
    other.close();

    const flaky = new Spawner({ helperPath, log, maxCrashes: 2, cooldownMs: 60_000 });
    for (let i = 0; i < 2; i++) {
      await flaky.run("true", []);
      process.kill(flaky.helperPid!, "SIGKILL");
      await expect.poll(() => flaky.stats.helperDeaths).toBe(i + 1);
    }
    expect(flaky.mode).toBe("direct");
    expect((await flaky.run("echo", ["z"])).stdout).toBe("z\n");
    expect(flaky.stats).toMatchObject({ helperStarts: 2, directCalls: 1 });
    flaky.close();
  });
});
