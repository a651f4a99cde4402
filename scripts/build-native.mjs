#!/usr/bin/env node
// Compiles the small C helpers under native/<name>/ (see native/README.md) into dist/native/<name>.
// Each folder holds build.json: { "output": "name", "sources": ["a.c"], "pkgConfig": ["fuse3"], "cflags": [], "ldflags": [] }.
// A helper whose libraries are missing is skipped with a message naming the Debian package to install;
// the code that needs it reports the same at run time.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nativeDir = join(root, "native");
const outDir = join(root, "dist", "native");
mkdirSync(outDir, { recursive: true });

const cc = process.env.CC || "cc";
let failed = false;
for (const name of existsSync(nativeDir) ? readdirSync(nativeDir) : []) {
  const dir = join(nativeDir, name);
  const specPath = join(dir, "build.json");
  if (!statSync(dir).isDirectory() || !existsSync(specPath)) continue;
  const spec = JSON.parse(readFileSync(specPath, "utf8"));
  const output = join(outDir, spec.output);
  const sources = spec.sources.map((s) => join(dir, s));
  const newest = Math.max(...[specPath, ...sources, ...(spec.headers ?? []).map((h) => join(dir, h))].map((f) => statSync(f).mtimeMs));
  if (existsSync(output) && statSync(output).mtimeMs >= newest) continue;
  let pkgFlags = [];
  try {
    for (const pkg of spec.pkgConfig ?? []) {
      pkgFlags.push(...execFileSync("pkg-config", ["--cflags", "--libs", pkg], { encoding: "utf8" }).trim().split(/\s+/).filter(Boolean));
    }
  } catch {
    process.stderr.write(`build-native: skipping ${name}: pkg-config could not find ${(spec.pkgConfig ?? []).join(", ")} (install Debian package ${spec.debianPackage ?? "?"})\n`);
    continue;
  }
  const args = ["-O2", "-Wall", "-Wextra", "-D_GNU_SOURCE", ...(spec.cflags ?? []), "-o", output, ...sources, ...pkgFlags, ...(spec.ldflags ?? [])];
  try {
    execFileSync(cc, args, { stdio: "inherit" });
    process.stdout.write(`build-native: built ${spec.output}\n`);
  } catch {
    process.stderr.write(`build-native: failed to compile ${name}\n`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
