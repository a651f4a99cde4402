/**
 * Test helper run as a child process: opens the SQLite backend at argv[2], writes one key, prints
 * "ready", then holds the database open until killed.
 */
import { SqliteBackend } from "../sqlite-backend.js";

const backend = SqliteBackend.open(process.argv[2]);
await backend.create(`/held/${process.pid}`, new TextEncoder().encode("x")).catch(() => undefined);
process.stdout.write("ready\n");
setInterval(() => undefined, 60_000);
