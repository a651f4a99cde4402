/**
 * `cistern node --kubeconfig FILE --name NAME`: run one node agent in the foreground against an API server.
 * EFS is reached like the real driver does: endpoint from --efs-endpoint or AWS_ENDPOINT_URL_EFS, region from
 * AWS_REGION / AWS_DEFAULT_REGION, credentials from the AWS SDK's default chain (AWS_ACCESS_KEY_ID, …), a private
 * CA from AWS_CA_BUNDLE. SIGINT/SIGTERM stop it cleanly (pods stopped and unmounted, still bound to the node).
 */
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { loadKubeconfig } from "../../client/index.js";
import { nodeRootDir, startNodeAgent } from "../../node/index.js";

interface NodeCommandOptions {
  kubeconfig: string;
  name: string;
  rootDir?: string;
  dataDir: string;
  address: string;
  nodeIp?: string;
  port: string;
  efsEndpoint?: string;
  efsRegion?: string;
  efsDataDir?: string;
  efsCaFile?: string;
  clientCaFile?: string;
  nodeLabel: string[];
  nodeRoleArn?: string;
  keepPodsRunning?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function labels(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new Error(`--node-label ${JSON.stringify(p)}: expected key=value`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

function port(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new Error(`--port: not a port: ${v}`);
  return n;
}

export function registerNode(program: Command): void {
  program
    .command("node")
    .description("Run one node agent (pods with runc, EFS volumes through the CSI driver, logs and exec) against an API server")
    .requiredOption("--kubeconfig <file>", "kubeconfig of the API server to join", process.env.KUBECONFIG)
    .requiredOption("--name <name>", "the Node's name")
    .option("--root-dir <dir>", "where this node keeps its state (default <data-dir>/nodes/<name>)")
    .option("--data-dir <dir>", "Cistern's data directory", join(homedir(), ".cistern"))
    .option("--address <addr>", "address the kubelet API listens on", "127.0.0.1")
    .option("--node-ip <ip>", "the Node's InternalIP, where the API server reaches the kubelet API (default: --address if it names one address, else 127.0.0.1)")
    .option("--port <port>", "kubelet API port (0 picks a free one)", "10250")
    .option("--efs-endpoint <url>", "EFS API endpoint (default AWS_ENDPOINT_URL_EFS)")
    .option("--efs-region <region>", "EFS region (default AWS_REGION, AWS_DEFAULT_REGION, us-east-1)")
    .option("--efs-data-dir <dir>", "the EFS service's data directory (default <data-dir>/efs)")
    .option("--efs-ca-file <file>", "CA for an https EFS endpoint (default AWS_CA_BUNDLE)")
    .option("--client-ca-file <file>", "CA that signs the API server's kubelet client certificate (default: the kubeconfig's CA)")
    .option("--node-label <key=value>", "extra Node label (repeatable)", collect, [] as string[])
    .option("--node-role-arn <arn>", "the node's IAM principal, for iam mounts of pods without a role")
    .option("--keep-pods-running", "on exit, leave containers and volumes in place for the next agent to adopt")
    .action(async (opts: NodeCommandOptions) => {
      const endpoint = opts.efsEndpoint ?? process.env.AWS_ENDPOINT_URL_EFS;
      if (!endpoint) throw new Error("no EFS endpoint: pass --efs-endpoint or set AWS_ENDPOINT_URL_EFS (see the env file `cistern up` writes)");
      const caFile = opts.efsCaFile ?? process.env.AWS_CA_BUNDLE;
      if (opts.nodeIp !== undefined && !isIP(opts.nodeIp)) throw new Error(`--node-ip: not an IP address: ${opts.nodeIp}`);
      const kubeconfig = loadKubeconfig(resolve(opts.kubeconfig));
      const agent = await startNodeAgent({
        name: opts.name,
        rootDir: resolve(opts.rootDir ?? nodeRootDir(opts.dataDir, opts.name)),
        kubeconfig: resolve(opts.kubeconfig),
        clusterCaPem: opts.clientCaFile ? readFileSync(opts.clientCaFile, "utf8") : kubeconfig.caData,
        address: opts.address,
        // A node on another host must advertise an address the API server can reach (kubelet's --node-ip).
        hostIP: opts.nodeIp ?? (isIP(opts.address) && !["0.0.0.0", "::"].includes(opts.address) ? opts.address : undefined),
        port: port(opts.port),
        labels: labels(opts.nodeLabel),
        csi: {
          efs: { region: opts.efsRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1", endpoint, caPem: caFile ? readFileSync(caFile, "utf8") : undefined },
          efsDataRoot: join(resolve(opts.efsDataDir ?? join(opts.dataDir, "efs")), "fs"),
          nodePrincipalArn: opts.nodeRoleArn,
        },
      });
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`cistern node: ${signal} received, stopping\n`);
        await agent.stop({ keepContainers: !!opts.keepPodsRunning });
        process.exit(0);
      };
      process.on("SIGINT", () => void stop("SIGINT"));
      process.on("SIGTERM", () => void stop("SIGTERM"));
      for (const w of agent.warnings) process.stderr.write(`WARNING: ${w}\n`);
      process.stdout.write(`node ${agent.name} is running (kubelet API ${agent.kubeletUrl}, state in ${agent.rootDir})\n`);
    });
}
