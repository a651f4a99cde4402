import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryBackend, SqliteBackend, openBackend, sqlitePathFromUrl } from "./index.js";

const root = mkdtempSync(join(tmpdir(), "cistern-url-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("openBackend", () => {
  it("opens sqlite:///absolute paths", async () => {
    const b = await openBackend(`sqlite://${root}/abs/state.db`);
    expect(b).toBeInstanceOf(SqliteBackend);
    expect(b.name).toBe(`sqlite://${root}/abs/state.db`);
    await b.create("/a", new Uint8Array(1));
    await b.close();
  });

  it("opens sqlite://relative paths against the working directory", async () => {
    const rel = relative(process.cwd(), join(root, "rel", "state.db"));
    const b = await openBackend(`sqlite://${rel}`);
    expect(b.name).toBe(`sqlite://${join(root, "rel", "state.db")}`);
    await b.close();
  });

  it("decodes percent-escapes and refuses queries, fragments and empty paths", () => {
    expect(sqlitePathFromUrl("sqlite:///var/lib/my%20state.db")).toBe("/var/lib/my state.db");
    expect(() => sqlitePathFromUrl("sqlite://")).toThrow(/names no file/);
    expect(() => sqlitePathFromUrl("sqlite:///x.db?mode=ro")).toThrow(/query and fragment/);
    expect(() => sqlitePathFromUrl("sqlite:///x%00.db")).toThrow(/NUL/);
    expect(() => sqlitePathFromUrl("sqlite:///x%zz")).toThrow(/percent-escape/);
  });

  it("opens a fresh memory store for each memory:// and refuses names", async () => {
    const a = await openBackend("memory://");
    const b = await openBackend("MEMORY://");
    expect(a).toBeInstanceOf(MemoryBackend);
    await a.create("/k", new Uint8Array(1));
    expect((await b.get("/k")).kv).toBeUndefined();
    await expect(openBackend("memory://shared")).rejects.toThrow(/takes no name/);
    await a.close();
    await b.close();
  });

  it("fails fast on unreachable etcd endpoints, naming them, and refuses unknown schemes", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    await expect(openBackend("etcd://127.0.0.1:1,127.0.0.2:1?dial-timeout=500")).rejects.toThrow(
      /no endpoint of 127\.0\.0\.1:1,127\.0\.0\.2:1 answered within 500 ms/,
    );
    await expect(openBackend("etcd://127.0.0.1:2379?bogus=1")).rejects.toThrow(/unknown parameter "bogus"/);
    await expect(openBackend("postgres://db/x")).rejects.toThrow(/unknown scheme/);
    await expect(openBackend("/var/lib/state.db")).rejects.toThrow(/unknown scheme/);
  });
});
