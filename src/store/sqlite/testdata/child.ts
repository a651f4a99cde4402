/** Spawning the TypeScript helpers in this folder as child processes (through tsx). */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export function spawnHelper(script: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return spawn(process.execPath, ["--import", "tsx", path, ...args], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Calls `onLine` for each stdout line; resolves with the exit code or signal when the child ends. */
export function followLines(child: ChildProcessWithoutNullStreams, onLine: (line: string) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let buffered = "";
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      onLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })));
}
