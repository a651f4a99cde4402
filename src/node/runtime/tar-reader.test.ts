import { describe, expect, it } from "vitest";
import { readTar } from "./tar-reader.js";
import { makeTar } from "./test-tar.js";

async function* chunked(b: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe("readTar", () => {
  const tar = makeTar([
    { name: "dir/", type: "dir", mode: 0o750, uid: 5, gid: 6 },
    { name: "dir/file", content: "hello world", mode: 0o640 },
    { name: "dir/link", type: "symlink", linkname: "file" },
    { name: "dir/hard", type: "hardlink", linkname: "dir/file" },
    { name: `long/${"x".repeat(150)}`, content: "long name" },
    { name: "big", content: Buffer.alloc(70_000, 7) },
    { name: "skipped-body", content: "not read" },
    { name: "last", content: "end" },
  ]);

  it("reads every member with metadata, across any chunking, skipping unread bodies", async () => {
    for (const size of [1, 511, 512, 4096, tar.length]) {
      const seen: string[] = [];
      for await (const m of readTar(chunked(tar, size))) {
        const e = m.entry;
        if (e.name === "skipped-body") {
          seen.push(e.name);
          continue;
        }
        const body = e.type === "file" ? (await m.readAll()).toString("latin1") : "";
        seen.push(`${e.name}|${e.type}|${e.mode.toString(8)}|${e.uid}:${e.gid}|${e.linkname}|${body.length > 20 ? body.length : body}`);
      }
      expect(seen).toEqual([
        "dir/|dir|750|5:6||",
        "dir/file|file|640|0:0||hello world",
        "dir/link|symlink|644|0:0|file|",
        "dir/hard|hardlink|644|0:0|dir/file|",
        `long/${"x".repeat(150)}|file|644|0:0||long name`,
        "big|file|644|0:0||70000",
        "skipped-body",
        "last|file|644|0:0||end",
      ]);
    }
  });

  it("rejects a corrupted header checksum and a truncated member", async () => {
    const broken = Buffer.from(tar);
    broken[10] ^= 0xff;
    await expect(async () => {
      for await (const _ of readTar(chunked(broken, 512))) {
        // consume
      }
    }).rejects.toThrow(/checksum/);
    const truncated = tar.subarray(0, 512 * 5 + 100);
    await expect(async () => {
      for await (const m of readTar(chunked(truncated, 512))) await m.readAll();
    }).rejects.toThrow(/truncated|corrupt/);
  });
});
