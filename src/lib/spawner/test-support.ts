/**
 * Test support (not exported from index.ts): compiles native/spawner into a temp file keyed by its sources' hash, so
 * tests never depend on a prior `npm run build` (nor run a stale helper).
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export function buildSpawnerForTests(): string {
  const dir = path.join(repoRoot, "native", "spawner");
  const spec = JSON.parse(fs.readFileSync(path.join(dir, "build.json"), "utf8")) as { sources: string[]; headers?: string[]; cflags?: string[] };
  const hash = crypto.createHash("sha256");
  for (const f of [...spec.sources, ...(spec.headers ?? []), "build.json"]) hash.update(fs.readFileSync(path.join(dir, f)));
  const out = path.join(os.tmpdir(), `cistern-spawner-test-${hash.digest("hex").slice(0, 16)}`);
  if (fs.existsSync(out)) return out;
  const tmp = `${out}.${process.pid}`;
  execFileSync(process.env.CC || "cc", ["-O2", "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE", ...(spec.cflags ?? []), "-o", tmp, ...spec.sources.map((s) => path.join(dir, s))]);
  fs.renameSync(tmp, out);
  return out;
}

/** The fields of /proc/<pid>/stat after the command name: [state, ppid, pgrp, session, …]. */
export function procStat(pid: number): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

export function alive(pid: number): boolean {
  try {
    return procStat(pid)[0] !== "Z";
  } catch {
    return false;
  }
}
