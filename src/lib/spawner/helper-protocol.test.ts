/**
 * The helper's wire protocol, spoken raw: its greeting, one answer per request whatever the request holds, every
 * request confirmed as accepted, and garbage ends in a "fatal" frame and exit status 2 — never a crash, never a
 * hang, never an answer to a request that was not made.
 */
import { spawn } from "node:child_process";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { FrameDecoder, encodeFrame } from "./frame.js";
import { PROTOCOL_VERSION } from "./helper-process.js";
import { buildSpawnerForTests } from "./test-support.js";

let helperPath: string;
beforeAll(() => {
  helperPath = buildSpawnerForTests();
});

interface Session {
  frames: string[][];
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Write `input` to a fresh helper, close its stdin once `expect` answers arrived (or at once), collect everything. */
function session(input: Buffer, expectAnswers: number): Promise<Session> {
  return new Promise((resolve, reject) => {
    const child = spawn(helperPath, [], { stdio: ["pipe", "pipe", "ignore"] });
    const dec = new FrameDecoder();
    const frames: string[][] = [];
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`helper hung; got ${JSON.stringify(frames)}`));
    }, 20_000);
    child.stdout.on("data", (c: Buffer) => {
      for (const f of dec.push(c)) frames.push(f.map((b) => b.toString("latin1")));
      if (frames.filter((f) => f[0] !== "0").length >= expectAnswers && expectAnswers > 0) child.stdin.end();
    });
    child.stdin.on("error", () => undefined);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ frames, code, signal });
    });
    child.stdin.write(input);
    if (expectAnswers === 0) child.stdin.end();
  });
}

// Random arities and arguments, but nothing a fuzzer could turn into a real change: programs and mount targets
// that do not exist.
const junk = fc.array(fc.string({ maxLength: 12 }), { maxLength: 8 });
const timeout = fc.oneof(fc.constant("5000"), fc.string({ maxLength: 11 }));
const requestArb = fc.oneof(
  fc.constant(["ping"]),
  fc.constant(["run", "5000", "echo", "echo", "hi"]),
  fc.tuple(fc.string({ maxLength: 8 }).filter((op) => !["run", "start", "mount", "umount"].includes(op)), junk).map(([op, rest]) => [op, ...rest]),
  fc.tuple(timeout, junk).map(([t, rest]) => ["run", t, "/nonexistent-spawner/x", ...rest]),
  fc.tuple(timeout, junk).map(([t, rest]) => ["start", t, "/nonexistent-spawner/log", "/nonexistent-spawner/x", ...rest]),
  junk.map((rest) => ["mount", "/nonexistent-spawner/target", ...rest]),
  junk.map((rest) => ["umount", "/nonexistent-spawner/target", ...rest]),
  fc.constant(["umount", "/nonexistent-spawner/target", "nofollow"]),
);

describe("cistern-spawner protocol", () => {
  it("greets with its name, protocol version and pid, and exits 0 at end of input", async () => {
    const s = await session(Buffer.alloc(0), 0);
    expect(s.frames).toHaveLength(1);
    expect(s.frames[0].slice(0, 4)).toEqual(["0", "hello", "cistern-spawner", PROTOCOL_VERSION]);
    expect(Number(s.frames[0][4])).toBeGreaterThan(1);
    expect([s.code, s.signal]).toEqual([0, null]);
  });

  it("answers every well-formed request exactly once, with its id, whatever the operation and arguments", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requestArb, { minLength: 1, maxLength: 8 }), async (reqs) => {
        const input = Buffer.concat(reqs.map((r, i) => encodeFrame([String(i + 1), ...r])));
        const s = await session(input, reqs.length);
        const answers = s.frames.filter((f) => f[0] !== "0");
        expect(answers.map((a) => Number(a[0])).sort((a, b) => a - b)).toEqual(reqs.map((_, i) => i + 1));
        for (const a of answers) expect(["ok", "exit", "error", "timeout", "started"]).toContain(a[1]);
        const accepted = s.frames.filter((f) => f[0] === "0" && f[1] === "accepted").map((f) => Number(f[2]));
        expect(Math.max(...accepted)).toBe(reqs.length);
        expect(s.signal).toBeNull();
      }),
      { numRuns: 40 },
    );
  });

  it("ends garbage with a fatal frame and status 2, and never answers what was not asked", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (bytes) => {
        const garbage = Buffer.from(bytes);
        const s = await session(Buffer.concat([garbage, encodeFrame(["77", "ping"])]), 0);
        expect(s.signal).toBeNull();
        for (const f of s.frames.slice(1)) expect(f[0] === "0" ? f[1] : "answer").toMatch(/^(fatal|accepted|answer)$/);
        if (s.code === 2) expect(s.frames[s.frames.length - 1][1]).toBe("fatal");
        else expect(s.code).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it("refuses an oversized frame and a request without a numeric id", async () => {
    const big = Buffer.alloc(4);
    big.writeUInt32LE((1 << 20) + 1);
    expect(await session(big, 0)).toMatchObject({ code: 2, frames: [expect.anything(), ["0", "fatal", "request frame too large"]] });
    const noId = await session(encodeFrame(["abc", "ping"]), 0);
    expect(noId.code).toBe(2);
    expect(noId.frames[1][1]).toBe("fatal");
  });
});
