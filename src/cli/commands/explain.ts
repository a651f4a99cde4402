/**
 * `cistern explain pvc|pv|pod NAME [-n NS] [-o json]`: why an object is where it is — read-only;
 * it lists the objects involved once and runs the same rules the controllers run.
 */
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createClient, loadKubeconfig } from "../../client/index.js";
import { explainClaim, explainPod, explainVolume, gatherSnapshot, renderExplanation, type Explanation } from "../../controllers/index.js";

const KINDS: Record<string, "pvc" | "pv" | "pod"> = {
  pvc: "pvc", persistentvolumeclaim: "pvc", persistentvolumeclaims: "pvc",
  pv: "pv", persistentvolume: "pv", persistentvolumes: "pv",
  pod: "pod", pods: "pod", po: "pod",
};

function defaultKubeconfig(): string {
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG.split(":")[0];
  const kube = join(homedir(), ".kube", "config");
  return existsSync(kube) ? kube : join(homedir(), ".cistern", "kubeconfig");
}

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description("Explain why a PersistentVolumeClaim, PersistentVolume or Pod is where it is, and how to fix the usual causes")
    .argument("<kind>", "pvc, pv or pod")
    .argument("<name>", "object name")
    .option("-n, --namespace <ns>", "namespace (pvc, pod)")
    .option("-o, --output <format>", "text or json", "text")
    .option("--kubeconfig <file>", "kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, ~/.cistern/kubeconfig)")
    .action(async (kindArg: string, name: string, opts: { namespace?: string; output: string; kubeconfig?: string }) => {
      const kind = KINDS[kindArg.toLowerCase()];
      if (!kind) throw new Error(`explain: unknown kind "${kindArg}" (use pvc, pv or pod)`);
      if (opts.output !== "text" && opts.output !== "json") throw new Error(`explain: --output must be text or json, not "${opts.output}"`);
      const config = loadKubeconfig(opts.kubeconfig ?? defaultKubeconfig());
      const namespace = opts.namespace ?? config.namespace ?? "default";
      const client = createClient({ ...config, userAgent: "cistern-explain/0.1" });
      try {
        const snapshot = await gatherSnapshot(client, kind === "pv" ? undefined : namespace);
        const e: Explanation = kind === "pvc" ? explainClaim(snapshot, namespace, name) : kind === "pod" ? explainPod(snapshot, namespace, name) : explainVolume(snapshot, name);
        process.stdout.write(opts.output === "json" ? JSON.stringify(e, null, 2) + "\n" : renderExplanation(e));
        if (!e.found) process.exitCode = 1;
      } finally {
        client.close();
      }
    });
}
