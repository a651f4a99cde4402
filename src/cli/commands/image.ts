/**
 * `cistern image import NAME FILE` and `cistern image list`: the local images of node agents (nothing is pulled
 * from a registry; busybox is built in). Each node has its own image store, so an import goes to every node under
 * <data-dir>/nodes/ — or to the nodes named with --root-dir — and to the default node's when there is none yet.
 */
import { homedir } from "node:os";
import { basename, join, resolve } from "node:path";
import type { Command } from "commander";
import { defaultNodeNames, importNodeImage, listNodeImages, nodeRootDir, nodeRootDirs, type ImageProgress } from "../../node/index.js";

interface ImageCommandOptions {
  dataDir: string;
  rootDir: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function targetRootDirs(o: ImageCommandOptions): string[] {
  if (o.rootDir.length) return o.rootDir.map((d) => resolve(d));
  const found = nodeRootDirs(resolve(o.dataDir));
  return found.length ? found : [nodeRootDir(resolve(o.dataDir), defaultNodeNames(1)[0])];
}

function withTargets(cmd: Command): Command {
  return cmd
    .option("--data-dir <dir>", "Cistern's data directory (nodes are in <data-dir>/nodes/)", join(homedir(), ".cistern"))
    .option("--root-dir <dir>", "a node's root directory (repeatable; default: every node under the data dir)", collect, [] as string[]);
}

export function registerImage(program: Command): void {
  const image = program.command("image").description("Manage the local images node agents run (OCI or docker-save tarballs; busybox is built in)");
  withTargets(image.command("import <name> <file>").description("Import an image from an OCI-layout or docker-save tarball under NAME")).action(async (name: string, file: string, opts: ImageCommandOptions) => {
    for (const dir of targetRootDirs(opts)) {
      const progress = (p: ImageProgress) => process.stderr.write(`${basename(dir)}: ${p.message}\n`);
      const info = await importNodeImage(dir, name, file, progress);
      process.stdout.write(`imported ${info.names.join(", ")} (${info.id}) into node ${basename(dir)}\n`);
    }
  });
  withTargets(image.command("list").description("List the images of each node")).action(async (opts: ImageCommandOptions) => {
    const rows: string[][] = [["NODE", "NAME", "ID", "CREATED"]];
    for (const dir of targetRootDirs(opts)) {
      for (const img of await listNodeImages(dir)) {
        for (const n of img.names.length ? img.names : ["<none>"]) rows.push([basename(dir), n, img.id, img.createdAt]);
      }
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) process.stdout.write(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3))).join("") + "\n");
  });
}
