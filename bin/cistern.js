#!/usr/bin/env node
// The compiled CLI lives in dist/; `npm install` (prepare) builds it.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
const entry = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("cistern: not built yet; run `npm install` (or `npm run build`) in the checkout first\n");
  process.exit(1);
}
await import(entry.href);
