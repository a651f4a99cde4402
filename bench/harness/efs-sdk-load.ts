/**
 * Access point load through the real AWS SDK, from several worker threads. The SDK spends about
 * twice the service's CPU per call (SigV4 signing, middleware stack, XML-free JSON parsing), so one
 * event loop cannot offer the service more than ~1,000 calls/s; each worker is one more SDK client,
 * as several provisioners or users would be.
 */
import https from "node:https";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { CreateAccessPointCommand, DeleteAccessPointCommand, EFSClient } from "@aws-sdk/client-efs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { closedLoop } from "../core/load.js";

export interface EfsEndpoint {
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  caPem: string;
}

interface Job {
  efs: EfsEndpoint;
  op: "create" | "delete";
  fileSystemId: string;
  /** create: indices to create; delete: access point ids. */
  items: (number | string)[];
  concurrency: number;
}

interface JobResult {
  latencies: number[];
  ids: string[];
  /** Wall-clock (Date.now) start and end, comparable across threads. */
  startedAt: number;
  endedAt: number;
}

export function sdkClient(e: EfsEndpoint, maxSockets = 64): EFSClient {
  return new EFSClient({
    endpoint: e.url,
    region: e.region,
    credentials: e.credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ keepAlive: true, maxSockets, ca: e.caPem }) }),
  });
}

async function runJob(job: Job): Promise<JobResult> {
  const client = sdkClient(job.efs, job.concurrency);
  const ids: string[] = [];
  try {
    const startedAt = Date.now();
    const r = await closedLoop(job.items.length, job.concurrency, async (k) => {
      const item = job.items[k];
      if (job.op === "create") {
        const i = item as number;
        const out = await client.send(new CreateAccessPointCommand({
          FileSystemId: job.fileSystemId,
          ClientToken: `bench-${i}`,
          PosixUser: { Uid: 1000 + i, Gid: 1000 + i },
          RootDirectory: { Path: `/ap/${i}`, CreationInfo: { OwnerUid: 1000 + i, OwnerGid: 1000 + i, Permissions: "700" } },
        }));
        ids[k] = out.AccessPointId!;
      } else {
        await client.send(new DeleteAccessPointCommand({ AccessPointId: item as string }));
      }
    });
    return { latencies: r.latencies, ids, startedAt, endedAt: Date.now() };
  } finally {
    client.destroy();
  }
}

export interface SdkLoadResult {
  latencies: number[];
  ids: string[];
  perSecond: number;
}

/** Runs `items` split over `workers` threads, each with `concurrency` calls in flight. */
export async function sdkLoad(efs: EfsEndpoint, op: Job["op"], fileSystemId: string, items: (number | string)[], workers: number, concurrency: number): Promise<SdkLoadResult> {
  const self = fileURLToPath(import.meta.url);
  const parts = Array.from({ length: workers }, (_, w) => items.filter((_, i) => i % workers === w));
  const results = await Promise.all(
    parts.map(
      (part) =>
        new Promise<JobResult>((resolve, reject) => {
          const worker = new Worker(self, { workerData: { efs, op, fileSystemId, items: part, concurrency } satisfies Job });
          worker.once("message", (m: JobResult | { error: string }) => ("error" in m ? reject(new Error(m.error)) : resolve(m)));
          worker.once("error", reject);
        }),
    ),
  );
  const start = Math.min(...results.map((r) => r.startedAt));
  const end = Math.max(...results.map((r) => r.endedAt));
  return { latencies: results.flatMap((r) => r.latencies), ids: results.flatMap((r) => r.ids), perSecond: items.length / ((end - start) / 1000) };
}

if (!isMainThread && parentPort && (workerData as Job | undefined)?.op) {
  const port = parentPort;
  runJob(workerData as Job).then(
    (r) => port.postMessage(r),
    (err: Error) => port.postMessage({ error: err.stack ?? String(err) }),
  );
}
