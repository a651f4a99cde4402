/**
 * The process-wide spawner every module uses (safe-path's mounts, the runtime's runc and shims, the CSI driver's
 * unmounts), so one process runs one helper. Its binary is $CISTERN_SPAWNER, else <package>/dist/native/
 * cistern-spawner (built by `npm run build`); when neither exists everything is done directly, as before the helper.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "../log.js";
import { Spawner, type SpawnerOptions } from "./spawner.js";

let current: Spawner | undefined;

/** The package's dist/native/cistern-spawner, found from this file's location (source or dist). */
export function defaultHelperPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, "package.json"))) return path.join(dir, "dist", "native", "cistern-spawner");
    dir = path.dirname(dir);
  }
  return path.resolve("dist/native/cistern-spawner");
}

function helperPathFromEnvironment(): string | undefined {
  const explicit = process.env.CISTERN_SPAWNER;
  if (explicit === "direct") return undefined;
  const p = explicit || defaultHelperPath();
  return fs.existsSync(p) ? p : undefined;
}

export function defaultSpawner(): Spawner {
  current ??= new Spawner({ helperPath: helperPathFromEnvironment(), log: createLogger("spawner") });
  return current;
}

/**
 * Replace the process-wide spawner (tests; an embedding that ships the helper elsewhere). `helperPath: undefined`
 * means direct. The previous spawner's helper is stopped; detached programs it started keep running.
 */
export function configureSpawner(o: Partial<SpawnerOptions>): Spawner {
  current?.close();
  current = new Spawner({ log: createLogger("spawner"), ...o });
  return current;
}
