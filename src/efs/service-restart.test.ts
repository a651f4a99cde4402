/** A restart keeps everything: resources, policies, tags, mounts (as connections) and the credentials. */
import { describe, it, expect, afterAll } from "vitest";
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  DescribeAccessPointsCommand,
  DescribeFileSystemPolicyCommand,
  DescribeFileSystemsCommand,
  DescribeMountTargetsCommand,
  ListTagsForResourceCommand,
  PutFileSystemPolicyCommand,
} from "@aws-sdk/client-efs";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startServiceFixture, type ServiceFixture } from "./testing/service-fixture.js";

let f: ServiceFixture;
afterAll(async () => {
  await f.cleanup();
});

describe("restart", () => {
  it("keeps every resource, the default file system and the generated credentials", async () => {
    f = await startServiceFixture({ preCreateFileSystemIds: ["fs-12345678"] });
    const creds = f.svc.credentials;
    const credFile = join(f.dir, "data/credentials.json");
    expect(statSync(credFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(credFile, "utf8"))).toEqual(creds);
    const defaultId = f.svc.defaultFileSystemId;

    const fs = await f.client.send(new CreateFileSystemCommand({ CreationToken: "survivor", Tags: [{ Key: "Name", Value: "survivor" }] }));
    while ((await f.client.send(new DescribeFileSystemsCommand({ FileSystemId: fs.FileSystemId }))).FileSystems![0].LifeCycleState !== "available") {
      await new Promise((r) => setImmediate(r));
    }
    const ap = await f.client.send(
      new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId, ClientToken: "keep-me", RootDirectory: { Path: "/k", CreationInfo: { OwnerUid: 1, OwnerGid: 1, Permissions: "700" } } }),
    );
    const mt = await f.client.send(new CreateMountTargetCommand({ FileSystemId: fs.FileSystemId, SubnetId: "subnet-0123456789abcdef0" }));
    const policy = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "elasticfilesystem:ClientMount" }] });
    await f.client.send(new PutFileSystemPolicyCommand({ FileSystemId: fs.FileSystemId, Policy: policy }));
    const mount = await f.signedFetch("POST", "/cistern/v1/mounts", { FileSystemId: fs.FileSystemId, AccessPointId: ap.AccessPointId, SecureTransport: true });
    expect(mount.status).toBe(200);

    await f.restart();

    expect(f.svc.credentials).toEqual(creds);
    expect(f.svc.defaultFileSystemId).toBe(defaultId);
    const all = await f.client.send(new DescribeFileSystemsCommand({}));
    expect(all.FileSystems!.map((x) => x.FileSystemId)).toEqual([defaultId, "fs-12345678", fs.FileSystemId]);
    expect(all.FileSystems![2]).toMatchObject({ Name: "survivor", LifeCycleState: "available", NumberOfMountTargets: 1 });
    const aps = await f.client.send(new DescribeAccessPointsCommand({ FileSystemId: fs.FileSystemId }));
    expect(aps.AccessPoints!.map((a) => [a.AccessPointId, a.ClientToken])).toEqual([[ap.AccessPointId, "keep-me"]]);
    expect((await f.client.send(new DescribeMountTargetsCommand({ FileSystemId: fs.FileSystemId }))).MountTargets![0].MountTargetId).toBe(mt.MountTargetId);
    expect((await f.client.send(new DescribeFileSystemPolicyCommand({ FileSystemId: fs.FileSystemId }))).Policy).toBe(policy);
    expect((await f.client.send(new ListTagsForResourceCommand({ ResourceId: fs.FileSystemId }))).Tags).toEqual([{ Key: "Name", Value: "survivor" }]);
    const mounts = await f.signedFetch("GET", `/cistern/v1/mounts?FileSystemId=${fs.FileSystemId}`);
    expect(mounts.json.Mounts.map((m: any) => m.MountId)).toEqual([mount.json.MountId]);
    const report = await f.svc.usageReport(fs.FileSystemId);
    expect(report.fileSystems[0].clientConnections).toBe(1);
    // A repeated create after the restart is still recognised.
    const again = await f.client.send(new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId, ClientToken: "keep-me", RootDirectory: { Path: "/k", CreationInfo: { OwnerUid: 1, OwnerGid: 1, Permissions: "700" } } }));
    expect(again.AccessPointId).toBe(ap.AccessPointId);
  });
});

describe("closed at once", () => {
  it("a service closed within one event-loop turn of starting does not finish creates on a closed store; the next start does", async () => {
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on("uncaughtException", onError);
    let g: ServiceFixture | undefined;
    try {
      g = await startServiceFixture({ preCreateFileSystemIds: ["fs-87654321"] });
      await g.restart();
      await new Promise((r) => setTimeout(r, 50));
      expect(errors).toEqual([]);
      let state: string | undefined;
      for (let i = 0; i < 100 && state !== "available"; i++) {
        state = (await g.client.send(new DescribeFileSystemsCommand({ FileSystemId: "fs-87654321" }))).FileSystems![0].LifeCycleState;
        if (state !== "available") await new Promise((r) => setImmediate(r));
      }
      expect(state).toBe("available");
    } finally {
      process.off("uncaughtException", onError);
      await g?.cleanup();
    }
  });
});
