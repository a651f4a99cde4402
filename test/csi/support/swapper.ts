/**
 * Test support: an attacker thread that keeps swapping `<dir>/<name>` between a real directory and a
 * symlink out of the publish root with plain renames (what someone who can write in a pod's
 * directory could do), and that can be paused in a known state between attempts.
 *
 * While paused, `<dir>/<name>` is the real directory again, unless the driver created a fresh
 * directory under that name while it was vacant (mkdir -p of a missing parent, legitimately): then
 * `stuck` is true and the real one is still at `<dir>/.real`.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

const RUN = 0;
const PAUSE = 1;
const STOP = 2;

const source = `
const { workerData, parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const { dir, name, shared } = workerData;
const ctl = new Int32Array(shared);
const a = dir + "/" + name, real = dir + "/.real", link = dir + "/.link";
const tryDo = (f) => { try { f(); } catch {} };
const isLink = (p) => { try { return fs.lstatSync(p).isSymbolicLink(); } catch { return false; } };
const exists = (p) => { try { fs.lstatSync(p); return true; } catch { return false; } };
let swaps = 0;
parentPort.postMessage("started");
for (;;) {
  const cmd = Atomics.load(ctl, 0);
  if (cmd === ${STOP}) break;
  if (cmd === ${PAUSE}) {
    if (isLink(a)) tryDo(() => fs.renameSync(a, link));
    if (!exists(a) && exists(real)) tryDo(() => fs.renameSync(real, a));
    Atomics.store(ctl, 1, exists(real) ? 2 : 1);
    Atomics.notify(ctl, 1);
    Atomics.wait(ctl, 0, ${PAUSE});
    Atomics.store(ctl, 1, 0);
    continue;
  }
  tryDo(() => fs.renameSync(a, real));
  tryDo(() => fs.renameSync(link, a));
  tryDo(() => fs.renameSync(a, link));
  tryDo(() => fs.renameSync(real, a));
  swaps++;
}
parentPort.postMessage(swaps);
`;

export interface Swapper {
  /** Stop swapping and wait until `<dir>/<name>` is back in a known state; true when it is stuck (see above). */
  pause(): boolean;
  resume(): void;
  /** Stop the thread; resolves with the number of swap rounds it made. */
  stop(): Promise<number>;
}

/** `<dir>/<name>` must be an existing directory; `<dir>/.link` -> linkTarget is created here. */
export async function startSwapper(dir: string, name: string, linkTarget: string): Promise<Swapper> {
  fs.symlinkSync(linkTarget, join(dir, ".link"));
  const shared = new SharedArrayBuffer(8);
  const ctl = new Int32Array(shared);
  const worker = new Worker(source, { eval: true, workerData: { dir, name, shared } });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
  });
  return {
    pause() {
      Atomics.store(ctl, 0, PAUSE);
      // The worker answers within one swap round; the bound only keeps a broken worker from hanging the suite.
      for (let i = 0; i < 100 && Atomics.load(ctl, 1) === 0; i++) Atomics.wait(ctl, 1, 0, 100);
      const ack = Atomics.load(ctl, 1);
      if (ack === 0) throw new Error("the swapper did not pause");
      return ack === 2;
    },
    resume() {
      Atomics.store(ctl, 0, RUN);
      Atomics.notify(ctl, 0);
    },
    stop: () =>
      new Promise<number>((resolve, reject) => {
        worker.once("message", (n: number) => {
          void worker.terminate();
          resolve(n);
        });
        worker.once("error", reject);
        Atomics.store(ctl, 0, STOP);
        Atomics.notify(ctl, 0);
      }),
  };
}
