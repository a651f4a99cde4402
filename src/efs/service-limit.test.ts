/** The real access point quota, 10,000 per file system, reached through the SDK. */
import { describe, it, expect, afterAll } from "vitest";
import { AccessPointLimitExceeded, CreateAccessPointCommand, paginateDescribeAccessPoints } from "@aws-sdk/client-efs";
import { startServiceFixture, type ServiceFixture } from "./testing/service-fixture.js";

let f: ServiceFixture;
afterAll(async () => {
  await f.cleanup();
});

describe("10,000 access points", () => {
  it("accepts exactly 10,000 on one file system, then refuses with AWS's message", async () => {
    f = await startServiceFixture();
    const fsId = f.svc.defaultFileSystemId;
    const total = 10_000;
    const workers = 64;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let i = next++; i < total; i = next++) {
          await f.client.send(new CreateAccessPointCommand({ FileSystemId: fsId, ClientToken: `quota-${i}`, PosixUser: { Uid: 50000 + i, Gid: 50000 + i } }));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // Informational only (the bench measures throughput); never asserted.
    process.stderr.write(`efs: ${total} CreateAccessPoint through the SDK in ${seconds.toFixed(2)} s (${Math.round(total / seconds)}/s)\n`);

    const err: any = await f.client.send(new CreateAccessPointCommand({ FileSystemId: fsId, ClientToken: "one-too-many" })).catch((e) => e);
    expect(err).toBeInstanceOf(AccessPointLimitExceeded);
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.message).toBe(`You have reached the maximum number of access points (10000) for your file system ${fsId}. Delete an access point and add a new one.`);

    let count = 0;
    let pages = 0;
    const gids = new Set<number>();
    for await (const page of paginateDescribeAccessPoints({ client: f.client, pageSize: 1000 }, { FileSystemId: fsId })) {
      pages++;
      count += page.AccessPoints!.length;
      for (const ap of page.AccessPoints!) gids.add(ap.PosixUser!.Gid!);
    }
    expect([count, pages, gids.size]).toEqual([total, 10, total]);
  });
});
