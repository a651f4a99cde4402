import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readVolData, writeVolData, type VolData } from "./csi-volume.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const data = (readOnly: boolean): VolData => ({ driverName: "efs.csi.aws.com", volumeHandle: "fs-12345678", specVolID: "pv1", claim: { namespace: "default", name: "c" }, readOnly });

describe("vol_data.json", () => {
  it("is written 0600, left alone when unchanged, and replaced (never torn) when it changes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vol-data-"));
    dirs.push(dir);
    const file = path.join(dir, "vol_data.json");
    await writeVolData(file, data(false));
    expect(readVolData(file)).toEqual(data(false));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const ino = fs.statSync(file).ino;
    await writeVolData(file, data(false));
    expect(fs.statSync(file).ino).toBe(ino); // unchanged: not rewritten
    await writeVolData(file, data(true));
    expect(readVolData(file)).toEqual(data(true));
    expect(fs.statSync(file).ino).not.toBe(ino); // a new file renamed over the old one
    expect(fs.readdirSync(dir)).toEqual(["vol_data.json"]); // no temp file left
  });
});
