/**
 * Test fixture (not exported from index.ts): a temporary tree with a volume-like root and, beside it, an "outside"
 * directory of sentinel files that no safe-path operation may ever read, write, create in or delete.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const SENTINEL = "SENTINEL-must-never-be-read";

export interface Fixture {
  base: string;
  root: string;
  outside: string;
  /** Snapshot of everything under `outside` (path -> content or "<dir>"). */
  snapshotOutside(): Map<string, string>;
  /** Throws if anything under `outside` changed since the fixture was made. */
  assertOutsideUntouched(): void;
  cleanup(): void;
}

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        out.set(p, "<dir>");
        walk(p);
      } else if (e.isSymbolicLink()) out.set(p, `<link ${fs.readlinkSync(p)}>`);
      else out.set(p, fs.readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

export function makeFixture(prefix = "safe-path-"): Fixture {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const root = path.join(base, "root");
  const outside = path.join(base, "outside");
  fs.mkdirSync(root);
  fs.mkdirSync(path.join(outside, "dir", "sub"), { recursive: true });
  fs.writeFileSync(path.join(outside, "secret"), SENTINEL);
  fs.writeFileSync(path.join(outside, "dir", "secret"), SENTINEL);
  fs.writeFileSync(path.join(outside, "dir", "sub", "secret"), SENTINEL);
  const before = snapshot(outside);
  return {
    base,
    root,
    outside,
    snapshotOutside: () => snapshot(outside),
    assertOutsideUntouched() {
      const now = snapshot(outside);
      const diff: string[] = [];
      for (const [k, v] of before) if (now.get(k) !== v) diff.push(`changed or deleted: ${k}`);
      for (const k of now.keys()) if (!before.has(k)) diff.push(`created: ${k}`);
      if (diff.length) throw new Error(`outside of the root was touched:\n${diff.join("\n")}`);
    },
    cleanup() {
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * An attacker thread that keeps swapping `<root>/<name>` between a real directory (`<root>/.real`) and a symlink
 * (`<root>/.link` -> linkTarget) with plain renames, the way a container with a writable volume would.
 */
export interface Swapper {
  /** The real directory, open (its name keeps changing, so use childPath(realFd, ...)). Closed by stop(). */
  realFd: number;
  stop(): Promise<number>;
}

const swapperSource = `
const { workerData, parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const { root, name, flag } = workerData;
const stop = new Int32Array(flag);
const a = root + "/" + name, real = root + "/.real", link = root + "/.link";
let swaps = 0;
parentPort.postMessage("started");
while (Atomics.load(stop, 0) === 0) {
  try { fs.renameSync(real, a); } catch {}
  try { fs.renameSync(a, real); } catch {}
  try { fs.renameSync(link, a); } catch {}
  try { fs.renameSync(a, link); } catch {}
  swaps++;
}
parentPort.postMessage(swaps);
`;

export async function startSwapper(root: string, name: string, linkTarget: string): Promise<Swapper> {
  const { Worker } = await import("node:worker_threads");
  const realDir = path.join(root, ".real");
  fs.mkdirSync(realDir, { recursive: true });
  fs.symlinkSync(linkTarget, path.join(root, ".link"));
  const realFd = fs.openSync(realDir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(swapperSource, { eval: true, workerData: { root, name, flag } });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  return {
    realFd,
    stop: () =>
      new Promise<number>((resolve, reject) => {
        worker.once("message", (n: number) => {
          void worker.terminate();
          fs.closeSync(realFd);
          resolve(n);
        });
        worker.once("error", reject);
        Atomics.store(new Int32Array(flag), 0, 1);
      }),
  };
}
