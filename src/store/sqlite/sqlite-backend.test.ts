import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vitest from "vitest";
import { backendConformance } from "../conformance.js";
import { SqliteBackend } from "./sqlite-backend.js";

const dirs: string[] = [];
vitest.afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

backendConformance(vitest, "sqlite", {
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), "cistern-store-"));
    dirs.push(dir);
    return SqliteBackend.open(join(dir, "state.db"));
  },
  reopen: async (previous) => SqliteBackend.open(previous.name.slice("sqlite://".length)),
  contiguousRevisions: true,
});
