/**
 * Dynamic provisioning on `cistern up`:
 *   - CreateAccessPoint through the real AWS SDK (`@aws-sdk/client-efs`, SigV4, HTTPS) against the
 *     EFS service, from 2 client threads with 16 calls in flight each, beside the raw SQLite
 *     durable-commit rate (each answer waits for its metadata commit); then DeleteAccessPoint;
 *   - PVC created → Bound seen on a watch, claims arriving at 100/s on the guide's efs-ap class
 *     (binder → external provisioner → CSI CreateVolume → EFS CreateAccessPoint → PV → bind).
 */
import { CreateFileSystemCommand } from "@aws-sdk/client-efs";
import { openLoop } from "../core/load.js";
import { latencyFigure, valueFigure, type FigureSink } from "../core/result.js";
import type { Scenario, ScenarioContext } from "../core/scenario.js";
import { summarize } from "../core/stats.js";
import { startCisternUp } from "../harness/cistern-process.js";
import { sdkClient, sdkLoad } from "../harness/efs-sdk-load.js";
import { ConditionWatch, isBound } from "../harness/condition-watch.js";
import { claim, efsApClass, namespace, paths } from "../harness/objects.js";

const FS_ID = "fs-12345678";

export const provisioningScenario: Scenario = {
  name: "provisioning",
  title: "Dynamic provisioning: EFS access points and PVC → Bound",
  async run(ctx: ScenarioContext, sink: FigureSink) {
    const q = ctx.options.quick;
    const limit = ctx.sqliteLimit();
    const commitLimit = { label: "raw SQLite durable commits/s (EFS metadata is SQLite, WAL, FULL)", value: limit.commitsPerSecond, unit: "/s" as const };
    const up = await startCisternUp({ tag: "prov", fileSystemIds: [FS_ID] });
    const endpoint = { ...up.efs, caPem: up.caPem };
    const efs = sdkClient(endpoint);
    try {
      const fs = await efs.send(new CreateFileSystemCommand({ CreationToken: "bench-aps" }));
      const fsId = fs.FileSystemId!;
      const n = q ? 1000 : 5000;
      const create = await sdkLoad(endpoint, "create", fsId, Array.from({ length: n }, (_, i) => i), 2, 16);
      sink.add(latencyFigure("efs.createAccessPoint", `CreateAccessPoint via the AWS SDK, 2 clients × 16 in flight (${n.toLocaleString("en-US")})`, create.latencies, { value: create.perSecond, limit: commitLimit }));
      const del = await sdkLoad(endpoint, "delete", fsId, create.ids, 2, 16);
      sink.add(latencyFigure("efs.deleteAccessPoint", "DeleteAccessPoint via the AWS SDK, 2 clients × 16 in flight", del.latencies, { value: del.perSecond, limit: commitLimit }));
      ctx.log(`access points: ${Math.round(create.perSecond)} created/s, ${Math.round(del.perSecond)} deleted/s`);

      const client = up.client(64);
      await client.expect("POST", paths.storageClasses, efsApClass("efs-ap", FS_ID));
      await client.expect("POST", paths.namespaces, namespace("dyn"));
      const rv = (await client.expect("GET", `${paths.pvcs("dyn")}?limit=1`)).metadata.resourceVersion as string;
      const watch = await ConditionWatch.start(client, paths.pvcs("dyn"), rv, isBound);
      try {
        const claims = q ? 300 : 1000;
        const scheduled = new Array<number>(claims);
        const cpu0 = up.cpuMs();
        await openLoop(claims, 100, (i, at) => {
          scheduled[i] = at;
          return client.expect("POST", paths.pvcs("dyn"), claim("dyn", `c-${i}`, { storageClassName: "efs-ap" }));
        });
        await watch.waitFor(claims, 120_000, `${claims} provisioned claims Bound`);
        const lat = Array.from({ length: claims }, (_, i) => watch.seenAt.get(`c-${i}`)! - scheduled[i]);
        sink.add(latencyFigure("provisioning.latency.100ps", `PVC created → Bound (access point provisioned) at 100 claims/s (${claims.toLocaleString("en-US")})`, lat));
        const cpu = (up.cpuMs() - cpu0) / claims;
        sink.add(valueFigure("provisioning.cpuPerClaim", "CPU per provisioned claim, all of cistern up", "ms", cpu, undefined, `at 100 claims/s that is ${Math.round(cpu * 10)}% of one core (cistern up is one event loop)`));
        ctx.log(`provisioning at 100/s: p50 ${summarize(lat).median.toFixed(1)} ms, p99 ${summarize(lat).p99.toFixed(1)} ms`);
      } finally {
        watch.close();
      }
    } finally {
      efs.destroy();
      await up.stop();
    }
  },
};
