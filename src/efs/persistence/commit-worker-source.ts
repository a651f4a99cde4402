/**
 * Source of the metadata commit worker, run with `new Worker(source, { eval: true })`.
 *
 * Why a source string and not a worker file: the same code then runs unchanged from `src` (vitest, tsx —
 * neither hooks worker threads, so a `.ts` worker file would not load) and from `dist`, with no path games.
 * It is plain CommonJS-flavoured JavaScript on purpose; keep it small.
 *
 * Protocol (replies on `workerData.port`; after every reply the worker bumps `workerData.signal[0]` and
 * notifies it, so the main thread can also wait for a reply synchronously with Atomics.wait):
 *   start  → { type: "ready" } once its own connection runs WAL + synchronous=FULL, else { type: "failed", message }
 *   { ops, crash } on parentPort → { type: "committed" } after one transaction holding all ops, in order,
 *                                  or { type: "failed", message } (nothing of the batch committed)
 *   `crash: true` (failpoint efs.meta.worker-crash) makes the thread die before writing, as a real crash would.
 */
export const COMMIT_WORKER_SOURCE = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { port, signal, file, sqlitePath } = workerData;

function reply(message) {
  port.postMessage(message);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

let db, insert, del;
try {
  const Database = require(sqlitePath);
  db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  if (db.pragma("synchronous", { simple: true }) !== 2) throw new Error("meta.db worker: PRAGMA synchronous=FULL did not stick");
  if (db.pragma("journal_mode", { simple: true }) !== "wal") throw new Error("meta.db worker: WAL mode is not available");
  insert = db.prepare("INSERT OR REPLACE INTO resources (kind, id, seq, doc) VALUES (?, ?, ?, ?)");
  del = db.prepare("DELETE FROM resources WHERE kind = ? AND id = ?");
} catch (err) {
  reply({ type: "failed", message: String(err && err.message || err) });
  throw err;
}

const commit = db.transaction((ops) => {
  for (const op of ops) {
    if (op.put) insert.run(op.kind, op.id, op.seq, op.doc);
    else del.run(op.kind, op.id);
  }
});

parentPort.on("message", (batch) => {
  if (batch.crash) process.exit(70);
  try {
    commit(batch.ops);
  } catch (err) {
    reply({ type: "failed", message: String(err && err.message || err) });
    return;
  }
  reply({ type: "committed" });
});
reply({ type: "ready" });
`;
