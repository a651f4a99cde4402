/**
 * Child-process entry for a node agent next to a `cistern up` that does not run one itself
 * (builds before `cistern up --nodes`). Reads its configuration as JSON from argv[2]:
 *   { kubeconfig, dataDir, name, efs: { endpoint, region, credentials, caPem } }
 * and prints "node agent ready" once the agent has registered.
 */
import { startNodeAgents } from "../../src/node/index.js";
import { createLogger } from "../../src/lib/log.js";
import { join } from "node:path";

interface Config {
  kubeconfig: string;
  dataDir: string;
  name: string;
  efs: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; caPem: string };
}

const config = JSON.parse(process.argv[2] ?? "{}") as Config;
const agents = await startNodeAgents({
  kubeconfig: config.kubeconfig,
  dataDir: config.dataDir,
  names: [config.name],
  csi: { efs: config.efs, mounter: "cistern", efsDataRoot: join(config.dataDir, "efs", "fs"), log: createLogger("bench-node/csi") },
  log: createLogger("bench-node"),
});
process.stdout.write("node agent ready\n");
const stop = async () => {
  await agents.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
