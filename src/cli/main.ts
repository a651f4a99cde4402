/**
 * The `cistern` command tree. Entry points are the only code that reads argv/env and wires
 * components together; each command lives in commands/<name>.ts.
 */
import { Command } from "commander";
import { registerUp } from "./commands/up.js";
import { registerDown } from "./commands/down.js";
import { registerEfs } from "./commands/efs.js";
import { registerApiserver } from "./commands/apiserver.js";
import { registerControllers } from "./commands/controllers.js";
import { registerExplain } from "./commands/explain.js";
import { registerDemo } from "./commands/demo.js";
import { registerNode } from "./commands/node.js";
import { registerImage } from "./commands/image.js";

const program = new Command();
// Options after a subcommand belong to it (`cistern efs usage --data-dir X`).
program.enablePositionalOptions();
program.name("cistern").description("A local Kubernetes storage stack: API server, PV/PVC controllers, EFS-compatible file service, EFS CSI driver and a runc node agent.").version("0.1.0");
registerUp(program);
registerDown(program);
registerEfs(program);
registerApiserver(program);
registerControllers(program);
registerExplain(program);
registerDemo(program);
registerNode(program);
registerImage(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`cistern: ${(err as Error).message ?? String(err)}\n`);
  process.exit(1);
});
