import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { goRfc3339Nano, parseCriLine, renderRecord, toCriTime } from "./cri-log.js";
import { readLogStream, tailOffset } from "./logs.js";

describe("CRI log records", () => {
  it("parses full and partial records, keeping spaces in the content", () => {
    expect(parseCriLine(Buffer.from("2026-11-24T16:00:00.123456789Z stdout F hello  world "))).toEqual({
      time: "2026-11-24T16:00:00.123456789Z",
      stream: "stdout",
      partial: false,
      content: Buffer.from("hello  world "),
    });
    expect(parseCriLine(Buffer.from("2026-11-24T16:00:00.000000000Z stderr P "))?.partial).toBe(true);
    expect(parseCriLine(Buffer.from("2026-11-24T16:00:00.000000000Z stderr P"))?.content.length).toBe(0);
    expect(parseCriLine(Buffer.from("garbage"))).toBeUndefined();
    expect(parseCriLine(Buffer.from("t other F x"))).toBeUndefined();
  });

  it("formats times like Go's RFC3339Nano and compares them as fixed-width strings", () => {
    expect(goRfc3339Nano("2026-11-24T16:00:00.120000000Z")).toBe("2026-11-24T16:00:00.12Z");
    expect(goRfc3339Nano("2026-11-24T16:00:00.000000000Z")).toBe("2026-11-24T16:00:00Z");
    expect(toCriTime("2026-11-24T16:00:00Z")).toBe("2026-11-24T16:00:00.000000000Z");
    expect(toCriTime("2026-11-24T16:00:00.5Z")).toBe("2026-11-24T16:00:00.500000000Z");
    expect(toCriTime(new Date("2026-11-24T16:00:00.123Z"))).toBe("2026-11-24T16:00:00.123000000Z");
  });

  it("renders partial records without a newline", () => {
    const p = parseCriLine(Buffer.from("2026-11-24T16:00:00.100000000Z stdout P abc"))!;
    const f = parseCriLine(Buffer.from("2026-11-24T16:00:00.200000000Z stdout F def"))!;
    expect(Buffer.concat([renderRecord(p, false), renderRecord(f, false)]).toString()).toBe("abcdef\n");
    expect(renderRecord(f, true).toString()).toBe("2026-11-24T16:00:00.2Z def\n");
  });
});

describe("log files", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cri-log-"));
  const lines = Array.from({ length: 2000 }, (_, i) => `2026-11-24T16:00:${String(i % 60).padStart(2, "0")}.000000000Z stdout F line ${i}`);
  fs.writeFileSync(path.join(dir, "c.log"), lines.join("\n") + "\n");

  it("finds the start of the last n lines across read chunks", () => {
    const fd = fs.openSync(path.join(dir, "c.log"), "r");
    const size = fs.fstatSync(fd).size;
    const text = fs.readFileSync(path.join(dir, "c.log"), "utf8");
    for (const n of [1, 2, 999, 1999]) expect(text.slice(tailOffset(fd, size, n)).trim().split("\n")).toEqual(lines.slice(-n));
    expect(tailOffset(fd, size, 5000)).toBe(0);
    expect(tailOffset(fd, size, 0)).toBe(size);
    fs.closeSync(fd);
  });

  it("never follows a symlinked log file", async () => {
    fs.symlinkSync("/etc/passwd", path.join(dir, "evil.log"));
    expect(() => readLogStream(dir, "evil.log", {}, async () => true)).toThrow(/symbolic link/);
  });
});
