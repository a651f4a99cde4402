/** What the demo steps use: the real kubectl, the API client, the EFS SDK, and waiting. */
import { execFile } from "node:child_process";
import https from "node:https";
import { fileURLToPath } from "node:url";
import { EFSClient } from "@aws-sdk/client-efs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { createClient, loadKubeconfig, type KubeClient } from "../../client/index.js";
import type { EfsAccess } from "../endpoints.js";
import { command, output, progress } from "./report.js";

export const EXAMPLES = fileURLToPath(new URL("../../../../examples/", import.meta.url));

export interface DemoContext {
  dataDir: string;
  kubeconfig: string;
  kube: KubeClient;
  efs: EFSClient;
  efsAccess: EfsAccess;
  kubectlPath: string;
}

export function createContext(dataDir: string, kubeconfig: string, efsAccess: EfsAccess): DemoContext {
  const kube = createClient({ ...loadKubeconfig(kubeconfig), userAgent: "cistern-demo/0.1" });
  const efs = new EFSClient({
    region: efsAccess.region, endpoint: efsAccess.endpoint, credentials: efsAccess.credentials,
    requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: efsAccess.ca, keepAlive: true }) }),
  });
  return { dataDir, kubeconfig, kube, efs, efsAccess, kubectlPath: process.env.KUBECTL ?? "kubectl" };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl (argument vector, no shell), printing the command and its output. */
export function kubectl(ctx: DemoContext, args: string[], opts: { quiet?: boolean; timeoutMs?: number } = {}): Promise<Run> {
  if (!opts.quiet) command(["kubectl", ...args]);
  return new Promise((resolve) => {
    execFile(ctx.kubectlPath, args, { env: { ...process.env, KUBECONFIG: ctx.kubeconfig }, timeout: opts.timeoutMs ?? 300_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
      if (!opts.quiet) output(String(stdout) + String(stderr));
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Polls `check` until it returns a value or the time runs out (undefined). */
export async function waitFor<T>(label: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T | undefined> {
  const p = progress(label);
  const start = Date.now();
  try {
    for (;;) {
      try {
        const v = await check();
        if (v !== undefined) return v;
      } catch {
        // not there yet
      }
      if (Date.now() - start > timeoutMs) return undefined;
      p.update(`${Math.round((Date.now() - start) / 1000)}s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    p.done();
  }
}
