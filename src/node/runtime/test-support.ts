/**
 * Test support (not exported from index.ts): compiles native/shim and native/spawner into a temp dir (tests do not
 * depend on a prior `npm run build`), points the process-wide spawner at that helper (or at direct spawning), makes
 * a runtime over a fresh rootDir, and at the end removes every container and checks that no mount is left under the
 * rootDir. These tests need root, runc and overlayfs; they fail (never skip) without them.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import { createLogger } from "../../lib/log.js";
import { mountsAtOrBelow } from "../../lib/safe-path/index.js";
import { configureSpawner, type Spawner } from "../../lib/spawner/index.js";
import { buildSpawnerForTests } from "../../lib/spawner/test-support.js";
import type { ContainerSpec } from "./container-spec.js";
import { createRuntime, type Runtime } from "./runtime.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export function buildShimForTests(): string {
  const dir = path.join(repoRoot, "native", "shim");
  const spec = JSON.parse(fs.readFileSync(path.join(dir, "build.json"), "utf8")) as { output: string; sources: string[]; headers?: string[]; cflags?: string[] };
  const hash = crypto.createHash("sha256");
  for (const f of [...spec.sources, ...(spec.headers ?? []), "build.json"]) hash.update(fs.readFileSync(path.join(dir, f)));
  const out = path.join(os.tmpdir(), `cistern-shim-test-${hash.digest("hex").slice(0, 16)}`);
  if (fs.existsSync(out)) return out;
  const tmp = `${out}.${process.pid}`;
  execFileSync(process.env.CC || "cc", ["-O2", "-Wall", "-Wextra", "-D_GNU_SOURCE", ...(spec.cflags ?? []), "-o", tmp, ...spec.sources.map((s) => path.join(dir, s))]);
  fs.renameSync(tmp, out);
  return out;
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error("runtime tests need root (mounts, runc); run them as root — they are not skipped");
}

export interface TestRuntime {
  rt: Runtime;
  rootDir: string;
  base: string;
  shimPath: string;
  /** The helper binary the process-wide spawner uses (undefined: direct); child agents get it as $CISTERN_SPAWNER. */
  spawnerPath?: string;
  spawner: Spawner;
  /** Tear down: remove every container of this runtime, assert no mount remains, delete the tree. */
  cleanup(): Promise<void>;
}

export async function makeTestRuntime(prefix: string, opts: { spawner?: "helper" | "direct" } = {}): Promise<TestRuntime> {
  requireRoot();
  const shimPath = buildShimForTests();
  const spawnerPath = opts.spawner === "direct" ? undefined : buildSpawnerForTests();
  const spawner = configureSpawner({ helperPath: spawnerPath });
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const rootDir = path.join(base, "data");
  const rt = await createRuntime({ rootDir, shimPath, log: createLogger("runtime-test") });
  return {
    rt,
    rootDir,
    base,
    shimPath,
    spawnerPath,
    spawner,
    async cleanup() {
      const fresh = await createRuntime({ rootDir, shimPath, log: createLogger("runtime-test") });
      for (const c of await fresh.listContainers()) await fresh.removeContainer(c.id);
      expect(mountsAtOrBelow(base).map((m) => m.mountPoint)).toEqual([]);
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

let podCounter = 0;
export function podSpec(overrides: Partial<ContainerSpec> = {}, podName = `pod-${++podCounter}`): ContainerSpec {
  return {
    pod: { uid: `uid-${podName}-${crypto.randomBytes(3).toString("hex")}`, name: podName, namespace: "default" },
    name: "main",
    image: "busybox",
    ...overrides,
  };
}

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks).toString("utf8");
}

/** Poll until `pred` holds (bounded); returns whether it did. Used to wait for container output, never to time things. */
export async function eventually(pred: () => boolean | Promise<boolean>, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await pred()) return true;
    await sleep(25);
  }
  return pred();
}
