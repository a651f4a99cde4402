import { describe, it, expect, afterEach } from "vitest";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openModelFixture, type ModelFixture } from "../testing/model-fixture.js";
import { EfsError } from "../errors.js";

let f: ModelFixture;
afterEach(() => f?.cleanup());

function codeOf(fn: () => unknown): { code: string; status: number; extra: Record<string, string>; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof EfsError) return { code: err.code, status: err.status, extra: err.extra, message: err.message };
    throw err;
  }
  throw new Error("expected an EfsError");
}

describe("file systems", () => {
  it("creates as 'creating', makes the root directory, then becomes available", () => {
    f = openModelFixture();
    const fs = f.model.fileSystems.create({ creationToken: "t1", tags: [{ Key: "Name", Value: "one" }] });
    expect(fs.id).toMatch(/^fs-[0-9a-f]{17}$/);
    expect(fs.state).toBe("creating");
    expect(statSync(f.layout.fileSystemDir(fs.id)).isDirectory()).toBe(true);
    f.settle();
    expect(f.model.fileSystems.get(fs.id).state).toBe("available");
    expect(f.model.fileSystems.get(`arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/${fs.id}`).id).toBe(fs.id);
    expect(codeOf(() => f.model.fileSystems.get(`arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/${fs.id}`)).code).toBe("FileSystemNotFound");
  });

  it("answers a reused CreationToken with FileSystemAlreadyExists carrying the existing ID", () => {
    f = openModelFixture();
    const fs = f.model.fileSystems.create({ creationToken: "same" });
    const e = codeOf(() => f.model.fileSystems.create({ creationToken: "same", performanceMode: "maxIO" }));
    expect(e).toMatchObject({ code: "FileSystemAlreadyExists", status: 409, extra: { FileSystemId: fs.id } });
  });

  it("enforces the file system limit and throughput rules", () => {
    f = openModelFixture({ fileSystems: 2 });
    f.model.fileSystems.create({ creationToken: "a" });
    f.model.fileSystems.create({ creationToken: "b" });
    expect(codeOf(() => f.model.fileSystems.create({ creationToken: "c" }))).toMatchObject({ code: "FileSystemLimitExceeded", status: 403 });
    f.cleanup();
    f = openModelFixture();
    expect(codeOf(() => f.model.fileSystems.create({ creationToken: "p", throughputMode: "provisioned" })).code).toBe("BadRequest");
    expect(codeOf(() => f.model.fileSystems.create({ creationToken: "p", throughputMode: "provisioned", provisionedThroughputInMibps: 5000 })).code).toBe("ThroughputLimitExceeded");
    expect(codeOf(() => f.model.fileSystems.create({ creationToken: "" })).code).toBe("ValidationException");
    expect(codeOf(() => f.model.fileSystems.create({ creationToken: "x".repeat(65) })).code).toBe("ValidationException");
  });

  it("refuses to delete a file system with mount targets or client mounts, then deletes it with its access points", () => {
    f = openModelFixture();
    const fs = f.model.fileSystems.create({ creationToken: "d" });
    f.settle();
    const ap = f.model.accessPoints.create({ clientToken: "ap", fileSystemId: fs.id }).accessPoint;
    const mt = f.model.mountTargets.create({ fileSystemId: fs.id, subnetId: "subnet-0123456789abcdef0" });
    expect(codeOf(() => f.model.fileSystems.delete(fs.id))).toMatchObject({ code: "FileSystemInUse", status: 409 });
    f.model.mountTargets.delete(mt.id);
    const m = f.model.mounts.mount({ fileSystemId: fs.id, secureTransport: true });
    expect(codeOf(() => f.model.fileSystems.delete(fs.id)).message).toMatch(/client mount/);
    f.model.mounts.release(m.id);
    writeFileSync(join(f.layout.fileSystemDir(fs.id), "data"), "x");
    f.model.fileSystems.delete(fs.id);
    expect(existsSync(f.layout.fileSystemDir(fs.id))).toBe(false);
    expect(codeOf(() => f.model.accessPoints.get(ap.id)).code).toBe("AccessPointNotFound");
    expect(codeOf(() => f.model.fileSystems.get(fs.id)).code).toBe("FileSystemNotFound");
    // The token is free again.
    expect(f.model.fileSystems.create({ creationToken: "d" }).id).not.toBe(fs.id);
  });

  it("pages DescribeFileSystems with markers that survive deletes in between", () => {
    f = openModelFixture();
    const ids = Array.from({ length: 7 }, (_, i) => f.model.fileSystems.create({ creationToken: `p${i}` }).id);
    const p1 = f.model.fileSystems.describe({ maxItems: 3 });
    expect(p1.items.map((x) => x.id)).toEqual(ids.slice(0, 3));
    f.model.fileSystems.delete(ids[3]);
    const p2 = f.model.fileSystems.describe({ maxItems: 3, marker: p1.next });
    expect(p2.items.map((x) => x.id)).toEqual(ids.slice(4, 7));
    expect(p2.next).toBeUndefined();
    expect(codeOf(() => f.model.fileSystems.describe({ marker: "garbage!" })).code).toBe("BadRequest");
    expect(f.model.fileSystems.describe({ creationToken: "p5" }).items.map((x) => x.id)).toEqual([ids[5]]);
  });

  it("bootstraps the default and pre-created file systems once, and keeps everything across a reopen", () => {
    f = openModelFixture();
    const def = f.model.bootstrap(["fs-12345678"]);
    f.settle();
    expect(f.model.fileSystems.get(def).tags).toEqual([{ Key: "Name", Value: "cistern-default" }]);
    expect(f.model.fileSystems.get("fs-12345678").state).toBe("available");
    const ap = f.model.accessPoints.create({ clientToken: "keep", fileSystemId: "fs-12345678", posixUser: { uid: 1, gid: 2, secondaryGids: [3] } }).accessPoint;
    f.model.policies.put("fs-12345678", JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "elasticfilesystem:ClientMount" } }));
    f = f.reopen();
    expect(f.model.bootstrap(["fs-12345678"])).toBe(def);
    expect(f.model.fileSystemIds()).toEqual([def, "fs-12345678"]);
    expect(f.model.accessPoints.get(ap.id)).toEqual(ap);
    expect(f.model.policies.describe("fs-12345678").text).toContain("ClientMount");
    expect(() => f.model.bootstrap(["fs-XYZ"])).toThrow(/preCreateFileSystemIds/);
  });
});
