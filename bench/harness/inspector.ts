/**
 * A DevTools-protocol session with a child started with `--inspect=127.0.0.1:0`: used to ask for a
 * full garbage collection, so the bench can report a process's live memory next to its RSS (V8 does
 * not collect an idle heap on its own, so RSS after a burst includes garbage).
 */
import WebSocket from "ws";
import type { CisternProcess } from "./cistern-process.js";

/** Runs a full GC in the child and resolves when it is done. Throws if the child has no inspector. */
export async function collectGarbage(proc: CisternProcess, timeoutMs = 30_000): Promise<void> {
  const m = /Debugger listening on (ws:\/\/\S+)/.exec(proc.output());
  if (!m) throw new Error("the process was not started with --inspect");
  const ws = new WebSocket(m[1]);
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("HeapProfiler.collectGarbage timed out")), timeoutMs);
      ws.on("message", (data) => {
        const msg = JSON.parse(String(data)) as { id?: number; error?: { message: string } };
        if (msg.id !== 1) return;
        clearTimeout(timer);
        if (msg.error) reject(new Error(msg.error.message));
        else resolve();
      });
      ws.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" }));
    });
  } finally {
    ws.close();
  }
}
