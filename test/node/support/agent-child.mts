// A node agent in its own process, so a test can kill -9 it. Configuration comes as JSON in CISTERN_TEST_AGENT.
import { startNodeAgent } from "../../../src/node/index.js";

const cfg = JSON.parse(process.env.CISTERN_TEST_AGENT ?? "{}");
const agent = await startNodeAgent({ name: cfg.name, rootDir: cfg.rootDir, kubeconfig: cfg.kubeconfig, csi: cfg.csi, relistMs: 200 });
process.stdout.write(`ready ${agent.kubeletPort}\n`);
setInterval(() => undefined, 1 << 30);
