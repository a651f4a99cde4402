/**
 * Test helper run as a child process: writes to the SQLite backend at argv[2] as fast as it can
 * with argv[3] concurrent workers, and prints one line per acknowledged write:
 * "create <revision> <key>" or "update <revision> <key>". With argv[4] === "compact" a compactor
 * runs alongside. The parent kills it at some point and checks every printed write survived.
 */
import { startCompactor } from "../../compactor.js";
import { SqliteBackend } from "../sqlite-backend.js";

const [path, workersArg = "4", mode = ""] = process.argv.slice(2);
const backend = SqliteBackend.open(path);
if (mode === "compact") startCompactor(backend, { intervalMs: 10, minRetainRevisions: 20 });
const value = new TextEncoder().encode("x".repeat(200));

async function worker(id: number): Promise<void> {
  const counter = `/crash/counter/${id}`;
  let rev = (await backend.create(counter, value)).modRevision;
  process.stdout.write(`create ${rev} ${counter}\n`);
  for (let i = 0; ; i++) {
    const key = `/crash/keys/${id}/${i}`;
    const kv = await backend.create(key, value);
    process.stdout.write(`create ${kv.modRevision} ${key}\n`);
    rev = (await backend.update(counter, value, rev)).modRevision;
    process.stdout.write(`update ${rev} ${counter}\n`);
  }
}

await Promise.all(Array.from({ length: Number(workersArg) }, (_, i) => worker(i)));
