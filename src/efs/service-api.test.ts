/** The AWS API contract, driven through the real @aws-sdk/client-efs against the running service. */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import {
  AccessPointAlreadyExists,
  AccessPointLimitExceeded,
  AccessPointNotFound,
  BadRequest,
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  CreateTagsCommand,
  DeleteAccessPointCommand,
  DeleteFileSystemCommand,
  DeleteFileSystemPolicyCommand,
  DeleteMountTargetCommand,
  DescribeAccessPointsCommand,
  DescribeAccountPreferencesCommand,
  DescribeFileSystemPolicyCommand,
  DescribeFileSystemsCommand,
  DescribeLifecycleConfigurationCommand,
  DescribeMountTargetsCommand,
  DescribeMountTargetSecurityGroupsCommand,
  DescribeTagsCommand,
  FileSystemAlreadyExists,
  FileSystemInUse,
  FileSystemNotFound,
  IncorrectFileSystemLifeCycleState,
  InvalidPolicyException,
  ListTagsForResourceCommand,
  MountTargetConflict,
  MountTargetNotFound,
  PolicyNotFound,
  PutFileSystemPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFileSystemCommand,
  ValidationException,
  paginateDescribeAccessPoints,
  paginateDescribeFileSystems,
  paginateListTagsForResource,
} from "@aws-sdk/client-efs";
import { existsSync } from "node:fs";
import { startServiceFixture, type ServiceFixture } from "./testing/service-fixture.js";

let f: ServiceFixture;
beforeAll(async () => {
  f = await startServiceFixture({ limits: { accessPointsPerFileSystem: 5 }, preCreateFileSystemIds: ["fs-12345678"] });
});
afterAll(async () => {
  await f.cleanup();
});

/** Awaits a rejection and checks the SDK parsed it into the right class, name and HTTP status. */
async function expectAwsError(p: Promise<unknown>, cls: new (...a: any[]) => Error, status: number): Promise<any> {
  const err: any = await p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e) => e,
  );
  expect(err).toBeInstanceOf(cls);
  expect(err.name).toBe(cls.name);
  expect(err.$metadata.httpStatusCode).toBe(status);
  expect(typeof err.message).toBe("string");
  return err;
}

async function newFileSystem(token: string, extra: Record<string, unknown> = {}) {
  const fs = await f.client.send(new CreateFileSystemCommand({ CreationToken: token, ...extra }));
  // Clients poll until available, as against AWS.
  for (;;) {
    const d = await f.client.send(new DescribeFileSystemsCommand({ FileSystemId: fs.FileSystemId }));
    if (d.FileSystems![0].LifeCycleState === "available") return fs;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("file systems through the SDK", () => {
  it("has the default file system and the pre-created one", async () => {
    const all = await f.client.send(new DescribeFileSystemsCommand({}));
    const byName = new Map(all.FileSystems!.map((x) => [x.Name, x]));
    expect(byName.get("cistern-default")?.FileSystemId).toBe(f.svc.defaultFileSystemId);
    expect(f.svc.defaultFileSystemId).toMatch(/^fs-[0-9a-f]{17}$/);
    const pre = await f.client.send(new DescribeFileSystemsCommand({ FileSystemId: "fs-12345678" }));
    expect(pre.FileSystems![0]).toMatchObject({ FileSystemId: "fs-12345678", LifeCycleState: "available", OwnerId: "123456789012" });
  });

  it("creates with 201, returns AWS's description shape, and polls to available", async () => {
    const res = await f.client.send(new CreateFileSystemCommand({ CreationToken: "shape", Tags: [{ Key: "Name", Value: "shape" }], Encrypted: true }));
    expect(res.$metadata.httpStatusCode).toBe(201);
    expect(res.LifeCycleState).toBe("creating");
    expect(res).toMatchObject({
      OwnerId: "123456789012",
      CreationToken: "shape",
      FileSystemArn: `arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/${res.FileSystemId}`,
      Name: "shape",
      NumberOfMountTargets: 0,
      PerformanceMode: "generalPurpose",
      ThroughputMode: "bursting",
      Encrypted: true,
      SizeInBytes: { Value: 6144, ValueInStandard: 6144, ValueInIA: 0, ValueInArchive: 0 },
      Tags: [{ Key: "Name", Value: "shape" }],
    });
    expect(res.CreationTime).toBeInstanceOf(Date);
    expect(Math.abs(res.CreationTime!.getTime() - Date.now())).toBeLessThan(120_000);
    expect(res.SizeInBytes!.Timestamp).toBeInstanceOf(Date);
    expect(res.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:123456789012:/);
    const d = await f.client.send(new DescribeFileSystemsCommand({ FileSystemId: res.FileSystemArn }));
    expect(d.FileSystems![0].LifeCycleState).toBe("available");
  });

  it("answers a reused CreationToken with FileSystemAlreadyExists and the existing ID", async () => {
    const first = await newFileSystem("idem");
    const err = await expectAwsError(f.client.send(new CreateFileSystemCommand({ CreationToken: "idem" })), FileSystemAlreadyExists, 409);
    expect(err.FileSystemId).toBe(first.FileSystemId);
    expect(err.ErrorCode).toBe("FileSystemAlreadyExists");
  });

  it("reports not-found and validation errors with AWS's codes", async () => {
    await expectAwsError(f.client.send(new DescribeFileSystemsCommand({ FileSystemId: "fs-0000000000000000a" })), FileSystemNotFound, 404);
    const v = await expectAwsError(f.client.send(new DescribeFileSystemsCommand({ FileSystemId: "fs-BAD" })), ValidationException, 400);
    expect(v.message).toContain("regular expression pattern");
    await expectAwsError(f.client.send(new DeleteFileSystemCommand({ FileSystemId: "fs-0000000000000000a" })), FileSystemNotFound, 404);
    await expectAwsError(f.client.send(new CreateFileSystemCommand({ CreationToken: "tp", ThroughputMode: "provisioned" })), BadRequest, 400);
  });

  it("updates throughput with 202", async () => {
    const fs = await newFileSystem("upd");
    const res = await f.client.send(new UpdateFileSystemCommand({ FileSystemId: fs.FileSystemId, ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 64 }));
    expect(res.$metadata.httpStatusCode).toBe(202);
    const d = await f.client.send(new DescribeFileSystemsCommand({ FileSystemId: fs.FileSystemId }));
    expect(d.FileSystems![0]).toMatchObject({ ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 64 });
  });

  it("pages with Marker/NextMarker through the SDK paginator", async () => {
    for (let i = 0; i < 5; i++) await f.client.send(new CreateFileSystemCommand({ CreationToken: `page-${i}` }));
    const all = await f.client.send(new DescribeFileSystemsCommand({}));
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeFileSystems({ client: f.client, pageSize: 2 }, {})) {
      pages++;
      expect(page.FileSystems!.length).toBeLessThanOrEqual(2);
      ids.push(...page.FileSystems!.map((x) => x.FileSystemId!));
    }
    expect(ids).toEqual(all.FileSystems!.map((x) => x.FileSystemId));
    expect(pages).toBe(Math.ceil(ids.length / 2));
    await expectAwsError(f.client.send(new DescribeFileSystemsCommand({ Marker: "not-a-marker!" })), BadRequest, 400);
  });

  it("deletes with 204, refusing while mount targets exist, and removes the directory", async () => {
    const fs = await newFileSystem("del");
    const dir = `${f.dir}/data/fs/${fs.FileSystemId}`;
    expect(existsSync(dir)).toBe(true);
    const mt = await f.client.send(new CreateMountTargetCommand({ FileSystemId: fs.FileSystemId, SubnetId: "subnet-0123456789abcdef0" }));
    await expectAwsError(f.client.send(new DeleteFileSystemCommand({ FileSystemId: fs.FileSystemId })), FileSystemInUse, 409);
    const delMt = await f.client.send(new DeleteMountTargetCommand({ MountTargetId: mt.MountTargetId }));
    expect(delMt.$metadata.httpStatusCode).toBe(204);
    const res = await f.client.send(new DeleteFileSystemCommand({ FileSystemId: fs.FileSystemId }));
    expect(res.$metadata.httpStatusCode).toBe(204);
    expect(existsSync(dir)).toBe(false);
    await expectAwsError(f.client.send(new DescribeFileSystemsCommand({ FileSystemId: fs.FileSystemId })), FileSystemNotFound, 404);
  });
});

describe("access points through the SDK", () => {
  it("creates, describes, is idempotent by ClientToken, and conflicts with the existing ID", async () => {
    const fs = await newFileSystem("ap-fs");
    const input = {
      FileSystemId: fs.FileSystemId,
      ClientToken: "pvc-0001",
      PosixUser: { Uid: 50000, Gid: 50000 },
      RootDirectory: { Path: "/dyn/pvc-1", CreationInfo: { OwnerUid: 50000, OwnerGid: 50000, Permissions: "700" } },
      Tags: [{ Key: "efs.csi.aws.com/cluster", Value: "true" }],
    };
    const ap = await f.client.send(new CreateAccessPointCommand(input));
    expect(ap.$metadata.httpStatusCode).toBe(200);
    expect(ap.AccessPointId).toMatch(/^fsap-[0-9a-f]{17}$/);
    expect(ap).toMatchObject({
      AccessPointArn: `arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/${ap.AccessPointId}`,
      FileSystemId: fs.FileSystemId,
      ClientToken: "pvc-0001",
      OwnerId: "123456789012",
      PosixUser: { Uid: 50000, Gid: 50000, SecondaryGids: [] },
      RootDirectory: input.RootDirectory,
    });
    const again = await f.client.send(new CreateAccessPointCommand(input));
    expect(again.AccessPointId).toBe(ap.AccessPointId);
    const err = await expectAwsError(f.client.send(new CreateAccessPointCommand({ ...input, PosixUser: { Uid: 1, Gid: 1 } })), AccessPointAlreadyExists, 409);
    expect(err.AccessPointId).toBe(ap.AccessPointId);
    const d = await f.client.send(new DescribeAccessPointsCommand({ AccessPointId: ap.AccessPointArn }));
    expect(d.AccessPoints![0]).toMatchObject({ AccessPointId: ap.AccessPointId, LifeCycleState: "available" });
    // The SDK fills in a ClientToken when none is given.
    const auto = await f.client.send(new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId }));
    expect(auto.ClientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(auto.RootDirectory).toEqual({ Path: "/" });
  });

  it("enforces the limit with AccessPointLimitExceeded (403) and pages with NextToken", async () => {
    const fs = await newFileSystem("ap-limit");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await f.client.send(new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId, ClientToken: `lim-${i}` }))).AccessPointId!);
    const err = await expectAwsError(f.client.send(new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId, ClientToken: "lim-x" })), AccessPointLimitExceeded, 403);
    expect(err.message).toBe(`You have reached the maximum number of access points (5) for your file system ${fs.FileSystemId}. Delete an access point and add a new one.`);
    const seen: string[] = [];
    for await (const page of paginateDescribeAccessPoints({ client: f.client, pageSize: 2 }, { FileSystemId: fs.FileSystemId })) {
      seen.push(...page.AccessPoints!.map((a) => a.AccessPointId!));
    }
    expect(seen).toEqual(ids);
  });

  it("validates paths, permissions, IDs and refuses a file system that is not available", async () => {
    const fs = await newFileSystem("ap-val");
    const bad = (RootDirectory: any) => f.client.send(new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId, RootDirectory }));
    await expectAwsError(bad({ Path: "/a/../etc" }), ValidationException, 400);
    await expectAwsError(bad({ Path: "/1/2/3/4/5" }), ValidationException, 400);
    await expectAwsError(bad({ Path: "/" + "x".repeat(100) }), ValidationException, 400);
    await expectAwsError(bad({ Path: "/ok", CreationInfo: { OwnerUid: 1, OwnerGid: 1, Permissions: "999" } }), ValidationException, 400);
    await expectAwsError(f.client.send(new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId, PosixUser: { Uid: 4294967296, Gid: 0 } })), ValidationException, 400);
    await expectAwsError(f.client.send(new DeleteAccessPointCommand({ AccessPointId: "fsap-0123456789abcdef0" })), AccessPointNotFound, 404);
    await expectAwsError(f.client.send(new CreateAccessPointCommand({ FileSystemId: "fs-0000000000000000b" })), FileSystemNotFound, 404);
    const creating = await f.client.send(new CreateFileSystemCommand({ CreationToken: "ap-creating" }));
    // The service makes file systems available within a turn of its event loop, too quick to catch over
    // the wire, so the state is forced through the model to see the error.
    f.svc.model.fileSystems.get(creating.FileSystemId!).state = "creating";
    await expectAwsError(f.client.send(new CreateAccessPointCommand({ FileSystemId: creating.FileSystemId })), IncorrectFileSystemLifeCycleState, 409);
    f.svc.model.fileSystems.get(creating.FileSystemId!).state = "available";
  });

  it("deletes with 204 and leaves the data", async () => {
    const fs = await newFileSystem("ap-del");
    const ap = await f.client.send(new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId, RootDirectory: { Path: "/keep", CreationInfo: { OwnerUid: 0, OwnerGid: 0, Permissions: "755" } } }));
    f.svc.model.mounts.mount({ fileSystemId: fs.FileSystemId!, accessPointId: ap.AccessPointId, secureTransport: true });
    const res = await f.client.send(new DeleteAccessPointCommand({ AccessPointId: ap.AccessPointId }));
    expect(res.$metadata.httpStatusCode).toBe(204);
    expect(existsSync(`${f.dir}/data/fs/${fs.FileSystemId}/keep`)).toBe(true);
  });
});

describe("mount targets, policies, tags and account preferences through the SDK", () => {
  it("creates and describes mount targets, one per zone", async () => {
    const fs = await newFileSystem("mt");
    const mt = await f.client.send(new CreateMountTargetCommand({ FileSystemId: fs.FileSystemId, SubnetId: "subnet-00000000aaaaaaaa1", IpAddress: "10.1.2.3" }));
    expect(mt).toMatchObject({ FileSystemId: fs.FileSystemId, IpAddress: "10.1.2.3", LifeCycleState: "available", OwnerId: "123456789012" });
    expect(mt.MountTargetId).toMatch(/^fsmt-[0-9a-f]{17}$/);
    expect(mt.AvailabilityZoneName).toMatch(/^us-east-1[abc]$/);
    await expectAwsError(f.client.send(new CreateMountTargetCommand({ FileSystemId: fs.FileSystemId, SubnetId: "subnet-00000000aaaaaaaa1" })), MountTargetConflict, 409);
    const d = await f.client.send(new DescribeMountTargetsCommand({ FileSystemId: fs.FileSystemId }));
    expect(d.MountTargets!.map((m) => m.MountTargetId)).toEqual([mt.MountTargetId]);
    const sg = await f.client.send(new DescribeMountTargetSecurityGroupsCommand({ MountTargetId: mt.MountTargetId }));
    expect(sg.SecurityGroups![0]).toMatch(/^sg-[0-9a-f]{17}$/);
    const fsd = await f.client.send(new DescribeFileSystemsCommand({ FileSystemId: fs.FileSystemId }));
    expect(fsd.FileSystems![0].NumberOfMountTargets).toBe(1);
    await expectAwsError(f.client.send(new DescribeMountTargetsCommand({})), BadRequest, 400);
    await expectAwsError(f.client.send(new DescribeMountTargetsCommand({ MountTargetId: "fsmt-0123456789abcdef0" })), MountTargetNotFound, 404);
  });

  it("puts, describes and deletes a file system policy; PolicyNotFound while none", async () => {
    const fs = await newFileSystem("pol");
    await expectAwsError(f.client.send(new DescribeFileSystemPolicyCommand({ FileSystemId: fs.FileSystemId })), PolicyNotFound, 404);
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "elasticfilesystem:ClientMount" }] });
    const put = await f.client.send(new PutFileSystemPolicyCommand({ FileSystemId: fs.FileSystemId, Policy: policy }));
    expect(put).toMatchObject({ FileSystemId: fs.FileSystemId, Policy: policy });
    expect((await f.client.send(new DescribeFileSystemPolicyCommand({ FileSystemId: fs.FileSystemId }))).Policy).toBe(policy);
    await expectAwsError(f.client.send(new PutFileSystemPolicyCommand({ FileSystemId: fs.FileSystemId, Policy: "{nope" })), InvalidPolicyException, 400);
    const del = await f.client.send(new DeleteFileSystemPolicyCommand({ FileSystemId: fs.FileSystemId }));
    expect(del.$metadata.httpStatusCode).toBe(200);
    await expectAwsError(f.client.send(new DescribeFileSystemPolicyCommand({ FileSystemId: fs.FileSystemId })), PolicyNotFound, 404);
  });

  it("tags by ID and ARN, untags, pages tags, and keeps the legacy tag calls working", async () => {
    const fs = await newFileSystem("tags");
    const arn = `arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/${fs.FileSystemId}`;
    await f.client.send(new TagResourceCommand({ ResourceId: arn, Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }, { Key: "c", Value: "3" }] }));
    await f.client.send(new UntagResourceCommand({ ResourceId: fs.FileSystemId, TagKeys: ["b", "zz"] }));
    const tags: string[] = [];
    for await (const page of paginateListTagsForResource({ client: f.client, pageSize: 1 }, { ResourceId: fs.FileSystemId })) tags.push(...page.Tags!.map((t) => `${t.Key}=${t.Value}`));
    expect(tags).toEqual(["a=1", "c=3"]);
    const tooMany = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    await expectAwsError(f.client.send(new TagResourceCommand({ ResourceId: fs.FileSystemId, Tags: tooMany })), BadRequest, 400);
    await f.client.send(new CreateTagsCommand({ FileSystemId: fs.FileSystemId, Tags: [{ Key: "Name", Value: "legacy" }] }));
    const legacy = await f.client.send(new DescribeTagsCommand({ FileSystemId: fs.FileSystemId }));
    expect(legacy.Tags).toContainEqual({ Key: "Name", Value: "legacy" });
    expect((await f.client.send(new DescribeFileSystemsCommand({ FileSystemId: fs.FileSystemId }))).FileSystems![0].Name).toBe("legacy");
    const ap = await f.client.send(new CreateAccessPointCommand({ FileSystemId: fs.FileSystemId }));
    await f.client.send(new TagResourceCommand({ ResourceId: ap.AccessPointArn, Tags: [{ Key: "Name", Value: "ap" }] }));
    expect((await f.client.send(new ListTagsForResourceCommand({ ResourceId: ap.AccessPointId }))).Tags).toEqual([{ Key: "Name", Value: "ap" }]);
    await expectAwsError(f.client.send(new ListTagsForResourceCommand({ ResourceId: "fsap-0123456789abcdef0" })), AccessPointNotFound, 404);
  });

  it("describes account preferences and names what it does not implement", async () => {
    const prefs = await f.client.send(new DescribeAccountPreferencesCommand({}));
    expect(prefs.ResourceIdPreference).toEqual({ ResourceIdType: "LONG_ID", Resources: ["FILE_SYSTEM", "MOUNT_TARGET"] });
    const err: any = await f.client.send(new DescribeLifecycleConfigurationCommand({ FileSystemId: f.svc.defaultFileSystemId })).catch((e) => e);
    expect(err.name).toBe("UnsupportedOperation");
    expect(err.$metadata.httpStatusCode).toBe(400);
    const unknown = await f.signedFetch("GET", "/2015-02-01/no-such-thing");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(unknown.json).toMatchObject({ ErrorCode: "UnknownOperationException" });
  });
});
