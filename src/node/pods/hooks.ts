/**
 * Container lifecycle hooks, as the kubelet runs them: postStart right after the container started (a failure is
 * a Warning FailedPostStartHook and the container is killed, so restartPolicy decides), preStop before SIGTERM
 * within the grace period (a failure is a Warning FailedPreStopHook and termination goes on). Handlers: exec,
 * httpGet (any status below 400 succeeds) and sleep.
 */
import type { Container, HTTPGetAction } from "../../api/index.js";
import type { Runtime } from "../runtime/index.js";
import { runProbe, type ProbeResult } from "./probe-check.js";

export interface LifecycleHandler {
  exec?: { command?: string[] };
  httpGet?: HTTPGetAction;
  sleep?: { seconds: number };
}

export function hookOf(c: Container, which: "postStart" | "preStop"): LifecycleHandler | undefined {
  const h = (c.lifecycle as Record<string, LifecycleHandler | undefined> | undefined)?.[which];
  return h && (h.exec || h.httpGet || h.sleep) ? h : undefined;
}

export async function runHook(runtime: Runtime, containerId: string, h: LifecycleHandler, c: Container, hostIP: string, timeoutMs: number): Promise<ProbeResult> {
  if (h.sleep) {
    await new Promise((r) => setTimeout(r, Math.min(Math.max(0, h.sleep?.seconds ?? 0) * 1000, timeoutMs)));
    return { success: true, output: "" };
  }
  const timeoutSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  if (h.exec?.command?.length) return runProbe(runtime, containerId, { exec: { command: h.exec.command }, timeoutSeconds }, c, hostIP);
  if (h.httpGet) return runProbe(runtime, containerId, { httpGet: h.httpGet, timeoutSeconds }, c, hostIP);
  return { success: false, output: "hook has no handler" };
}
