/** `cistern down`: stop a Cistern started with `cistern up --background`. */
import type { Command } from "commander";
import { homedir } from "node:os";
import { join } from "node:path";
import { stopBackground } from "../background.js";

export function registerDown(program: Command): void {
  program
    .command("down")
    .description("Stop the Cistern running on a data dir (objects and files are kept)")
    .option("--data-dir <dir>", "data dir", join(homedir(), ".cistern"))
    .action(async (o: { dataDir: string }) => stopBackground(o.dataDir));
}
