/**
 * `cistern up --background` and `cistern down`: a detached `cistern up` writing to
 * DIR/cistern.log, found again through DIR/endpoints.json. Idempotent: a running Cistern on the
 * same data dir is reported, not started twice.
 */
import { spawn } from "node:child_process";
import { mkdirSync, openSync, closeSync, readFileSync, existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isRunning, readEndpoints } from "./endpoints.js";

// Compiled, this file is dist/src/cli/background.js; from source (tsx), src/cli/background.ts.
const BIN = fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "../../bin/cistern.js" : "../../../bin/cistern.js", import.meta.url));

export async function startInBackground(dataDirArg: string, upArgs: string[]): Promise<void> {
  const dataDir = resolve(dataDirArg);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const existing = readEndpoints(dataDir);
  if (isRunning(existing)) {
    process.stdout.write(`Cistern is already running at ${existing!.api} (pid ${existing!.pid}): source ${join(dataDir, "env")}\n`);
    return;
  }
  const logPath = join(dataDir, "cistern.log");
  const startOffset = existsSync(logPath) ? statSync(logPath).size : 0;
  const fd = openSync(logPath, "a", 0o600);
  const child = spawn(process.execPath, [BIN, ...upArgs], { detached: true, stdio: ["ignore", fd, fd], env: process.env });
  closeSync(fd);
  child.unref();
  const deadline = Date.now() + 180_000;
  for (;;) {
    const log = readFileSync(logPath, "utf8").slice(startOffset);
    const ready = /Cistern is ready at .*/.exec(log);
    if (ready) {
      process.stdout.write(`${ready[0]} (pid ${child.pid}, log ${logPath})\n`);
      return;
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`cistern up did not become ready; see ${logPath}:\n${log.split("\n").slice(-15).join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function stopBackground(dataDirArg: string): Promise<void> {
  const dataDir = resolve(dataDirArg);
  const e = readEndpoints(dataDir);
  if (!e || !isRunning(e)) {
    process.stdout.write(`Cistern is not running (data dir ${dataDir})\n`);
    return;
  }
  process.kill(e.pid, "SIGTERM");
  const deadline = Date.now() + 60_000;
  while (isRunning(e)) {
    if (Date.now() > deadline) throw new Error(`pid ${e.pid} did not stop within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stdout.write(`Cistern stopped (pid ${e.pid})\n`);
}
