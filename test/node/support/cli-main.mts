// The node and image commands as `cistern` would run them (the real src/cli/main.ts registers them the same way).
import { Command } from "commander";
import { registerImage } from "../../../src/cli/commands/image.js";
import { registerNode } from "../../../src/cli/commands/node.js";

const program = new Command().name("cistern");
registerNode(program);
registerImage(program);
program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`cistern: ${(err as Error).message}\n`);
  process.exit(1);
});
