/** The Cistern mount extension over the wire, and the metrics it feeds. */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  DeleteFileSystemCommand,
  DescribeFileSystemsCommand,
  PutFileSystemPolicyCommand,
} from "@aws-sdk/client-efs";
import { mkdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServiceFixture, type ServiceFixture } from "./testing/service-fixture.js";

let f: ServiceFixture;
beforeAll(async () => {
  f = await startServiceFixture();
});
afterAll(async () => {
  await f.cleanup();
});

async function fileSystem(token: string): Promise<string> {
  const id = (await f.client.send(new CreateFileSystemCommand({ CreationToken: token }))).FileSystemId!;
  // Poll until available, as a client of AWS would.
  while ((await f.client.send(new DescribeFileSystemsCommand({ FileSystemId: id }))).FileSystems![0].LifeCycleState !== "available") {
    await new Promise((r) => setImmediate(r));
  }
  return id;
}

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name + "{")) continue;
    const ok = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (ok) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("POST /cistern/v1/mounts", () => {
  it("creates the access point root at the first mount and answers the host path and identity", async () => {
    const fsId = await fileSystem("m-lazy");
    const ap = await f.client.send(
      new CreateAccessPointCommand({
        FileSystemId: fsId,
        PosixUser: { Uid: 50000, Gid: 50000, SecondaryGids: [60000] },
        RootDirectory: { Path: "/dyn/pvc-1", CreationInfo: { OwnerUid: 50000, OwnerGid: 50000, Permissions: "750" } },
      }),
    );
    const res = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fsId, AccessPointId: ap.AccessPointId, SecureTransport: true, NodeId: "node-a" });
    expect(res.status).toBe(200);
    const hostPath = join(f.dir, "data/fs", fsId, "dyn/pvc-1");
    expect(res.json).toMatchObject({
      FileSystemId: fsId,
      AccessPointId: ap.AccessPointId,
      HostPath: hostPath,
      ReadOnly: false,
      RootSquash: false,
      PosixUser: { Uid: 50000, Gid: 50000, SecondaryGids: [60000] },
      NodeId: "node-a",
    });
    expect(res.json.MountId).toMatch(/^mount-[0-9a-f]{17}$/);
    const st = statSync(hostPath);
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([50000, 50000, 0o750]);
    const list = await f.signedFetch("GET", `/cistern/v1/mounts?NodeId=node-a`);
    expect(list.json.Mounts.map((m: any) => m.MountId)).toEqual([res.json.MountId]);
    await f.client.send(new DeleteFileSystemCommand({ FileSystemId: fsId })).then(
      () => expect.fail("delete must be refused while mounted"),
      (e) => expect([e.name, e.$metadata.httpStatusCode]).toEqual(["FileSystemInUse", 409]),
    );
    expect((await f.signedFetch("DELETE", `/cistern/v1/mounts/${res.json.MountId}`)).status).toBe(204);
    const again = await f.signedFetch("DELETE", `/cistern/v1/mounts/${res.json.MountId}`);
    expect([again.status, again.headers.get("x-amzn-errortype")]).toEqual([404, "MountNotFound"]);
  });

  it("fails with MountFailed when the root is missing and there is no CreationInfo", async () => {
    const fsId = await fileSystem("m-missing");
    const ap = await f.client.send(new CreateAccessPointCommand({ FileSystemId: fsId, RootDirectory: { Path: "/absent" } }));
    const res = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fsId, AccessPointId: ap.AccessPointId, SecureTransport: true });
    expect([res.status, res.headers.get("x-amzn-errortype")]).toEqual([409, "MountFailed"]);
    expect(res.json.Message).toMatch(/does not exist and the access point has no CreationInfo/);
  });

  it("refuses a symlink planted in the file system as Path, and Path escapes", async () => {
    const fsId = await fileSystem("m-symlink");
    const root = join(f.dir, "data/fs", fsId);
    mkdirSync(join(root, "vol"));
    symlinkSync("/", join(root, "vol/root"));
    const planted = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fsId, Path: "/vol/root", SecureTransport: true });
    expect([planted.status, planted.json.ErrorCode]).toEqual([409, "MountFailed"]);
    expect(planted.json.Message).toMatch(/symbolic link/);
    const dotdot = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fsId, Path: "/vol/../..", SecureTransport: true });
    expect([dotdot.status, dotdot.json.ErrorCode]).toEqual([400, "BadRequest"]);
    const missingField = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fsId });
    expect([missingField.status, missingField.json.ErrorCode]).toEqual([400, "ValidationException"]);
    const unknownFs = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: "fs-0123456789abcdef0", SecureTransport: true });
    expect([unknownFs.status, unknownFs.json.ErrorCode]).toEqual([404, "FileSystemNotFound"]);
  });

  it("applies the file system policy: denied, read-only, root-squashed", async () => {
    const fsId = await fileSystem("m-policy");
    const writer = "arn:aws:iam::123456789012:role/writer";
    await f.client.send(
      new PutFileSystemPolicyCommand({
        FileSystemId: fsId,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { AWS: "*" }, Action: "elasticfilesystem:ClientMount", Condition: { Bool: { "aws:SecureTransport": "true" } } },
            { Effect: "Allow", Principal: { AWS: writer }, Action: ["elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"] },
          ],
        }),
      }),
    );
    const plain = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fsId, SecureTransport: false });
    expect([plain.status, plain.headers.get("x-amzn-errortype")]).toEqual([403, "AccessDeniedException"]);
    const anon = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fsId, SecureTransport: true });
    expect(anon.json).toMatchObject({ ReadOnly: true, RootSquash: true });
    const w = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fsId, SecureTransport: true, PrincipalArn: writer });
    expect(w.json).toMatchObject({ ReadOnly: false, RootSquash: false });
    const asked = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fsId, SecureTransport: true, PrincipalArn: writer, ReadOnly: true });
    expect(asked.json.ReadOnly).toBe(true);
  });
});

describe("metering and metrics over the wire", () => {
  it("reports I/O deltas, connections and storage in the Prometheus exposition", async () => {
    const fsId = await fileSystem("m-metrics");
    const m = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fsId, SecureTransport: true });
    writeFileSync(join(m.json.HostPath, "data"), Buffer.alloc(10_000, 7)); // 2 + 12 KiB
    const io = { DataReadIOBytes: 3000, DataWriteIOBytes: 10_000, MetadataIOBytes: 500, DataReadOps: 3, DataWriteOps: 2, MetadataOps: 5 };
    expect((await f.signedFetch("POST", `/cistern/v1/mounts/${m.json.MountId}/io`, io)).status).toBe(200);
    expect((await f.signedFetch("POST", `/cistern/v1/mounts/${m.json.MountId}/io`, { DataReadIOBytes: 3000 })).status).toBe(200);
    const negative = await f.signedFetch("POST", `/cistern/v1/mounts/${m.json.MountId}/io`, { DataReadIOBytes: -1 });
    expect([negative.status, negative.json.ErrorCode]).toEqual([400, "BadRequest"]);

    const usage = await f.signedFetch("GET", `/cistern/v1/usage?FileSystemId=${fsId}&Refresh=true`);
    expect(usage.status).toBe(200);
    expect(usage.json.fileSystems[0]).toMatchObject({ fileSystemId: fsId, clientConnections: 1, sizeInBytes: { Value: 20480 } });
    const report = await f.svc.usageReport(fsId);
    expect(report.fileSystems[0].sizeInBytes.Value).toBe(20480);

    const text = (await f.signedFetch("GET", "/metrics")).text;
    const fsl = { file_system_id: fsId };
    expect(sample(text, "efs_data_read_io_bytes_total", fsl)).toBe(6000);
    expect(sample(text, "efs_data_write_io_bytes_total", fsl)).toBe(10_000);
    expect(sample(text, "efs_metadata_io_bytes_total", fsl)).toBe(500);
    expect(sample(text, "efs_total_io_bytes_total", fsl)).toBe(16_500);
    expect(sample(text, "efs_metered_io_bytes_total", fsl)).toBe(6000 / 3 + 10_000 + 500);
    expect(sample(text, "efs_data_read_ops_total", fsl)).toBe(3);
    expect(sample(text, "efs_client_connections", fsl)).toBe(1);
    expect(sample(text, "efs_storage_bytes", { ...fsl, storage_class: "Total" })).toBe(20480);
    expect(sample(text, "efs_storage_bytes", { ...fsl, storage_class: "Standard" })).toBe(20480);
    expect(sample(text, "efs_storage_bytes", { ...fsl, storage_class: "IA" })).toBe(0);
    expect(sample(text, "efs_api_requests_total", { operation: "CisternMount", status: "200" })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/efs_api_request_duration_seconds_bucket\{le="[0-9.]+",operation="CreateFileSystem"\}/);
  });

  it("exposes per-access-point storage", async () => {
    const fsId = await fileSystem("m-ap-metrics");
    const ap = await f.client.send(new CreateAccessPointCommand({ FileSystemId: fsId, RootDirectory: { Path: "/a", CreationInfo: { OwnerUid: 0, OwnerGid: 0, Permissions: "755" } } }));
    await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fsId, AccessPointId: ap.AccessPointId, SecureTransport: true });
    await f.svc.usageReport(fsId, { fresh: true });
    const text = (await f.signedFetch("GET", "/metrics")).text;
    expect(sample(text, "efs_access_point_storage_bytes", { file_system_id: fsId, access_point_id: ap.AccessPointId! })).toBe(6144);
  });
});
