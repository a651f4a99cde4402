/**
 * A node agent in its own process (support/agent-child.mts), so a test can kill -9 it or let a failpoint end it.
 * Resolves once the agent reported ready; `exited` resolves with its exit code (or signal name).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually, type NodeFixture } from "./fixture.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = resolve(here, "../../..");

export interface ChildAgent {
  process: ChildProcess;
  exited: Promise<number | string>;
  /** The last 20,000 characters of its stderr (its log). */
  stderr(): string;
}

export async function startChildAgent(fx: NodeFixture, name: string, rootDir: string, env: Record<string, string> = {}): Promise<ChildAgent> {
  const { log: _log, ...csi } = fx.csiConfig();
  const p = spawn(process.execPath, ["--import", "tsx", join(here, "agent-child.mts")], {
    cwd: repoRoot,
    env: { ...process.env, ...env, CISTERN_TEST_AGENT: JSON.stringify({ name, rootDir, kubeconfig: fx.kubeconfig, csi }) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  p.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  p.stderr?.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  const exited = new Promise<number | string>((r) => p.once("exit", (code, signal) => r(code ?? signal ?? "unknown")));
  await eventually(() => (out.includes("ready") ? true : p.exitCode !== null ? Promise.reject(new Error(`agent exited: ${err}`)) : undefined), "child agent ready", 60_000);
  return { process: p, exited, stderr: () => err };
}
