import Database from "better-sqlite3";
import { lstatSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkDatabasePath, openDatabase, verifySettings } from "./open.js";
import { SCHEMA_VERSION } from "./schema.js";
import { SqliteBackend } from "./sqlite-backend.js";
import { followLines, spawnHelper } from "./testdata/child.js";

const root = mkdtempSync(join(tmpdir(), "cistern-open-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(root, `db${++n}`, "state.db");

describe("opening the SQLite database", () => {
  it("runs in WAL mode with synchronous=FULL and an exclusive lock, verified by reading them back", () => {
    const db = openDatabase(freshPath());
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("synchronous", { simple: true })).toBe(2);
      expect(db.pragma("locking_mode", { simple: true })).toBe("exclusive");
      expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });

  it("refuses a connection whose settings are weaker", () => {
    const path = freshPath();
    const db = openDatabase(path);
    db.pragma("synchronous = NORMAL");
    expect(() => verifySettings(db, path)).toThrow(/synchronous=1 \(want 2 = FULL\)/);
    db.close();
    const plain = new Database(":memory:");
    expect(() => verifySettings(plain, ":memory:")).toThrow(/journal_mode=memory/);
    plain.close();
  });

  it("creates the file and its directory private to the owner", async () => {
    const path = freshPath();
    await SqliteBackend.open(path).close();
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
    expect(lstatSync(join(path, "..")).mode & 0o777).toBe(0o700);
  });

  it("refuses a second connection to a file that is open", async () => {
    const path = freshPath();
    const first = SqliteBackend.open(path);
    expect(() => SqliteBackend.open(path)).toThrow(/in use by another process or connection/);
    await first.close();
    const again = SqliteBackend.open(path);
    await again.close();
  });

  it("refuses a second process, and accepts the file once that process is killed", async () => {
    const path = freshPath();
    const child = spawnHelper("./hold-open.ts", [path]);
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const done = followLines(child, (line) => line === "ready" && ready());
    await Promise.race([isReady, done.then((r) => Promise.reject(new Error(`helper exited: ${r.stderr}`)))]);
    expect(() => SqliteBackend.open(path)).toThrow(/in use/);
    child.kill("SIGKILL");
    expect((await done).signal).toBe("SIGKILL");
    const b = SqliteBackend.open(path);
    expect((await b.list({ prefix: "/held/" })).items).toHaveLength(1);
    await b.close();
  });

  it("refuses symlinks and non-files at the database or journal paths", () => {
    const dir = join(root, "links");
    const target = join(root, "elsewhere.db");
    writeFileSync(target, "");
    const link = join(root, "link.db");
    symlinkSync(target, link);
    expect(() => checkDatabasePath(link)).toThrow(/not a regular file/);
    const walLinked = join(root, "wal.db");
    symlinkSync(target, `${walLinked}-wal`);
    expect(() => checkDatabasePath(walLinked)).toThrow(/wal.db-wal: not a regular file/);
    expect(() => checkDatabasePath(root)).toThrow(/not a regular file/);
    expect(() => checkDatabasePath(`${dir}/`)).toThrow(/names a directory/);
    expect(() => checkDatabasePath("a\u0000b")).toThrow(/NUL/);
    expect(checkDatabasePath("relative/x.db")).toBe(join(process.cwd(), "relative/x.db"));
  });

  it("refuses a database from a newer schema version", async () => {
    const path = freshPath();
    await SqliteBackend.open(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => SqliteBackend.open(path)).toThrow(/newer than this build/);
  });
});
