/**
 * Images of a node outside a running agent (`cistern image import|list`): each node keeps its images in its
 * runtime under <rootDir>/runtime, so an image is imported into every node that should run it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Logger } from "../lib/log.js";
import { NodeLayout } from "./layout.js";
import { createRuntime, type ImageInfo, type ProgressFn } from "./runtime/index.js";

/** Root dirs of the nodes kept under `<dataDir>/nodes/` (those with a runtime). */
export function nodeRootDirs(dataDir: string): string[] {
  const dir = path.join(dataDir, "nodes");
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((n) => path.join(dir, n))
    .filter((d) => fs.existsSync(new NodeLayout(d).runtimeDir))
    .sort();
}

async function runtimeAt(rootDir: string, log?: Logger) {
  fs.mkdirSync(rootDir, { recursive: true, mode: 0o700 });
  return createRuntime({ rootDir: new NodeLayout(fs.realpathSync(rootDir)).runtimeDir, log });
}

/** Import a docker-save or OCI-layout tarball as `name` into the node at `rootDir`. */
export async function importNodeImage(rootDir: string, name: string, tarball: string, onProgress?: ProgressFn, log?: Logger): Promise<ImageInfo> {
  const rt = await runtimeAt(rootDir, log);
  return rt.importImage(name, path.resolve(tarball), onProgress);
}

export async function listNodeImages(rootDir: string, log?: Logger): Promise<ImageInfo[]> {
  return (await runtimeAt(rootDir, log)).listImages();
}
